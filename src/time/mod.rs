//! Time: the cursor and how it moves, what is shown at it, and in which zone.
//!
//! [`TimeControl`] holds the cursor, play state, speed, loop and mode, and changes only
//! through [`TimeCommand`]s (rerun's pattern): widgets read `&TimeControl` and push
//! commands, the app applies the batch once per frame, then calls [`TimeControl::tick`].
//! Each frame the app asks the [`TimeIndex`] for the [`Visible`] set once and hands that
//! one answer to the event list and the map. Plain logic, no GUI types.

mod index;
mod zone;

pub use index::{Buckets, FeatureRef, KINDS, TimeIndex, Visible, stacked_max};
pub use zone::{
    DisplayZone, format_day_span, format_duration, format_reported, parse_duration, parse_user_time,
};

use jiff::Timestamp;

/// A closed interval of UTC instants; an instant is a span with `start == end`.
///
/// Kept packed, as a million features and their index entries each hold one: 24 bytes, and
/// `Option<TimeSpan>` too (two `jiff::Timestamp`s take 32 bytes, 40 in an `Option`). Ordered
/// by start, then end.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeSpan {
    start_second: i64,
    start_nano: Nanos,
    end_second: i64,
    end_nano: Nanos,
}

/// A timestamp's signed nanoseconds within its second, plus 10^9 (so never zero: the niche
/// that keeps `Option<TimeSpan>` as small as a span). Ordered as the nanoseconds are.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Nanos(std::num::NonZeroU32);

/// Splits a timestamp into its seconds and packed nanoseconds.
fn pack(t: Timestamp) -> (i64, Nanos) {
    // jiff keeps the nanoseconds within (-10^9, 10^9) with the sign of the seconds.
    let nano = (i64::from(t.subsec_nanosecond()) + 1_000_000_000) as u32;
    let nano = std::num::NonZeroU32::new(nano).unwrap_or(std::num::NonZeroU32::MIN);
    (t.as_second(), Nanos(nano))
}

/// The timestamp [`pack`] split.
fn unpack(second: i64, nano: Nanos) -> Timestamp {
    let nano = i64::from(nano.0.get()) - 1_000_000_000;
    // Both came from a valid timestamp, so this does not fail.
    Timestamp::new(second, nano as i32).unwrap_or_default()
}

impl TimeSpan {
    /// A span from `start` to `end`, or `None` when `end` precedes `start`.
    pub fn new(start: Timestamp, end: Timestamp) -> Option<Self> {
        (start <= end).then(|| Self::ordered(start, end))
    }

    /// The span between two instants, in whichever order they come.
    pub fn ordered(a: Timestamp, b: Timestamp) -> Self {
        let ((start_second, start_nano), (end_second, end_nano)) = (pack(a.min(b)), pack(a.max(b)));
        Self {
            start_second,
            start_nano,
            end_second,
            end_nano,
        }
    }

    /// A span of one instant.
    pub fn instant(at: Timestamp) -> Self {
        Self::ordered(at, at)
    }

    /// First instant of the span.
    pub fn start(&self) -> Timestamp {
        unpack(self.start_second, self.start_nano)
    }

    /// Last instant of the span; never before `start`.
    pub fn end(&self) -> Timestamp {
        unpack(self.end_second, self.end_nano)
    }

    /// The smallest span holding both.
    pub fn hull(self, other: Self) -> Self {
        Self::ordered(self.start().min(other.start()), self.end().max(other.end()))
    }

    /// True when the span and `[from, to]` share at least one instant.
    pub fn overlaps(&self, from: Timestamp, to: Timestamp) -> bool {
        self.start() <= to && self.end() >= from
    }
}

impl std::fmt::Debug for TimeSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimeSpan")
            .field("start", &self.start())
            .field("end", &self.end())
            .finish()
    }
}

/// Seconds in an hour.
const HOUR: i64 = 3_600;
/// Seconds in a day.
const DAY: i64 = 86_400;

