//! Online (XYZ) and PMTiles basemaps: what the user names with `--basemap SPEC` or in the
//! picker ([`BasemapSpec`]), and the walkers tiles source made from it ([`make_tiles`]).
//!
//! Nothing here opens a connection by itself: [`make_tiles`] returns `Ok(None)` for the
//! offline basemap and creates no HTTP machinery, and an online source only fetches the tiles
//! walkers asks it for. Online tiles go through walkers' HTTP cache on disk ([`cache_dir`]),
//! shared across runs and processes and kept under [`CACHE_MAX_BYTES`] by [`prune_cache`].
//!
//! # What walkers tells about failures, and what it does not
//!
//! walkers 0.65 fetches on its own thread. A tile that fails (unreachable server, 404, 5xx,
//! a body that is not a PNG or JPEG, a tile missing from a PMTiles file) comes back as `None`
//! from [`Tiles::at`] — the app draws the offline map beneath, so the hole shows that — and is
//! remembered as missing until it leaves walkers' 256-entry memory cache: walkers neither
//! retries nor backs off. To retry, create a new source with [`make_tiles`] (what was fetched
//! stays in the disk cache). [`Tiles::stats`] only says how many fetches are in progress. The
//! reason for a failure is only written to the `log` crate (a warning with target
//! `walkers::io::fetch`, e.g. `Fetch error: HTTP status server error (500 Internal Server
//! Error) for url (…)`): it does not say which source failed (PMTiles messages name the tile,
//! HTTP messages the URL). [`FailureTap`] wraps the app's logger to count these by kind
//! ([`tile_failures`]) for the status bar. walkers sets no timeout on requests: a server that
//! never answers holds one of the parallel downloads forever (it shows as `in_progress`).

use std::collections::VecDeque;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};

use walkers::sources::{Attribution, TileSource};
use walkers::{
    HeaderValue, HttpOptions, HttpTiles, MaxParallelDownloads, PmTiles, Stats, Style, TileId,
    TilePiece, Tiles,
};

/// The most the online tiles cache may hold, over all providers.
pub const CACHE_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// A basemap as the user names it: on the command line `--basemap SPEC` and in the picker.
///
/// [`BasemapSpec::parse`] reads the text form and [`fmt::Display`] writes it back.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BasemapSpec {
    /// The bundled map, drawn locally. The default; opens no connection.
    Offline,
    /// OpenStreetMap's standard tiles.
    Osm,
    /// OpenTopoMap: relief and contours.
    Topo,
    /// Esri World Imagery (satellite).
    Imagery,
    /// Any XYZ tile server: an `http(s)://` template with `{z}`, `{x}`, `{y}` (or `{-y}`,
    /// counted from the south) and optionally `{s}` (subdomains a, b, c).
    Xyz { template: String },
    /// A local PMTiles v3 archive of raster (PNG or JPEG) tiles.
    PmTiles { path: PathBuf },
}

/// A built-in online provider.
struct Provider {
    template: &'static str,
    attribution: &'static str,
    url: &'static str,
    max_zoom: u8,
    /// Parallel downloads: the community-run servers ask for few.
    parallel: usize,
    /// Its folder in the cache.
    cache_name: &'static str,
}

const OSM: Provider = Provider {
    template: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    attribution: "© OpenStreetMap contributors",
    url: "https://www.openstreetmap.org/copyright",
    max_zoom: 19,
    parallel: 2,
    cache_name: "osm",
};

const TOPO: Provider = Provider {
    template: "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png",
    attribution: "map data: © OpenStreetMap contributors, SRTM | map style: © OpenTopoMap (CC-BY-SA)",
    url: "https://opentopomap.org/about",
    max_zoom: 17,
    parallel: 2,
    cache_name: "opentopomap",
};

const IMAGERY: Provider = Provider {
    template: "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
    attribution: "Tiles © Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
    url: "https://www.arcgis.com/home/item.html?id=10df2279f9684e4a9f6a7f08febac2a9",
    max_zoom: 18,
    parallel: 6,
    cache_name: "esri-world-imagery",
};

/// What walkers shows for a custom template (it needs a `&'static str`); the app draws
/// [`BasemapSpec::attribution`] itself.
const CUSTOM_ATTRIBUTION: &str = "Custom tiles";
const CUSTOM_MAX_ZOOM: u8 = 19;

/// What a custom template may contain between braces.
const PLACEHOLDERS: [&str; 5] = ["z", "x", "y", "-y", "s"];

impl BasemapSpec {
    /// The basemaps offered in the picker besides the user's own.
    pub const PRESETS: [BasemapSpec; 4] = [
        BasemapSpec::Offline,
        BasemapSpec::Osm,
        BasemapSpec::Topo,
        BasemapSpec::Imagery,
    ];

    /// Reads a spec: `offline`, `osm`, `topo`, `imagery` (any case), an `http(s)://` template
    /// with `{z}`, `{x}`, `{y}` (optional `{s}`), or the path of an existing `.pmtiles` file
    /// (made absolute, so that a saved choice does not depend on the working directory).
    pub fn parse(text: &str) -> Result<Self, BasemapError> {
        Self::parse_text(text).map_err(BasemapError::Spec)
    }

