#![no_main]
//! `bordermap::io::csv::read_csv` on arbitrary bytes: as a `.csv` (delimiter sniffed) and,
//! when the bytes hold a tab, as a `.tsv` too.

use std::io::Cursor;
use std::path::Path;

use bordermap::io::csv::read_csv;
use bordermap::io::timefields::TimeReader;
use bordermap_fuzz::{Read, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let time = TimeReader::default();
    let mut runs = vec![(Path::new("fuzz.csv"), None)];
    if data.contains(&b'\t') {
        runs.push((Path::new("fuzz.tsv"), Some(b'\t')));
    }
    for (path, delimiter) in runs {
        let layer = read_csv(Cursor::new(data), path, &time, delimiter);
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
