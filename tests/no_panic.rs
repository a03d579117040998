//! Random bytes and random CSV-like text never make the loader panic, and well-formed random
#![cfg(not(target_arch = "wasm32"))]
//! tables read back with the shape and values they were written with.

use mlplay::engine::{load, LoadOptions};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = load(&bytes, &LoadOptions::default());
    }

    #[test]
    fn random_csv_like_text_never_panics(
        text in "[a-c0-9,;\t\"\r\n ?.eE+-]{0,400}",
        forced in proptest::option::of(prop_oneof![Just(b','), Just(b';'), Just(b'\t')]),
    ) {
        let opts = LoadOptions { delimiter: forced, ..LoadOptions::default() };
        if let Ok(l) = load(text.as_bytes(), &opts) {
            prop_assert!(l.table.n_rows() > 0);
            for c in l.table.columns() {
                prop_assert_eq!(c.len(), l.table.n_rows());
            }
        }
    }

    #[test]
    fn random_shift_jis_text_never_panics(text in "[あ-んア-ン一-龥a-z0-9,\n]{0,200}") {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let _ = load(&bytes, &LoadOptions::default());
    }

    #[test]
    fn written_tables_read_back(
        rows in proptest::collection::vec(
            (any::<i32>(), -1e6f64..1e6, "[a-z]{1,6}", any::<bool>()), 1..60)
    ) {
        let mut csv = String::from("i,f,s\n");
        for (i, f, s, missing) in &rows {
            let f = if *missing { "?".to_string() } else { format!("{f}") };
            csv.push_str(&format!("{i},{f},\"{s}, x\"\n"));
        }
        let l = load(csv.as_bytes(), &LoadOptions::default()).unwrap();
        prop_assert_eq!(l.table.n_rows(), rows.len());
        let i = l.table.column("i").unwrap();
        let f = l.table.column("f").unwrap();
        let s = l.table.column("s").unwrap();
        for (r, (iv, fv, sv, missing)) in rows.iter().enumerate() {
            prop_assert_eq!(i.display(r), iv.to_string());
            prop_assert_eq!(f.is_missing(r), *missing);
            if !*missing {
                if let mlplay::engine::ColumnData::Numeric { values, .. } = &f.data {
                    prop_assert_eq!(values[r], *fv);
                }
            }
            prop_assert_eq!(s.display(r), format!("{sv}, x"));
        }
    }
}
