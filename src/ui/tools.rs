//! The instruments' windows: Measure (M), Go to (Ctrl+G), the place search (Ctrl+K) and
//! the saved Views (keys 1–9). They read state and push commands, like every panel.

use egui::{Color32, Context, Key, RichText, Ui};

use crate::command::{Command, ViewCommand, Window};
use crate::instruments::coords;
use crate::instruments::gazetteer::{Found, Gazetteer, PLACE_ZOOM};
use crate::instruments::geodesy;
use crate::instruments::measure::{
    Measure, MeasureCommand, Measurement, Tool, parse_radii, radii_text,
};
use crate::map::marks::Marker;
use crate::model::dataset::Dataset;
use crate::tr;
use crate::views::SavedView;

const ERROR: Color32 = Color32::from_rgb(0xc0, 0x20, 0x20);

/// The Measure window's own state.
#[derive(Clone, Debug, Default)]
pub struct MeasurePanel {
    /// Shown.
    pub open: bool,
    /// The radii as typed (km), while edited.
    pub radii: Option<String>,
    /// Why the radii typed cannot be used.
    pub radii_error: Option<String>,
    /// Where to save the measurements as GeoJSON.
    pub save_path: String,
}

/// The Go to box.
#[derive(Clone, Debug, Default)]
pub struct GoToPanel {
    /// What is typed.
    pub text: String,
    /// Why it cannot be used.
    pub error: Option<String>,
    /// The box has had the keyboard focus once (it takes it when it opens).
    pub focused: bool,
}

/// The place search box.
#[derive(Clone, Debug, Default)]
pub struct SearchPanel {
    /// What is typed.
    pub text: String,
    /// The box has had the keyboard focus once (it takes it when it opens).
    pub focused: bool,
}

/// The Views panel's own state.
#[derive(Clone, Debug, Default)]
pub struct ViewsPanel {
    /// Shown.
    pub open: bool,
    /// Name for the next view saved.
    pub new_name: String,
    /// The view being renamed and its new name.
    pub renaming: Option<(usize, String)>,
    /// A view file to import, or to export the chosen view to.
    pub file: String,
}

/// The keys of the instruments (not while typing): M measures, 1–9 restore a view; Escape
/// stops measuring. Ctrl+G and Ctrl+K open Go to and the search at any time.
pub fn tool_shortcuts(ui: &Ui, measuring: bool, views: usize, commands: &mut Vec<Command>) {
    let command_key = |k: Key| ui.input(|i| i.modifiers.command && i.key_pressed(k));
    if command_key(Key::G) {
        commands.push(Command::Toggle(Window::GoTo));
    }
    if command_key(Key::K) {
        commands.push(Command::Toggle(Window::Search));
    }
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    let pressed = |k: Key| ui.input(|i| i.key_pressed(k) && i.modifiers.is_none());
    if pressed(Key::M) {
        commands.push(Command::Toggle(Window::Measure));
    }
    if measuring {
        if pressed(Key::Escape) {
            commands.push(Command::Measure(MeasureCommand::Use(None)));
        }
        if pressed(Key::Enter) {
            commands.push(Command::Measure(MeasureCommand::Finish { closed: false }));
        }
        if pressed(Key::Backspace) {
            commands.push(Command::Measure(MeasureCommand::Undo));
        }
    }
    let digits = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ];
    for (i, key) in digits.into_iter().enumerate().take(views) {
        if pressed(key) {
            commands.push(Command::View(ViewCommand::Restore(i)));
        }
    }
}

