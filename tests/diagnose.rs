//! The diagnosis of the bundled house prices: the thin Alley pairs are shown with what they
//! rest on and drop nothing.
#![cfg(not(target_arch = "wasm32"))]

use mlplay::engine::diagnose::{analyze, AnalysisConfig, FindingAction, FindingKind};
use mlplay::engine::{load, LoadOptions};

#[test]
fn the_house_prices_keep_neighborhood_and_say_what_alley_rests_on() {
    let bytes = std::fs::read("datasets/ames.csv").unwrap();
    let t = load(&bytes, &LoadOptions::default()).unwrap().table;
    let a = analyze(&t, &AnalysisConfig::new("SalePrice")).unwrap();
    let drops: Vec<&str> = a
        .findings
        .iter()
        .filter_map(|f| match &f.action {
            Some(FindingAction::Exclude(c)) => Some(c.as_str()),
            _ => None,
        })
        .collect();
    assert!(!drops.contains(&"Neighborhood"), "{drops:?}");
    // Nor anything else for what it does on Alley's 198 rows (93 % of the rows lack Alley).
    for col in ["BldgType", "GarageFinish", "ExterQual", "Foundation"] {
        assert!(!drops.contains(&col), "{col}: {drops:?}");
    }
    // The pair the notebook dropped Neighborhood for is shown, with what it rests on.
    let pair = a
        .cramers_v
        .unreliable
        .iter()
        .find(|p| {
            (p.a == "Neighborhood" && p.b == "Alley") || (p.a == "Alley" && p.b == "Neighborhood")
        })
        .expect("the Alley–Neighborhood pair is listed as unreliable");
    assert_eq!(pair.n, 198);
    assert!(pair.v > a.cramers_v.threshold, "{pair:?}");
    assert!(a
        .findings
        .iter()
        .any(|f| matches!(&f.kind, FindingKind::ThinAssociation { n: 198, .. })));
    // Every drop for an association rests on a reliable pair.
    for f in &a.findings {
        if let FindingKind::Associated { drop, keep, .. } = &f.kind {
            assert!(a
                .cramers_v
                .pairs
                .iter()
                .any(|p| &p.a == keep && &p.b == drop && p.reliable));
        }
    }
    let en = mlplay::i18n::finding_text(
        mlplay::i18n::Lang::En,
        &a.findings
            .iter()
            .find(|f| matches!(f.kind, FindingKind::ThinAssociation { n: 198, .. }))
            .unwrap()
            .kind,
    );
    assert!(en.contains("198 rows where both are present"), "{en}");
}
