#![no_main]
//! `bordermap::io::geojson::read_geojson` on arbitrary bytes.

use std::io::Cursor;
use std::path::Path;

use bordermap::io::geojson::read_geojson;
use bordermap::io::timefields::TimeReader;
use bordermap_fuzz::{Read, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.geojson");
    let layer = read_geojson(Cursor::new(data), path, &TimeReader::default());
    check(
        &layer,
        &Read {
            path,
            max_features: data.len() + 1,
            limited: false,
        },
    );
});
