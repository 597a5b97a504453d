//! Panels as functions `*_ui(state, ui, commands)`: they read state and push
//! [`Command`](crate::command::Command)s, which the app applies once per frame. What a panel
//! keeps of its own between frames (text being typed, a filter, which window is open) lives
//! in [`Panels`]; everything else belongs to the app and changes only through commands.

pub mod animation;
pub mod chart;
pub mod compare;
pub mod events;
pub mod export_dialog;
pub mod file_dialog;
pub mod filters;
pub mod inspector;
pub mod layers;
pub mod timeline;
pub mod tools;
pub mod top_bar;
pub mod windows;

use std::time::Duration;

use egui::{Key, RichText, Ui};

use crate::command::{Command, ExportOrder, Purpose, Window};
use crate::io::loader::Job;
use crate::map::online::BasemapSpec;
use crate::model::Problem;
use crate::model::dataset::{Dataset, LayerEntry};
use crate::time::{FeatureRef, TimeCommand, TimeControl, Visible};

/// The panels' own state.
#[derive(Clone, Debug)]
pub struct Panels {
    /// The event list's search and filters.
    pub list: events::ListState,
    /// Set when the list should scroll to the selected row.
    pub scroll_to_selection: bool,
    /// The span shown on the timeline's axis.
    pub timeline_view: (jiff::Timestamp, jiff::Timestamp),
    /// The Export dialog.
    pub export: export_dialog::ExportDialog,
    /// The Open dialog's typed path, when the dialog is shown.
    pub open_path: Option<String>,
    /// The custom basemap dialog's text, when shown.
    pub custom_basemap: Option<String>,
    /// The Problems window is shown.
    pub show_problems: bool,
    /// The Measure window.
    pub measure: tools::MeasurePanel,
    /// The Go to box, when shown.
    pub go_to: Option<tools::GoToPanel>,
    /// The place search, when shown.
    pub search: Option<tools::SearchPanel>,
    /// The Views panel.
    pub views: tools::ViewsPanel,
    /// The filter bar.
    pub filter: filters::FilterPanel,
    /// The claims chart.
    pub chart: chart::ChartPanel,
    /// The time typed for B in the compare bar.
    pub compare_jump: String,
    /// The Animation dialog.
    pub animation: animation::AnimationDialog,
}

impl Default for Panels {
    fn default() -> Self {
        Self {
            list: Default::default(),
            scroll_to_selection: false,
            timeline_view: timeline::september_2022(),
            export: Default::default(),
            open_path: None,
            custom_basemap: None,
            show_problems: false,
            measure: Default::default(),
            go_to: None,
            search: None,
            views: Default::default(),
            filter: Default::default(),
            chart: Default::default(),
            compare_jump: String::new(),
            animation: Default::default(),
        }
    }
}

impl Panels {
    /// Shows or hides a window.
    pub fn toggle(&mut self, window: Window) {
        match window {
            Window::Export => self.export.open = !self.export.open,
            Window::Problems => self.show_problems = !self.show_problems,
            Window::Open => {
                self.open_path = match self.open_path.take() {
                    Some(_) => None,
                    None => Some(String::new()),
                }
            }
            Window::Measure => self.measure.open = !self.measure.open,
            Window::GoTo => {
                self.go_to = match self.go_to.take() {
                    Some(_) => None,
                    None => Some(Default::default()),
                }
            }
            Window::Search => {
                self.search = match self.search.take() {
                    Some(_) => None,
                    None => Some(Default::default()),
                }
            }
            Window::Views => self.views.open = !self.views.open,
            Window::Chart => self.chart.open = !self.chart.open,
            Window::Animation => {
                let a = &mut self.animation;
                a.open = !a.open;
                if a.open && a.from.is_empty() && a.to.is_empty() {
                    // The span the timeline shows, to start from.
                    let (from, to) = self.timeline_view;
                    a.from = from.to_string();
                    a.to = to.to_string();
                }
            }
        }
    }
}

/// The keyboard shortcuts: Space plays, Left/Right step through events, Home/End, Escape
/// clears the selection, Ctrl+O opens, Ctrl+E exports. Keys typed into a text field are
/// left to it.
pub fn shortcuts(ui: &Ui, commands: &mut Vec<Command>) {
    let command_key = |k: Key| ui.input(|i| i.modifiers.command && i.key_pressed(k));
    if command_key(Key::O) {
        commands.push(Command::Toggle(Window::Open));
    }
    if command_key(Key::E) {
        commands.push(Command::Toggle(Window::Export));
    }
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    let pressed = |k: Key| ui.input(|i| i.key_pressed(k) && i.modifiers.is_none());
    for (key, command) in [
        (Key::Space, Command::Time(TimeCommand::TogglePlayPause)),
        (Key::ArrowRight, Command::Time(TimeCommand::StepNext)),
        (Key::ArrowLeft, Command::Time(TimeCommand::StepPrev)),
        (Key::Home, Command::Time(TimeCommand::Home)),
        (Key::End, Command::Time(TimeCommand::End)),
        (Key::Escape, Command::Select(None)),
    ] {
        if pressed(key) {
            commands.push(command);
        }
    }
}

