//! The event list: every dated feature of the visible layers in time order, with its time in
//! the display zone, kind, title, place and claimed figures. Rows active at the cursor are
//! highlighted and future rows dimmed; a kind filter and a text search (Ctrl+F) narrow it.
//! A click focuses the event (cursor, map, selection); a selection on the map scrolls here.

use egui::{Color32, FontId, Key, RichText, Sense, Ui, pos2, vec2};
use jiff::Timestamp;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::map::style::{kind_color, kind_symbol};
use crate::model::dataset::Dataset;
use crate::model::event::{Event, EventKind};
use crate::positions::Positions;
use crate::time::{FeatureRef, TimeControl, TimeMode, Visible};

use crate::command::Command;
use crate::tr;

/// Height of one row, in points.
pub const ROW_HEIGHT: f32 = 58.0;

/// The list's own UI state.
#[derive(Clone, Debug, Default)]
pub struct ListState {
    /// Search text.
    pub search: String,
    /// Follow the cursor while playing.
    pub follow: bool,
    /// The rows the search and the kinds let through, kept until one of them or the events
    /// change: a frame does not filter every event again.
    rows: Rows,
    /// The kinds of the events, and the generation of the events they are of.
    kinds: (Option<u64>, Vec<EventKind>),
}

/// Positions in the dataset's events of the rows shown, and what they were filtered with.
#[derive(Clone, Debug, Default)]
struct Rows {
    key: Option<(u64, String)>,
    /// All the events (no search: a count, not a million positions) or those found.
    rows: Positions,
    /// The first event not filtered yet (a search over a million events takes several
    /// frames; the list shows what was found so far).
    next: usize,
    /// The search of the rest, on worker threads, when there are many events.
    job: Option<Arc<Mutex<Found>>>,
}

/// What a search on worker threads found since the list last took its rows, in order, and
/// the first event it has not filtered yet. It stops when the list no longer holds it (a new search, new
/// events, the list gone).
#[derive(Debug, Default)]
struct Found {
    rows: Vec<u32>,
    next: usize,
}

/// Time a frame spends filtering the list: a search reads each event's text.
const FILTER_BUDGET: std::time::Duration = std::time::Duration::from_millis(6);

/// Events filtered between two looks at the clock: a search reads about 11 µs an event of
/// a big CSV, so a block takes about 1.5 ms and a frame stays within its budget.
const FILTER_BLOCK: usize = 128;

/// Events left to filter after a frame's share from which the rest is searched on worker
/// threads: a window drawn in software paints a few frames a second while it searches, and
/// a frame's share of a million events took minutes.
const BACKGROUND_FILTER: usize = 20_000;

/// Events a worker thread filters before the rows found are handed to the list.
const WORKER_ROUND: usize = 16 * FILTER_BLOCK;

impl ListState {
    /// The kinds the events have, in legend order (found again only when the events change).
    pub fn kinds(&mut self, ds: &Dataset) -> Vec<EventKind> {
        if self.kinds.0 != Some(ds.generation) {
            // Of every shown layer's events, filtered or not: a hidden kind keeps its chip.
            let mut seen = [false; EventKind::ALL.len()];
            for e in ds
                .layers
                .iter()
                .filter(|l| l.visible)
                .flat_map(|l| l.events())
            {
                seen[e.kind.index()] = true;
            }
            let kinds = EventKind::ALL.into_iter().filter(|k| seen[k.index()]);
            self.kinds = (Some(ds.generation), kinds.collect());
        }
        self.kinds.1.clone()
    }

