#![no_main]
//! `bordermap::io::shp::read_shp` on arbitrary bytes as a `.shp` (no `.dbf` beside it), and
//! `read_zip` on the same bytes as a zip of shapefiles (a zip archive, or not).

use std::io::Cursor;
use std::path::Path;

use bordermap::io::shp::{read_shp, read_zip};
use bordermap::io::timefields::TimeReader;
use bordermap_fuzz::{Read, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let time = TimeReader::default();
    let path = Path::new("/nonexistent/fuzz.shp");
    let layer = read_shp(Cursor::new(data), path, &time);
    check(
        &layer,
        &Read {
            path,
            max_features: data.len() + 1,
            limited: true,
        },
    );
    let path = Path::new("fuzz.zip");
    if let Ok(layers) = read_zip(Cursor::new(data), path, &time) {
        for layer in &layers {
            check(
                layer,
                &Read {
                    path,
                    // A member inflates to at most 200 times the archive (8 MB at least).
                    max_features: data.len().saturating_mul(200).max(8 << 20) + 1,
                    limited: true,
                },
            );
        }
    }
});
