//! The claims chart (egui_plot): each side's figures at the date each claim was made, one
//! series per claimant, an open marker where the figure is not a plain number, a bar where
//! the date is known only to a span, a line through one claimant's revisions of one event,
//! and the time cursor. Each point is a widget: hovering it shows the claim and its source,
//! clicking it selects the event. For a user layer, a numeric property summed by day or week.
//!
//! [`chart_ui`] draws a [`Chart`] into any `Ui`: the window's "Claims over time" and the
//! headless `bordermap export --chart claims` draw the same thing.

use egui::{Color32, RichText, Sense, Stroke, Ui, vec2};
use egui_plot::{
    Bar, BarChart, Legend, Line, LineStyle, MarkerShape, Plot, PlotPoint, Points, VLine,
};
use jiff::Timestamp;

use crate::command::Command;
use crate::model::claims::{Bucket, ChartSource, ClaimPoint, Claimant, ClaimsChart, Sums, Tally};
use crate::model::dataset::Dataset;
use crate::time::{DisplayZone, FeatureRef};
use crate::tr;

/// What the chart shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// Claimed figures of the events.
    Claims(ClaimsChart),
    /// A user layer's property summed by day or week; the layer's name.
    Sums(Sums, String),
}

/// The chart window's own state.
#[derive(Clone, Debug, Default)]
pub struct ChartPanel {
    /// Shown.
    pub open: bool,
    /// Which figure of the claims.
    pub tally: Tally,
    /// Claims or a layer's property.
    pub source: ChartSource,
    /// Day or week, for a layer's sums.
    pub bucket: Bucket,
    /// Where Save PNG writes.
    pub save_path: String,
    /// The chart, and what it was built from (dataset generation, source, figure, bucket).
    cache: Option<((u64, ChartSource, Tally, Bucket), Chart)>,
}

impl ChartPanel {
    /// The chart for the dataset as it is, rebuilt only when the data, the filter or the
    /// choice changed.
    pub fn chart(&mut self, dataset: &Dataset) -> &Chart {
        let key = (
            dataset.generation,
            self.source.clone(),
            self.tally,
            self.bucket,
        );
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let chart = build(dataset, &self.source, self.tally, self.bucket);
            self.cache = Some((key.clone(), chart));
        }
        match &self.cache {
            Some((_, chart)) => chart,
            None => unreachable!("the cache was just filled"),
        }
    }
}

/// Builds the chart of `source`; a layer that is gone falls back to the claims.
pub fn build(dataset: &Dataset, source: &ChartSource, tally: Tally, bucket: Bucket) -> Chart {
    if let ChartSource::Layer { id, property } = source
        && let Some(i) = dataset.position(*id)
    {
        let name = dataset.layers[i].layer.name.clone();
        return Chart::Sums(Sums::build(dataset, i, property, bucket), name);
    }
    Chart::Claims(ClaimsChart::build(dataset, tally))
}

/// What the chart reads besides its data.
pub struct ChartInput<'a> {
    /// The chart.
    pub chart: &'a Chart,
    /// The time cursor.
    pub cursor: Timestamp,
    /// The zone dates are shown in.
    pub zone: DisplayZone,
    /// The selected event (its points are ringed).
    pub selection: Option<FeatureRef>,
    /// A window (hover and click) or a picture (neither).
    pub interactive: bool,
    /// The days the time axis spans at first (`None`: the chart's own data): stacked charts
    /// share one.
    pub x_span: Option<(f64, f64)>,
}

const DAY: f64 = 86_400.0;

fn x_of(t: Timestamp) -> f64 {
    t.as_second() as f64 / DAY
}

