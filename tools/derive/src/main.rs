//! Derives bordermap's bundled layers under `assets/` from the source data folder
//! (`../shared/data` in the team's layout). Rerunnable by anyone:
//!
//! ```text
//! cargo run --release -p bordermap-derive -- ../shared/data assets
//! ```
//!
//! Each module derives one group of layers and returns the provenance text for them;
//! `main` writes `assets/PROVENANCE.md` from those sections.

mod basemap;
mod border;
mod events;
mod geom;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output) = match args.as_slice() {
        [input, output] => (PathBuf::from(input), PathBuf::from(output)),
        [input] => (PathBuf::from(input), PathBuf::from("assets")),
        _ => {
            eprintln!(
                "usage: bordermap-derive INPUT_DIR [OUTPUT_DIR]  (e.g. ../shared/data assets)"
            );
            return ExitCode::from(2);
        }
    };
    let mut sections = Vec::new();
    for step in [basemap::run, border::run, events::run] {
        match step(&input, &output) {
            Ok(section) => sections.push(section),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(1);
            }
        }
    }
    let provenance = format!(
        "# Bundled data: sources, licences and how each file was derived\n\n\
         Written by `tools/derive` (`cargo run --release -p bordermap-derive -- ../shared/data assets`); \
         do not edit by hand, rerun the tool.\n\n{}",
        sections.join("\n")
    );
    if let Err(err) = std::fs::write(output.join("PROVENANCE.md"), provenance) {
        eprintln!(
            "error: cannot write {}: {err}",
            output.join("PROVENANCE.md").display()
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