    /// The rows shown: positions in `ds.events` that pass the search and the kind filter,
    /// as far as they are found (see [`ListState::progress`]). Filters for a few
    /// milliseconds a call, so typing a search over a million events does not stop the frame;
    /// past the first call, a long search goes on on worker threads, one per core.
    pub fn rows(&mut self, ds: &Dataset) -> &Positions {
        let key = (ds.generation, self.search.clone());
        if self.rows.key.as_ref() != Some(&key) {
            self.rows = Rows {
                key: Some(key),
                ..Rows::default()
            };
            if self.search.trim().is_empty() {
                self.rows.rows = Positions::All(ds.events.len() as u32);
                self.rows.next = ds.events.len();
            }
        }
        if let Some(job) = &self.rows.job {
            // Take what the workers found since the last frame.
            if let Ok(mut found) = job.lock() {
                for p in found.rows.drain(..) {
                    self.rows.rows.push(p);
                }
                self.rows.next = found.next;
            }
            if self.rows.next >= ds.events.len() {
                self.rows.job = None;
            }
            return &self.rows.rows;
        }
        let filter = ListState {
            search: self.search.clone(),
            ..ListState::default()
        };
        let started = std::time::Instant::now();
        let total = ds.events.len();
        // This frame's share: the first matches show at once.
        while self.rows.next < total && started.elapsed() < FILTER_BUDGET {
            let end = (self.rows.next + FILTER_BLOCK).min(total);
            for i in self.rows.next..end {
                if ds.events.get(i).is_some_and(|e| matches(ds, &e, &filter)) {
                    self.rows.rows.push(i as u32);
                }
            }
            self.rows.next = end;
        }
        if total - self.rows.next >= BACKGROUND_FILTER {
            let found = Arc::new(Mutex::new(Found {
                rows: Vec::new(),
                next: self.rows.next,
            }));
            if search_on_workers(ds.clone(), filter, Arc::clone(&found)).is_ok() {
                self.rows.job = Some(found);
            }
        }
        &self.rows.rows
    }

    /// How far the filtering has gone, `0..1`, while it is not done.
    pub fn progress(&self, ds: &Dataset) -> Option<f32> {
        let total = ds.events.len();
        (self.rows.next < total).then(|| self.rows.next as f32 / total.max(1) as f32)
    }
}

/// Filters the events from `found.next` on, with `filter`'s search, on one thread per core,
/// adding each round's rows to `found` in order; stops early once only it holds `found`.
fn search_on_workers(
    ds: Dataset,
    filter: ListState,
    found: Arc<Mutex<Found>>,
) -> std::io::Result<()> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let mut next = found.lock().map_or(0, |f| f.next);
    std::thread::Builder::new()
        .name("list search".into())
        .spawn(move || {
            let total = ds.events.len();
            while next < total && Arc::strong_count(&found) > 1 {
                let end = (next + WORKER_ROUND * threads).min(total);
                let claimed = AtomicUsize::new(next);
                let work = || {
                    let mut rows = Vec::new();
                    loop {
                        let from = claimed.fetch_add(FILTER_BLOCK, Ordering::Relaxed);
                        if from >= end {
                            break;
                        }
                        for i in from..(from + FILTER_BLOCK).min(end) {
                            if ds.events.get(i).is_some_and(|e| matches(&ds, &e, &filter)) {
                                rows.push(i as u32);
                            }
                        }
                    }
                    rows
                };
                let mut rows = std::thread::scope(|s| {
                    let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
                    let mut rows = work();
                    for helper in helpers {
                        // A helper's panic is this thread's.
                        rows.extend(
                            helper
                                .join()
                                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                        );
                    }
                    rows
                });
                rows.sort_unstable();
                let Ok(mut f) = found.lock() else {
                    return;
                };
                f.rows.extend(rows);
                f.next = end;
                next = end;
            }
        })?;
    Ok(())
}

/// What the list reads.
pub struct ListView<'a> {
    /// The filter asked for (the kind chips edit it).
    pub filter: &'a crate::model::filter::Filter,
    /// The data.
    pub dataset: &'a Dataset,
    /// The time control.
    pub time: &'a TimeControl,
    /// The visible set of this frame.
    pub visible: &'a Visible,
    /// Selected feature.
    pub selection: Option<FeatureRef>,
}

/// Where an event stands relative to the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    /// Shown and happening at the cursor (or within the window).
    Active,
    /// Shown, in the past.
    Past,
    /// Not yet happened (or outside the window).
    Hidden,
}

