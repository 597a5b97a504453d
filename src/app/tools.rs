//! The instruments' side of the app: measurements, the Go to marker, the place search's
//! names, and saved views (taking one, restoring one, their list kept in `views.json`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use super::App;
use crate::command::ViewCommand;
use crate::instruments::gazetteer::Gazetteer;
use crate::map::marks::Marker;
use crate::model::dataset::Dataset;
use crate::session::SavedLayer;
use crate::time::TimeCommand;
use crate::views::SavedView;

/// Most saved views (the keys 1–9 reach the first nine).
pub const MAX_VIEWS: usize = 99;

/// The place search's names: built on a thread from the dataset (a million features' names
/// take a second or two), rebuilt when the layers change.
#[derive(Default)]
pub struct Names {
    ready: Option<Arc<Gazetteer>>,
    building: Option<(u64, Receiver<Gazetteer>)>,
}

impl Names {
    /// The names as last built (possibly of an older generation while a new one builds).
    pub fn get(&self) -> Option<&Arc<Gazetteer>> {
        self.ready.as_ref()
    }

    /// True while names are being collected.
    pub fn building(&self) -> bool {
        self.building.is_some()
    }

    /// Starts a build when the dataset changed since the last one; takes a finished one.
    /// Small datasets are indexed at once (the first keystroke must find something).
    pub fn refresh(&mut self, ds: &Dataset, wake: impl Fn() + Send + 'static) {
        if let Some((_, rx)) = &self.building {
            match rx.try_recv() {
                Ok(g) => {
                    self.ready = Some(Arc::new(g));
                    self.building = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.building = None,
            }
        }
        let current = self.ready.as_ref().map(|g| g.generation);
        let pending = self.building.as_ref().map(|(g, _)| *g);
        if current == Some(ds.generation) || pending == Some(ds.generation) {
            return;
        }
        let features: usize = ds.layers.iter().map(|l| l.layer.features.len()).sum();
        if features < 50_000 {
            self.ready = Some(Arc::new(Gazetteer::build(crate::io::bundled::places(), ds)));
            self.building = None;
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let generation = ds.generation;
        let ds = ds.clone();
        let spawned = std::thread::Builder::new()
            .name("names".into())
            .spawn(move || {
                let _ = tx.send(Gazetteer::build(crate::io::bundled::places(), &ds));
                wake();
            });
        if spawned.is_ok() {
            self.building = Some((generation, rx));
        }
    }
}

impl App {
    /// The current view as a saved view named `name`.
    pub fn current_view(&self, name: &str) -> SavedView {
        let (lon, lat, zoom) = self.view();
        let layers = self
            .dataset
            .layers
            .iter()
            .filter(|l| l.visible)
            .filter_map(|l| layer_key(&l.layer))
            .chain(self.measure.visible.then(|| MEASUREMENTS.to_string()))
            .collect();
        let selected = self
            .selection
            .and_then(|r| self.dataset.record_of(r))
            .map(|record| record.id);
        SavedView {
            name: name.to_string(),
            center: [lon, lat],
            zoom,
            time: Some(self.time.cursor()),
            mode: Some(self.time.mode()),
            zone: Some(self.time.zone()),
            basemap: Some(self.map.choice.spec().clone()),
            layers: Some(layers),
            selected,
            filters: Some(self.dataset.filter.exprs()),
        }
    }

    /// Goes to a saved view: place, moment, basemap, layers shown (files not open are
    /// opened), selection.
    pub fn restore_view(&mut self, view: &SavedView) {
        self.map.set_view(view.center[0], view.center[1], view.zoom);
        let index = self.dataset.index.clone();
        if let Some(zone) = view.zone {
            self.time.apply(TimeCommand::SetZone(zone), &index);
        }
        if let Some(mode) = view.mode {
            self.time.apply(TimeCommand::SetMode(mode), &index);
        }
        if let Some(t) = view.time {
            self.time.apply(TimeCommand::SetTime(t), &index);
            self.time.apply(TimeCommand::Pause, &index);
        }
        if let Some(spec) = &view.basemap
            && spec != self.map.choice.spec()
        {
            self.commands
                .push(crate::command::Command::SetBasemap(spec.clone()));
        }
        if let Some(layers) = &view.layers {
            for i in 0..self.dataset.layers.len() {
                let key = layer_key(&self.dataset.layers[i].layer);
                let shown = key.is_some_and(|k| layers.contains(&k));
                if self.dataset.layers[i].visible != shown {
                    self.dataset.set_visible(i, shown);
                }
            }
            self.measure.visible = layers.iter().any(|l| l == MEASUREMENTS);
            let open: Vec<String> = self
                .dataset
                .layers
                .iter()
                .filter_map(|l| layer_key(&l.layer))
                .collect();
            for key in layers {
                let bundled = key.starts_with("assets/") || key == MEASUREMENTS;
                if !bundled && !open.contains(key) && !self.loading_path(key) {
                    self.open(SavedLayer::open(PathBuf::from(key)));
                }
            }
        }
        if let Some(exprs) = &view.filters {
            match crate::model::filter::Filter::parse_all(exprs) {
                Ok(filter) => self.dataset.set_filter(filter),
                Err(e) => self.problems.push(crate::io::file_error(
                    std::path::Path::new(&view.name),
                    crate::tr!("windows-view-filters-unused", error = e.to_string()),
                )),
            }
        }
        self.selection = view
            .selected
            .as_deref()
            .and_then(|id| self.dataset.event_by_id(id));
        self.panels.scroll_to_selection |= self.selection.is_some();
        self.visible = self.dataset.index.visible(&self.time);
    }

    /// A file is loading (or waiting to).
    fn loading_path(&self, key: &str) -> bool {
        let path = std::path::Path::new(key);
        self.loads.waiting().iter().any(|w| w.path == path)
    }

    /// Applies a command of the Views panel.
    pub(super) fn view_command(&mut self, command: ViewCommand, now: f64) {
        match command {
            ViewCommand::Save(name) => {
                if self.views.len() >= MAX_VIEWS {
                    self.notify(crate::tr!("windows-views-max", n = MAX_VIEWS), true, now);
                    return;
                }
                let name = match name.trim() {
                    "" => crate::tr!("tools-view-name", n = self.views.len() + 1),
                    n => n.to_string(),
                };
                let view = self.current_view(&name);
                self.views.push(view);
                let key = self.views.len();
                let text = if key <= 9 {
                    crate::tr!("windows-view-saved-key", name = name, key = key)
                } else {
                    crate::tr!("windows-view-saved", name = name)
                };
                self.notify(text, false, now);
            }
            ViewCommand::Restore(i) => {
                if let Some(view) = self.views.get(i).cloned() {
                    self.restore_view(&view);
                }
            }
            ViewCommand::Apply(view) => self.restore_view(&view),
            ViewCommand::Rename(i, name) => {
                if let Some(v) = self.views.get_mut(i)
                    && !name.trim().is_empty()
                {
                    v.name = name.trim().to_string();
                }
            }
            ViewCommand::Move(i, up) => {
                let j = if up { i.checked_sub(1) } else { Some(i + 1) };
                if let Some(j) = j.filter(|&j| j < self.views.len() && i < self.views.len()) {
                    self.views.swap(i, j);
                }
            }
            ViewCommand::Delete(i) => {
                if i < self.views.len() {
                    self.views.remove(i);
                }
            }
            ViewCommand::Export(i, path) => {
                let Some(view) = self.views.get(i) else {
                    return;
                };
                if path.exists() {
                    self.notify(super::exists(&path), true, now);
                    return;
                }
                match view.write(&path) {
                    Ok(()) => self.notify(super::wrote(&path), false, now),
                    Err(e) => self.notify(super::cannot_write(&path, &e), true, now),
                }
            }
            ViewCommand::Import(path) => match SavedView::read(&path) {
                Ok(mut view) => {
                    if view.name.is_empty() {
                        view.name = path
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_else(|| crate::tr!("windows-view-imported-name"));
                    }
                    self.notify(
                        crate::tr!("windows-view-imported", name = view.name.as_str()),
                        false,
                        now,
                    );
                    self.views.push(view);
                }
                Err(e) => {
                    self.problems.push(crate::io::file_error(&path, e.clone()));
                    self.notify(e, true, now);
                }
            },
        }
        self.save_views(now);
    }

    /// Writes the views when they changed; a failure is said, and nothing is lost.
    pub(super) fn save_views(&mut self, now: f64) {
        let Some(store) = self.views_store.as_mut() else {
            return;
        };
        if let Err(e) = store.save(&self.views) {
            let text = crate::tr!(
                "windows-views-cannot-save",
                path = store.path().display().to_string(),
                error = e.to_string()
            );
            self.notify(text, true, now);
        }
    }

    /// Centres on a marker, zooming in to at least `zoom`.
    pub(super) fn go_to_marker(&mut self, marker: Marker, zoom: f64) {
        let (_, _, current) = self.view();
        self.map
            .set_view(marker.at[0], marker.at[1], current.max(zoom));
        self.marker = Some(marker);
    }
}

/// How a view names the measurements among its layers.
pub const MEASUREMENTS: &str = "measurements";

/// How a view names a layer: its file path (bundled layers: their asset path).
pub fn layer_key(layer: &crate::model::Layer) -> Option<String> {
    layer.path.as_ref().map(|p| p.display().to_string())
}
