//! The command line: open the viewer, or run a headless command (`check`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use bordermap::io::{ReadOptions, read_path, summary::summary};

/// A map viewer for the Kyrgyz–Tajik border conflict.
#[derive(Parser, Debug)]
#[command(
    name = "bordermap",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Extra layers to open in the viewer.
    files: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read layers and print a summary of each, or its errors.
    Check {
        /// Files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { files }) => check(&files),
        None => {
            eprintln!("bordermap: the viewer is not built yet; try `bordermap check FILE`");
            ExitCode::from(2)
        }
    }
}

/// `bordermap check`: exit 0 when every file read without error, 1 otherwise.
fn check(files: &[PathBuf]) -> ExitCode {
    let options = ReadOptions::default();
    let mut failed = false;
    for path in files {
        match read_path(path, &options) {
            Ok(layer) => {
                print!("{}", summary(&layer));
                failed |= layer.has_errors();
            }
            Err(problem) => {
                eprintln!("{problem}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
