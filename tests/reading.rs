//! Business-export-shaped files, generated here: the encodings Excel writes, formatted numbers
//! and dates, checked for decoded headers, kinds, conversions and notes. Also a corpus that
//! measures how often the Shift_JIS second look mistakes another encoding for Shift_JIS.
#![cfg(not(target_arch = "wasm32"))]

use mlplay::engine::{load, Kind, LoadOptions, Loaded};

/// A sales export as a Japanese office writes it: Japanese headers, values mostly ASCII (IDs,
/// codes, prices with separators, rates, dates), a free-text note column that is mostly empty
/// and two trailing empty columns (a sheet whose used range was wider than the data).
fn sales_rows(rows: usize, japanese_note_every: usize) -> String {
    sales_rows_split_by(rows, japanese_note_every, ',')
}

fn sales_rows_split_by(rows: usize, japanese_note_every: usize, sep: char) -> String {
    let mut s = String::from("顧客ID,地域コード,売上,割引率,登録日,メモ,,\r\n")
        .replace(',', &sep.to_string());
    for i in 0..rows {
        let note = if japanese_note_every > 0 && i % japanese_note_every == 0 {
            "要確認"
        } else {
            ""
        };
        s.push_str(&format!(
            "C{:05}{sep}R{}{sep}\"{},{:03}\"{sep}{}%{sep}2024/{}/{}{sep}{}{sep}{sep}\r\n",
            10_000 + i * 7,
            i % 5,
            1 + i % 90,
            (i * 37) % 1000,
            (i * 3) % 40,
            1 + i % 12,
            1 + i % 28,
            note
        ));
    }
    s
}

fn read(bytes: &[u8]) -> Loaded {
    load(bytes, &LoadOptions::default()).expect("reads")
}

fn names(l: &Loaded) -> Vec<&str> {
    l.table.columns().iter().map(|c| c.name.as_str()).collect()
}

#[test]
fn excel_cp932_with_little_japanese_text_is_shift_jis() {
    // Only the headers are Japanese: chardetng alone guessed IBM866 here.
    for (rows, every) in [(300, 0), (300, 100), (20, 0), (2000, 0)] {
        let text = sales_rows(rows, every);
        let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!bad);
        let l = read(&bytes);
        assert_eq!(
            l.report.encoding, "Shift_JIS",
            "{rows} rows, note every {every}"
        );
        assert_eq!(
            names(&l)[..6],
            ["顧客ID", "地域コード", "売上", "割引率", "登録日", "メモ"]
        );
        assert_eq!(l.table.n_rows(), rows);
    }
}

/// Header rows of real-looking exports with few Japanese characters each.
const FEW_JAPANESE_HEADERS: &[&str] = &[
    "日付,商品,数量,金額",
    "No,氏名,age,score",
    "id,date,amount,区分",
    "店舗,sales,visitors,rate",
    "ID,名前",
    "コード,price,qty",
];