fn t_of(x: f64) -> Timestamp {
    Timestamp::from_second((x * DAY).round() as i64).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn rgba(c: [u8; 4]) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

/// "137000" → "137,000".
fn thousands(v: f64) -> String {
    if v.fract() != 0.0 {
        return format!("{v:.1}");
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// The chart's title: "Claimed dead, by date of claim".
pub fn title(chart: &Chart) -> String {
    match chart {
        Chart::Claims(c) => tr!("chart-title-claims", tally = tally_key(c.tally)),
        Chart::Sums(s, layer) => tr!(
            "chart-title-sums",
            layer = layer.as_str(),
            property = s.property.as_str(),
            bucket = s.bucket.label()
        ),
    }
}

/// The chart with its key and sources line; `height` is the plot's. Returns the commands a
/// click asked for (none when not interactive).
pub fn chart_ui(ui: &mut Ui, input: &ChartInput, height: f32, commands: &mut Vec<Command>) {
    let zone = input.zone;
    let date_axis = move |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
        let date = zone.format_date(t_of(mark.value));
        match mark.step_size {
            s if s >= 360.0 => date[..4].to_string(),
            s if s >= 28.0 => date[..7].to_string(),
            _ => date,
        }
    };
    let cursor_x = x_of(input.cursor);
    // The x axis spans the data (the cursor line shows when it falls inside).
    let (x_from, x_to) = input
        .x_span
        .or_else(|| data_span(input.chart))
        .unwrap_or((cursor_x - 7.0, cursor_x + 7.0));
    let plot = Plot::new(title(input.chart))
        .height(height)
        .legend(
            Legend::default()
                .position(egui_plot::Corner::LeftTop)
                .follow_insertion_order(true),
        )
        .x_axis_formatter(date_axis)
        .x_grid_spacer(date_marks)
        .y_axis_formatter(|mark, _| thousands(mark.value))
        .show_x(false)
        .show_y(false)
        .include_y(0.0)
        // Headroom over the highest value, for the legend.
        .include_y(top(input.chart) * 1.4)
        .default_x_bounds(x_from, x_to)
        .allow_zoom(input.interactive)
        .allow_drag(input.interactive)
        .allow_scroll(input.interactive)
        .allow_boxed_zoom(input.interactive)
        .allow_double_click_reset(input.interactive);
    let cursor_label = tr!("chart-cursor", time = zone.format(input.cursor));
    let response = plot.show(ui, |plot| {
        match input.chart {
            Chart::Claims(chart) => claims_items(plot, chart, input.selection),
            Chart::Sums(sums, _) => {
                let width = sums.bucket.seconds() as f64 / DAY;
                let bars: Vec<Bar> = sums
                    .bars
                    .iter()
                    .map(|(t, sum, _)| Bar::new(x_of(*t) + width / 2.0, *sum).width(width * 0.9))
                    .collect();
                let name = tr!(
                    "chart-series-sums",
                    property = sums.property.as_str(),
                    bucket = sums.bucket.label()
                );
                plot.bar_chart(
                    BarChart::new(name, bars).color(Color32::from_rgb(0x2b, 0x5c, 0xb8)),
                );
            }
        }
        plot.vline(
            VLine::new(cursor_label, cursor_x)
                .color(Color32::from_rgb(0xe0, 0x40, 0x10))
                .width(2.0)
                .allow_hover(false),
        );
    });
    if let Chart::Claims(chart) = input.chart {
        if input.interactive {
            point_widgets(ui, chart, &response.transform, commands);
        }
    } else if let Chart::Sums(sums, _) = input.chart {
        let total: usize = sums.bars.iter().map(|b| b.2).sum();
        let text = if sums.missing > 0 {
            tr!(
                "chart-summed-missing",
                total = total,
                n = sums.bars.len(),
                bucket = sums.bucket.label(),
                missing = sums.missing,
                property = sums.property.as_str()
            )
        } else {
            tr!(
                "chart-summed",
                total = total,
                n = sums.bars.len(),
                bucket = sums.bucket.label()
            )
        };
        ui.label(RichText::new(text).small());
    }
}

/// The highest value plotted.
fn top(chart: &Chart) -> f64 {
    match chart {
        Chart::Claims(c) => c.points.iter().map(|p| p.value).fold(0.0, f64::max),
        Chart::Sums(s, _) => s.bars.iter().map(|b| b.1).fold(0.0, f64::max),
    }
}

/// The days the chart's data covers, padded by a twentieth each side.
pub fn data_span(chart: &Chart) -> Option<(f64, f64)> {
    let (a, b) = match chart {
        Chart::Claims(c) => {
            let (a, b) = c.time_span()?;
            (x_of(a), x_of(b))
        }
        Chart::Sums(s, _) => {
            let a = x_of(s.bars.first()?.0);
            let b = x_of(s.bars.last()?.0) + s.bucket.seconds() as f64 / DAY;
            (a, b)
        }
    };
    let pad = ((b - a) / 20.0).max(1.0);
    Some((a - pad, b + pad))
}

/// Grid lines at calendar steps: days, weeks (from Monday), months, quarters, years.
fn date_marks(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    use egui_plot::GridMark;
    let (a, b) = input.bounds;
    let span = (b - a).max(1e-6);
    const STEPS: [f64; 8] = [1.0, 2.0, 7.0, 14.0, 30.44, 91.31, 182.62, 365.25];
    let step = STEPS
        .iter()
        .copied()
        .find(|s| span / s <= 8.0)
        .unwrap_or_else(|| (span / 8.0 / 365.25).ceil() * 365.25);
    let mut marks = Vec::new();
    if step < 28.0 {
        // Weeks start on Monday: day 0 (1970-01-01) was a Thursday.
        let shift = if step >= 7.0 { 3.0 } else { 0.0 };
        let mut x = ((a + shift) / step).floor() * step - shift;
        while x <= b && marks.len() < 64 {
            if x >= a {
                marks.push(GridMark {
                    value: x,
                    step_size: step,
                });
            }
            x += step;
        }
        return marks;
    }
    let months = ((step / 30.44).round() as i32).max(1);
    let start = t_of(a).to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let mut index = i32::from(start.year()) * 12 + i32::from(start.month()) - 1;
    index -= index.rem_euclid(months);
    while marks.len() < 64 {
        let Ok(date) = jiff::civil::Date::new((index / 12) as i16, (index % 12 + 1) as i8, 1)
        else {
            break;
        };
        let Ok(at) = date.to_zoned_datetime(jiff::tz::TimeZone::UTC) else {
            break;
        };
        let x = x_of(at.timestamp());
        if x > b {
            break;
        }
        if x >= a {
            marks.push(GridMark {
                value: x,
                step_size: step,
            });
        }
        index += months;
    }
    marks
}

fn claims_items(plot: &mut egui_plot::PlotUi, chart: &ClaimsChart, selection: Option<FeatureRef>) {
    // Revisions first, under the markers: one claimant's figures for one event over time.
    for run in chart.revisions() {
        let first = &chart.points[run[0]];
        let color = rgba(first.claimant.rgba()).gamma_multiply(0.6);
        let xy: Vec<[f64; 2]> = run
            .iter()
            .map(|&i| [x_of(chart.points[i].at()), chart.points[i].value])
            .collect();
        plot.line(
            // No name: lines stay out of the legend, whose swatches are the markers'.
            Line::new("", xy)
                .color(color)
                .width(1.2)
                .style(LineStyle::dashed_dense())
                .allow_hover(false),
        );
    }
    // A claim dated only to a span (a month, a year, "between the 14th and the 16th").
    for p in chart.points.iter().filter(|p| p.is_spread()) {
        plot.line(
            Line::new("", vec![[x_of(p.from), p.value], [x_of(p.to), p.value]])
                .color(rgba(p.claimant.rgba()).gamma_multiply(0.5))
                .width(3.0)
                .allow_hover(false),
        );
    }
    for claimant in chart.claimants() {
        let color = rgba(claimant.rgba());
        for open in [false, true] {
            let xy: Vec<[f64; 2]> = chart
                .points
                .iter()
                .filter(|p| p.claimant == claimant && p.open == open)
                .map(|p| [x_of(p.at()), p.value])
                .collect();
            if xy.is_empty() {
                continue;
            }
            plot.points(
                Points::new(claimant_label(claimant), xy)
                    .color(color)
                    .shape(MarkerShape::Circle)
                    .filled(!open)
                    .radius(if open { 4.5 } else { 4.0 })
                    .allow_hover(false),
            );
        }
    }
    if let Some(sel) = selection {
        let xy: Vec<[f64; 2]> = chart
            .points
            .iter()
            .filter(|p| p.event == sel)
            .map(|p| [x_of(p.at()), p.value])
            .collect();
        if !xy.is_empty() {
            plot.points(
                Points::new(tr!("chart-selected-event"), xy)
                    .color(Color32::BLACK)
                    .shape(MarkerShape::Circle)
                    .filled(false)
                    .radius(8.0)
                    .allow_hover(false),
            );
        }
    }
}

/// Each point as a widget over the plot: hover for the claim and its source, click to select
/// the event (the cursor moves to it and the map centres on it).
fn point_widgets(
    ui: &mut Ui,
    chart: &ClaimsChart,
    transform: &egui_plot::PlotTransform,
    commands: &mut Vec<Command>,
) {
    let frame = *transform.frame();
    for (i, p) in chart.points.iter().enumerate() {
        let at = transform.position_from_point(&PlotPoint::new(x_of(p.at()), p.value));
        if !frame.expand(2.0).contains(at) {
            continue;
        }
        let rect = egui::Rect::from_center_size(at, vec2(11.0, 11.0));
        let id = ui.scope_id().with(("claim point", p.event, p.claim, i));
        let label = describe(p, chart.tally);
        let response = ui.interact(rect, id, Sense::click());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label.clone()));
        let response = response.on_hover_ui(|ui| {
            ui.set_max_width(420.0);
            ui.label(RichText::new(&p.event_title).strong());
            ui.label(&label);
            if !p.note.is_empty() {
                ui.label(RichText::new(&p.note).italics());
            }
            if p.open {
                ui.label(RichText::new(tr!("chart-open-marker")).small().weak());
            }
            ui.label(RichText::new(tr!("chart-click-to-select")).small().weak());
        });
        if response.hovered() {
            ui.painter()
                .circle_stroke(at, 7.0, Stroke::new(2.0, rgba(p.claimant.rgba())));
        }
        if response.clicked() {
            commands.push(Command::Focus(p.event));
        }
    }
}

