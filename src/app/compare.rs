//! Two moments side by side: B's time control beside the timeline's (A), and how the two
//! are laid out. The map draws both with one camera (`WindowMap::show_compare`); the
//! window's Export draws what it shows.

use super::App;
use crate::command::CompareCommand;
use crate::time::{TimeCommand, TimeControl, Visible};

/// The second moment.
#[derive(Clone, Debug)]
pub struct Compare {
    /// B's cursor, mode and zone (mode and zone follow A's).
    pub time: TimeControl,
    /// What is visible at B.
    pub visible: Visible,
    /// One map split by a swipe line (`true`) or two maps side by side.
    pub swipe: bool,
}

impl App {
    /// Applies a compare command.
    pub(super) fn compare_command(&mut self, command: CompareCommand) {
        match command {
            CompareCommand::Toggle => {
                self.compare = match self.compare.take() {
                    Some(_) => None,
                    None => {
                        let mut time = self.time.clone();
                        time.apply(TimeCommand::End, &self.dataset.index);
                        Some(Compare {
                            visible: self.dataset.index.visible(&time),
                            time,
                            swipe: false,
                        })
                    }
                }
            }
            CompareCommand::Time(t) => {
                if let Some(c) = &mut self.compare {
                    c.time.apply(t, &self.dataset.index);
                }
            }
            CompareCommand::Swipe(on) => {
                if let Some(c) = &mut self.compare {
                    c.swipe = on;
                }
            }
            CompareCommand::Swap => {
                if let Some(c) = &mut self.compare {
                    let (a, b) = (self.time.cursor(), c.time.cursor());
                    self.time
                        .apply(TimeCommand::SetTime(b), &self.dataset.index);
                    c.time.apply(TimeCommand::SetTime(a), &self.dataset.index);
                }
            }
        }
        self.sync_compare();
    }

    /// B follows A's mode, window and zone, and the data's range; its visible set is
    /// recomputed (each frame, as A's is).
    pub(super) fn sync_compare(&mut self) {
        if let Some(c) = &mut self.compare {
            let cursor = c.time.cursor();
            let mut time = self.time.clone();
            time.apply(TimeCommand::SetTime(cursor), &self.dataset.index);
            if time.is_playing() {
                time.apply(TimeCommand::TogglePlayPause, &self.dataset.index);
            }
            c.time = time;
            c.visible = self.dataset.index.visible(&c.time);
        }
    }
}