#[test]
fn excel_cp932_with_few_japanese_headers_is_shift_jis() {
    let mut wrong = Vec::new();
    for header in FEW_JAPANESE_HEADERS {
        let ncols = header.split(',').count();
        let mut s = format!("{header}\r\n");
        for i in 0..300 {
            let row: Vec<String> = (0..ncols).map(|j| format!("{}", i * 7 + j * 13)).collect();
            s.push_str(&row.join(","));
            s.push_str("\r\n");
        }
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&s);
        let l = read(&bytes);
        if l.report.encoding != "Shift_JIS" || names(&l).join(",") != *header {
            wrong.push(format!("{header}: {} {:?}", l.report.encoding, names(&l)));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn excel_cp932_one_japanese_header_among_ascii_ones() {
    let mut s = String::from("id,price,qty,区分\r\n");
    for i in 0..200 {
        s.push_str(&format!("{i},{}.5,{},A{}\r\n", i * 3, i % 7, i % 4));
    }
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&s);
    let l = read(&bytes);
    assert_eq!(l.report.encoding, "Shift_JIS");
    assert_eq!(names(&l)[3], "区分");
}

#[test]
fn excel_csv_utf8_with_bom_and_without() {
    let text = sales_rows(50, 10);
    let mut b = vec![0xEF, 0xBB, 0xBF];
    b.extend_from_slice(text.as_bytes());
    let l = read(&b);
    assert_eq!(l.report.encoding, "UTF-8");
    assert!(l.report.had_bom);
    assert_eq!(names(&l)[0], "顧客ID");
    let l = read(text.as_bytes());
    assert_eq!(l.report.encoding, "UTF-8");
    assert!(!l.report.had_bom);
    assert_eq!(names(&l)[0], "顧客ID");
}

/// Excel's "Unicode text": UTF-16 with a BOM, tab-delimited, CRLF.
fn unicode_text(le: bool) -> Vec<u8> {
    let text = sales_rows_split_by(40, 5, '\t');
    let mut b = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        b.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    b
}

#[test]
fn excel_unicode_text_utf16_tab_delimited() {
    for le in [true, false] {
        let l = read(&unicode_text(le));
        assert_eq!(l.report.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
        assert_eq!(l.report.delimiter, b'\t');
        assert_eq!(names(&l)[..3], ["顧客ID", "地域コード", "売上"]);
        assert_eq!(l.table.n_rows(), 40);
    }
}

#[test]
fn euc_jp_keeps_working() {
    let text = sales_rows(100, 3);
    let (bytes, _, _) = encoding_rs::EUC_JP.encode(&text);
    let l = read(&bytes);
    assert_eq!(l.report.encoding, "EUC-JP");
    assert_eq!(names(&l)[0], "顧客ID");
    let memo = l.table.column("メモ").unwrap();
    assert_eq!(memo.display(0), "要確認");
}

#[test]
fn forcing_an_encoding_still_wins() {
    let text = sales_rows(30, 0);
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let opts = LoadOptions {
        encoding: Some("windows-1252".into()),
        ..LoadOptions::default()
    };
    let l = load(&bytes, &opts).unwrap();
    assert_eq!(l.report.encoding, "windows-1252");
    assert_ne!(names(&l)[0], "顧客ID");
}

/// Western words with accents, the way a Latin-1 / Windows-1252 export spells them.
const WESTERN: &[&str] = &[
    "Müller",
    "Zürich",
    "Größe",
    "Straße",
    "café",
    "crème brûlée",
    "José",
    "São Paulo",
    "Málaga",
    "niño",
    "Ærø",
    "Øresund",
    "garçon",
    "Français",
    "élève",
    "Köln",
    "Düsseldorf",
    "Bärbel",
    "Ångström",
    "piñata",
    "façade",
    "naïve",
    "Señor",
    "Göteborg",
    "Jürgen",
    "Éric",
    "Ítalo",
    "Über",
    "Fußball",
    "Ägypten",
];

/// A small deterministic generator, so that the corpus is the same on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn western_file(rng: &mut Lcg, rows: usize, curly: bool) -> String {
    let mut s = String::from("name,city,amount\r\n");
    for _ in 0..rows {
        let a = WESTERN[rng.next(WESTERN.len())];
        let b = WESTERN[rng.next(WESTERN.len())];
        if curly {
            s.push_str(&format!("“{a}”,{b} – €,{}\r\n", rng.next(1000)));
        } else {
            s.push_str(&format!("{a},{b},{}\r\n", rng.next(1000)));
        }
    }
    s
}

/// The false-positive corpus: 2,400 generated Western files (1 to 200 rows) in Latin-1 and
/// Windows-1252, plus UTF-8, UTF-16 and EUC-JP files. None may be read as Shift_JIS.
#[test]
fn shift_jis_second_look_has_no_false_positives_on_the_corpus() {
    let mut rng = Lcg(12);
    let mut total = 0;
    // Western files that happen to decode as Shift_JIS without an error: the cases where the
    // lead-byte check, not the strict decode, keeps them Western.
    let mut decodable = 0;
    let mut wrong = Vec::new();
    for i in 0..2400 {
        let rows = 1 + i % 200;
        let curly = i % 2 == 1;
        let text = western_file(&mut rng, rows, curly);
        // Windows-1252 is Latin-1 plus curly quotes, dashes and € in 0x80–0x9F: the plain
        // files hold only letters the two share, so they are Latin-1 files too.
        let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(!bad);
        total += 1;
        if encoding_rs::SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .is_some()
        {
            decodable += 1;
        }
        let l = read(&bytes);
        if l.report.encoding == "Shift_JIS" {
            wrong.push((i, text.lines().nth(1).unwrap_or("").to_string()));
        } else if !text.starts_with(names(&l)[0]) {
            wrong.push((i, format!("header {:?}", names(&l))));
        }
    }
    for i in 0..50 {
        let text = sales_rows(10 + i * 7, 1 + i % 4);
        let (euc, _, _) = encoding_rs::EUC_JP.encode(&text);
        assert_eq!(read(&euc).report.encoding, "EUC-JP", "EUC-JP file {i}");
        assert_eq!(read(text.as_bytes()).report.encoding, "UTF-8");
        let utf16 = unicode_text(i % 2 == 0);
        assert!(read(&utf16).report.encoding.starts_with("UTF-16"));
        total += 3;
    }
    println!(
        "Shift_JIS second look: {} false positives in {total} files \
         ({decodable} Western files decode as Shift_JIS without an error)",
        wrong.len()
    );
    assert!(wrong.is_empty(), "read as Shift_JIS: {wrong:?}");
}

#[test]
fn western_file_with_few_accents_keeps_its_encoding() {
    let text = "name,city\r\nJosé,Málaga\r\nAnne,Paris\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let l = read(&bytes);
    // chardetng may name a sibling code page (windows-1250 spells é and á the same way).
    assert_ne!(l.report.encoding, "Shift_JIS");
    assert_eq!(l.table.column("name").unwrap().display(0), "José");
    assert_eq!(l.table.column("city").unwrap().display(0), "Málaga");
}

/// The kinds the reader gives each column of the sales export, and the notes it writes.
#[test]
fn sales_export_columns_get_their_kinds_and_conversion_notes() {
    let text = sales_rows(300, 50);
    let (cp932, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend_from_slice(text.as_bytes());
    for bytes in [cp932.to_vec(), utf8_bom, unicode_text(true)] {
        let l = read(&bytes);
        let kind = |name: &str| l.table.column(name).unwrap().kind();
        assert_eq!(kind("顧客ID"), Kind::Categorical);
        assert_eq!(kind("地域コード"), Kind::Categorical);
        assert_eq!(kind("売上"), Kind::Numeric);
        assert_eq!(kind("割引率"), Kind::Numeric);
        assert_eq!(kind("登録日"), Kind::Date);
        assert_eq!(kind("メモ"), Kind::Categorical);
        // The two trailing empty columns: pandas' names, no values.
        assert_eq!(names(&l)[6..], ["Unnamed: 6", "Unnamed: 7"]);
        assert_eq!(l.table.column("Unnamed: 7").unwrap().non_null(), 0);
        let sales = l.table.column("売上").unwrap();
        assert_eq!(sales.display(1), "2037"); // "2,037"
        let rate = l.table.column("割引率").unwrap();
        assert_eq!(rate.display(1), "0.03"); // "3%"
        assert_eq!(l.table.column("登録日").unwrap().display(1), "2024-02-02");
        let conv: Vec<(&str, u64, u64, u64)> = l
            .report
            .conversions
            .iter()
            .map(|c| (c.column.as_str(), c.cells, c.thousands, c.percent))
            .collect();
        let n = l.table.n_rows() as u64;
        assert_eq!(conv, [("売上", n, n, 0), ("割引率", n, 0, n)]);
        let en = mlplay::i18n::conversion_note(mlplay::i18n::Lang::En, &l.report.conversions[1]);
        assert!(
            en.contains("“割引率”") && en.contains(&format!("{n} cells")) && en.contains("0.87")
        );
        let ja = mlplay::i18n::conversion_note(mlplay::i18n::Lang::Ja, &l.report.conversions[0]);
        assert!(
            ja.starts_with("「売上」を数値として読み込みました。"),
            "{ja}"
        );
        assert!(ja.contains(&format!("桁区切り {n} 個")), "{ja}");
    }
}

/// Currency, full-width digits, signs and date-times the way Japanese ledgers write them.
#[test]
fn ledger_with_currency_fullwidth_digits_and_datetimes() {
    let mut s = String::from("伝票番号,金額,数量,前年比,計上日時,摘要\r\n");
    for i in 0..120 {
        s.push_str(&format!(
            "{},\"{}\",{},{},2023/{}/{} {}:{:02},{}\r\n",
            900_000 + i,
            if i % 2 == 0 {
                format!("¥{},{:03}", 1 + i, i * 3 % 1000)
            } else {
                format!("{}円", 500 + i)
            },
            // Full-width digits, as typed with a Japanese input method.
            (i % 9 + 1)
                .to_string()
                .chars()
                .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                .collect::<String>(),
            if i % 3 == 0 {
                format!("+{}.5%", i % 20)
            } else {
                format!("-{}%", i % 7)
            },
            1 + i % 12,
            1 + i % 27,
            i % 24,
            i % 60,
            ["定例", "臨時支払い（要承認）", "振替"][i % 3],
        ));
    }
    // Excel writes ¥ as byte 0x5C in CP932, which decodes as a backslash: "\1,000".
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&s);
    assert!(bytes.contains(&0x5C));
    let l = read(&bytes);
    assert_eq!(l.report.encoding, "Shift_JIS");
    let kind = |name: &str| l.table.column(name).unwrap().kind();
    assert_eq!(kind("伝票番号"), Kind::Numeric);
    assert_eq!(kind("金額"), Kind::Numeric);
    assert_eq!(kind("数量"), Kind::Numeric);
    assert_eq!(kind("前年比"), Kind::Numeric);
    assert_eq!(kind("計上日時"), Kind::Date);
    assert_eq!(kind("摘要"), Kind::Categorical);
    let col = |name: &str| l.table.column(name).unwrap();
    assert_eq!(col("金額").display(0), "1000");
    assert_eq!(col("金額").display(1), "501");
    assert_eq!(col("数量").display(0), "1");
    assert_eq!(col("前年比").display(0), "0.005");
    assert_eq!(col("前年比").display(1), "-0.01");
    assert_eq!(col("計上日時").display(1), "2023-02-02 01:01:00");
    let c = |name: &str| {
        l.report
            .conversions
            .iter()
            .find(|c| c.column == name)
            .cloned()
            .unwrap()
    };
    assert_eq!((c("金額").cells, c("金額").currency), (120, 120));
    assert_eq!(c("金額").thousands, 60);
    assert_eq!((c("数量").cells, c("数量").fullwidth), (120, 120));
    assert_eq!(c("前年比").percent, 120);
    let summary = mlplay::engine::data::summary::describe(&l.table);
    let dates = &summary.dates[0];
    assert_eq!(dates.name, "計上日時");
    assert_eq!(dates.count, 120);
    assert_eq!(dates.min.as_deref(), Some("2023-01-01 00:00:00"));
    assert_eq!(dates.max.as_deref(), Some("2023-12-27 11:47:00"));
}

/// A small sales file whose target depends on the date: prices, dates and a region.
fn dated_sales(rows: usize) -> String {
    let mut s = String::from("region,price,sold,amount\n");
    for i in 0..rows {
        let (y, m, d) = (2021 + i % 4, 1 + (i * 5) % 12, 1 + (i * 11) % 28);
        let sold = if i % 13 == 0 {
            String::new()
        } else {
            format!("{y}/{m}/{d}")
        };
        let price = 100 + (i * 37) % 900;
        s.push_str(&format!(
            "{},\"{},{:03}\",{sold},{}\n",
            ["north", "south", "east"][i % 3],
            1 + price / 1000,
            price % 1000,
            price * 3 + 250 * (y - 2021) + 10 * m + (i * 7919) % 97
        ));
    }
    s
}

#[test]
fn date_features_reach_the_model_file_and_predict() {
    use mlplay::engine::model_file::{ModelFile, Predictions};
    use mlplay::engine::pipeline::preprocess::Feature;
    use mlplay::engine::pipeline::recipe::{run, Recipe};

    let l = read(dated_sales(200).as_bytes());
    assert_eq!(l.table.column("sold").unwrap().kind(), Kind::Date);
    let recipe = Recipe::from_json(
        r#"{"version": 1, "target": "amount", "task": "regression",
            "models": [{"kind": "linear_regression"}]}"#,
    )
    .unwrap();
    assert_eq!(recipe.date_parts.len(), 4);
    let result = run(&l.table, &recipe, &mut |_| {}).unwrap();
    let pre = &result.preprocessor;
    assert_eq!(
        pre.output_names,
        [
            "price",
            "sold_year",
            "sold_month",
            "sold_dayofweek",
            "sold_days",
            "region"
        ]
    );
    // The origin is the earliest training date, so a training row's day count is ≥ 0.
    let Feature::Date { origin, .. } = &pre.features[1] else {
        panic!("{:?}", pre.features[1]);
    };
    let prepared = mlplay::engine::pipeline::recipe::prepare(&l.table, &recipe).unwrap();
    let train_days = prepared.train.iter().filter_map(|&r| {
        let v = match &l.table.column("sold").unwrap().data {
            mlplay::engine::ColumnData::Date { values, .. } => values[r],
            _ => unreachable!(),
        };
        (!v.is_nan()).then(|| (v / 86_400.0).floor())
    });
    assert_eq!(train_days.fold(f64::INFINITY, f64::min), *origin);
    // The date explains most of the trend that price leaves over.
    let r2 = match &result.models[0].test {
        mlplay::engine::pipeline::recipe::Metrics::Regression(m) => m.r2,
        m => panic!("{m:?}"),
    };
    assert!(r2 > 0.9, "{r2}");

    // Through the model file and back, as `mlplay predict` and the server use it.
    let file = ModelFile::from_run(&result, &recipe, 0).unwrap();
    let back = ModelFile::from_json(&file.to_json().unwrap()).unwrap();
    assert!(back.is_date_input("sold"));
    let fresh = read(dated_sales(30).as_bytes());
    let Predictions::Values(p) = back.predict(&fresh.table).unwrap() else {
        panic!("regression");
    };
    let direct = result.predict(&fresh.table, 5).unwrap()[0].1;
    assert!((p[5] - direct).abs() < 1e-9 * direct.abs());
    // JSON rows: a date as text; null is imputed; a word is a clear error.
    let rows: Vec<serde_json::Value> = serde_json::from_str(
        r#"[{"region": "north", "price": 500, "sold": "2023-04-01"},
            {"region": "east", "price": 200, "sold": null},
            {"region": "east", "price": 200, "sold": "2023年4月1日"}]"#,
    )
    .unwrap();
    let t = back.table_from_json_rows(&rows).unwrap();
    assert!(back.predict(&t).is_ok());
    assert_eq!(
        t.column("sold").unwrap().display(2),
        t.column("sold").unwrap().display(0)
    );
    let bad: Vec<serde_json::Value> =
        serde_json::from_str(r#"[{"region": "north", "price": 5, "sold": "soon"}]"#).unwrap();
    let e = back.table_from_json_rows(&bad).unwrap_err();
    assert!(e.to_string().contains("expected a date"), "{e}");
    // A file whose date column came back as text is refused with the kind-changed error.
    let text = read(b"region,price,sold,amount\nnorth,5,soon,1\n");
    assert!(matches!(
        back.predict(&text.table),
        Err(mlplay::engine::Error::ColumnKindChanged { .. })
    ));
}