    fn parse_text(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err(format!("empty basemap; expected {EXPECTED}"));
        }
        match text.to_ascii_lowercase().as_str() {
            "offline" => return Ok(BasemapSpec::Offline),
            "osm" => return Ok(BasemapSpec::Osm),
            "topo" => return Ok(BasemapSpec::Topo),
            "imagery" => return Ok(BasemapSpec::Imagery),
            _ => {}
        }
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            check_template(text)?;
            return Ok(BasemapSpec::Xyz {
                template: text.to_owned(),
            });
        }
        if lower.ends_with(".pmtiles") {
            let path = Path::new(text);
            if !path.is_file() {
                return Err(format!("PMTiles file not found: {}", path.display()));
            }
            let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            return Ok(BasemapSpec::PmTiles { path });
        }
        if text.contains("{z}") {
            return Err(format!(
                "unknown basemap '{text}': a tile template must start with http:// or https://"
            ));
        }
        Err(format!("unknown basemap '{text}'; expected {EXPECTED}"))
    }

    /// The name shown in the picker.
    pub fn label(&self) -> String {
        match self {
            BasemapSpec::Offline => crate::tr!("basemap-offline"),
            BasemapSpec::Osm => "OpenStreetMap".to_owned(),
            BasemapSpec::Topo => "OpenTopoMap".to_owned(),
            BasemapSpec::Imagery => "Esri World Imagery".to_owned(),
            BasemapSpec::Xyz { template } => {
                crate::tr!("basemap-xyz", host = template_host(template))
            }
            BasemapSpec::PmTiles { path } => crate::tr!("basemap-pmtiles", file = file_name(path)),
        }
    }

    /// Whether the basemap fetches tiles over the network.
    pub fn is_online(&self) -> bool {
        matches!(
            self,
            BasemapSpec::Osm | BasemapSpec::Topo | BasemapSpec::Imagery | BasemapSpec::Xyz { .. }
        )
    }

    /// The attribution the provider requires, to be shown on the map and in exports.
    pub fn attribution(&self) -> String {
        match self {
            BasemapSpec::Offline => crate::tr!("attribution-basemap"),
            BasemapSpec::Osm => OSM.attribution.to_owned(),
            BasemapSpec::Topo => TOPO.attribution.to_owned(),
            BasemapSpec::Imagery => IMAGERY.attribution.to_owned(),
            BasemapSpec::Xyz { template } => {
                crate::tr!("attribution-tiles", host = template_host(template))
            }
            BasemapSpec::PmTiles { path } => {
                crate::tr!("attribution-tiles", host = file_name(path))
            }
        }
    }

    fn provider(&self) -> Option<&'static Provider> {
        match self {
            BasemapSpec::Osm => Some(&OSM),
            BasemapSpec::Topo => Some(&TOPO),
            BasemapSpec::Imagery => Some(&IMAGERY),
            _ => None,
        }
    }
}

/// Why a basemap cannot be used; the previous one stays.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BasemapError {
    /// The text names no basemap (an unknown name, a bad template, no such file).
    #[error("{0}")]
    Spec(String),
    /// The source could not be opened (a corrupt PMTiles file, no HTTP client).
    #[error("{0}")]
    Source(String),
}

const EXPECTED: &str = "offline, osm, topo, imagery, an http(s):// tile template with {z}, {x} \
                        and {y}, or a .pmtiles file";

/// The text [`BasemapSpec::parse`] reads back.
impl fmt::Display for BasemapSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BasemapSpec::Offline => f.write_str("offline"),
            BasemapSpec::Osm => f.write_str("osm"),
            BasemapSpec::Topo => f.write_str("topo"),
            BasemapSpec::Imagery => f.write_str("imagery"),
            BasemapSpec::Xyz { template } => f.write_str(template),
            BasemapSpec::PmTiles { path } => write!(f, "{}", path.display()),
        }
    }
}

impl FromStr for BasemapSpec {
    type Err = BasemapError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        BasemapSpec::parse(text)
    }
}

/// Checks a custom template: placeholders known and balanced, `{z}`, `{x}`, `{y}` present,
/// a host.
fn check_template(template: &str) -> Result<(), String> {
    let mut rest = template;
    let mut found = Vec::new();
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("tile template '{template}' has an unmatched '}}'"));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("tile template '{template}' has an unmatched '{{'"));
        };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "tile template '{template}' has an unknown placeholder {{{name}}} \
                 (known: {{z}} {{x}} {{y}} {{-y}} {{s}})"
            ));
        }
        found.push(name);
        rest = &after[close + 1..];
    }
    let missing: Vec<&str> = [("z", "{z}"), ("x", "{x}"), ("y", "{y}")]
        .into_iter()
        .filter(|(name, _)| !(found.contains(name) || (*name == "y" && found.contains(&"-y"))))
        .map(|(_, shown)| shown)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "tile template '{template}' is missing {}",
            missing.join(", ")
        ));
    }
    if template_host(template).is_empty() {
        return Err(format!("tile template '{template}' has no host"));
    }
    Ok(())
}

/// The host of a template, without credentials, port or a leading `{s}.`.
fn template_host(template: &str) -> String {
    let after_scheme = template
        .split_once("://")
        .map_or(template, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        // An IPv6 literal: keep the brackets, drop the port.
        host_port
            .split_once(']')
            .map_or(host_port, |(h, _)| h)
            .to_owned()
            + "]"
    } else {
        host_port.split(':').next().unwrap_or_default().to_owned()
    };
    host.strip_prefix("{s}.")
        .map_or(host.clone(), str::to_owned)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Fills a template for one tile. `{s}` goes round a, b, c by the tile's position, so a
/// tile always comes from the same subdomain and stays one entry in the cache.
fn fill_template(template: &str, tile: TileId) -> String {
    let subdomain = ["a", "b", "c"][((u64::from(tile.x) + u64::from(tile.y)) % 3) as usize];
    let flipped_y = (1u64 << tile.zoom.min(63))
        .saturating_sub(1)
        .saturating_sub(u64::from(tile.y));
    template
        .replace("{z}", &tile.zoom.to_string())
        .replace("{x}", &tile.x.to_string())
        .replace("{-y}", &flipped_y.to_string())
        .replace("{y}", &tile.y.to_string())
        .replace("{s}", subdomain)
}

/// A walkers [`TileSource`] for a filled-in template.
struct XyzSource {
    template: String,
    attribution: &'static str,
    url: &'static str,
    max_zoom: u8,
}

impl TileSource for XyzSource {
    fn tile_url(&self, tile_id: TileId) -> String {
        fill_template(&self.template, tile_id)
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: self.attribution,
            url: self.url,
            logo_light: None,
            logo_dark: None,
        }
    }

    fn max_zoom(&self) -> u8 {
        self.max_zoom
    }
}

