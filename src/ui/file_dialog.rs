//! Native file dialogs (rfd, through the desktop portal) on their own thread, so the window
//! keeps drawing while one is open. Where the desktop has no portal, rfd answers `None`
//! exactly as for Cancel: the typed path and drag-and-drop always remain.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

pub use crate::command::Purpose;

/// A dialog that is open.
pub struct Asked {
    /// What for.
    pub purpose: Purpose,
    answer: Receiver<Vec<PathBuf>>,
}

impl Asked {
    /// Opens the dialog for `purpose`; `wake` is called when it closes.
    pub fn new(purpose: Purpose, wake: impl Fn() + Send + 'static) -> Self {
        let (tx, answer) = channel();
        let spawned = std::thread::Builder::new()
            .name("file dialog".into())
            .spawn(move || {
                let picked: Vec<PathBuf> = match purpose {
                    Purpose::OpenLayers => rfd::FileDialog::new()
                        .set_title("Open layers")
                        .add_filter(
                            "Layers",
                            &[
                                "geojson",
                                "json",
                                "geojsons",
                                "geojsonl",
                                "geojsonseq",
                                "ndjson",
                                "jsonl",
                                "kml",
                                "kmz",
                                "csv",
                                "tsv",
                                "fgb",
                            ],
                        )
                        .pick_files()
                        .unwrap_or_default(),
                    Purpose::SaveExport => rfd::FileDialog::new()
                        .set_title("Export map as PNG")
                        .add_filter("PNG image", &["png"])
                        .set_file_name("bordermap-export.png")
                        .save_file()
                        .into_iter()
                        .collect(),
                };
                let _ = tx.send(picked);
                wake();
            });
        if let Err(e) = spawned {
            log::warn!("cannot open a file dialog: {e}");
        }
        Self { purpose, answer }
    }

    /// `Some(paths)` once the dialog has closed (empty when cancelled or unavailable).
    pub fn poll(&self) -> Option<Vec<PathBuf>> {
        match self.answer.try_recv() {
            Ok(paths) => Some(paths),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Vec::new()),
        }
    }
}