/// What the markers mean, claims left off, and the sources plotted (once for several charts).
pub fn key_ui(ui: &mut Ui, charts: &[&ClaimsChart]) {
    let undated: usize = charts.iter().map(|c| c.undated).sum();
    let mut sources: Vec<&str> = Vec::new();
    for s in charts.iter().flat_map(|c| c.sources.iter()) {
        if !sources.contains(&s.as_str()) {
            sources.push(s);
        }
    }
    let key = if undated > 0 {
        tr!("chart-key-undated", n = undated)
    } else {
        tr!("chart-key")
    };
    ui.label(RichText::new(key).small().weak());
    for chart in charts.iter().filter(|c| c.points.is_empty()) {
        ui.label(tr!("chart-no-claims", tally = tally_key(chart.tally)));
    }
    if !sources.is_empty() {
        ui.label(RichText::new(tr!("chart-sources", sources = sources.join("; "))).small());
    }
}

/// The window: pick the figure (or a user layer's number), the chart, and Save as PNG.
pub fn chart_window_ui(
    dataset: &Dataset,
    cursor: Timestamp,
    zone: DisplayZone,
    selection: Option<FeatureRef>,
    panel: &mut ChartPanel,
    ctx: &egui::Context,
    commands: &mut Vec<Command>,
) {
    if !panel.open {
        return;
    }
    let mut open = true;
    egui::Window::new(tr!("chart-window-title"))
        .open(&mut open)
        .default_size([720.0, 420.0])
        .resizable(true)
        .show(ctx, |ui| {
            source_picker_ui(dataset, panel, ui);
            let chart = panel.chart(dataset).clone();
            ui.label(RichText::new(title(&chart)).strong());
            let input = ChartInput {
                chart: &chart,
                cursor,
                zone,
                selection,
                interactive: true,
                x_span: None,
            };
            let height = (ui.available_height() - 70.0).max(160.0);
            chart_ui(ui, &input, height, commands);
            if let Chart::Claims(c) = &chart {
                key_ui(ui, &[c]);
            }
            ui.horizontal(|ui| {
                let label = ui.label(tr!("chart-to"));
                ui.add(
                    egui::TextEdit::singleline(&mut panel.save_path)
                        .desired_width(260.0)
                        .hint_text("/path/to/claims.png"),
                )
                .labelled_by(label.id);
                let path = panel.save_path.trim();
                if ui
                    .add_enabled(!path.is_empty(), egui::Button::new(tr!("chart-save")))
                    .on_hover_text(tr!("chart-save-tip"))
                    .clicked()
                {
                    commands.push(Command::SaveChart {
                        path: path.into(),
                        source: panel.source.clone(),
                        tally: panel.tally,
                        bucket: panel.bucket,
                    });
                }
            });
        });
    if !open {
        panel.open = false;
    }
}

