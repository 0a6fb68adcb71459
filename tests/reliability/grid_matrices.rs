//! Guarantee 6 (stable half of the `grid` fuzz target): any matrix of cells a workbook may
//! hold goes through the grid interpretation without a panic, its findings located inside
//! the sheet.

use jury::core::grids::read_grid_sheet;
use jury::core::referential::Referential;
use jury::core::session::SessionConfig;
use jury::core::sheet::{Date, Sheet, Value};
use proptest::prelude::*;
use std::sync::LazyLock;

#[path = "../support/grid_inputs.rs"]
mod grid_inputs;
use grid_inputs::WORDS;

static CONTEXT: LazyLock<(Referential, SessionConfig)> =
    LazyLock::new(|| grid_inputs::context().unwrap());

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => Just(Value::Empty),
        6 => prop::sample::select(WORDS).prop_map(|w| Value::Text(w.into())),
        1 => any::<String>().prop_map(|s| Value::Text(s.into())),
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