/// Playback speeds offered, in seconds of data per second of wall time: 1 hour to 1 week.
pub const SPEEDS_SECS_PER_SEC: [i64; 6] = [HOUR, 6 * HOUR, 12 * HOUR, DAY, 3 * DAY, 7 * DAY];
/// The speed of a fresh control: one day per second.
pub const DEFAULT_SPEED_SECS_PER_SEC: i64 = DAY;
/// The fastest speed [`TimeCommand::SetSpeed`] accepts: a year per second.
pub const MAX_SPEED_SECS_PER_SEC: i64 = 365 * DAY;
/// The width a window starts with when switching from cumulative mode.
pub const DEFAULT_WINDOW_SECS: i64 = 7 * DAY;
/// In cumulative mode, how long after its end an event takes to fade fully
/// ([`age_fraction`]).
pub const FADE_SECS: i64 = 7 * DAY;
/// How long before the data's first event the cursor may go, so the map can show the time
/// before it began.
pub const LEAD_IN_SECS: i64 = 30 * DAY;

/// The range the time cursor may take, in the window and in every export alike: from
/// [`LEAD_IN_SECS`] before the data's first instant to its last, widened to take in any time
/// asked for explicitly (an export's `--at`, `--from`, `--to`).
pub fn cursor_range(
    data: Option<(Timestamp, Timestamp)>,
    asked: &[Timestamp],
) -> Option<(Timestamp, Timestamp)> {
    let lead_in = jiff::SignedDuration::from_secs(LEAD_IN_SECS);
    let data = data.map(|(from, to)| (from.checked_sub(lead_in).unwrap_or(from), to));
    asked.iter().fold(data, |range, &t| match range {
        None => Some((t, t)),
        Some((a, b)) => Some((a.min(t), b.max(t))),
    })
}

/// The most wall time one [`TimeControl::tick`] counts, as rerun does: a stalled frame
/// does not make playback jump.
pub const MAX_TICK_SECS: f64 = 0.1;

/// What is shown at the cursor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TimeMode {
    /// Everything that started at or before the cursor; older events fade.
    #[default]
    Cumulative,
    /// What overlaps `[cursor - width, cursor]`.
    Window {
        /// The width of the window, seconds (negative counts as zero).
        width_secs: i64,
    },
}

impl TimeMode {
    /// A window of the default width ([`DEFAULT_WINDOW_SECS`]).
    pub fn default_window() -> Self {
        TimeMode::Window {
            width_secs: DEFAULT_WINDOW_SECS,
        }
    }

    /// Short text for a mode picker: `"cumulative"`, `"window 1w"`, `"window 30d"`.
    pub fn label(self) -> String {
        match self {
            TimeMode::Cumulative => "cumulative".to_owned(),
            TimeMode::Window { width_secs } => format!("window {}", format_duration(width_secs)),
        }
    }

    /// The same mode with a window width that is not negative.
    fn sanitized(self) -> Self {
        match self {
            TimeMode::Cumulative => self,
            TimeMode::Window { width_secs } => TimeMode::Window {
                width_secs: width_secs.max(0),
            },
        }
    }
}

/// A change to the [`TimeControl`]: the only way it changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeCommand {
    /// Moves the cursor (scrubbing, "jump to"), clamped into the range. Play state stays.
    SetTime(Timestamp),
    /// Plays when paused, pauses when playing.
    TogglePlayPause,
    /// Starts playback; at the end of the range it restarts from the start.
    Play,
    /// Stops playback where it is.
    Pause,
    /// Seconds of data per second of wall time; ignored unless positive, capped at
    /// [`MAX_SPEED_SECS_PER_SEC`].
    SetSpeed(i64),
    /// Whether playback wraps to the start at the end.
    SetLoop(bool),
    /// Pauses and moves to the next event start after the cursor (stays after the last).
    StepNext,
    /// Pauses and moves to the previous event start before the cursor (stays before the
    /// first).
    StepPrev,
    /// Moves to the start of the range.
    Home,
    /// Moves to the end of the range.
    End,
    /// Cumulative or window.
    SetMode(TimeMode),
    /// The zone times are shown in; the cursor instant does not change.
    SetZone(DisplayZone),
}