#[test]
fn the_diagnosis_leaves_dates_and_converted_numbers_out_of_pairings() {
    use mlplay::engine::diagnose::{analyze, AnalysisConfig};
    let l = read(dated_sales(300).as_bytes());
    let a = analyze(&l.table, &AnalysisConfig::new("amount")).unwrap();
    // The date is neither a category (no Cramér's V) nor a number (no correlation).
    let text = serde_json::to_string(&a.cramers_v).unwrap();
    assert!(!text.contains("sold"), "{text}");
    assert!(!serde_json::to_string(&a.numeric_corr)
        .unwrap()
        .contains("sold"));
    // price ("1,137") is a number now, so it is correlated, not paired as a category.
    assert!(serde_json::to_string(&a.numeric_corr)
        .unwrap()
        .contains("price"));
    assert!(!text.contains("price"), "{text}");
    let drops: Vec<String> = a
        .findings
        .iter()
        .map(|f| format!("{:?}", f.kind))
        .filter(|k| k.contains("sold") || k.contains("price"))
        .collect();
    assert!(drops.is_empty(), "{drops:?}");
}

#[test]
fn mlplay_info_shows_conversions_dates_and_keeps_text_on_request() {
    let dir = std::env::temp_dir().join(format!("mlplay-reading-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sales.csv");
    std::fs::write(&path, dated_sales(50)).unwrap();
    let info = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay"))
            .arg("info")
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let text = info(&[]);
    assert!(
        text.contains("note: “price” was read as numbers: 50 cells were converted (thousands separators in 50)."),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("sold") && l.contains("date")),
        "{text}"
    );
    assert!(
        text.contains("2021-01-05") && text.contains("2024-12-26"),
        "{text}"
    );
    let kept = info(&["--keep-text", "price"]);
    assert!(!kept.contains("note:"), "{kept}");
    assert!(
        kept.lines()
            .any(|l| l.contains("price") && l.contains("categorical")),
        "{kept}"
    );
    let json: serde_json::Value = serde_json::from_str(&info(&["--json"])).unwrap();
    assert_eq!(json["conversions"][0]["column"], "price");
    assert_eq!(json["describe"]["dates"][0]["name"], "sold");
    std::fs::remove_dir_all(&dir).ok();
}
