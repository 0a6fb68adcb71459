//! Cell matrices → grid interpretation (`core::grids::read_grid_sheet`) with the built-in
//! referential: any sheet a workbook may hold gives findings, never a panic. The bytes
//! choose the cells from a vocabulary of headers, ids, levels and odd values, so that the
//! fuzzer builds plausible grids quickly.
#![no_main]

use jury::core::grids::read_grid_sheet;
use jury::core::sheet::{Date, Sheet, Value};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/grid_inputs.rs"]
mod grid_inputs;
use grid_inputs::{context, WORDS};

fn cell(byte: u8, next: u8) -> Value {
    match byte % 8 {
        0 => Value::Empty,
        1 => Value::Number(f64::from(next) - 1.0),
        2 => Value::Bool(next % 2 == 0),
        3 => Value::Date(Date {
            year: 1990 + i32::from(next),
            month: u32::from(next % 13),
            day: u32::from(next % 32),
        }),
        4 => Value::Error("#N/A".into()),
        _ => Value::Text(WORDS[usize::from(next) % WORDS.len()].into()),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((referential, config)) = context() else {
        return;
    };
    // 0xFF ends a row; every other pair of bytes is a cell.
    let mut rows = vec![Vec::new()];
    let mut bytes = data.iter().copied();
    while let Some(b) = bytes.next() {
        if b == 0xFF {
            rows.push(Vec::new());
        } else if let Some(last) = rows.last_mut() {
            last.push(cell(b, bytes.next().unwrap_or(0)));
        }
    }
    let sheet = Sheet::new("Grille", rows);
    let _ = read_grid_sheet(&sheet, "grilles/grille-fuzz.xlsx", "grille-fuzz", &referential, &config);
});
