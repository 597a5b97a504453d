//! Online and PMTiles basemaps against a tile server on 127.0.0.1 started by each test, and
//! PMTiles files written by the tests. Nothing here leaves the machine.

use std::io::{BufRead, BufReader, Cursor, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bordermap::map::online::{
    BasemapSpec, FailureKind, FailureTap, make_tiles, make_tiles_with_cache, prune_cache,
    tile_failures, user_agent,
};
use walkers::{Tile, TileId, TilePiece, Tiles};

/// How long a tile may take to arrive; generous for a loaded CI machine.
const PATIENCE: Duration = Duration::from_secs(20);
/// A test server stops by itself after this.
const SERVER_LIFETIME: Duration = Duration::from_secs(120);

/// Fergana, at zoom 7.
const FERGANA: TileId = TileId {
    x: 89,
    y: 47,
    zoom: 7,
};

#[derive(Clone, Copy, Debug)]
enum Reply {
    /// A 256-pixel PNG, cacheable for a day.
    Png,
    ServerError,
    NotFound,
    /// 200 with a body that is not an image.
    Garbage,
}

#[derive(Clone, Debug)]
struct Request {
    path: String,
    user_agent: Option<String>,
}

/// A one-thread HTTP/1.1 server answering every GET with `reply`, recording each request.
struct TileServer {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TileServer {
    fn start(reply: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let png = png_bytes(256, [200, 40, 40, 255]);
        let thread = {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::SeqCst) && started.elapsed() < SERVER_LIFETIME {
                    match listener.accept() {
                        Ok((stream, _)) => serve(stream, reply, &png, &requests),
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        Err(_) => break,
                    }
                }
            })
        };
        Self {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// Stops accepting and closes the port.
    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

impl Drop for TileServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads one request head, records it, and answers; the connection is then closed.
fn serve(stream: TcpStream, reply: Reply, png: &[u8], requests: &Mutex<Vec<Request>>) {
    // A client that hangs up early is no concern of the test.
    let _ = answer(stream, reply, png, requests);
}

fn answer(
    stream: TcpStream,
    reply: Reply,
    png: &[u8],
    requests: &Mutex<Vec<Request>>,
) -> Option<()> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut user_agent = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("user-agent")
        {
            user_agent = Some(value.trim().to_owned());
        }
    }
    // Recorded before answering, so the request is known once the client has the answer.
    requests.lock().unwrap().push(Request { path, user_agent });
    let (status, content_type, body): (&str, &str, &[u8]) = match reply {
        Reply::Png => ("200 OK", "image/png", png),
        Reply::ServerError => ("500 Internal Server Error", "text/plain", b"boom"),
        Reply::NotFound => ("404 Not Found", "text/plain", b"no such tile"),
        Reply::Garbage => ("200 OK", "image/png", b"definitely not an image"),
    };
    let mut stream = stream;
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: max-age=86400\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    stream.flush().ok()
}

/// A square PNG of one colour.
fn png_bytes(side: u32, rgba: [u8; 4]) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(side, side, image::Rgba(rgba));
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// Asks `tiles` for `tile` every few milliseconds, as the map does each frame, until the
/// tile itself (not a piece of a lower zoom) comes back or `patience` runs out.
fn wait_for_tile(tiles: &mut dyn Tiles, tile: TileId, patience: Duration) -> Option<TilePiece> {
    let full = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
    let started = Instant::now();
    while started.elapsed() < patience {
        if let Some(piece) = tiles.at(tile)
            && piece.uv == full
        {
            return Some(piece);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

fn texture_size(piece: &TilePiece) -> [usize; 2] {
    #[allow(irrefutable_let_patterns)]
    if let Tile::Raster(texture) = &piece.tile {
        texture.size()
    } else {
        panic!("expected a raster tile")
    }
}

/// A fresh folder under the system's temporary one.
fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "bordermap-test-{name}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn size_of_tree(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            total += size_of_tree(&entry.path());
        } else {
            total += entry.metadata().unwrap().len();
        }
    }
    total
}

