#![no_main]
//! `bordermap::io::fgb::read_fgb` on arbitrary bytes, with their length known (as a file's)
//! and unknown (as a stream's).

use std::io::Cursor;
use std::path::Path;

use bordermap::io::fgb::read_fgb;
use bordermap::io::timefields::TimeReader;
use bordermap_fuzz::{Read, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.fgb");
    for len in [Some(data.len() as u64), None] {
        let layer = read_fgb(Cursor::new(data), path, &TimeReader::default(), len);
        check(
            &layer,
            &Read {
                path,
                max_features: data.len() + 1,
                limited: true,
            },
        );
    }
});