/// The root of the online tiles cache: `$XDG_CACHE_HOME/bordermap/tiles` when that is set
/// (to an absolute path), else the platform's cache directory (`~/.cache` on Linux and the
/// BSDs, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows) `/bordermap/tiles`.
pub fn cache_root() -> Option<PathBuf> {
    let from_env = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = from_env("XDG_CACHE_HOME").or_else(|| {
        if cfg!(windows) {
            from_env("LOCALAPPDATA")
        } else if cfg!(target_os = "macos") {
            from_env("HOME").map(|home| home.join("Library").join("Caches"))
        } else {
            from_env("HOME").map(|home| home.join(".cache"))
        }
    })?;
    Some(base.join("bordermap").join("tiles"))
}

/// The cache folder for online tiles: $XDG_CACHE_HOME/bordermap/tiles (or
/// ~/.cache/bordermap/tiles; the platform cache dir elsewhere), one subfolder per provider.
/// `None` for the offline and PMTiles basemaps, and when no cache folder is known.
pub fn cache_dir(spec: &BasemapSpec) -> Option<PathBuf> {
    let name = match spec {
        BasemapSpec::Offline | BasemapSpec::PmTiles { .. } => return None,
        BasemapSpec::Xyz { template } => custom_cache_name(template),
        preset => preset.provider()?.cache_name.to_owned(),
    };
    Some(cache_root()?.join(name))
}

/// `xyz-<host>-<hash of the template>`: readable, and distinct for templates on one host.
fn custom_cache_name(template: &str) -> String {
    let host: String = template_host(template)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    // FNV-1a: stable across Rust releases, unlike `DefaultHasher`.
    let hash = template.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("xyz-{host}-{hash:016x}")
}

/// Keeps the cache under `max_bytes` by deleting the least recently modified files; returns
/// bytes removed. Called when a source is created. A missing folder is an empty cache; files
/// that vanish meanwhile (another process pruning) are skipped. walkers' cache reads a
/// deleted entry as a miss.
pub fn prune_cache(dir: &Path, max_bytes: u64) -> std::io::Result<u64> {
    let mut files = Vec::new();
    match collect_files(dir, &mut files) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        other => other?,
    }
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    if total <= max_bytes {
        return Ok(0);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
    let mut removed = 0;
    for (_, size, path) in files {
        if total <= max_bytes {
            break;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => {
                total = total.saturating_sub(size);
                removed += size;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                total = total.saturating_sub(size);
            }
            Err(e) => log::warn!("cannot prune {}: {e}", path.display()),
        }
    }
    Ok(removed)
}

/// (modified, size, path) of the files under `dir`; symbolic links are not followed.
fn collect_files(
    dir: &Path,
    files: &mut Vec<(std::time::SystemTime, u64, PathBuf)>,
) -> std::io::Result<()> {
    let mut pending = vec![dir.to_path_buf()];
    let mut first = true;
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            // The top folder's errors are the caller's; a subfolder that vanished is not.
            Err(e) if first => return Err(e),
            Err(_) => continue,
        };
        first = false;
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file()
                && let Ok(meta) = entry.metadata()
            {
                let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
                files.push((modified, meta.len(), entry.path()));
            }
        }
    }
    Ok(())
}

/// The User-Agent: "bordermap/<version> (+<repository>)" from CARGO_PKG_VERSION and
/// CARGO_PKG_REPOSITORY (when the latter is empty use "bordermap/<version> (+unpublished;
/// offline-first map viewer)").
pub fn user_agent() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let repository = option_env!("CARGO_PKG_REPOSITORY").unwrap_or_default();
    if repository.trim().is_empty() {
        format!("bordermap/{version} (+unpublished; offline-first map viewer)")
    } else {
        format!("bordermap/{version} (+{repository})")
    }
}

/// Creates the tiles source for a spec: `Ok(None)` for [`BasemapSpec::Offline`] (the caller
/// keeps the offline tiles; nothing of the HTTP machinery is created), walkers' HTTP tiles
/// with the disk cache of [`cache_dir`] (pruned to [`CACHE_MAX_BYTES`] on a background
/// thread) for the online ones, walkers' PMTiles after checking the file
/// ([`check_pmtiles`]). A missing or corrupt PMTiles file is an `Err` naming the file: the
/// caller keeps the previous basemap.
pub fn make_tiles(
    spec: &BasemapSpec,
    ctx: &egui::Context,
) -> Result<Option<Box<dyn Tiles>>, BasemapError> {
    if spec.is_online() {
        prune_in_background();
    }
    make_tiles_with_cache(spec, ctx, cache_dir(spec))
}

/// [`make_tiles`] with the disk cache folder of an online source given (`None`: no disk
/// cache) and no pruning. For tests, and for callers that keep the cache elsewhere.
pub fn make_tiles_with_cache(
    spec: &BasemapSpec,
    ctx: &egui::Context,
    cache: Option<PathBuf>,
) -> Result<Option<Box<dyn Tiles>>, BasemapError> {
    open_tiles(spec, ctx, cache).map_err(BasemapError::Source)
}