/// Routes walkers' log through the failure tap (once per test process); `RUST_LOG` still
/// shows the logs.
fn tap_failures() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let logger =
            env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("off"))
                .is_test(true)
                .build();
        let level = logger.filter();
        FailureTap::install(Box::new(logger), level).unwrap();
    });
}

fn xyz(template: String) -> BasemapSpec {
    BasemapSpec::parse(&template).unwrap()
}

#[test]
fn the_template_is_filled_and_the_user_agent_sent() {
    let server = TileServer::start(Reply::Png);
    let ctx = egui::Context::default();

    let spec = xyz(format!("{}/tiles/{{z}}/{{x}}/{{y}}.png", server.url()));
    let mut tiles = make_tiles_with_cache(&spec, &ctx, None).unwrap().unwrap();
    let piece = wait_for_tile(tiles.as_mut(), FERGANA, PATIENCE).expect("the tile arrives");
    assert_eq!(texture_size(&piece), [256, 256]);

    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].path, "/tiles/7/89/47.png");
    assert_eq!(
        requests[0].user_agent.as_deref(),
        Some(user_agent().as_str())
    );
    assert!(user_agent().starts_with("bordermap/"));

    // {s} goes round a, b, c by tile, and {y} may come before {x}: (89 + 47) % 3 = 1 → b.
    let spec = xyz(format!("{}/{{s}}/{{z}}/{{y}}/{{x}}", server.url()));
    let mut tiles = make_tiles_with_cache(&spec, &ctx, None).unwrap().unwrap();
    wait_for_tile(tiles.as_mut(), FERGANA, PATIENCE).expect("the tile arrives");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[1].path, "/b/7/47/89");
}

#[test]
fn a_second_source_is_served_from_the_disk_cache_with_the_server_gone() {
    let cache = temp_dir("cache");
    let mut server = TileServer::start(Reply::Png);
    let ctx = egui::Context::default();
    let spec = xyz(format!("{}/{{z}}/{{x}}/{{y}}.png", server.url()));

    let mut first = make_tiles_with_cache(&spec, &ctx, Some(cache.clone()))
        .unwrap()
        .unwrap();
    wait_for_tile(first.as_mut(), FERGANA, PATIENCE).expect("the tile arrives");
    drop(first);
    server.stop();
    assert_eq!(server.requests().len(), 1);
    assert!(size_of_tree(&cache) > 0, "nothing was written to the cache");

    // A new source (as in a new run) with the server gone: the tile comes from the disk.
    let mut second = make_tiles_with_cache(&spec, &ctx, Some(cache.clone()))
        .unwrap()
        .unwrap();
    let piece = wait_for_tile(second.as_mut(), FERGANA, PATIENCE).expect("the tile is cached");
    assert_eq!(texture_size(&piece), [256, 256]);
    // The server is really gone: a tile never fetched does not come.
    let elsewhere = TileId { x: 90, ..FERGANA };
    assert!(wait_for_tile(second.as_mut(), elsewhere, Duration::from_secs(1)).is_none());
    drop(second);

    // Pruned to nothing, the cache is a miss, not an error.
    assert!(prune_cache(&cache, 0).unwrap() > 0);
    assert_eq!(size_of_tree(&cache), 0);
    let mut third = make_tiles_with_cache(&spec, &ctx, Some(cache.clone()))
        .unwrap()
        .unwrap();
    assert!(wait_for_tile(third.as_mut(), FERGANA, Duration::from_secs(1)).is_none());
    drop(third);

    std::fs::remove_dir_all(&cache).unwrap();
}