/// The time cursor and playback state: read by widgets, changed by [`TimeCommand`]s.
/// Persisted (serde) without the play state and the range, which belong to the session
/// and the data.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TimeControl {
    /// The moment shown. Before any range is known it is the end of time, so that the
    /// first [`set_range`](Self::set_range) puts it at the data's end (everything shown).
    cursor: Timestamp,
    /// Whether [`tick`](Self::tick) advances the cursor.
    #[serde(skip)]
    playing: bool,
    /// Seconds of data per second of wall time.
    speed_secs_per_sec: i64,
    /// Whether playback wraps to the start at the end.
    looping: bool,
    /// Cumulative or window.
    mode: TimeMode,
    /// The zone times are shown in.
    zone: DisplayZone,
    /// The data's time range: the cursor stays in it.
    #[serde(skip)]
    range: Option<(Timestamp, Timestamp)>,
}

impl Default for TimeControl {
    fn default() -> Self {
        Self {
            cursor: Timestamp::MAX,
            playing: false,
            speed_secs_per_sec: DEFAULT_SPEED_SECS_PER_SEC,
            looping: false,
            mode: TimeMode::Cumulative,
            zone: DisplayZone::Utc,
            range: None,
        }
    }
}

impl TimeControl {
    /// The moment shown.
    pub fn cursor(&self) -> Timestamp {
        self.cursor
    }

    /// True while playback runs.
    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// Seconds of data per second of wall time (always in `1..=MAX_SPEED_SECS_PER_SEC`).
    pub fn speed(&self) -> i64 {
        self.speed_secs_per_sec.clamp(1, MAX_SPEED_SECS_PER_SEC)
    }

    /// True when playback wraps to the start at the end.
    pub fn is_looping(&self) -> bool {
        self.looping
    }

    /// Cumulative or window (a window's width is never negative).
    pub fn mode(&self) -> TimeMode {
        self.mode.sanitized()
    }

    /// The zone times are shown in.
    pub fn zone(&self) -> DisplayZone {
        self.zone
    }

    /// The data's time range, `None` before any dated data.
    pub fn range(&self) -> Option<(Timestamp, Timestamp)> {
        self.range
    }

    /// Sets the data's time range (call it whenever the data changes; it is idempotent).
    /// The cursor is clamped into it, so a persisted cursor outside it moves to the nearest
    /// end; a cursor at the end of the previous range stays at the end of the new one, so
    /// "everything" stays everything when a layer is added. Without a range, or with one
    /// instant, playback stops.
    pub fn set_range(&mut self, range: Option<(Timestamp, Timestamp)>) {
        let range = range.map(|(a, b)| (a.min(b), a.max(b)));
        let at_old_end = self.range.is_some_and(|(_, end)| self.cursor == end);
        self.range = range;
        match range {
            None => self.playing = false,
            Some((start, end)) => {
                self.cursor = if at_old_end {
                    end
                } else {
                    self.cursor.clamp(start, end)
                };
                if start == end {
                    self.playing = false;
                }
            }
        }
    }

    /// Applies one command. `index` gives the event starts for stepping.
    pub fn apply(&mut self, command: TimeCommand, index: &TimeIndex) {
        match command {
            TimeCommand::SetTime(t) => self.cursor = self.clamped(t),
            TimeCommand::TogglePlayPause => {
                if self.playing {
                    self.playing = false;
                } else {
                    self.play();
                }
            }
            TimeCommand::Play => self.play(),
            TimeCommand::Pause => self.playing = false,
            TimeCommand::SetSpeed(speed) => {
                if speed > 0 {
                    self.speed_secs_per_sec = speed.min(MAX_SPEED_SECS_PER_SEC);
                }
            }
            TimeCommand::SetLoop(looping) => self.looping = looping,
            TimeCommand::StepNext => {
                self.playing = false;
                if let Some(t) = index.next_start_after(self.cursor) {
                    self.cursor = self.clamped(t);
                }
            }
            TimeCommand::StepPrev => {
                self.playing = false;
                if let Some(t) = index.prev_start_before(self.cursor) {
                    self.cursor = self.clamped(t);
                }
            }
            TimeCommand::Home => {
                if let Some((start, _)) = self.range {
                    self.cursor = start;
                }
            }
            TimeCommand::End => {
                if let Some((_, end)) = self.range {
                    self.cursor = end;
                }
            }
            TimeCommand::SetMode(mode) => self.mode = mode.sanitized(),
            TimeCommand::SetZone(zone) => self.zone = zone,
        }
    }