fn open_tiles(
    spec: &BasemapSpec,
    ctx: &egui::Context,
    cache: Option<PathBuf>,
) -> Result<Option<Box<dyn Tiles>>, String> {
    let source = match spec {
        BasemapSpec::Offline => return Ok(None),
        BasemapSpec::PmTiles { path } => {
            check_pmtiles(path)?;
            // `Style` is a unit struct only while walkers' `vector` feature is off.
            #[allow(clippy::default_constructed_unit_structs)]
            let tiles = guarded_new(&spec.label(), || {
                // Raster tiles drawn at 256 points: a 512-pixel tile is then sharp on a
                // high-density screen, where 512 would blur a 256-pixel one.
                PmTiles::with_style_and_tile_size(path, Style::default(), 256, ctx.clone())
            })?;
            return Ok(Some(Box::new(Guarded::new(tiles, spec.label()))));
        }
        BasemapSpec::Xyz { template } => {
            check_template(template)?;
            (
                XyzSource {
                    template: template.clone(),
                    attribution: CUSTOM_ATTRIBUTION,
                    url: "",
                    max_zoom: CUSTOM_MAX_ZOOM,
                },
                MaxParallelDownloads::default(),
            )
        }
        preset => {
            let Some(p) = preset.provider() else {
                return Err(format!("basemap {preset} has no tile source"));
            };
            (
                XyzSource {
                    template: p.template.to_owned(),
                    attribution: p.attribution,
                    url: p.url,
                    max_zoom: p.max_zoom,
                },
                MaxParallelDownloads::value_manually_confirmed_with_provider_limits(p.parallel),
            )
        }
    };
    let (source, max_parallel_downloads) = source;
    let agent = user_agent();
    let user_agent =
        HeaderValue::from_str(&agent).map_err(|e| format!("invalid User-Agent '{agent}': {e}"))?;
    if let Some(dir) = &cache
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        // walkers' cache would fail every write; better no disk cache than no tiles.
        log::warn!(
            "tile cache {} unusable ({e}); tiles are not cached",
            dir.display()
        );
    }
    let cache = cache.filter(|dir| dir.is_dir());
    let options = HttpOptions {
        cache,
        user_agent: Some(user_agent),
        max_parallel_downloads,
        ..HttpOptions::default()
    };
    let tiles = guarded_new(&spec.label(), || {
        HttpTiles::with_options(source, options, ctx.clone())
    })?;
    Ok(Some(Box::new(Guarded::new(tiles, spec.label()))))
}

fn prune_in_background() {
    let Some(root) = cache_root() else { return };
    let spawned = std::thread::Builder::new()
        .name("tile cache prune".into())
        .spawn(move || match prune_cache(&root, CACHE_MAX_BYTES) {
            Ok(0) => {}
            Ok(bytes) => log::info!("pruned {bytes} bytes from {}", root.display()),
            Err(e) => log::warn!("cannot prune the tile cache {}: {e}", root.display()),
        });
    if let Err(e) = spawned {
        log::warn!("cannot start the tile cache pruning thread: {e}");
    }
}

/// Runs a walkers constructor, which panics when it cannot build its HTTP client.
fn guarded_new<T>(label: &str, make: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(make))
        .map_err(|panic| format!("cannot start the {label} basemap: {}", panic_text(&*panic)))
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// walkers' tiles behind a guard: walkers panics on the UI thread when its fetch thread has
/// died; the guard turns that into a source that shows nothing (the offline map beneath)
/// and a failure in [`tile_failures`].
struct Guarded<T> {
    inner: T,
    label: String,
    dead: bool,
}

impl<T: Tiles> Guarded<T> {
    fn new(inner: T, label: String) -> Self {
        Self {
            inner,
            label,
            dead: false,
        }
    }
}

impl<T: Tiles> Tiles for Guarded<T> {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        if self.dead {
            return None;
        }
        let inner = &mut self.inner;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.at(tile_id))) {
            Ok(piece) => piece,
            Err(panic) => {
                self.dead = true;
                let message = format!(
                    "the {} tile loader stopped: {}",
                    self.label,
                    panic_text(&*panic)
                );
                log::error!("{message}");
                note_failure(FailureKind::Stopped, message);
                None
            }
        }
    }

    fn attribution(&self) -> Attribution {
        self.inner.attribution()
    }

    fn tile_size(&self) -> u32 {
        self.inner.tile_size()
    }

    fn stats(&self) -> Stats {
        self.inner.stats()
    }
}

// ---------------------------------------------------------------------------------------
// PMTiles header check.

/// What walkers' PMTiles reader reads at once; the root directory must lie within it.
const PMTILES_INITIAL_BYTES: u64 = 16_384;
const PMTILES_HEADER_BYTES: usize = 127;

/// What the header of a PMTiles file says.
#[derive(Clone, Debug, PartialEq)]
pub struct PmTilesInfo {
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
    /// Longitude, latitude, zoom.
    pub center: (f64, f64, u8),
    /// "png", "jpeg" or "unknown".
    pub tile_type: &'static str,
}

/// Checks that `path` is a PMTiles v3 archive walkers can read: the magic "PMTiles" and
/// version 3, sections inside the file, compression walkers' build decodes (none or gzip),
/// raster tiles (PNG or JPEG), and an uncompressed root directory that parses. Every error
/// names the file.
///
/// This also keeps walkers' reader, which panics on its fetch thread when the root
/// directory lies outside the first 16 KiB, from meeting such files. A gzip-compressed
/// directory is only checked for the gzip signature.
pub fn check_pmtiles(path: &Path) -> Result<PmTilesInfo, String> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!("PMTiles file not found: {shown}")
        } else {
            format!("cannot open PMTiles file {shown}: {e}")
        }
    })?;
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read PMTiles file {shown}: {e}"))?
        .len();
    let mut head = Vec::new();
    file.take(PMTILES_INITIAL_BYTES)
        .read_to_end(&mut head)
        .map_err(|e| format!("cannot read PMTiles file {shown}: {e}"))?;
    parse_pmtiles(&head, len).map_err(|e| format!("{shown} is not a usable PMTiles file: {e}"))
}

