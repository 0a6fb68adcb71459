//! Guarantee 6 (stable half of the `grid` fuzz target): any matrix of cells a workbook may
//! hold goes through the grid interpretation without a panic, its findings located inside
//! the sheet.

use jury::core::grids::read_grid_sheet;
use jury::core::referential::{Referential, BUILT_IN};
use jury::core::session::SessionConfig;
use jury::core::sheet::{Date, Sheet, Value};
use proptest::prelude::*;
use std::sync::LazyLock;

const SESSION: &str = r#"[session]
id = "FUZZ"
referential = "community-management"
date = 2026-11-27
place = "Lyon"
certifier = "Institut de test"

[[jury]]
name = "Claire Martin"
role = "Présidente du jury"

[[jury]]
name = "Paul Durand"
role = "Professionnel du secteur"
"#;

const WORDS: &[&str] = &[
    "N° candidat",
    "Nom",
    "Prénom",
    "Évaluateur :",
    "Évaluateur",
    "Critère",
    "Niveau",
    "Claire Martin",
    "Paul Durand",
    "Sophie",
    "2026001",
    "2026002",
    "Cr1.1",
    "Cr1.2",
    "Cr2",
    "Cr6.2",
    "C1",
    "Acquis",
    "Non acquis",
    "ABS",
    "abs",
    "NA",
    "A",
    "Observations",
    " ",
    "✓",
    "#N/A",
    "Cr1.1 – La cible",
    "cr 1.1",
    "Cr1.10",
    "N°",
    "\u{202E}",
    "=1+1",
    "Compétence",
];

static CONTEXT: LazyLock<(Referential, SessionConfig)> = LazyLock::new(|| {
    (
        Referential::parse(BUILT_IN[0].1, "built-in").unwrap(),
        SessionConfig::parse(SESSION, "session.toml").unwrap(),
    )
});

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => Just(Value::Empty),
        6 => prop::sample::select(WORDS).prop_map(|w| Value::Text(w.to_string())),
        1 => any::<String>().prop_map(Value::Text),
        1 => any::<f64>().prop_map(Value::Number),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => (1900i32..2100, 1u32..13, 1u32..29)
            .prop_map(|(year, month, day)| Value::Date(Date { year, month, day })),
        1 => Just(Value::Error("#DIV/0!".into())),
    ]
}

fn sheet() -> impl Strategy<Value = Sheet> {
    (
        prop::collection::vec(prop::collection::vec(value(), 0..18), 0..12),
        any::<bool>(),
        prop::collection::vec((0u32..12, 0u32..18), 0..4),
    )
        .prop_map(|(rows, hidden, formulas)| {
            let mut formulas = formulas;
            formulas.sort_unstable();
            formulas.dedup();
            Sheet {
                hidden,
                formulas,
                ..Sheet::new("Grille", rows)
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(1000)
    })]

    #[test]
    fn any_cell_matrix_is_interpreted_without_a_panic(sheet in sheet()) {
        let (referential, config) = &*CONTEXT;
        if let Some(grid) = read_grid_sheet(&sheet, "grilles/g.xlsx", "g", referential, config) {
            for finding in &grid.findings {
                prop_assert_eq!(finding.file.as_deref(), Some("grilles/g.xlsx"));
            }
        }
    }
}