/// What the panels read this frame.
pub struct FrameView<'a> {
    /// Layers and events.
    pub dataset: &'a Dataset,
    /// The time control.
    pub time: &'a TimeControl,
    /// What is visible at the cursor (the map shows the same).
    pub visible: &'a Visible,
    /// The selected feature.
    pub selection: Option<FeatureRef>,
    /// Problems met so far.
    pub problems: &'a [Problem],
    /// Notices to show.
    pub toasts: &'a [windows::Toast],
    /// Files loading.
    pub loading: &'a [Job<LayerEntry>],
    /// The basemap picked.
    pub basemap: &'a BasemapSpec,
    /// Online tiles loading (`None`: offline basemap).
    pub tiles_loading: Option<usize>,
    /// The map's size on screen, last frame.
    pub map_size: egui::Vec2,
    /// A system file dialog is open.
    pub browsing: bool,
    /// The measure tool and the measurements.
    pub measure: &'a crate::instruments::measure::Measure,
    /// Saved views.
    pub views: &'a [crate::views::SavedView],
    /// The place search's names (`None` until first read).
    pub names: Option<&'a crate::instruments::gazetteer::Gazetteer>,
    /// Names of new layers are being read.
    pub names_building: bool,
    /// The second moment's time and layout, when two are compared.
    pub compare: Option<(&'a TimeControl, bool)>,
    /// The filter asked for: the dataset's, or one still being judged (`pending`).
    pub filter: &'a crate::model::filter::Filter,
    /// The filter is still being judged on a worker thread.
    pub filter_pending: bool,
    /// An MP4 being written: frames done, in all.
    pub animation: Option<(u32, u32)>,
}

/// Every panel and window around the map: top bar, dialogs, problems, notices, the layers
/// and the event list (left), the timeline (bottom), the details of the selection (right).
pub fn panels_ui(view: &FrameView, panels: &mut Panels, ui: &mut Ui, commands: &mut Vec<Command>) {
    egui::Panel::top("top bar").show(ui, |ui| {
        let bar = top_bar::TopBarView {
            basemap: view.basemap,
            tiles_loading: view.tiles_loading,
            problems: view.problems.len(),
        };
        top_bar::top_bar_ui(&bar, &mut panels.custom_basemap, ui, commands);
    });
    let d = &mut panels.export;
    if d.open && export_dialog::export_dialog_ui(d, view.map_size, ui.ctx()) {
        commands.push(Command::Export(ExportOrder {
            path: d.path.trim().into(),
            size: d.size,
            custom: [d.width, d.height],
            title: Some(d.title.trim().to_string()).filter(|t| !t.is_empty()),
            with_view: d.with_view,
        }));
    }
    if std::mem::take(&mut d.browse) {
        commands.push(Command::Browse(Purpose::SaveExport));
    }
    windows::open_dialog_ui(&mut panels.open_path, view.browsing, ui, commands);
    let ctx = ui.ctx().clone();
    tools::measure_ui(view.measure, &mut panels.measure, &ctx, commands);
    tools::go_to_ui(&mut panels.go_to, view.names, view.dataset, &ctx, commands);
    tools::search_ui(
        &mut panels.search,
        view.names,
        view.names_building,
        view.dataset,
        &ctx,
        commands,
    );
    tools::views_ui(view.views, &mut panels.views, &ctx, commands);
    animation::animation_dialog_ui(
        &mut panels.animation,
        view.animation,
        view.time.zone(),
        &ctx,
        commands,
    );
    chart::chart_window_ui(
        view.dataset,
        view.time.cursor(),
        view.time.zone(),
        view.selection,
        &mut panels.chart,
        &ctx,
        commands,
    );
    windows::problems_ui(view.problems, panels.show_problems, ui, commands);
    windows::toasts_ui(view.toasts, ui);
    if !view.toasts.is_empty() {
        ui.ctx().request_repaint_after(Duration::from_millis(250));
    }
    egui::Panel::left("events")
        .default_size(360.0)
        .min_size(260.0)
        .show(ui, |ui| {
            egui::CollapsingHeader::new(RichText::new(crate::tr!("layers-heading")).strong())
                .id_salt("layers panel")
                .default_open(true)
                .show(ui, |ui| {
                    layers::layers_ui(view.dataset, view.loading, ui, commands)
                });
            filters::filter_bar_ui(
                view.dataset,
                view.filter,
                view.filter_pending,
                &mut panels.filter,
                ui,
                commands,
            );
            ui.separator();
            let list = events::ListView {
                filter: view.filter,
                dataset: view.dataset,
                time: view.time,
                visible: view.visible,
                selection: view.selection,
            };
            events::event_list_ui(
                &list,
                &mut panels.list,
                &mut panels.scroll_to_selection,
                ui,
                commands,
            );
        });
    egui::Panel::bottom("timeline")
        .resizable(true)
        .default_size(150.0)
        .min_size(110.0)
        .show(ui, |ui| {
            let input = timeline::TimelineInput {
                dataset: view.dataset,
                time: view.time,
                visible: view.visible,
                view: panels.timeline_view,
                compare: view.compare.map(|(t, _)| t.cursor()),
            };
            timeline::timeline_ui(&input, ui, commands);
        });
    if let Some((b, swipe)) = view.compare {
        egui::Panel::top("compare bar").show(ui, |ui| {
            let bar = compare::CompareView {
                a: view.time,
                b,
                swipe,
            };
            compare::compare_bar_ui(&bar, &mut panels.compare_jump, ui, commands);
        });
    }
    if let Some(sel) = view.selection {
        egui::Panel::right("inspector")
            .default_size(380.0)
            .min_size(260.0)
            .show(ui, |ui| {
                inspector::inspector_ui(view.dataset, sel, view.time.zone(), ui, commands);
            });
    }
}