fn parse_pmtiles(head: &[u8], file_len: u64) -> Result<PmTilesInfo, String> {
    if head.len() < PMTILES_HEADER_BYTES {
        return Err(format!(
            "{} bytes, shorter than a PMTiles header ({PMTILES_HEADER_BYTES})",
            head.len()
        ));
    }
    if !head.starts_with(b"PMTiles") {
        return Err(if head.starts_with(b"PM") {
            "PMTiles v1/v2, which walkers cannot read (convert it with `pmtiles convert`)".into()
        } else {
            "no PMTiles signature".into()
        });
    }
    let version = head[7];
    if version != 3 {
        return Err(format!("PMTiles version {version}, expected 3"));
    }
    let u64_at = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&head[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let degrees_at = |at: usize| {
        let mut bytes = [0u8; 4];
        bytes.copy_from_slice(&head[at..at + 4]);
        f64::from(i32::from_le_bytes(bytes)) / 10_000_000.0
    };
    let root = (u64_at(8), u64_at(16));
    let metadata = (u64_at(24), u64_at(32));
    let leaves = (u64_at(40), u64_at(48));
    let data = (u64_at(56), u64_at(64));
    let (internal_compression, tile_compression, tile_type) = (head[97], head[98], head[99]);
    let (min_zoom, max_zoom) = (head[100], head[101]);

    let end = |(offset, length): (u64, u64)| offset.checked_add(length);
    // What walkers' reader reads at once (the file may have changed since its length was
    // taken: go by what was read).
    let initial = head.len() as u64;
    if root.0 < PMTILES_HEADER_BYTES as u64 || root.1 == 0 || end(root).is_none_or(|e| e > initial)
    {
        return Err(format!(
            "the root directory ({} bytes at {}) is not within the first {initial} bytes",
            root.1, root.0
        ));
    }
    for (name, section) in [
        ("metadata", metadata),
        ("leaf directories", leaves),
        ("tile data", data),
    ] {
        if end(section).is_none_or(|e| e > file_len) {
            return Err(format!(
                "the {name} ({} bytes at {}) run past the end of the file ({file_len} bytes; \
                 truncated?)",
                section.1, section.0
            ));
        }
    }
    let compression = |code: u8| match code {
        0 => "unknown",
        1 => "none",
        2 => "gzip",
        3 => "brotli",
        4 => "zstd",
        _ => "invalid",
    };
    if !matches!(internal_compression, 1 | 2) {
        return Err(format!(
            "directories compressed with {} ({internal_compression}); this build reads none or gzip",
            compression(internal_compression)
        ));
    }
    if !matches!(tile_compression, 1 | 2) {
        return Err(format!(
            "tiles compressed with {} ({tile_compression}); this build reads none or gzip",
            compression(tile_compression)
        ));
    }
    let tile_type = match tile_type {
        0 => "unknown",
        2 => "png",
        3 => "jpeg",
        1 | 6 => return Err("vector tiles; this build draws raster (PNG, JPEG) PMTiles".into()),
        4 => return Err("WebP tiles; this build decodes PNG and JPEG".into()),
        5 => return Err("AVIF tiles; this build decodes PNG and JPEG".into()),
        other => return Err(format!("invalid tile type {other}")),
    };
    if min_zoom > max_zoom {
        return Err(format!("min zoom {min_zoom} above max zoom {max_zoom}"));
    }
    // Within `initial` ≤ 16 KiB, checked above.
    let root_bytes = &head[root.0 as usize..end(root).unwrap_or(root.0) as usize];
    if internal_compression == 1 {
        check_directory(root_bytes, leaves.1, data.1)
            .map_err(|e| format!("the root directory is corrupt: {e}"))?;
    } else if !root_bytes.starts_with(&[0x1f, 0x8b]) {
        return Err("the root directory is not gzip data".into());
    }
    Ok(PmTilesInfo {
        min_zoom,
        max_zoom,
        bounds: [
            degrees_at(102),
            degrees_at(106),
            degrees_at(110),
            degrees_at(114),
        ],
        center: (degrees_at(119), degrees_at(123), head[118]),
        tile_type,
    })
}

/// Parses an uncompressed directory: entry count, tile ids, run lengths, lengths, offsets,
/// each entry within its section.
fn check_directory(bytes: &[u8], leaves_len: u64, data_len: u64) -> Result<(), String> {
    let mut at = 0;
    let mut varint = || -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *bytes.get(at).ok_or("ends early")?;
            at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("bad number".into())
    };
    let count = varint()?;
    // Each entry takes at least four bytes.
    if count == 0 || count > bytes.len() as u64 / 4 {
        return Err(format!("{count} entries in {} bytes", bytes.len()));
    }
    let count = count as usize;
    let mut tile_id = 0u64;
    for _ in 0..count {
        tile_id = tile_id.checked_add(varint()?).ok_or("tile id overflows")?;
    }
    let mut runs = Vec::with_capacity(count);
    for _ in 0..count {
        runs.push(u32::try_from(varint()?).map_err(|_| "run length too large")?);
    }
    let mut lengths = Vec::with_capacity(count);
    for _ in 0..count {
        lengths.push(u32::try_from(varint()?).map_err(|_| "length too large")?);
    }
    let mut previous_end: Option<u64> = None;
    for (run, length) in runs.into_iter().zip(lengths) {
        let offset = match varint()? {
            0 => previous_end.ok_or("the first offset follows nothing")?,
            raw => raw - 1,
        };
        let entry_end = offset
            .checked_add(u64::from(length))
            .ok_or("offset overflows")?;
        let section = if run == 0 { leaves_len } else { data_len };
        if entry_end > section {
            return Err(format!(
                "an entry ({length} bytes at {offset}) lies outside its section ({section} bytes)"
            ));
        }
        previous_end = Some(entry_end);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Failures, as walkers logs them.

/// Why tiles failed, by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureKind {
    /// HTTP 404: the server has no such tile.
    NotFound,
    /// Another HTTP 4xx (403: refused, 429: too many requests, …).
    ClientError,
    /// HTTP 5xx.
    ServerError,
    /// No answer: connection refused, DNS, TLS, a dropped connection.
    Unreachable,
    /// The server answered with something that is not a PNG or JPEG, or nothing.
    NotAnImage,
    /// The PMTiles file has no tile there (normal outside its area or zooms).
    NotInFile,
    /// The loader thread stopped; the source shows nothing more.
    Stopped,
    Other,
}

impl FailureKind {
    const ALL: [FailureKind; 8] = [
        FailureKind::NotFound,
        FailureKind::ClientError,
        FailureKind::ServerError,
        FailureKind::Unreachable,
        FailureKind::NotAnImage,
        FailureKind::NotInFile,
        FailureKind::Stopped,
        FailureKind::Other,
    ];

    /// A few words for the status bar.
    pub fn describe(self) -> &'static str {
        match self {
            FailureKind::NotFound => "not found (404)",
            FailureKind::ClientError => "refused by the server (4xx)",
            FailureKind::ServerError => "server error (5xx)",
            FailureKind::Unreachable => "server unreachable",
            FailureKind::NotAnImage => "not an image",
            FailureKind::NotInFile => "not in the PMTiles file",
            FailureKind::Stopped => "tile loader stopped",
            FailureKind::Other => "other error",
        }
    }

    fn index(self) -> usize {
        FailureKind::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or(FailureKind::ALL.len() - 1)
    }

    /// Reads walkers' message (see the module docs).
    pub fn classify(message: &str) -> FailureKind {
        let lower = message.to_ascii_lowercase();
        if lower.contains("not found in pmtiles") {
            FailureKind::NotInFile
        } else if lower.contains("http status client error (404") {
            FailureKind::NotFound
        } else if lower.contains("http status client error") {
            FailureKind::ClientError
        } else if lower.contains("http status server error") {
            FailureKind::ServerError
        } else if lower.contains("error sending request")
            || lower.contains("body")
            || lower.contains("connect")
            || lower.contains("dns")
            || lower.contains("timed out")
        {
            FailureKind::Unreachable
        } else if lower.contains("unrecognized image format")
            || lower.contains("tile data is empty")
            || lower.contains("decoding")
            || lower.contains("format error")
            || lower.contains("image")
        {
            FailureKind::NotAnImage
        } else if lower.contains("io thread is dead") {
            FailureKind::Stopped
        } else {
            FailureKind::Other
        }
    }
}

