//! The floor for reading a session: calamine reads every workbook of a session folder and
//! nothing else is done. `benches/bench.sh` compares `jury check` with it.
//!
//! ```text
//! cargo run --release --example read_floor -- SESSION
//! ```

use std::path::Path;
use std::process::ExitCode;

use calamine::{open_workbook_auto, Data, Reader};

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: read_floor SESSION");
        return ExitCode::from(2);
    };
    let mut files = vec![
        Path::new(&dir).join("candidats.xlsx"),
        Path::new(&dir).join("deliberation.xlsx"),
    ];
    if let Ok(entries) = std::fs::read_dir(Path::new(&dir).join("grilles")) {
        files.extend(entries.filter_map(Result::ok).map(|e| e.path()));
    }
    let mut cells = 0usize;
    for file in files.iter().filter(|f| f.is_file()) {
        let Ok(mut workbook) = open_workbook_auto(file) else {
            continue;
        };
        for name in workbook.sheet_names() {
            if let Ok(range) = workbook.worksheet_range(&name) {
                cells += range
                    .used_cells()
                    .filter(|(_, _, d)| !matches!(d, Data::Empty))
                    .count();
            }
        }
    }
    println!("{cells} cells");
    ExitCode::SUCCESS
}