    /// Advances playback by `dt_secs` of wall time (at most [`MAX_TICK_SECS`]) times the
    /// speed. Reaching the end it stops there, or, when looping, shows the end for this
    /// frame and wraps to the start on the next. Returns true when the cursor moved (then
    /// request a repaint; while playing, request one every frame anyway).
    pub fn tick(&mut self, dt_secs: f64) -> bool {
        if !self.playing {
            return false;
        }
        let Some((start, end)) = self.range.filter(|(start, end)| start < end) else {
            self.playing = false;
            return false;
        };
        if self.cursor >= end {
            if self.looping {
                self.cursor = start;
                return true;
            }
            self.playing = false;
            return false;
        }
        let dt_secs = if dt_secs.is_finite() {
            dt_secs.clamp(0.0, MAX_TICK_SECS)
        } else {
            0.0
        };
        // Whole nanoseconds of wall time first, so fixed steps add up exactly.
        let wall_nanos = (dt_secs * 1e9).round() as i128;
        let next = shift(self.cursor, wall_nanos * i128::from(self.speed())).min(end);
        let moved = next != self.cursor;
        self.cursor = next;
        if next >= end && !self.looping {
            self.playing = false;
        }
        moved
    }

    /// The interval shown at the cursor: `(range start, cursor)` in cumulative mode
    /// (`Timestamp::MIN` without a range), `(cursor - width, cursor)` in window mode.
    pub fn shown_interval(&self) -> (Timestamp, Timestamp) {
        let cursor = self.cursor;
        match self.mode() {
            TimeMode::Cumulative => {
                let start = self.range.map_or(Timestamp::MIN, |(start, _)| start);
                (start.min(cursor), cursor)
            }
            TimeMode::Window { width_secs } => (
                shift(cursor, -i128::from(width_secs) * 1_000_000_000),
                cursor,
            ),
        }
    }

    /// True when `span` is happening at the cursor (`start <= cursor <= end`).
    pub fn is_active(&self, span: TimeSpan) -> bool {
        span.start() <= self.cursor && self.cursor <= span.end()
    }

    /// Starts playback, from the start when at the end; not without a range to play.
    fn play(&mut self) {
        let Some((start, end)) = self.range.filter(|(start, end)| start < end) else {
            return;
        };
        if self.cursor >= end {
            self.cursor = start;
        }
        self.playing = true;
    }

    /// `t` clamped into the range (unchanged without one).
    fn clamped(&self, t: Timestamp) -> Timestamp {
        match self.range {
            Some((start, end)) => t.clamp(start, end),
            None => t,
        }
    }
}

/// How faded a shown event should be: 0 while it is happening at (or after) the cursor,
/// rising linearly with the time since its end, `(cursor - end) / fade`, to 1 ("long
/// past"). `fade` is [`FADE_SECS`] (7 days) in cumulative mode and the window's width in
/// window mode, so the oldest event in a window is the faintest.
pub fn age_fraction(span: TimeSpan, control: &TimeControl) -> f32 {
    age_at(span, control.cursor(), control.mode())
}

/// [`age_fraction`] at a given cursor and mode.
pub fn age_at(span: TimeSpan, cursor: Timestamp, mode: TimeMode) -> f32 {
    if span.end() >= cursor {
        return 0.0;
    }
    let fade_secs = match mode.sanitized() {
        TimeMode::Cumulative => FADE_SECS,
        TimeMode::Window { width_secs } => width_secs,
    };
    if fade_secs == 0 {
        return 1.0;
    }
    let age_nanos = (nanos(cursor) - nanos(span.end())) as f64;
    (age_nanos / (fade_secs as f64 * 1e9)).min(1.0) as f32
}

/// An instant as nanoseconds since the Unix epoch.
fn nanos(t: Timestamp) -> i128 {
    t.as_nanosecond()
}