/// The state of an event's row.
pub fn row_state(e: &Event, view: &ListView) -> RowState {
    let r = FeatureRef {
        layer: e.layer,
        feature: e.feature,
    };
    if !view.visible.contains(r) {
        return RowState::Hidden;
    }
    let cursor = view.time.cursor();
    let recent = match view.time.mode() {
        TimeMode::Window { .. } => true,
        TimeMode::Cumulative => {
            let from = cursor
                .checked_sub(jiff::SignedDuration::from_hours(12))
                .unwrap_or(Timestamp::MIN);
            e.span.overlaps(from, cursor)
        }
    };
    if recent {
        RowState::Active
    } else {
        RowState::Past
    }
}

/// True when the event passes the kind filter and the search text (which reads its record).
pub fn matches(ds: &Dataset, e: &Event, state: &ListState) -> bool {
    let needle = state.search.trim().to_lowercase();
    if needle.is_empty() {
        return true;
    }
    let Some(e) = ds.record(e) else {
        return false;
    };
    let hay = [&e.title, &e.place, &e.summary, &e.id, &e.claims_line()]
        .iter()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    needle.split_whitespace().all(|w| hay.contains(w))
}

/// The event list panel.
pub fn event_list_ui(
    view: &ListView,
    state: &mut ListState,
    scroll_to_selection: &mut bool,
    ui: &mut Ui,
    commands: &mut Vec<Command>,
) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading(tr!("events-heading"));
        let shown = state.rows(view.dataset).len();
        let total = view.dataset.events.len();
        ui.label(RichText::new(tr!("events-shown", shown = shown, total = total)).weak());
        if let Some(done) = state.progress(view.dataset) {
            let percent = format!("{:.0}", done * 100.0);
            ui.label(RichText::new(tr!("events-searching", percent = percent)).weak());
            // The workers search meanwhile: a few looks a second leave them the cores.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(150));
        }
    });
    let search = ui.add(
        egui::TextEdit::singleline(&mut state.search)
            .hint_text(tr!("events-search-hint"))
            .desired_width(f32::INFINITY),
    );
    if ui.input(|i| i.modifiers.command && i.key_pressed(Key::F)) {
        search.request_focus();
    }
    let kinds = state.kinds(view.dataset);
    let hidden = view.filter.hidden_kinds();
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = vec2(3.0, 3.0);
        for kind in kinds {
            let on = !hidden.contains(&kind);
            let text = RichText::new(format!("{} {}", kind_symbol(kind), kind.label_tr()))
                .small()
                .color(if on { Color32::WHITE } else { Color32::GRAY });
            let button = egui::Button::new(text)
                .fill(if on {
                    kind_color(kind)
                } else {
                    Color32::TRANSPARENT
                })
                .small();
            if ui
                .add(button)
                .on_hover_text(tr!(
                    "events-kind-tip",
                    kind = kind.label_tr().to_lowercase()
                ))
                .clicked()
            {
                // The chips edit the dataset's filter: the map and exports follow the list.
                let mut next = hidden.clone();
                if on {
                    next.push(kind);
                } else {
                    next.retain(|k| *k != kind);
                }
                commands.push(Command::SetFilter(view.filter.with_hidden_kinds(&next)));
            }
        }
    });
    ui.checkbox(&mut state.follow, tr!("events-follow"));
    ui.separator();

    let events = &view.dataset.events;
    let follow = state.follow;
    let rows = state.rows(view.dataset);
    let row = |i: usize| events.get(rows.get(i)? as usize);
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("event list")
        .auto_shrink([false, false]);
    let target = if *scroll_to_selection {
        // Rows are positions in the events, in order: a binary search finds the selection's.
        view.selection
            .and_then(|sel| view.dataset.event_position(sel))
            .and_then(|p| rows.binary_search(p as u32).ok())
    } else if follow && view.time.is_playing() {
        (0..rows.len())
            .rposition(|i| row(i).is_some_and(|e| row_state(&e, view) != RowState::Hidden))
    } else {
        None
    };
    if let Some(i) = target {
        let spacing = ui.spacing().item_spacing.y;
        let offset = (i as f32 * (ROW_HEIGHT + spacing) - 2.0 * ROW_HEIGHT).max(0.0);
        scroll = scroll.vertical_scroll_offset(offset);
        *scroll_to_selection = false;
    }
    scroll.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
        for e in range.filter_map(row) {
            row_ui(&e, view, ui, commands);
        }
    });
}

