//! The basemap the user picked: its spec, its online (or PMTiles) tiles when it is not the
//! offline one, and the retry of failed tiles with a back-off. Nothing online exists until an
//! online basemap is picked.

use std::time::Duration;

use super::online::{BasemapError, BasemapSpec, make_tiles, tile_failures};

/// First wait before failed online tiles are asked for again; doubles up to the maximum.
pub const TILE_RETRY_FIRST_SECS: f64 = 15.0;
/// Longest wait between retries of failed online tiles.
pub const TILE_RETRY_MAX_SECS: f64 = 600.0;

/// The picked basemap and its tiles.
pub struct BasemapChoice {
    spec: BasemapSpec,
    online: Option<Box<dyn walkers::Tiles>>,
    /// Failures seen at the last retry, when the next is due (egui seconds, 0: none planned)
    /// and the current wait.
    retry: (u64, f64, f64),
}

impl Default for BasemapChoice {
    fn default() -> Self {
        Self {
            spec: BasemapSpec::Offline,
            online: None,
            retry: (0, 0.0, TILE_RETRY_FIRST_SECS),
        }
    }
}

impl BasemapChoice {
    /// The spec picked.
    pub fn spec(&self) -> &BasemapSpec {
        &self.spec
    }

    /// Switches to `spec`. A missing or corrupt PMTiles file (or a bad template) is an error,
    /// and the previous basemap stays.
    pub fn set(&mut self, spec: BasemapSpec, ctx: &egui::Context) -> Result<(), BasemapError> {
        self.online = make_tiles(&spec, ctx)?;
        self.spec = spec;
        self.retry = (tile_failures().total, 0.0, TILE_RETRY_FIRST_SECS);
        Ok(())
    }

    /// The online tiles with their attribution, drawn over the offline map.
    pub fn online(&mut self) -> Option<(&mut dyn walkers::Tiles, String)> {
        let attribution = self.spec.attribution();
        self.online
            .as_mut()
            .map(|t| (t.as_mut() as &mut dyn walkers::Tiles, attribution))
    }

    /// Online tiles still loading, or `None` for the offline basemap.
    pub fn loading(&self) -> Option<usize> {
        self.online.as_ref().map(|t| t.stats().in_progress)
    }

    /// walkers remembers a failed tile as missing; new failures since the last retry make a
    /// fresh source (good tiles come back from the disk cache) after a wait that doubles each
    /// time, so a failing server is not hammered. Call once a frame.
    pub fn retry_failed(&mut self, now: f64, ctx: &egui::Context) {
        if self.online.is_none() {
            return;
        }
        let failures = tile_failures();
        let (seen, due, wait) = self.retry;
        if failures.total <= seen {
            return;
        }
        if due == 0.0 {
            self.retry = (seen, now + wait, wait);
        } else if now >= due {
            if let Ok(Some(tiles)) = make_tiles(&self.spec, ctx) {
                self.online = Some(tiles);
            }
            self.retry = (failures.total, 0.0, (wait * 2.0).min(TILE_RETRY_MAX_SECS));
        }
        ctx.request_repaint_after(Duration::from_secs(1));
    }

    /// When the next retry is due and the wait after it (for tests and the status line).
    pub fn next_retry(&self) -> (f64, f64) {
        (self.retry.1, self.retry.2)
    }
}