/// The Measure window: the tool's mode, the path being clicked leg by leg, the measurements
/// kept, the range rings' radii, and saving them as GeoJSON.
pub fn measure_ui(
    measure: &Measure,
    state: &mut MeasurePanel,
    ctx: &Context,
    c: &mut Vec<Command>,
) {
    let mut open = state.open;
    egui::Window::new(tr!("tools-measure-title"))
        .open(&mut open)
        .default_pos([640.0, 90.0])
        .resizable(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                for (tool, label) in [
                    (Tool::Path, tr!("tools-distance-area")),
                    (Tool::Rings, tr!("tools-range-rings")),
                ] {
                    if ui
                        .selectable_label(measure.tool == Some(tool), label)
                        .clicked()
                    {
                        let next = (measure.tool != Some(tool)).then_some(tool);
                        c.push(Command::Measure(MeasureCommand::Use(next)));
                    }
                }
            });
            match measure.tool {
                Some(Tool::Path) => path_ui(measure, ui, c),
                Some(Tool::Rings) => rings_ui(measure, state, ui, c),
                None => {
                    ui.label(RichText::new(tr!("tools-pick-tool")).weak());
                }
            }
            ui.separator();
            kept_ui(measure, state, ui, c);
        });
    if state.open && !open {
        c.push(Command::Measure(MeasureCommand::Use(None)));
    }
    state.open = open;
}

fn path_ui(measure: &Measure, ui: &mut Ui, c: &mut Vec<Command>) {
    ui.label(RichText::new(tr!("tools-path-help")).weak());
    let f = measure.drawing_figures();
    egui::Grid::new("legs").striped(true).show(ui, |ui| {
        for (i, leg) in f.legs.iter().enumerate() {
            ui.label(tr!("tools-leg", n = i + 1));
            ui.label(distance(leg.metres));
            ui.label(bearing(leg.bearing));
            ui.end_row();
        }
    });
    if !f.legs.is_empty() {
        ui.label(RichText::new(tr!("tools-total", distance = distance(f.total))).strong());
    }
    let n = measure.drawing.len();
    if n >= 3 {
        let closed = geodesy::figures(&measure.drawing, true);
        if let Some(area) = closed.area {
            ui.label(tr!(
                "tools-closed",
                area = area_text(area),
                perimeter = distance(closed.total)
            ));
        }
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(n >= 2, egui::Button::new(tr!("tools-keep-path")))
            .clicked()
        {
            c.push(Command::Measure(MeasureCommand::Finish { closed: false }));
        }
        if ui
            .add_enabled(n >= 3, egui::Button::new(tr!("tools-close-shape")))
            .clicked()
        {
            c.push(Command::Measure(MeasureCommand::Finish { closed: true }));
        }
        if ui
            .add_enabled(n >= 1, egui::Button::new(tr!("tools-undo-point")))
            .clicked()
        {
            c.push(Command::Measure(MeasureCommand::Undo));
        }
    });
}

fn rings_ui(measure: &Measure, state: &mut MeasurePanel, ui: &mut Ui, c: &mut Vec<Command>) {
    ui.label(RichText::new(tr!("tools-rings-help")).weak());
    ui.horizontal(|ui| {
        ui.label(tr!("tools-radii"));
        let text = state
            .radii
            .get_or_insert_with(|| radii_text(&measure.radii).trim_end_matches(" km").into());
        let edit = ui.add(egui::TextEdit::singleline(text).desired_width(120.0));
        ui.label(tr!("tools-km"));
        if edit.changed() {
            match parse_radii(text) {
                Ok(radii) => {
                    state.radii_error = None;
                    c.push(Command::Measure(MeasureCommand::SetRadii(radii)));
                }
                Err(e) => state.radii_error = Some(e),
            }
        }
    });
    if let Some(e) = &state.radii_error {
        ui.label(RichText::new(e).color(ERROR));
    }
}