fn row_ui(event: &Event, view: &ListView, ui: &mut Ui, commands: &mut Vec<Command>) {
    let r = FeatureRef {
        layer: event.layer,
        feature: event.feature,
    };
    let state = row_state(event, view);
    // Only the rows on screen are read in full.
    let Some(e) = view.dataset.record(event) else {
        return;
    };
    let selected = view.selection == Some(r);
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), ROW_HEIGHT), Sense::click());
    response
        .widget_info(|| egui::WidgetInfo::selected(egui::Role::ListItem, true, selected, &e.title));
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let bg = if selected {
        Color32::from_rgb(0xcc, 0xe8, 0xff)
    } else if state == RowState::Active {
        Color32::from_rgb(0xff, 0xf1, 0xc4)
    } else if response.hovered() {
        visuals.widgets.hovered.weak_bg_fill
    } else {
        Color32::TRANSPARENT
    };
    painter.rect_filled(rect, 3.0, bg);
    let dim = state == RowState::Hidden;
    let text_color = if dim {
        Color32::from_gray(150)
    } else {
        visuals.strong_text_color()
    };
    let weak = if dim {
        Color32::from_gray(170)
    } else {
        visuals.weak_text_color()
    };
    let kc = kind_color(e.kind);
    let kc = if dim { kc.gamma_multiply(0.4) } else { kc };
    painter.circle_filled(pos2(rect.left() + 10.0, rect.top() + 12.0), 7.0, kc);
    painter.text(
        pos2(rect.left() + 10.0, rect.top() + 12.0),
        egui::Align2::CENTER_CENTER,
        kind_symbol(e.kind),
        FontId::proportional(9.0),
        Color32::WHITE,
    );
    let x = rect.left() + 22.0;
    // An event known only to the day shows its days, not a made-up hour.
    let time = crate::model::event::is_day_only(&e.time_precision)
        .then(|| crate::time::format_day_span(&e.start_text, e.span.end()))
        .flatten()
        .unwrap_or_else(|| view.time.zone().format(e.span.start()));
    let when = format!("{time} · {}", e.kind.label_tr());
    painter.text(
        pos2(x, rect.top() + 5.0),
        egui::Align2::LEFT_TOP,
        when,
        FontId::proportional(11.0),
        weak,
    );
    let width = rect.width() - 26.0;
    let title = painter.layout(
        e.title.clone(),
        FontId::proportional(13.0),
        text_color,
        width,
    );
    let title_rows = title.rows.len();
    painter.galley(pos2(x, rect.top() + 19.0), title, text_color);
    let mut detail = e.place.clone();
    if let Some(l) = view.dataset.layers.get(e.layer as usize)
        && l.role == crate::model::dataset::LayerRole::Custom
    {
        // A user layer's event names its layer.
        detail = if detail.is_empty() {
            format!("[{}]", l.layer.name)
        } else {
            format!("[{}] {detail}", l.layer.name)
        };
    }
    let uncertain = crate::io::bundled::border_index()
        .is_some_and(|ix| !ix.straddling(e.site_areas()).is_empty());
    if uncertain {
        let side = tr!("events-side-uncertain");
        detail = if detail.is_empty() {
            side
        } else {
            format!("{side} · {detail}")
        };
    }
    let claims = e.claims_line();
    if !claims.is_empty() {
        detail = if detail.is_empty() {
            claims
        } else {
            format!("{detail} · {claims}")
        };
    }
    if title_rows < 2 && !detail.is_empty() {
        let galley = painter.layout(detail, FontId::proportional(11.0), weak, width);
        if let Some(row) = galley.rows.first() {
            let first = row.text();
            painter.text(
                pos2(x, rect.top() + 38.0),
                egui::Align2::LEFT_TOP,
                first,
                FontId::proportional(11.0),
                weak,
            );
        }
    }
    if response.clicked() {
        commands.push(Command::Focus(r));
    }
    let mut hover = format!("{}\n{}", e.title, e.place);
    if uncertain {
        hover.push('\n');
        hover.push_str(&tr!("events-side-uncertain-tip"));
    }
    for c in &e.claims {
        // Each claim with its qualifiers, account and report date.
        let mut line = if c.via.is_empty() {
            format!("\n{}", c.by)
        } else {
            format!(
                "\n{}",
                tr!(
                    "events-claim-by-via",
                    by = c.by.as_str(),
                    via = c.via.as_str()
                )
            )
        };
        let reported = c.reported_text();
        if !reported.is_empty() {
            line.push_str(", ");
            line.push_str(&tr!("events-claim-reported", date = reported));
        }
        line.push(':');
        let figures = c.figures_text();
        if !figures.is_empty() {
            line.push_str(&format!(" {figures}"));
        }
        if !c.account.is_empty() {
            line.push_str(&format!(" “{}”", c.account));
        }
        hover.push_str(&line);
    }
    response.on_hover_text(hover);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::TimeCommand;

    fn event(ds: &Dataset, id: &str) -> Event {
        ds.events
            .iter()
            .find(|e| ds.record(e).unwrap().id == id)
            .unwrap()
    }

    fn at(ds: &Dataset, time: &str, mode: TimeMode) -> TimeControl {
        let mut control = TimeControl::default();
        control.set_range(ds.cursor_range());
        control.apply(TimeCommand::SetMode(mode), &ds.index);
        control.apply(TimeCommand::SetTime(time.parse().unwrap()), &ds.index);
        control
    }

    #[test]
    fn rows_are_active_past_or_hidden_by_the_cursor() {
        let ds = crate::io::bundled::dataset();
        let time = at(&ds, "2022-09-16T12:00:00+06:00", TimeMode::Cumulative);
        let visible = ds.index.visible(&time);
        let view = ListView {
            filter: &ds.filter,
            dataset: &ds,
            time: &time,
            visible: &visible,
            selection: None,
        };
        // Began two days before: shown, in the past.
        assert_eq!(
            row_state(&event(&ds, "e2022-09-14-first"), &view),
            RowState::Past
        );
        // Not yet begun.
        assert_eq!(
            row_state(&event(&ds, "e2022-09-18-tolls"), &view),
            RowState::Hidden
        );
        // Every row that has begun is shown; none that has not.
        let cursor = time.cursor();
        for e in ds.events.iter() {
            let begun = e.span.start() <= cursor;
            assert_eq!(row_state(&e, &view) != RowState::Hidden, begun, "{e:?}");
        }
        // In window mode every shown row is active; those before the window are hidden.
        let window = at(
            &ds,
            "2022-09-16T12:00:00+06:00",
            TimeMode::Window { width_secs: 86_400 },
        );
        let visible = ds.index.visible(&window);
        let view = ListView {
            filter: &ds.filter,
            dataset: &ds,
            time: &window,
            visible: &visible,
            selection: None,
        };
        assert_eq!(
            row_state(&event(&ds, "e2022-09-14-first"), &view),
            RowState::Hidden
        );
        assert!(
            ds.events
                .iter()
                .any(|e| row_state(&e, &view) == RowState::Active)
        );
        assert!(
            ds.events
                .iter()
                .all(|e| row_state(&e, &view) != RowState::Past)
        );
    }

    #[test]
    fn search_matches_every_word_in_any_field_and_kinds_filter() {
        let ds = crate::io::bundled::dataset();
        let ovchi = &event(&ds, "e2022-09-16-ovchi-kalacha");
        let mut state = ListState::default();
        assert!(matches(&ds, ovchi, &state), "no search: everything");
        state.search = "OVCHI".into();
        assert!(matches(&ds, ovchi, &state), "case does not matter");
        state.search = "ovchi  kalacha".into();
        assert!(matches(&ds, ovchi, &state), "every word, any spacing");
        state.search = "ovchi moscow".into();
        assert!(!matches(&ds, ovchi, &state), "all words must be found");
        state.search = ds.record(ovchi).unwrap().id;
        assert!(matches(&ds, ovchi, &state), "the id is searched");
        state.search.clear();
        // A kind chip hides its rows through the dataset's filter, as it hides the sites.
        let kind = ovchi.kind;
        let other = ds.events.iter().filter(|e| e.kind != kind).count();
        let mut ds = ds.clone();
        ds.set_filter(ds.filter.with_hidden_kinds(&[kind]));
        assert_eq!(state.rows(&ds).len(), other);
        assert!(
            state.kinds(&ds).contains(&kind),
            "a hidden kind keeps its chip"
        );
    }

    #[test]
    fn a_long_search_goes_on_over_frames_and_finds_what_a_full_filter_finds() {
        let day0: Timestamp = "2022-01-01T00:00:00Z".parse().unwrap();
        let features = (0..200_000)
            .map(|i| crate::model::Feature {
                given_id: Some(format!("ev{i}").into()),
                shape: Some(crate::model::Shape::Point(geo::Point::new(70.0, 40.0))),
                properties: None,
                span: Some(crate::time::TimeSpan::instant(
                    day0 + jiff::SignedDuration::from_secs(i),
                )),
                line: 0,
            })
            .collect();
        let mut ds = Dataset::default();
        ds.push(
            crate::model::Layer {
                features,
                ..Default::default()
            },
            crate::model::dataset::LayerRole::Custom,
        );
        // A search changed while the workers search: the rows are the new search's only.
        let mut state = ListState {
            search: "ev42".into(),
            ..ListState::default()
        };
        state.rows(&ds);
        assert!(
            state.progress(&ds).is_some(),
            "200,000 events take more than a frame"
        );
        state.search = "ev1".into();
        let mut calls = 0;
        loop {
            state.rows(&ds);
            calls += 1;
            if state.progress(&ds).is_none() {
                break;
            }
        }
        assert!(
            calls > 1,
            "a search over 200,000 events takes more than a frame"
        );
        let all: Vec<u32> = (0..ds.events.len() as u32)
            .filter(|&i| matches(&ds, &ds.events.get(i as usize).unwrap(), &state))
            .collect();
        assert_eq!(state.rows(&ds).iter().collect::<Vec<_>>(), all);
        // ev1, ev10..ev19, ..., ev100000..ev199999: rows in every block the threads take.
        assert_eq!(all.len(), 1 + 10 + 100 + 1_000 + 10_000 + 100_000);
    }

    #[test]
    fn rows_are_kept_until_the_search_the_filter_or_the_events_change() {
        let mut ds = crate::io::bundled::dataset();
        let mut state = ListState::default();
        // No search: every event, kept as their count.
        assert_eq!(*state.rows(&ds), Positions::All(ds.events.len() as u32));
        state.search = "ovchi".into();
        let found: Vec<u32> = state.rows(&ds).iter().collect();
        assert!(!found.is_empty() && found.len() < ds.events.len());
        for &i in &found {
            assert!(matches(&ds, &ds.events.get(i as usize).unwrap(), &state));
        }
        let kind = ds.events.get(found[0] as usize).unwrap().kind;
        ds.set_filter(ds.filter.with_hidden_kinds(&[kind]));
        assert!(
            state.rows(&ds).len() < found.len(),
            "a filter (a new generation) renews the rows"
        );
        ds.set_filter(Default::default());
        // The events change (a layer hidden): the rows follow.
        ds.set_visible(1, false);
        assert!(state.rows(&ds).is_empty(), "no events, no rows");
    }
}
