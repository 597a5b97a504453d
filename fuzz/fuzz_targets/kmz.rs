#![no_main]
//! `bordermap::io::kml::read_kmz` on arbitrary bytes (a zip archive, or not).

use std::io::Cursor;
use std::path::Path;

use bordermap::io::kml::{MAX_INFLATE_RATIO, MIN_INFLATE_LIMIT, read_kmz};
use bordermap::io::timefields::TimeReader;
use bordermap_fuzz::{Read, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.kmz");
    let layer = read_kmz(Cursor::new(data), path, &TimeReader::default());
    // The KML read is at most the inflate limit of its entry, whose compressed size is at
    // most the archive's.
    let inflated = (data.len() as u64)
        .saturating_mul(MAX_INFLATE_RATIO)
        .max(MIN_INFLATE_LIMIT);
    check(
        &layer,
        &Read {
            path,
            max_features: usize::try_from(inflated)
                .unwrap_or(usize::MAX)
                .saturating_add(1),
            limited: true,
        },
    );
});
