//! Files: fetching bundled ones, reading the learner's, offering downloads.

use wasm_bindgen::JsCast;

/// Fetch a bundled file from the app's own origin.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let resp = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    resp.binary().await.map_err(|e| e.to_string())
}

/// Read a file the user chose or dropped.
pub async fn read_file(file: web_sys::File) -> Result<Vec<u8>, String> {
    let file = gloo_file::File::from(file);
    gloo_file::futures::read_as_bytes(&file)
        .await
        .map_err(|e| e.to_string())
}

/// Offer `text` as a file download, made in the page (nothing is uploaded).
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    download_bytes(filename, mime, text.as_bytes())
}

/// Offer `bytes` as a file download, made in the page (nothing is uploaded).
pub fn download_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