/// Tile failures since the program started, over all sources.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TileFailures {
    pub total: u64,
    /// Kinds that occurred, with their counts, most frequent first.
    pub by_kind: Vec<(FailureKind, u64)>,
    /// The latest messages, oldest first (at most [`RECENT_FAILURES`]).
    pub recent: Vec<String>,
}

/// How many messages [`TileFailures::recent`] keeps.
pub const RECENT_FAILURES: usize = 16;

struct FailureLog {
    total: u64,
    counts: [u64; FailureKind::ALL.len()],
    recent: VecDeque<String>,
}

static FAILURES: Mutex<FailureLog> = Mutex::new(FailureLog {
    total: 0,
    counts: [0; FailureKind::ALL.len()],
    recent: VecDeque::new(),
});

fn note_failure(kind: FailureKind, message: String) {
    let mut log = FAILURES.lock().unwrap_or_else(PoisonError::into_inner);
    log.total += 1;
    log.counts[kind.index()] += 1;
    if log.recent.len() == RECENT_FAILURES {
        log.recent.pop_front();
    }
    log.recent.push_back(message);
}

/// The tile failures noted so far (by [`FailureTap`] or [`note_log_record`], and by the
/// sources' own guard). Compare `total` with an earlier snapshot to see new ones.
pub fn tile_failures() -> TileFailures {
    let log = FAILURES.lock().unwrap_or_else(PoisonError::into_inner);
    let mut by_kind: Vec<(FailureKind, u64)> = FailureKind::ALL
        .iter()
        .map(|k| (*k, log.counts[k.index()]))
        .filter(|(_, n)| *n > 0)
        .collect();
    by_kind.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    TileFailures {
        total: log.total,
        by_kind,
        recent: log.recent.iter().cloned().collect(),
    }
}

/// Whether a log record is one of walkers' reports of a failed tile.
fn is_tile_failure(metadata: &log::Metadata<'_>) -> bool {
    metadata.level() <= log::Level::Warn && metadata.target().starts_with("walkers::io")
}

/// Notes a log record if it is walkers reporting a failed tile; returns whether it was. For
/// apps with their own logger; [`FailureTap`] calls it.
pub fn note_log_record(record: &log::Record<'_>) -> bool {
    if !is_tile_failure(record.metadata()) {
        return false;
    }
    let message = record.args().to_string();
    note_failure(FailureKind::classify(&message), message);
    true
}

/// A logger around the app's own that notes walkers' tile failures ([`tile_failures`]) and
/// passes every record the inner logger wants on to it.
pub struct FailureTap {
    inner: Box<dyn log::Log>,
}

impl FailureTap {
    /// Installs the tap around `inner` as the global logger, with `inner_level` the level
    /// the inner logger wants (`env_logger::Logger::filter()`); walkers' warnings are let
    /// through even when that level is lower.
    pub fn install(
        inner: Box<dyn log::Log>,
        inner_level: log::LevelFilter,
    ) -> Result<(), log::SetLoggerError> {
        log::set_boxed_logger(Box::new(FailureTap { inner }))?;
        log::set_max_level(inner_level.max(log::LevelFilter::Warn));
        Ok(())
    }
}