fn kept_ui(measure: &Measure, state: &mut MeasurePanel, ui: &mut Ui, c: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(tr!("tools-measurements", n = measure.items.len())).strong());
        let mut visible = measure.visible;
        if ui
            .checkbox(&mut visible, tr!("tools-measurements-shown"))
            .changed()
        {
            c.push(Command::Measure(MeasureCommand::SetVisible(visible)));
        }
    });
    let mut remove = None;
    for (i, item) in measure.items.iter().enumerate() {
        ui.horizontal(|ui| {
            if ui
                .small_button("×")
                .on_hover_text(tr!("tools-remove"))
                .clicked()
            {
                remove = Some(i);
            }
            ui.label(summary(item));
        });
    }
    if let Some(i) = remove {
        c.push(Command::Measure(MeasureCommand::Remove(i)));
    }
    if measure.items.is_empty() {
        return;
    }
    ui.horizontal(|ui| {
        if ui.button(tr!("tools-remove-all")).clicked() {
            c.push(Command::Measure(MeasureCommand::Clear));
        }
        ui.add(
            egui::TextEdit::singleline(&mut state.save_path)
                .desired_width(180.0)
                .hint_text("measurements.geojson"),
        );
        let path = state.save_path.trim();
        if ui
            .add_enabled(
                !path.is_empty(),
                egui::Button::new(tr!("tools-save-geojson")),
            )
            .clicked()
        {
            c.push(Command::SaveMeasurements(path.into()));
        }
    });
}

/// Where a typed text points: coordinates in any form, or a place name.
pub fn resolve_text(
    text: &str,
    names: Option<&Gazetteer>,
    ds: &Dataset,
) -> Result<(Marker, Option<Found>), String> {
    let label = text.trim().to_string();
    match coords::parse(text) {
        Some(Ok(p)) => Ok((
            Marker {
                at: [p.lon, p.lat],
                label,
            },
            None,
        )),
        Some(Err(e)) => Err(e.0),
        None => {
            let names = names.ok_or_else(|| tr!("tools-names-not-ready"))?;
            let found = names
                .resolve(ds, text)
                .map_err(|e| tr!("tools-goto-expected", error = e))?;
            Ok((
                Marker {
                    at: found.at,
                    label: found.name.clone(),
                },
                Some(found),
            ))
        }
    }
}

/// A box takes the keyboard focus when its window opens, not every frame.
fn take_focus_once(edit: &egui::Response, focused: &mut bool) {
    if !*focused {
        edit.request_focus();
        *focused = true;
    }
}

/// Enter was pressed in a single-line box (which gives up its focus on Enter).
fn entered(edit: &egui::Response, ui: &Ui) -> bool {
    (edit.lost_focus() || edit.has_focus()) && ui.input(|i| i.key_pressed(Key::Enter))
}

