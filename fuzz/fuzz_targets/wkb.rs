#![no_main]
//! `bordermap::io::wkb::read_wkb` (the GeoPackage reader's geometry) on arbitrary bytes:
//! never a panic, never an allocation beyond what the bytes can hold.

use bordermap::io::wkb::read_wkb;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some(geometry)) = read_wkb(data) {
        use geo::CoordsIter;
        // A position takes at least 16 bytes of WKB, or a 4-byte count of one point whose ring
        // is closed by a copy of it: never fewer than 8 bytes a position.
        assert!(geometry.coords_count() <= data.len() / 8 + 1);
    }
});