impl log::Log for FailureTap {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        is_tile_failure(metadata) || self.inner.enabled(metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        note_log_record(record);
        if self.inner.enabled(record.metadata()) {
            self.inner.log(record);
        }
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(zoom: u8, x: u32, y: u32) -> TileId {
        TileId { x, y, zoom }
    }

    #[test]
    fn presets_parse_by_name() {
        assert_eq!(BasemapSpec::parse("offline"), Ok(BasemapSpec::Offline));
        assert_eq!(BasemapSpec::parse(" OSM "), Ok(BasemapSpec::Osm));
        assert_eq!(BasemapSpec::parse("topo"), Ok(BasemapSpec::Topo));
        assert_eq!(BasemapSpec::parse("Imagery"), Ok(BasemapSpec::Imagery));
        for preset in BasemapSpec::PRESETS {
            assert_eq!(BasemapSpec::parse(&preset.to_string()), Ok(preset.clone()));
            assert_eq!(preset.to_string().parse::<BasemapSpec>(), Ok(preset));
        }
    }

    #[test]
    fn templates_parse() {
        for good in [
            "https://tile.example.org/{z}/{x}/{y}.png",
            "http://{s}.tiles.example.org/{z}/{x}/{y}.png?key=abc",
            "HTTPS://example.org/tiles/{z}/{y}/{x}",
            "https://example.org/tms/{z}/{x}/{-y}.jpg",
            "http://127.0.0.1:8080/{z}/{x}/{y}.png",
        ] {
            let spec = BasemapSpec::parse(good);
            assert_eq!(
                spec,
                Ok(BasemapSpec::Xyz {
                    template: good.to_owned()
                }),
                "{good}"
            );
        }
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let err = |text: &str| BasemapSpec::parse(text).unwrap_err().to_string();
        assert!(err("satellite").contains("unknown basemap 'satellite'"));
        assert!(err("satellite").contains("offline, osm, topo, imagery"));
        assert!(err("").contains("empty"));
        assert!(err("https://example.org/{z}/{x}.png").contains("missing {y}"));
        assert!(err("https://example.org/tiles.png").contains("missing {z}, {x}, {y}"));
        assert!(err("https://example.org/{z}/{x}/{y}/{r}.png").contains("unknown placeholder {r}"));
        assert!(err("https://example.org/{z}/{x}/{y.png").contains("unmatched '{'"));
        assert!(err("https:///{z}/{x}/{y}.png").contains("no host"));
        assert!(err("tile.example.org/{z}/{x}/{y}.png").contains("http:// or https://"));
        let missing = err("/nowhere/at/all/fergana.pmtiles");
        assert!(missing.contains("not found"), "{missing}");
        assert!(
            missing.contains("/nowhere/at/all/fergana.pmtiles"),
            "{missing}"
        );
    }

    #[test]
    fn an_existing_pmtiles_path_parses_absolute() {
        let dir = std::env::temp_dir().join(format!("bordermap-parse-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("Fergana.PMTiles");
        std::fs::write(&file, b"x").unwrap();
        let spec = BasemapSpec::parse(file.to_str().unwrap()).unwrap();
        assert_eq!(spec, BasemapSpec::PmTiles { path: file.clone() });
        assert_eq!(spec.label(), "PMTiles: Fergana.PMTiles");
        assert_eq!(spec.attribution(), "Tiles: Fergana.PMTiles");
        assert!(!spec.is_online());
        assert_eq!(cache_dir(&spec), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn labels_and_attributions() {
        assert_eq!(
            BasemapSpec::Osm.attribution(),
            "© OpenStreetMap contributors"
        );
        assert_eq!(
            BasemapSpec::Topo.attribution(),
            "map data: © OpenStreetMap contributors, SRTM | map style: © OpenTopoMap (CC-BY-SA)"
        );
        assert_eq!(
            BasemapSpec::Imagery.attribution(),
            "Tiles © Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community"
        );
        let custom = BasemapSpec::Xyz {
            template: "https://user:secret@{s}.tiles.example.org:8443/{z}/{x}/{y}.png?k=1".into(),
        };
        assert_eq!(custom.attribution(), "Tiles: tiles.example.org");
        assert_eq!(custom.label(), "Custom tiles (tiles.example.org)");
        assert!(custom.is_online());
        assert!(BasemapSpec::Osm.is_online() && BasemapSpec::Imagery.is_online());
        assert!(!BasemapSpec::Offline.is_online());
        assert_eq!(
            BasemapSpec::Offline.attribution(),
            crate::map::basemap::ATTRIBUTION
        );
        assert_eq!(BasemapSpec::Imagery.label(), "Esri World Imagery");
    }

    #[test]
    fn templates_are_filled() {
        let t = tile(5, 21, 11);
        assert_eq!(
            fill_template("https://h/{z}/{x}/{y}.png", t),
            "https://h/5/21/11.png"
        );
        assert_eq!(
            fill_template("https://h/{z}/{y}/{x}", t),
            "https://h/5/11/21"
        );
        assert_eq!(
            fill_template("https://h/{z}/{x}/{-y}", t),
            "https://h/5/21/20"
        );
        // {s} goes round a, b, c with the tile, and is the same for the same tile.
        let s = |x, y| fill_template("https://{s}.h/{z}/{x}/{y}", tile(3, x, y));
        assert_eq!(s(0, 0), "https://a.h/3/0/0");
        assert_eq!(s(1, 0), "https://b.h/3/1/0");
        assert_eq!(s(1, 1), "https://c.h/3/1/1");
        assert_eq!(s(1, 1), s(1, 1));
        let esri = XyzSource {
            template: IMAGERY.template.into(),
            attribution: IMAGERY.attribution,
            url: IMAGERY.url,
            max_zoom: IMAGERY.max_zoom,
        };
        assert!(esri.tile_url(t).ends_with("/MapServer/tile/5/11/21"));
    }

    #[test]
    fn user_agent_names_bordermap_and_its_version() {
        let agent = user_agent();
        assert!(
            agent.starts_with(&format!("bordermap/{} (+", env!("CARGO_PKG_VERSION"))),
            "{agent}"
        );
        assert!(agent.ends_with(')'));
        assert!(HeaderValue::from_str(&agent).is_ok());
    }

    #[test]
    fn cache_dirs_are_per_provider() {
        let Some(root) = cache_root() else { return };
        assert!(root.ends_with("bordermap/tiles"));
        assert_eq!(cache_dir(&BasemapSpec::Osm), Some(root.join("osm")));
        assert_eq!(cache_dir(&BasemapSpec::Offline), None);
        let a = cache_dir(&BasemapSpec::Xyz {
            template: "https://t.example.org/a/{z}/{x}/{y}.png".into(),
        });
        let b = cache_dir(&BasemapSpec::Xyz {
            template: "https://t.example.org/b/{z}/{x}/{y}.png".into(),
        });
        assert_ne!(a, b);
        let a = a.unwrap();
        let name = a.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("xyz-t.example.org-"), "{name}");
        assert_eq!(a.parent(), Some(root.as_path()));
    }

    #[test]
    fn prune_removes_the_oldest_files_first() {
        use std::time::{Duration, SystemTime};
        let dir = std::env::temp_dir().join(format!("bordermap-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("osm/content")).unwrap();
        let now = SystemTime::now();
        let files = [
            ("osm/content/oldest", 400, 300),
            ("osm/content/old", 300, 200),
            ("osm/index", 200, 100),
            ("newest", 100, 0),
        ];
        for (name, size, age) in files {
            let path = dir.join(name);
            std::fs::write(&path, vec![0u8; size]).unwrap();
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(now - Duration::from_secs(age)).unwrap();
        }
        // Under the limit: nothing goes.
        assert_eq!(prune_cache(&dir, 1000).unwrap(), 0);
        // 1000 bytes, at most 150: the three oldest go (900 bytes), the newest stays.
        assert_eq!(prune_cache(&dir, 150).unwrap(), 900);
        assert!(dir.join("newest").exists());
        assert!(!dir.join("osm/content/oldest").exists());
        assert!(!dir.join("osm/index").exists());
        assert_eq!(prune_cache(&dir, 0).unwrap(), 100);
        // A missing folder is an empty cache.
        assert_eq!(prune_cache(&dir.join("nothing"), 0).unwrap(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A header + uncompressed root directory with one tile of `tile_len` bytes at z0.
    fn pmtiles_head(tile_len: u8) -> Vec<u8> {
        let dir = [1u8, 0, 1, tile_len, 1];
        let mut h = b"PMTiles".to_vec();
        h.push(3);
        let data_offset = 127 + dir.len() as u64;
        for v in [
            127,
            dir.len() as u64,
            data_offset,
            0,
            data_offset,
            0,
            data_offset,
            u64::from(tile_len),
            1,
            1,
            1,
        ] {
            h.extend_from_slice(&v.to_le_bytes());
        }
        h.extend_from_slice(&[1, 1, 1, 2, 0, 0]);
        for v in [-1_800_000_000i32, -850_000_000, 1_800_000_000, 850_000_000] {
            h.extend_from_slice(&v.to_le_bytes());
        }
        h.push(0);
        h.extend_from_slice(&0i32.to_le_bytes());
        h.extend_from_slice(&0i32.to_le_bytes());
        assert_eq!(h.len(), 127);
        h.extend_from_slice(&dir);
        h.extend(std::iter::repeat_n(0u8, usize::from(tile_len)));
        h
    }

    #[test]
    fn pmtiles_headers_are_checked() {
        let good = pmtiles_head(10);
        let len = good.len() as u64;
        let info = parse_pmtiles(&good, len).unwrap();
        assert_eq!(info.tile_type, "png");
        assert_eq!((info.min_zoom, info.max_zoom), (0, 0));
        assert!((info.bounds[2] - 180.0).abs() < 1e-9);

        let err = |bytes: &[u8], len: u64| parse_pmtiles(bytes, len).unwrap_err();
        assert!(err(&good[..50], 50).contains("shorter"));
        assert!(
            err(
                b"<html>not a tile archive</html>".repeat(10).as_slice(),
                310
            )
            .contains("signature")
        );
        let mut v2 = good.clone();
        v2[2] = b'x';
        assert!(err(&v2, len).contains("v1/v2"));
        let mut v4 = good.clone();
        v4[7] = 4;
        assert!(err(&v4, len).contains("version 4"));
        // Truncated: the tile data runs past the end.
        assert!(err(&good[..good.len() - 3], len - 3).contains("truncated"));
        let mut vector = good.clone();
        vector[99] = 1;
        assert!(err(&vector, len).contains("vector"));
        let mut brotli = good.clone();
        brotli[97] = 3;
        assert!(err(&brotli, len).contains("brotli"));
        let mut far_root = good.clone();
        far_root[8..16].copy_from_slice(&20_000u64.to_le_bytes());
        assert!(err(&far_root, len).contains("root directory"));
        // A directory claiming a huge number of entries.
        let mut huge = good.clone();
        huge[127] = 0xff;
        assert!(err(&huge, len).contains("corrupt"));
        // An entry pointing outside the tile data.
        let mut outside = good.clone();
        outside[130] = 100;
        assert!(err(&outside, len).contains("outside"));
    }

    /// Fails the way walkers does when its fetch thread has died.
    struct DeadLoader;

    impl Tiles for DeadLoader {
        fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
            panic!(
                "Failed to send tile request for {tile_id:?}: send failed because receiver is gone"
            );
        }

        fn attribution(&self) -> Attribution {
            Attribution {
                text: "dead",
                url: "",
                logo_light: None,
                logo_dark: None,
            }
        }

        fn tile_size(&self) -> u32 {
            256
        }
    }

    #[test]
    fn a_panicking_loader_shows_nothing_and_is_noted() {
        let before = tile_failures().total;
        let mut tiles = Guarded::new(DeadLoader, "test".into());
        assert!(tiles.at(tile(1, 0, 0)).is_none());
        assert!(tiles.dead);
        // Not asked again.
        assert!(tiles.at(tile(1, 1, 0)).is_none());
        let failures = tile_failures();
        assert_eq!(failures.total, before + 1);
        assert!(
            failures
                .by_kind
                .iter()
                .any(|(k, _)| *k == FailureKind::Stopped)
        );
        assert!(
            failures
                .recent
                .iter()
                .any(|m| m.starts_with("the test tile loader stopped: Failed to send"))
        );
        assert_eq!(tiles.attribution().text, "dead");
    }

    #[test]
    fn failures_are_classified_from_walkers_messages() {
        let c = FailureKind::classify;
        assert_eq!(
            c(
                "Fetch error: HTTP status server error (500 Internal Server Error) for url (http://x/1/2/3.png)"
            ),
            FailureKind::ServerError
        );
        assert_eq!(
            c("Fetch error: HTTP status client error (404 Not Found) for url (http://x)"),
            FailureKind::NotFound
        );
        assert_eq!(
            c("Fetch error: HTTP status client error (429 Too Many Requests) for url (http://x)"),
            FailureKind::ClientError
        );
        assert_eq!(c("Unrecognized image format."), FailureKind::NotAnImage);
        assert_eq!(c("Tile data is empty."), FailureKind::NotAnImage);
        assert_eq!(
            c("Fetch error: error sending request for url (http://127.0.0.1:9/0/0/0.png)"),
            FailureKind::Unreachable
        );
        assert_eq!(
            c("Fetch error: Tile TileId { x: 1, y: 0, zoom: 1 } not found in pmtiles file."),
            FailureKind::NotInFile
        );
    }
}