/// The Go to box (Ctrl+G): coordinates in any form, or a place name.
pub fn go_to_ui(
    state: &mut Option<GoToPanel>,
    names: Option<&Gazetteer>,
    ds: &Dataset,
    ctx: &Context,
    c: &mut Vec<Command>,
) {
    let Some(panel) = state.as_mut() else { return };
    let mut open = true;
    let mut done = false;
    egui::Window::new(tr!("tools-goto-title"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_pos([560.0, 60.0])
        .show(ctx, |ui| {
            ui.label(RichText::new(tr!("tools-goto-help")).weak());
            let edit = ui.add(
                egui::TextEdit::singleline(&mut panel.text)
                    .desired_width(300.0)
                    .hint_text("70.82,40.06 · 40°03'36\"N 70°49'12\"E · 42TXK5522336003 · Ворух"),
            );
            take_focus_once(&edit, &mut panel.focused);
            if edit.changed() {
                panel.error = None;
            }
            let enter = entered(&edit, ui);
            if ui.button(tr!("tools-go")).clicked() || enter {
                match resolve_text(&panel.text, names, ds) {
                    Ok((marker, found)) => {
                        c.push(Command::GoToPlace {
                            marker,
                            zoom: PLACE_ZOOM,
                        });
                        if let Some(r) = found.and_then(|f| f.feature) {
                            c.push(Command::Pick(Some(r)));
                        }
                        done = true;
                    }
                    Err(e) => panel.error = Some(e),
                }
            }
            if let Some(e) = &panel.error {
                let e = e.replace('′', "'").replace('″', "\"");
                ui.label(RichText::new(e).color(ERROR));
            }
        });
    if !open || done {
        *state = None;
    }
}

/// The place search (Ctrl+K): answers as the name is typed; Enter takes the first.
pub fn search_ui(
    state: &mut Option<SearchPanel>,
    names: Option<&Gazetteer>,
    building: bool,
    ds: &Dataset,
    ctx: &Context,
    c: &mut Vec<Command>,
) {
    let Some(panel) = state.as_mut() else { return };
    let mut open = true;
    let mut chosen: Option<Found> = None;
    egui::Window::new(tr!("tools-search-title"))
        .open(&mut open)
        .collapsible(false)
        .default_pos([560.0, 60.0])
        .default_width(380.0)
        .show(ctx, |ui| {
            let edit = ui.add(
                egui::TextEdit::singleline(&mut panel.text)
                    .desired_width(360.0)
                    .hint_text(tr!("tools-search-hint")),
            );
            take_focus_once(&edit, &mut panel.focused);
            let Some(names) = names else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(tr!("tools-reading-names"));
                });
                return;
            };
            if building {
                ui.label(RichText::new(tr!("tools-adding-names")).weak());
            }
            let found = names.search(ds, &panel.text, 12);
            if entered(&edit, ui) {
                chosen = found.first().cloned();
            }
            if found.is_empty() && !panel.text.trim().is_empty() {
                ui.label(RichText::new(tr!("tools-no-place")).weak());
            }
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    for f in &found {
                        let text = format!("{} — {}", f.name, f.detail);
                        if ui.selectable_label(false, text).clicked() {
                            chosen = Some(f.clone());
                        }
                    }
                });
            ui.label(
                RichText::new(tr!("tools-names-count", n = names.len()))
                    .weak()
                    .small(),
            );
        });
    if let Some(f) = chosen {
        c.push(Command::GoToPlace {
            marker: Marker {
                at: f.at,
                label: f.name.clone(),
            },
            zoom: PLACE_ZOOM,
        });
        if let Some(r) = f.feature {
            c.push(Command::Pick(Some(r)));
        }
        open = false;
    }
    if !open {
        *state = None;
    }
}

/// The Views panel: save the current view, restore one (or press its number), rename,
/// reorder, delete, export to a file and import one.
pub fn views_ui(views: &[SavedView], state: &mut ViewsPanel, ctx: &Context, c: &mut Vec<Command>) {
    let mut open = state.open;
    egui::Window::new(tr!("tools-views-title"))
        .open(&mut open)
        .default_pos([900.0, 90.0])
        .default_width(360.0)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut state.new_name)
                        .desired_width(200.0)
                        .hint_text(tr!("tools-view-name", n = views.len() + 1)),
                );
                if ui.button(tr!("tools-save-view")).clicked() {
                    c.push(Command::View(ViewCommand::Save(std::mem::take(
                        &mut state.new_name,
                    ))));
                }
            });
            ui.label(RichText::new(tr!("tools-views-help")).weak().small());
            ui.separator();
            for (i, view) in views.iter().enumerate() {
                ui.horizontal(|ui| view_row(i, view, views.len(), state, ui, c));
            }
            if views.is_empty() {
                ui.label(RichText::new(tr!("tools-no-views")).weak());
            }
            ui.separator();
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut state.file)
                        .desired_width(200.0)
                        .hint_text("/path/to/view.json"),
                );
                let path = state.file.trim();
                if ui
                    .add_enabled(!path.is_empty(), egui::Button::new(tr!("tools-import")))
                    .clicked()
                {
                    c.push(Command::View(ViewCommand::Import(path.into())));
                }
            });
        });
    state.open = open;
}

