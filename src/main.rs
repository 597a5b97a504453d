//! The command line: open the viewer, or run a headless command (`check`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use bordermap::io::{ReadOptions, read_layers, summary::summary};

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
    /// Basemap: offline (default), osm, topo, imagery, an XYZ template or a .pmtiles file.
    #[arg(long)]
    basemap: Option<String>,
    /// Open at a saved view (a view file: centre, zoom, time, layers, selection).
    #[arg(long)]
    view: Option<PathBuf>,
    /// The interface's language: en or ru (default: the one picked in the window, else the
    /// system's).
    #[arg(long)]
    lang: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read layers and print a summary of each, or its errors.
    Check {
        /// Files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Render the map headless to a PNG (or one PNG per step of an animation).
    Export(Box<bordermap::export::cli::ExportArgs>),
    /// Write the features the same options would show, as GeoJSON or CSV.
    Extract(Box<bordermap::export::extract::ExtractArgs>),
}

fn main() -> ExitCode {
    bordermap::allocator::set_up();
    let logger =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).build();
    let level = logger.filter();
    // Counts the basemap's tile failures for the status line, and logs as usual.
    let _ = bordermap::map::online::FailureTap::install(Box::new(logger), level);
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { files }) => check(&files),
        Some(Command::Export(args)) => export(&args),
        Some(Command::Extract(args)) => extract(&args),
        None => {
            let basemap = match cli
                .basemap
                .as_deref()
                .map(bordermap::map::online::BasemapSpec::parse)
            {
                Some(Err(e)) => {
                    eprintln!("bordermap: bad --basemap: {e}");
                    return ExitCode::from(2);
                }
                Some(Ok(spec)) => Some(spec),
                None => None,
            };
            let view = match cli.view.as_deref().map(bordermap::views::SavedView::read) {
                Some(Err(e)) => {
                    eprintln!("bordermap: bad --view: {e}");
                    return ExitCode::from(2);
                }
                Some(Ok(view)) => Some(view),
                None => None,
            };
            let lang = match cli.lang.as_deref().map(parse_lang) {
                Some(Err(e)) => {
                    eprintln!("bordermap: bad --lang: {e}");
                    return ExitCode::from(2);
                }
                Some(Ok(lang)) => Some(lang),
                None => None,
            };
            bordermap::i18n::set_default_lang(
                lang.unwrap_or_else(bordermap::i18n::Lang::from_system),
            );
            viewer(cli.files, basemap, view, lang)
        }
    }
}

/// The window's graphics backends: Vulkan (Metal, DX12) alone when it has an adapter, so that
/// OpenGL is not opened as well just to be listed (Mesa's GL driver and a context: about 10
/// MB of the window on this machine); OpenGL too when it has none. `WGPU_BACKEND` (e.g.
/// `gl`) chooses instead.
fn window_wgpu_options() -> eframe::egui_wgpu::WgpuConfiguration {
    use eframe::egui_wgpu::{WgpuConfiguration, WgpuSetup, WgpuSetupCreateNew};
    use eframe::wgpu::{Backends, Instance};
    let mut options = WgpuConfiguration {
        // One frame queued, not two: a map redraws on input. On a GPU whose swapchain can be
        // two images that is one image fewer; Mesa's lavapipe asks for three anyway.
        surface: eframe::egui_wgpu::SurfaceConfig::LOW_LATENCY,
        ..WgpuConfiguration::default()
    };
    if std::env::var_os("WGPU_BACKEND").is_some() {
        return options;
    }
    let primary = || {
        let mut setup = WgpuSetupCreateNew::without_display_handle();
        setup.instance_descriptor.backends = Backends::PRIMARY;
        setup
    };
    let probe = Instance::new(primary().instance_descriptor);
    let found = ready(probe.enumerate_adapters(Backends::PRIMARY)).is_some_and(|a| !a.is_empty());
    drop(probe);
    if found {
        options.wgpu_setup = WgpuSetup::CreateNew(primary());
    }
    options
}

/// The value of a future that needs no waiting (native wgpu's listing of adapters), or
/// `None` if it would wait.
fn ready<F: std::future::Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(value) => Some(value),
        std::task::Poll::Pending => None,
    }
}