fn source_picker_ui(dataset: &Dataset, panel: &mut ChartPanel, ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        let current = match &panel.source {
            ChartSource::Claims => tr!("chart-claims"),
            ChartSource::Layer { id, property } => dataset
                .position(*id)
                .map(|i| format!("{}: {property}", dataset.layers[i].layer.name))
                .unwrap_or_else(|| tr!("chart-claims")),
        };
        egui::ComboBox::from_label(tr!("chart-of"))
            .selected_text(current)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(panel.source == ChartSource::Claims, tr!("chart-claims"))
                    .clicked()
                {
                    panel.source = ChartSource::Claims;
                }
                for (i, entry) in dataset.layers.iter().enumerate() {
                    if entry.role != crate::model::dataset::LayerRole::Custom
                        || entry.dated.is_empty()
                    {
                        continue;
                    }
                    for property in Sums::numeric_properties(dataset, i) {
                        let source = ChartSource::Layer {
                            id: entry.id,
                            property: property.clone(),
                        };
                        let label = format!("{}: {property}", entry.layer.name);
                        if ui.selectable_label(panel.source == source, label).clicked() {
                            panel.source = source;
                        }
                    }
                }
            });
        match panel.source {
            ChartSource::Claims => {
                for tally in Tally::ALL {
                    ui.selectable_value(&mut panel.tally, tally, tally_label(tally));
                }
            }
            ChartSource::Layer { .. } => {
                for bucket in [Bucket::Day, Bucket::Week] {
                    ui.selectable_value(
                        &mut panel.bucket,
                        bucket,
                        tr!("chart-per", bucket = bucket.label()),
                    );
                }
            }
        }
    });
}