fn view_row(
    i: usize,
    view: &SavedView,
    count: usize,
    state: &mut ViewsPanel,
    ui: &mut Ui,
    c: &mut Vec<Command>,
) {
    let key = if i < 9 {
        format!("{}", i + 1)
    } else {
        " ".into()
    };
    ui.label(RichText::new(key).monospace().weak());
    if let Some((at, name)) = state.renaming.as_mut().filter(|(at, _)| *at == i) {
        let edit = ui.add(egui::TextEdit::singleline(name).desired_width(160.0));
        if ui.button(tr!("ok")).clicked()
            || (edit.lost_focus() && ui.input(|x| x.key_pressed(Key::Enter)))
        {
            c.push(Command::View(ViewCommand::Rename(*at, name.clone())));
            state.renaming = None;
        }
        return;
    }
    let when = view
        .time
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string());
    let (lat, lon, zoom) = (
        format!("{:.4}", view.center[1]),
        format!("{:.4}", view.center[0]),
        format!("{:.1}", view.zoom),
    );
    let tip = match when {
        Some(time) => tr!(
            "tools-view-tip-time",
            lat = lat,
            lon = lon,
            zoom = zoom,
            time = time
        ),
        None => tr!("tools-view-tip", lat = lat, lon = lon, zoom = zoom),
    };
    if ui.button(&view.name).on_hover_text(tip).clicked() {
        c.push(Command::View(ViewCommand::Restore(i)));
    }
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if ui.small_button("×").on_hover_text(tr!("delete")).clicked() {
            c.push(Command::View(ViewCommand::Delete(i)));
        }
        let path = state.file.trim();
        if ui
            .add_enabled(
                !path.is_empty(),
                egui::Button::new(tr!("tools-export")).small(),
            )
            .on_hover_text(tr!("tools-export-tip"))
            .clicked()
        {
            c.push(Command::View(ViewCommand::Export(i, path.into())));
        }
        if ui
            .small_button(tr!("tools-rename"))
            .on_hover_text(tr!("tools-rename"))
            .clicked()
        {
            state.renaming = Some((i, view.name.clone()));
        }
        if ui
            .add_enabled(i + 1 < count, egui::Button::new(tr!("tools-down")).small())
            .clicked()
        {
            c.push(Command::View(ViewCommand::Move(i, false)));
        }
        if ui
            .add_enabled(i > 0, egui::Button::new(tr!("tools-up")).small())
            .clicked()
        {
            c.push(Command::View(ViewCommand::Move(i, true)));
        }
    });
}

/// A distance as the window says it: "850 m", "12.4 km" / "850 м", "12.4 км".
fn distance(metres: f64) -> String {
    geodesy::format_distance(metres)
}

/// An area as the window says it: "3,400 m²", "12.30 km²" / "3,400 м²", "12.30 км²".
fn area_text(square_metres: f64) -> String {
    geodesy::format_area(square_metres)
}

/// A bearing and its compass point: "047° NE" / "047° СВ".
fn bearing(degrees: f64) -> String {
    geodesy::format_bearing(degrees)
}

/// A measurement kept, in one line: "Path: 3 legs, 12.4 km", "Shape: 4.1 km², perimeter
/// 8.2 km", "Rings: 5, 10, 20 km".
fn summary(item: &Measurement) -> String {
    match item {
        Measurement::Path { points, closed } => {
            let f = geodesy::figures(points, *closed);
            match f.area {
                Some(area) => tr!(
                    "tools-summary-shape",
                    area = area_text(area),
                    perimeter = distance(f.total)
                ),
                None => tr!(
                    "tools-summary-path",
                    n = f.legs.len(),
                    distance = distance(f.total)
                ),
            }
        }
        Measurement::Rings { radii, .. } => {
            let km: Vec<String> = radii.iter().map(|r| format!("{}", r / 1000.0)).collect();
            tr!("tools-summary-rings", radii = km.join(", "))
        }
    }
}