#[test]
fn failing_servers_leave_the_tile_empty_and_say_why() {
    tap_failures();
    let ctx = egui::Context::default();
    let count = |kind: FailureKind| {
        tile_failures()
            .by_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    };

    for (reply, kind) in [
        (Reply::ServerError, FailureKind::ServerError),
        (Reply::NotFound, FailureKind::NotFound),
        (Reply::Garbage, FailureKind::NotAnImage),
    ] {
        let server = TileServer::start(reply);
        let before = count(kind);
        let spec = xyz(format!("{}/{{z}}/{{x}}/{{y}}.png", server.url()));
        let mut tiles = make_tiles_with_cache(&spec, &ctx, None).unwrap().unwrap();

        // Ask as the map does until the server has answered and walkers has given up.
        let started = Instant::now();
        while count(kind) == before && started.elapsed() < PATIENCE {
            assert!(tiles.at(FERGANA).is_none(), "{reply:?} gave a tile");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(server.requests().len(), 1, "{reply:?}");
        assert!(count(kind) > before, "{reply:?} was not noted as {kind:?}");
        // And the tile stays empty: the offline map shows beneath.
        assert!(wait_for_tile(tiles.as_mut(), FERGANA, Duration::from_millis(500)).is_none());
        assert_eq!(tiles.stats().in_progress, 0);
        if !matches!(reply, Reply::Garbage) {
            let url = server.url();
            assert!(
                tile_failures().recent.iter().any(|m| m.contains(&url)),
                "{:?}",
                tile_failures()
            );
        }
    }

    // Nothing listening at all.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Other tests of this process note failures too: look for this server's own message,
    // not at a shared counter.
    let address = format!("127.0.0.1:{port}");
    let spec = xyz(format!("http://{address}/{{z}}/{{x}}/{{y}}.png"));
    let mut tiles = make_tiles_with_cache(&spec, &ctx, None).unwrap().unwrap();
    let ours = || {
        tile_failures()
            .recent
            .into_iter()
            .find(|m| m.contains(&address))
    };
    let started = Instant::now();
    while ours().is_none() && started.elapsed() < PATIENCE {
        assert!(tiles.at(FERGANA).is_none());
        std::thread::sleep(Duration::from_millis(10));
    }
    let message =
        ours().unwrap_or_else(|| panic!("no failure for {address}: {:?}", tile_failures()));
    assert_eq!(
        FailureKind::classify(&message),
        FailureKind::Unreachable,
        "{message}"
    );
}

#[test]
fn offline_creates_no_source() {
    let ctx = egui::Context::default();
    assert!(make_tiles(&BasemapSpec::Offline, &ctx).unwrap().is_none());
}

fn varint(mut value: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A PMTiles v3 archive (<https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>)
/// of PNG tiles, given with their PMTiles tile ids (z0: 0; z1: (0,0) 1, (0,1) 2, (1,1) 3,
/// (1,0) 4, along the Hilbert curve), sorted. Uncompressed directory, no leaves, metadata
/// `{}`.
fn pmtiles_archive(tiles: &[(u64, Vec<u8>)], max_zoom: u8) -> Vec<u8> {
    let mut dir = Vec::new();
    varint(tiles.len() as u64, &mut dir);
    let mut last_id = 0;
    for (id, _) in tiles {
        varint(id - last_id, &mut dir);
        last_id = *id;
    }
    for _ in tiles {
        varint(1, &mut dir); // run length
    }
    for (_, data) in tiles {
        varint(data.len() as u64, &mut dir);
    }
    for (i, _) in tiles.iter().enumerate() {
        // Offset + 1, or 0 for "right after the previous one".
        varint(if i == 0 { 1 } else { 0 }, &mut dir);
    }
    let metadata = b"{}";
    let data: Vec<u8> = tiles.iter().flat_map(|(_, d)| d.iter().copied()).collect();

    let root_offset = 127u64;
    let metadata_offset = root_offset + dir.len() as u64;
    let data_offset = metadata_offset + metadata.len() as u64;
    let n = tiles.len() as u64;
    let mut file = b"PMTiles".to_vec();
    file.push(3); // version
    for value in [
        root_offset,
        dir.len() as u64,
        metadata_offset,
        metadata.len() as u64,
        data_offset, // leaf directories: none
        0,
        data_offset,
        data.len() as u64,
        n, // addressed tiles
        n, // tile entries
        n, // tile contents
    ] {
        file.extend_from_slice(&value.to_le_bytes());
    }
    // Clustered, internal compression none, tile compression none, PNG, zooms.
    file.extend_from_slice(&[1, 1, 1, 2, 0, max_zoom]);
    // Bounds (the Fergana valley), then centre zoom and position, in 1e-7 degrees.
    for degrees in [69.0f64, 39.5, 73.5, 41.5] {
        file.extend_from_slice(&((degrees * 1e7) as i32).to_le_bytes());
    }
    file.push(0);
    for degrees in [71.5f64, 40.5] {
        file.extend_from_slice(&((degrees * 1e7) as i32).to_le_bytes());
    }
    assert_eq!(file.len(), 127);
    file.extend_from_slice(&dir);
    file.extend_from_slice(metadata);
    file.extend_from_slice(&data);
    file
}

#[test]
fn a_pmtiles_file_is_read() {
    let dir = temp_dir("pmtiles");
    let path = dir.join("fergana.pmtiles");
    let archive = pmtiles_archive(
        &[
            (0, png_bytes(256, [30, 120, 30, 255])),
            // z1, x 1, y 0: a smaller image, to tell it from the z0 tile.
            (4, png_bytes(64, [30, 30, 120, 255])),
        ],
        1,
    );
    std::fs::write(&path, archive).unwrap();
    let info = bordermap::map::online::check_pmtiles(&path).unwrap();
    assert_eq!(
        (info.min_zoom, info.max_zoom, info.tile_type),
        (0, 1, "png")
    );

    let spec = BasemapSpec::parse(path.to_str().unwrap()).unwrap();
    assert_eq!(spec, BasemapSpec::PmTiles { path: path.clone() });
    let ctx = egui::Context::default();
    let mut tiles = make_tiles(&spec, &ctx).unwrap().unwrap();
    let east = TileId {
        x: 1,
        y: 0,
        zoom: 1,
    };
    let piece = wait_for_tile(tiles.as_mut(), east, PATIENCE).expect("the z1 tile is read");
    assert_eq!(texture_size(&piece), [64, 64]);
    let world = TileId {
        x: 0,
        y: 0,
        zoom: 0,
    };
    let piece = wait_for_tile(tiles.as_mut(), world, PATIENCE).expect("the z0 tile is read");
    assert_eq!(texture_size(&piece), [256, 256]);
    // A tile the file does not have: nothing of its own (a piece of z0 stands in).
    let west = TileId { x: 0, ..east };
    assert!(wait_for_tile(tiles.as_mut(), west, Duration::from_millis(500)).is_none());
    drop(tiles);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_or_corrupt_pmtiles_file_is_an_error_naming_it() {
    let dir = temp_dir("pmtiles-bad");
    let ctx = egui::Context::default();
    let named = |spec: BasemapSpec, file: &str| {
        let err = match make_tiles(&spec, &ctx) {
            Err(err) => err,
            Ok(_) => panic!("{file} was accepted"),
        };
        let err = err.to_string();
        assert!(err.contains(file), "{err}");
        err
    };

    let missing = dir.join("missing.pmtiles");
    let err = named(
        BasemapSpec::PmTiles {
            path: missing.clone(),
        },
        "missing.pmtiles",
    );
    assert!(err.contains("not found"), "{err}");
    let err = BasemapSpec::parse(missing.to_str().unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.pmtiles"), "{err}");

    let garbage = dir.join("garbage.pmtiles");
    std::fs::write(
        &garbage,
        b"<html>this is a login page, not a map</html>".repeat(10),
    )
    .unwrap();
    named(BasemapSpec::PmTiles { path: garbage }, "garbage.pmtiles");

    let archive = pmtiles_archive(&[(0, png_bytes(256, [0, 0, 0, 255]))], 0);
    let truncated = dir.join("truncated.pmtiles");
    std::fs::write(&truncated, &archive[..archive.len() - 100]).unwrap();
    let err = named(
        BasemapSpec::PmTiles { path: truncated },
        "truncated.pmtiles",
    );
    assert!(err.contains("truncated"), "{err}");

    let mut v2 = archive.clone();
    v2[2] = b'2';
    let old = dir.join("old.pmtiles");
    std::fs::write(&old, v2).unwrap();
    named(BasemapSpec::PmTiles { path: old }, "old.pmtiles");

    let short = dir.join("short.pmtiles");
    std::fs::write(&short, b"PMTiles\x03").unwrap();
    named(BasemapSpec::PmTiles { path: short }, "short.pmtiles");

    std::fs::remove_dir_all(&dir).unwrap();
}