/// `t` moved by `delta_nanos`, saturating at the ends of time.
fn shift(t: Timestamp, delta_nanos: i128) -> Timestamp {
    let target = nanos(t).saturating_add(delta_nanos);
    if target <= nanos(Timestamp::MIN) {
        Timestamp::MIN
    } else if target >= nanos(Timestamp::MAX) {
        Timestamp::MAX
    } else {
        // Strictly between MIN and MAX, so in range.
        Timestamp::from_nanosecond(target).unwrap_or(t)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).unwrap()
    }

    fn utc(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_span_is_packed_in_24_bytes_and_gives_back_its_instants_in_order() {
        assert_eq!(std::mem::size_of::<Option<TimeSpan>>(), 24);
        let instants = [
            Timestamp::MIN,
            utc("1969-12-31T23:59:58.5Z"),
            utc("1969-12-31T23:59:59.999999999Z"),
            Timestamp::UNIX_EPOCH,
            utc("1970-01-01T00:00:00.000000001Z"),
            utc("2022-09-14T10:00:00.25Z"),
            Timestamp::MAX,
        ];
        for (i, &a) in instants.iter().enumerate() {
            let one = TimeSpan::instant(a);
            assert_eq!((one.start(), one.end()), (a, a));
            for &b in &instants[i..] {
                let span = TimeSpan::new(a, b).unwrap();
                assert_eq!((span.start(), span.end()), (a, b));
                assert_eq!(TimeSpan::ordered(b, a), span);
                // Ordered by start, then end, as the instants are.
                assert_eq!(one.cmp(&TimeSpan::instant(b)), a.cmp(&b));
                assert!(span >= one);
            }
        }
        assert_eq!(TimeSpan::new(t(2), t(1)), None);
        let hull = TimeSpan::instant(t(5)).hull(TimeSpan::new(t(1), t(3)).unwrap());
        assert_eq!((hull.start(), hull.end()), (t(1), t(5)));
    }

    /// Events starting on days 1, 3 and 6 (a point, a point, a one-day span ending day 7);
    /// range day 1 to day 7.
    fn index() -> TimeIndex {
        let r = |f| FeatureRef::new(0, f);
        TimeIndex::new([
            (r(0), TimeSpan::instant(t(DAY))),
            (r(1), TimeSpan::instant(t(3 * DAY))),
            (r(2), TimeSpan::new(t(6 * DAY), t(7 * DAY)).unwrap()),
        ])
    }

    /// A paused control over `index()` at day 1 (the range start).
    fn control(index: &TimeIndex) -> TimeControl {
        let mut c = TimeControl::default();
        c.set_range(index.range());
        c.apply(TimeCommand::Home, index);
        c
    }

    fn run(c: &mut TimeControl, index: &TimeIndex, commands: &[TimeCommand]) {
        for &command in commands {
            c.apply(command, index);
        }
    }

    #[test]
    fn fixed_dt_steps_add_up_exactly() {
        let index = index();
        let mut c = control(&index);
        run(
            &mut c,
            &index,
            &[TimeCommand::SetSpeed(DAY), TimeCommand::Play],
        );
        for _ in 0..20 {
            assert!(c.tick(0.05));
        }
        assert_eq!(c.cursor(), t(2 * DAY));
        assert!(c.is_playing());
    }

    #[test]
    fn a_long_frame_counts_as_a_tenth_of_a_second() {
        let index = index();
        let mut c = control(&index);
        run(
            &mut c,
            &index,
            &[TimeCommand::SetSpeed(DAY), TimeCommand::Play],
        );
        assert!(c.tick(5.0));
        assert_eq!(c.cursor(), t(DAY + DAY / 10));
        // Nonsense frame times move nothing.
        for dt in [-1.0, f64::NAN, f64::INFINITY, 0.0] {
            assert!(!c.tick(dt), "{dt}");
        }
        assert_eq!(c.cursor(), t(DAY + DAY / 10));
    }

    #[test]
    fn paused_does_not_move() {
        let index = index();
        let mut c = control(&index);
        assert!(!c.tick(0.05));
        assert_eq!(c.cursor(), t(DAY));
    }

    #[test]
    fn set_time_is_clamped_to_the_range() {
        let index = index();
        let mut c = control(&index);
        c.apply(TimeCommand::SetTime(t(0)), &index);
        assert_eq!(c.cursor(), t(DAY));
        c.apply(TimeCommand::SetTime(t(100 * DAY)), &index);
        assert_eq!(c.cursor(), t(7 * DAY));
        c.apply(TimeCommand::SetTime(t(4 * DAY)), &index);
        assert_eq!(c.cursor(), t(4 * DAY));
    }

    #[test]
    fn playback_stops_at_the_end() {
        let index = index();
        let mut c = control(&index);
        run(
            &mut c,
            &index,
            &[TimeCommand::SetSpeed(7 * DAY), TimeCommand::Play],
        );
        let mut ticks = 0;
        while c.tick(0.1) {
            ticks += 1;
            assert!(ticks < 100, "never stopped");
        }
        assert_eq!(ticks, 9, "6 days at 0.7 days a tick");
        assert_eq!(c.cursor(), t(7 * DAY));
        assert!(!c.is_playing());
        assert!(!c.tick(0.1));
    }

    #[test]
    fn looping_wraps_to_the_start() {
        let index = index();
        let mut c = control(&index);
        run(
            &mut c,
            &index,
            &[
                TimeCommand::SetLoop(true),
                TimeCommand::SetTime(t(7 * DAY - 10)),
                TimeCommand::Play,
            ],
        );
        assert!(c.tick(0.1));
        assert_eq!(c.cursor(), t(7 * DAY), "the end is shown for one frame");
        assert!(c.tick(0.1));
        assert_eq!(c.cursor(), t(DAY), "then it wraps");
        assert!(c.is_playing());
        assert!(c.tick(0.05));
        assert_eq!(c.cursor(), t(DAY + DAY / 20));
    }

    #[test]
    fn play_at_the_end_restarts() {
        let index = index();
        let mut c = control(&index);
        run(&mut c, &index, &[TimeCommand::End, TimeCommand::Play]);
        assert_eq!(c.cursor(), t(DAY));
        assert!(c.is_playing());
        run(&mut c, &index, &[TimeCommand::TogglePlayPause]);
        assert!(!c.is_playing());
        run(
            &mut c,
            &index,
            &[TimeCommand::End, TimeCommand::TogglePlayPause],
        );
        assert_eq!(c.cursor(), t(DAY));
        assert!(c.is_playing());
        run(&mut c, &index, &[TimeCommand::Pause]);
        assert!(!c.is_playing());
    }

    #[test]
    fn nothing_to_play_without_a_range() {
        let empty = TimeIndex::new([]);
        let mut c = TimeControl::default();
        c.set_range(empty.range());
        c.apply(TimeCommand::Play, &empty);
        assert!(!c.is_playing());
        assert!(!c.tick(0.1));
        // A single instant is not playable either.
        let one = TimeIndex::new([(FeatureRef::new(0, 0), TimeSpan::instant(t(DAY)))]);
        c.set_range(one.range());
        c.apply(TimeCommand::Play, &one);
        assert!(!c.is_playing());
        assert_eq!(c.cursor(), t(DAY));
    }

    #[test]
    fn step_between_event_starts() {
        let index = index();
        let mut c = control(&index);
        c.apply(TimeCommand::Play, &index);
        c.apply(TimeCommand::StepNext, &index);
        assert!(!c.is_playing(), "stepping pauses");
        assert_eq!(c.cursor(), t(3 * DAY));
        c.apply(TimeCommand::StepNext, &index);
        assert_eq!(c.cursor(), t(6 * DAY));
        c.apply(TimeCommand::StepNext, &index);
        assert_eq!(c.cursor(), t(6 * DAY), "no start after the last: stays");
        c.apply(TimeCommand::End, &index);
        c.apply(TimeCommand::StepPrev, &index);
        assert_eq!(c.cursor(), t(6 * DAY));
        c.apply(TimeCommand::SetTime(t(4 * DAY)), &index);
        c.apply(TimeCommand::StepPrev, &index);
        assert_eq!(c.cursor(), t(3 * DAY));
        c.apply(TimeCommand::StepPrev, &index);
        assert_eq!(c.cursor(), t(DAY));
        c.apply(TimeCommand::StepPrev, &index);
        assert_eq!(c.cursor(), t(DAY), "no start before the first: stays");
    }

    #[test]
    fn home_and_end() {
        let index = index();
        let mut c = control(&index);
        c.apply(TimeCommand::End, &index);
        assert_eq!(c.cursor(), t(7 * DAY));
        c.apply(TimeCommand::Home, &index);
        assert_eq!(c.cursor(), t(DAY));
    }

    #[test]
    fn set_range_clamps_and_follows_the_end() {
        let index = index();
        let mut c = TimeControl::default();
        c.set_range(index.range());
        assert_eq!(c.cursor(), t(7 * DAY), "a fresh control starts at the end");
        // More data later: a cursor at the end stays at the end.
        c.set_range(Some((t(DAY), t(20 * DAY))));
        assert_eq!(c.cursor(), t(20 * DAY));
        c.set_range(Some((t(DAY), t(20 * DAY))));
        assert_eq!(c.cursor(), t(20 * DAY), "idempotent");
        // Elsewhere, the cursor stays, clamped.
        c.apply(TimeCommand::SetTime(t(5 * DAY)), &index);
        c.set_range(Some((t(DAY), t(30 * DAY))));
        assert_eq!(c.cursor(), t(5 * DAY));
        c.set_range(Some((t(10 * DAY), t(30 * DAY))));
        assert_eq!(c.cursor(), t(10 * DAY));
        // A persisted cursor outside the data moves to the nearest end.
        let mut restored = TimeControl::default();
        restored.apply(TimeCommand::SetTime(t(0)), &index);
        restored.set_range(index.range());
        assert_eq!(restored.cursor(), t(DAY));
    }

    #[test]
    fn speed_and_mode_are_sanitized() {
        let index = index();
        let mut c = control(&index);
        c.apply(TimeCommand::SetSpeed(0), &index);
        c.apply(TimeCommand::SetSpeed(-5), &index);
        assert_eq!(c.speed(), DEFAULT_SPEED_SECS_PER_SEC);
        c.apply(TimeCommand::SetSpeed(i64::MAX), &index);
        assert_eq!(c.speed(), MAX_SPEED_SECS_PER_SEC);
        c.apply(
            TimeCommand::SetMode(TimeMode::Window { width_secs: -3 }),
            &index,
        );
        assert_eq!(c.mode(), TimeMode::Window { width_secs: 0 });
        assert!(SPEEDS_SECS_PER_SEC.windows(2).all(|w| w[0] < w[1]));
        assert!(
            [HOUR, 6 * HOUR, DAY, 7 * DAY]
                .iter()
                .all(|s| SPEEDS_SECS_PER_SEC.contains(s))
        );
    }

    #[test]
    fn shown_interval_per_mode() {
        let index = index();
        let mut c = control(&index);
        c.apply(TimeCommand::SetTime(t(4 * DAY)), &index);
        assert_eq!(c.shown_interval(), (t(DAY), t(4 * DAY)));
        c.apply(
            TimeCommand::SetMode(TimeMode::Window { width_secs: DAY }),
            &index,
        );
        assert_eq!(c.shown_interval(), (t(3 * DAY), t(4 * DAY)));
        assert_eq!(
            TimeControl::default().shown_interval(),
            (Timestamp::MIN, Timestamp::MAX)
        );
    }

    #[test]
    fn set_zone_keeps_the_instant() {
        let index = index();
        let mut c = control(&index);
        let noon_bishkek = utc("2022-09-16T06:00:00Z");
        c.set_range(Some((utc("2022-01-01T00:00Z"), utc("2023-01-01T00:00Z"))));
        c.apply(TimeCommand::SetTime(noon_bishkek), &index);
        c.apply(TimeCommand::SetZone(DisplayZone::Bishkek), &index);
        assert_eq!(c.cursor(), noon_bishkek);
        assert_eq!(c.zone().format(c.cursor()), "2022-09-16 12:00 UTC+06");
        c.apply(TimeCommand::SetZone(DisplayZone::Dushanbe), &index);
        assert_eq!(c.cursor(), noon_bishkek);
        assert_eq!(c.zone().format(c.cursor()), "2022-09-16 11:00 UTC+05");
        c.apply(TimeCommand::SetZone(DisplayZone::Utc), &index);
        assert_eq!(c.zone().format(c.cursor()), "2022-09-16 06:00 UTC");
    }

    #[test]
    fn persisted_state_round_trips_without_playing() {
        let index = index();
        let mut c = control(&index);
        run(
            &mut c,
            &index,
            &[
                TimeCommand::SetTime(t(4 * DAY)),
                TimeCommand::SetSpeed(6 * HOUR),
                TimeCommand::SetLoop(true),
                TimeCommand::SetMode(TimeMode::Window {
                    width_secs: 3 * DAY,
                }),
                TimeCommand::SetZone(DisplayZone::Dushanbe),
                TimeCommand::Play,
            ],
        );
        assert!(c.is_playing());
        let json = serde_json::to_string(&c).unwrap();
        assert!(
            !json.contains("playing") && !json.contains("range"),
            "{json}"
        );
        let mut restored: TimeControl = serde_json::from_str(&json).unwrap();
        assert!(!restored.is_playing());
        assert_eq!(restored.range(), None);
        assert_eq!(restored.cursor(), t(4 * DAY));
        assert_eq!(restored.speed(), 6 * HOUR);
        assert!(restored.is_looping());
        assert_eq!(
            restored.mode(),
            TimeMode::Window {
                width_secs: 3 * DAY
            }
        );
        assert_eq!(restored.zone(), DisplayZone::Dushanbe);
        restored.set_range(index.range());
        c.apply(TimeCommand::Pause, &index);
        assert_eq!(restored, c);
    }

    #[test]
    fn persisted_state_tolerates_missing_and_bad_fields() {
        let restored: TimeControl = serde_json::from_str(r#"{"zone":"Bishkek"}"#).unwrap();
        assert_eq!(restored.zone(), DisplayZone::Bishkek);
        assert_eq!(restored.speed(), DEFAULT_SPEED_SECS_PER_SEC);
        let bad: TimeControl = serde_json::from_str(
            r#"{"speed_secs_per_sec":-4,"mode":{"Window":{"width_secs":-9}}}"#,
        )
        .unwrap();
        assert_eq!(bad.speed(), 1);
        assert_eq!(bad.mode(), TimeMode::Window { width_secs: 0 });
    }

    #[test]
    fn age_fraction_fades_over_a_week_or_the_window() {
        let index = index();
        let mut c = control(&index);
        c.apply(TimeCommand::SetTime(t(6 * DAY)), &index);
        let at = |start: i64, end: i64| TimeSpan::new(t(start), t(end)).unwrap();
        assert_eq!(age_fraction(at(6 * DAY, 7 * DAY), &c), 0.0, "happening now");
        assert_eq!(
            age_fraction(at(5 * DAY, 6 * DAY), &c),
            0.0,
            "ends at the cursor"
        );
        assert!((age_fraction(at(DAY, DAY), &c) - 5.0 / 7.0).abs() < 1e-6);
        assert_eq!(age_fraction(at(-30 * DAY, -20 * DAY), &c), 1.0, "long past");
        c.apply(
            TimeCommand::SetMode(TimeMode::Window {
                width_secs: 2 * DAY,
            }),
            &index,
        );
        assert!((age_fraction(at(5 * DAY, 5 * DAY), &c) - 0.5).abs() < 1e-6);
        let v = index.visible(&c);
        assert_eq!(
            v.age_fraction(at(5 * DAY, 5 * DAY)),
            age_fraction(at(5 * DAY, 5 * DAY), &c)
        );
        assert!(c.is_active(at(6 * DAY, 7 * DAY)) && !c.is_active(at(DAY, DAY)));
    }

    #[test]
    fn mode_labels() {
        assert_eq!(TimeMode::Cumulative.label(), "cumulative");
        assert_eq!(TimeMode::default_window().label(), "window 1w");
    }
}
