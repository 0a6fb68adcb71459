use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = jury::cli::Args::parse();
    ExitCode::from(jury::cli::run(args))
}
