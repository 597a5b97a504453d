//! KMZ bombs: a KMZ of about 3 MB whose `doc.kml` inflates to 3 GB (a valid KML start, then
//! comments of a megabyte of spaces each), written into `target/bench-data/` once, in two
//! forms: with honest zip headers (refused from its declared size) and with headers that
//! claim 1000 bytes (cut off as the entry streams). Prints the wall time and peak memory of
//! `bordermap check` on each, and the target: an error in at most 1 s and 100 MB.
//!
//! `cargo bench --bench kmz_bomb`

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use support::measure_any;

/// Inflated size of the bomb's `doc.kml`.
const INFLATED: u64 = 3 << 30;

/// Writes a KMZ whose `doc.kml` is a placemark followed by [`INFLATED`] bytes of comments
/// (each a megabyte of spaces), deflated as a stream (never whole in memory).
fn kmz_bomb(path: &Path) -> std::io::Result<()> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("doc.kml", options)?;
    zip.write_all(
        b"<kml><Document><Placemark><name>bomb</name><Point><coordinates>70,40</coordinates>\
          </Point></Placemark>\n",
    )?;
    let mut comment = b"<!--".to_vec();
    comment.resize((1 << 20) - 4, b' ');
    comment.extend_from_slice(b"-->\n");
    for _ in 0..INFLATED >> 20 {
        zip.write_all(&comment)?;
    }
    zip.write_all(b"</Document></kml>\n")?;
    zip.finish()?.flush()
}

/// A little-endian `u16` at `at`.
fn u16_at(bytes: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]))
}

/// A copy of the archive at `from` whose zip headers say every entry inflates to 1000 bytes:
/// the local and the central headers, and the sizes of their ZIP64 fields.
fn lying_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut bytes = std::fs::read(from)?;
    let mut i = 0;
    while i + 46 <= bytes.len() {
        // Offsets of the uncompressed size, the extra field's length, and the name's length.
        let (size_at, extra_len_at, name_len_at, header) = match &bytes[i..i + 4] {
            b"PK\x03\x04" => (i + 22, i + 28, i + 26, 30),
            b"PK\x01\x02" => (i + 24, i + 30, i + 28, 46),
            _ => {
                i += 1;
                continue;
            }
        };
        let zip64 = bytes[size_at..size_at + 4] == [0xff; 4];
        let extra = i + header + u16_at(&bytes, name_len_at);
        let extra_end = (extra + u16_at(&bytes, extra_len_at)).min(bytes.len());
        if zip64 {
            // The ZIP64 field (id 1) starts with the uncompressed size when the header's is
            // 0xffffffff.
            let mut at = extra;
            while at + 12 <= extra_end {
                if u16_at(&bytes, at) == 1 {
                    bytes[at + 4..at + 12].copy_from_slice(&1000u64.to_le_bytes());
                    break;
                }
                at += 4 + u16_at(&bytes, at + 2);
            }
        } else {
            bytes[size_at..size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
        i += 4;
    }
    std::fs::write(to, bytes)
}

fn main() {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("/usr/bin/time is missing (apt-get install time); cannot measure peak memory");
        std::process::exit(1);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let _ = std::fs::create_dir_all(&dir);
    let bordermap = env!("CARGO_BIN_EXE_bordermap");

    let honest = dir.join("kmz-bomb-3gb.kmz");
    let lying = dir.join("kmz-bomb-3gb-lying.kmz");
    if !honest.exists() || !lying.exists() {
        let t = Instant::now();
        if let Err(e) = kmz_bomb(&honest).and_then(|()| lying_copy(&honest, &lying)) {
            eprintln!("cannot write {}: {e}", honest.display());
            std::process::exit(1);
        }
        eprintln!(
            "generated {} and {} in {:.1} s",
            honest.display(),
            lying.display(),
            t.elapsed().as_secs_f64()
        );
    }
    for (path, what) in [
        (&honest, "honest headers"),
        (&lying, "headers claim 1000 bytes"),
    ] {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        println!(
            "KMZ bomb, {what}: {} ({:.1} MB, doc.kml inflates to {} GB)",
            path.display(),
            size as f64 / 1e6,
            INFLATED >> 30
        );
        match measure_any(bordermap, &["check", &path.to_string_lossy()]) {
            Some((ok, wall, rss_kib, output)) => {
                let refused = !ok && output.contains("zip bomb");
                let rss_mb = rss_kib as f64 / 1024.0;
                println!(
                    "  bordermap check: {wall:.2} s wall, peak {rss_mb:.1} MB, {}",
                    if refused { "refused" } else { "NOT refused" }
                );
                println!(
                    "  target: an error in <= 1 s and <= 100 MB: {}",
                    if refused && wall <= 1.0 && rss_mb <= 100.0 {
                        "met"
                    } else {
                        "NOT met"
                    }
                );
                if let Some(line) = output.lines().find(|l| l.contains("zip bomb")) {
                    println!("  {}", line.trim());
                }
            }
            None => println!("  bordermap check: could not run"),
        }
    }
}