/// A figure's key in the messages' selectors: "killed", "injured", ...
fn tally_key(tally: Tally) -> &'static str {
    match tally {
        Tally::Killed => "killed",
        Tally::Injured => "injured",
        Tally::Evacuated => "evacuated",
        Tally::Displaced => "displaced",
    }
}

/// A figure's name in the window's language: "Killed" / "Погибшие".
pub fn tally_label(tally: Tally) -> String {
    tr!("chart-tally", tally = tally_key(tally))
}

/// A series' name in the legend, in the window's language: "Kyrgyz side" / "Киргизская
/// сторона".
pub fn claimant_label(claimant: Claimant) -> String {
    let key = match claimant {
        Claimant::Kyrgyz => "kyrgyz",
        Claimant::Tajik => "tajik",
        Claimant::Independent => "independent",
        Claimant::Media => "media",
        Claimant::Unattributed => "unattributed",
    };
    tr!("chart-claimant", claimant = key)
}

/// [`ClaimPoint::describe`] in the window's language (the claimant's words, the figure as
/// stated and the source stay as the data gives them): "Kyrgyz health ministry: 59 dead
/// (KG), reported 2022-09-18 — S43 …".
pub fn describe(p: &ClaimPoint, tally: Tally) -> String {
    let (by, figure, reported) = (p.by.as_str(), p.figure.as_str(), p.reported.as_str());
    let (tally, n) = (tally_key(tally), p.value);
    let mut out = match p.about.as_str() {
        "" => tr!(
            "chart-claim",
            by = by,
            figure = figure,
            tally = tally,
            n = n,
            reported = reported
        ),
        "both" => tr!(
            "chart-claim-both",
            by = by,
            figure = figure,
            tally = tally,
            n = n,
            reported = reported
        ),
        about => tr!(
            "chart-claim-about",
            by = by,
            figure = figure,
            tally = tally,
            n = n,
            about = about,
            reported = reported
        ),
    };
    if !p.source.is_empty() {
        out.push_str(" — ");
        out.push_str(&p.source);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(137000.0), "137,000");
        assert_eq!(thousands(59.0), "59");
        assert_eq!(thousands(-1234.0), "-1,234");
        assert_eq!(thousands(2.5), "2.5");
    }

    #[test]
    fn days_and_times_round_trip() {
        let t: Timestamp = "2022-09-18T00:00:00Z".parse().expect("time");
        assert_eq!(t_of(x_of(t)), t);
    }

    /// The window's words for a claim are, in English, the model's.
    #[test]
    fn claims_read_in_english_as_the_model_says_them() {
        crate::i18n::set_lang(crate::i18n::Lang::En);
        let dataset = crate::io::bundled::dataset();
        for tally in Tally::ALL {
            let chart = ClaimsChart::build(&dataset, tally);
            for p in &chart.points {
                assert_eq!(describe(p, tally), p.describe(tally));
            }
            assert_eq!(tally_label(tally), tally.label());
        }
        for c in Claimant::ALL {
            assert_eq!(claimant_label(c), c.label());
        }
        crate::i18n::set_lang(crate::i18n::Lang::Ru);
        let chart = ClaimsChart::build(&dataset, Tally::Killed);
        let p = chart.points.first().expect("a claim of dead");
        assert!(describe(p, Tally::Killed).contains("заявлено"));
        crate::i18n::set_lang(crate::i18n::Lang::En);
    }
}
