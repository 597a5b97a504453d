//! How the viewer, the command line and the benches set up their allocator: the system's
//! (glibc's malloc on Linux), which the C libraries under the window (Mesa, LLVM, X11) use
//! too. [`set_up`] is called first thing by `main` and by the benches, so that the benches
//! measure what the viewer runs; the tests keep the allocator's defaults.
//!
//! Why the system's and not mimalloc (the binary's allocator until December 2026): after the
//! layers became compact (geometry packed, properties kept as text, rows sharing one text),
//! a load is a few allocations a feature, and with mimalloc the process held 6-40 MB more
//! than with glibc for the same data, and was no faster. Measured on this machine, release build, the same code
//! with either allocator (MB = 2^20 bytes; the windows' peaks are VmHWM under Xvfb):
//!
//! | case | mimalloc | glibc |
//! | --- | --- | --- |
//! | window, 100 MB GeoJSON, a session of wheel zooming: peak | 281-287 MB | 271-275 MB |
//! | window, 1M-point CSV, the same session: peak | 484-518 MB | 471-476 MB |
//! | `check` of the 100 MB GeoJSON | 0.62-0.67 s, 72-77 MB | 0.57-0.63 s, 71 MB |
//! | 1080p export of it at zoom 5 | 2.07-2.09 s, 155 MB | 1.85-1.90 s, 149 MB |
//! | export of the 1M-point CSV at zoom 4 | 2.14 s, 323 MB | 1.98-2.38 s, 318 MB |

/// Sets up glibc's malloc for a program whose peaks are its data's:
///
/// - No transparent huge pages: a 2 MB page is resident whole however little of it is used
///   (under mimalloc, which asked for them, a million points took the viewer 604 -> 552 MB).
///   This matters where the system backs all anonymous memory with them (`always`).
/// - A fixed threshold for mapping big blocks: by default glibc raises it to the largest
///   block freed, so that later big blocks (a layer's buffers, shader compilations,
///   textures) land in a heap it cannot shrink. Fixed, big blocks go back when freed (the
///   empty window: 216 -> 205 MB).
/// - The heap's top is trimmed only past 16 MB: Mesa allocates and frees about 12 MB in small
///   blocks every frame, and trimming it each time made each frame fault it in again; a
///   bigger spike (lavapipe bins every triangle of a frame: 34 MB for a frame of 76,000
///   vertices) still goes back.
pub fn set_up() {
    // SAFETY: sets a flag of this process (pages faulted in from now on are small); no
    // pointer is passed.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // SAFETY: sets glibc's malloc parameters; valid values, at any time.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 16 << 20);
    }
}

/// Gives the pages of freed memory back to the system, wherever they lie in the heap (glibc
/// returns only the top of each heap by itself, and a load leaves its temporaries between
/// blocks that live on: the 100 MB GeoJSON, 9 MB of the window after opening it, and 5 MB
/// more after removing it). Takes 1-2 ms after a load, 29 ms after removing that layer:
/// called after a load, an export or a change to the layers, not every frame.
pub fn give_back() {
    // SAFETY: glibc's `malloc_trim` only walks the allocator's own lists; no pointer is
    // passed.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::*;

    /// Resident memory of this process, in bytes.
    fn resident() -> usize {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let kib: usize = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .unwrap()
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .unwrap();
        kib * 1024
    }

    #[test]
    fn memory_freed_under_a_block_that_lives_on_goes_back_when_given_back() {
        // 128 MB in blocks of 1 KB, all freed but the last: it keeps the heap's top, so
        // glibc keeps the rest resident until it is given back.
        let mut blocks: Vec<Box<[u8; 1024]>> =
            (0..131_072).map(|_| Box::new([1u8; 1024])).collect();
        let last = blocks.pop();
        drop(blocks);
        let before = resident();
        give_back();
        let after = resident();
        assert!(
            before.saturating_sub(after) > 64 << 20,
            "{} MB resident before, {} MB after",
            before >> 20,
            after >> 20
        );
        drop(last);
    }
}