/// Opens the viewer on the bundled data plus `files`, restoring the last session.
fn viewer(
    files: Vec<PathBuf>,
    basemap: Option<bordermap::map::online::BasemapSpec>,
    view: Option<bordermap::views::SavedView>,
    lang: Option<bordermap::i18n::Lang>,
) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("bordermap — Kyrgyz–Tajik border")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([900.0, 600.0]),
        persist_window: true,
        wgpu_options: window_wgpu_options(),
        ..Default::default()
    };
    let result = eframe::run_native(
        "bordermap",
        options,
        Box::new(move |_cc| {
            let store = bordermap::session::SessionStore::default_location();
            let mut app = bordermap::app::App::new(store);
            if let Some(spec) = basemap {
                app = app.with_basemap(spec);
            }
            if let Some(lang) = lang {
                app.push(bordermap::command::Command::SetLanguage(lang));
            }
            if !files.is_empty() {
                app.push(bordermap::command::Command::Open(files));
            }
            if let Some(view) = view {
                use bordermap::command::{Command, ViewCommand};
                app.push(Command::View(ViewCommand::Apply(Box::new(view))));
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bordermap: cannot open the window: {e}");
            ExitCode::from(1)
        }
    }
}

/// `bordermap export`: 0 written, 1 a file could not be read or written, 2 bad arguments.
fn export(args: &bordermap::export::cli::ExportArgs) -> ExitCode {
    use bordermap::export::cli::{Failure, run};
    let lang = match args.lang.as_deref().map(parse_lang) {
        Some(Err(e)) => return exit_with("export", Failure::Usage(format!("bad --lang: {e}"))),
        Some(Ok(lang)) => lang,
        None => bordermap::i18n::Lang::from_system(),
    };
    bordermap::i18n::set_default_lang(lang);
    let view = match args.view_file() {
        Ok(view) => view,
        Err(Failure::Read(message)) => {
            return exit_with(
                "export",
                Failure::Read(format!("cannot read --view {message}")),
            );
        }
        Err(failure) => return exit_with("export", failure),
    };
    let plan = match args.plan_with(view.as_ref()) {
        Ok(plan) => plan,
        Err(message) => return exit_with("export", Failure::Usage(message)),
    };
    match run(&plan) {
        Ok(lines) => {
            for line in lines {
                eprintln!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(failure) => exit_with("export", failure),
    }
}

/// A headless command's failure: 1 for a file that could not be read or written (the
/// message names it), 2 for bad arguments.
fn exit_with(command: &str, failure: bordermap::export::cli::Failure) -> ExitCode {
    use bordermap::export::cli::Failure;
    match failure {
        Failure::Read(message) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
        Failure::Usage(message) => {
            eprintln!("bordermap {command}: {message}");
            ExitCode::from(2)
        }
    }
}

/// `bordermap extract`: 0 written, 1 a layer could not be read or the file not written, 2 bad
/// arguments.
fn extract(args: &bordermap::export::extract::ExtractArgs) -> ExitCode {
    match bordermap::export::extract::run(args) {
        Ok(line) => {
            eprintln!("{line}");
            ExitCode::SUCCESS
        }
        Err(failure) => exit_with("extract", failure),
    }
}

/// A `--lang` value: a language bordermap has.
fn parse_lang(text: &str) -> Result<bordermap::i18n::Lang, String> {
    bordermap::i18n::Lang::parse(text).ok_or_else(|| {
        let known: Vec<&str> = bordermap::i18n::Lang::ALL
            .iter()
            .map(|l| l.code())
            .collect();
        format!("'{text}' (known: {})", known.join(", "))
    })
}

/// `bordermap check`: exit 0 when every file read without error, 1 otherwise.
fn check(files: &[PathBuf]) -> ExitCode {
    let options = ReadOptions::default();
    let mut failed = false;
    for path in files {
        match read_layers(path, &options) {
            Ok(layers) => {
                for layer in layers {
                    print!("{}", summary(&layer));
                    failed |= layer.has_errors();
                }
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
