//! `mlplay analyze` on data shaped like the learners' own: a long file with one stray word in a
//! numeric column (which once made the diagnosis allocate a dense 200,000 × 200,000 table), and
//! the bundled house prices, where a thin pair once advised dropping Neighborhood.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::Command;

/// 200,000 rows; `amount` is numeric but for one stray word, so it is read as a category with
/// about 200,000 levels.
fn stray_word_csv() -> Vec<u8> {
    let mut out = Vec::with_capacity(4 << 20);
    out.extend_from_slice(b"amount,shop,price\n");
    for i in 0..200_000u32 {
        let amount = if i == 123_456 {
            "unknown".to_string()
        } else {
            format!("{}.{:02}", i * 7 % 100_003, i % 100)
        };
        let shop = ["north", "south", "east", "west"][(i % 4) as usize];
        writeln!(out, "{amount},{shop},{}", 1000 + i % 977).unwrap();
    }
    out
}

/// Run `mlplay analyze FILE --target TARGET --json` with at most 2 GiB of address space.
fn analyze_bounded(file: &std::path::Path, target: &str) -> serde_json::Value {
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152 && exec \"$0\" analyze \"$1\" --target \"$2\" --json")
        .arg(env!("CARGO_BIN_EXE_mlplay"))
        .arg(file)
        .arg(target)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run mlplay");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "mlplay analyze failed ({:?}): {stderr}",
        out.status
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn finding_ids(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_long_stray_word_column_is_diagnosed_within_bounded_memory() {
    let dir = std::env::temp_dir().join(format!("mlplay-stray-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("stray.csv");
    std::fs::write(&file, stray_word_csv()).unwrap();
    // 2 GiB is plenty for a 4 MB file; a dense 200,000 × 200,000 table (160 GB) is not.
    let v = analyze_bounded(&file, "price");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(v["rows"], 200_000);
    // The stray-word column is not paired, and the findings say why.
    let not_paired = v["cramers_v"]["not_paired"].as_array().unwrap();
    assert_eq!(not_paired.len(), 1);
    assert_eq!(not_paired[0]["column"], "amount");
    let ids = finding_ids(&v);
    assert!(ids.iter().any(|i| i == "levels:amount"), "{ids:?}");
    assert!(ids.iter().any(|i| i == "numtext:amount"), "{ids:?}");
}

#[test]
fn the_house_prices_do_not_drop_neighborhood_for_a_thin_pair() {
    let v = analyze_bounded(std::path::Path::new("datasets/ames.csv"), "SalePrice");
    let drops: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["action"]["Exclude"].as_str())
        .collect();
    assert!(!drops.contains(&"Neighborhood"), "{drops:?}");
}
