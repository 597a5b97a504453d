//! Loading layers in the background: each file is read on its own thread while the window
//! goes on; progress (bytes read of the file's size) and cancelling go through shared atomics,
//! and the finished layer (or the problem that stopped it) comes back over a channel that
//! the app polls at the start of a frame. No GUI types here: the waker is a plain callback.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::{ReadOptions, file_error, read_layers_from};
use crate::model::{Layer, Problem};

/// Shared between a loading thread and the UI.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes read so far.
    pub read: AtomicU64,
    /// Size of the file.
    pub total: AtomicU64,
    /// Set by the UI to stop the load.
    pub cancel: AtomicBool,
}

impl Progress {
    /// Fraction read, 0..=1.
    pub fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed).max(1);
        (self.read.load(Ordering::Relaxed) as f64 / total as f64).clamp(0.0, 1.0) as f32
    }
}

/// A reader that counts what passes and stops when cancelled.
pub struct Counting<R> {
    inner: R,
    progress: Arc<Progress>,
}

impl<R> Counting<R> {
    /// Wraps `inner`.
    pub fn new(inner: R, progress: Arc<Progress>) -> Self {
        Self { inner, progress }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.progress.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: std::io::Seek> std::io::Seek for Counting<R> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// How a load ended.
#[derive(Debug)]
pub enum Finished<T = Layer> {
    /// Read (possibly with problems inside), and prepared: one for most files, one per
    /// table of a GeoPackage.
    Loaded(Vec<T>),
    /// Could not be read at all.
    Failed(Problem),
    /// The user cancelled it.
    Cancelled(PathBuf),
}

/// One file being loaded.
pub struct Job<T = Layer> {
    /// The file.
    pub path: PathBuf,
    /// Progress and cancel flag.
    pub progress: Arc<Progress>,
    result: Receiver<Finished<T>>,
}

/// The loads under way; `T` is what a layer becomes on the loading thread.
pub struct Loader<T = Layer> {
    /// In the order they were started.
    pub jobs: Vec<Job<T>>,
    prepare: fn(Layer) -> T,
}

impl Default for Loader<Layer> {
    fn default() -> Self {
        Self::new(|layer| layer)
    }
}

impl<T: Send + 'static> Loader<T> {
    /// A loader that turns each layer into a `T` on its thread (e.g. projects it).
    pub fn new(prepare: fn(Layer) -> T) -> Self {
        Self {
            jobs: Vec::new(),
            prepare,
        }
    }

    /// Starts reading `path` on a new thread; `wake` is called when it is done.
    pub fn load(&mut self, path: &Path, options: ReadOptions, wake: impl Fn() + Send + 'static) {
        let prepare = self.prepare;
        let progress = Arc::new(Progress::default());
        let (tx, rx) = channel();
        let (p, thread_path) = (Arc::clone(&progress), path.to_path_buf());
        let spawned = std::thread::Builder::new()
            .name("load layer".into())
            .spawn(move || {
                let result = read_layers_from(&thread_path, &options, Some(Arc::clone(&p)));
                let finished = if p.cancel.load(Ordering::Relaxed) {
                    Finished::Cancelled(thread_path)
                } else {
                    match result {
                        Ok(layers) => Finished::Loaded(layers.into_iter().map(prepare).collect()),
                        Err(problem) => Finished::Failed(problem),
                    }
                };
                let _ = tx.send(finished);
                wake();
            });
        if let Err(e) = spawned {
            let (tx, rx2) = channel();
            let _ = tx.send(Finished::Failed(file_error(
                path,
                format!("cannot start loading: {e}"),
            )));
            self.jobs.push(Job {
                path: path.to_path_buf(),
                progress,
                result: rx2,
            });
            return;
        }
        self.jobs.push(Job {
            path: path.to_path_buf(),
            progress,
            result: rx,
        });
    }

    /// The loads that have ended since the last call, in the order they were started: a
    /// load that ends before an earlier one waits for it, so layers stack in the order they
    /// were opened.
    pub fn poll(&mut self) -> Vec<Finished<T>> {
        let mut done = Vec::new();
        while let Some(job) = self.jobs.first() {
            let finished = match job.result.try_recv() {
                Ok(finished) => finished,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    Finished::Failed(file_error(&job.path, "the loading thread stopped"))
                }
            };
            done.push(finished);
            self.jobs.remove(0);
        }
        done
    }

    /// Waits (up to `timeout`) until every load has ended, then returns them (tests, CLI).
    pub fn wait(&mut self, timeout: std::time::Duration) -> Vec<Finished<T>> {
        let start = std::time::Instant::now();
        let mut all = Vec::new();
        while !self.jobs.is_empty() && start.elapsed() < timeout {
            all.extend(self.poll());
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn loads_in_the_background_and_reports_progress() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/events.geojson");
        let mut loader = Loader::default();
        loader.load(&path, ReadOptions::default(), || {});
        let done = loader.wait(Duration::from_secs(20));
        assert_eq!(done.len(), 1);
        let Finished::Loaded(layers) = &done[0] else {
            panic!("{:?}", done[0])
        };
        assert_eq!(layers.len(), 1);
        assert!(layers[0].features.len() >= 32);
    }

    #[test]
    fn a_missing_file_fails_naming_it() {
        let mut loader = Loader::default();
        loader.load(
            Path::new("/no/such/file.geojson"),
            ReadOptions::default(),
            || {},
        );
        let done = loader.wait(Duration::from_secs(20));
        let Finished::Failed(p) = &done[0] else {
            panic!("{:?}", done[0])
        };
        assert!(p.to_string().contains("/no/such/file.geojson"));
    }

    #[test]
    fn cancelling_stops_the_read() {
        let progress = Arc::new(Progress::default());
        progress.cancel.store(true, Ordering::Relaxed);
        let mut r = Counting::new(&b"abc"[..], Arc::clone(&progress));
        let mut buf = [0u8; 3];
        assert!(r.read(&mut buf).is_err());
        let progress = Arc::new(Progress::default());
        let mut r = Counting::new(&b"abc"[..], Arc::clone(&progress));
        assert_eq!(r.read(&mut buf).unwrap(), 3);
        assert_eq!(progress.read.load(Ordering::Relaxed), 3);
    }
}
