//! How the viewer, the command line and the benches set up their allocator (mimalloc, the
//! global allocator of the binary and of the benches; tests keep the system's): freed memory
//! goes back to the system at once from the start ([`return_freed_memory_at_once`]); the
//! window then lets it wait between loads and exports ([`return_freed_memory`]).

/// mimalloc's `mi_option_purge_delay` (its header's enum; the Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc's own purge delay, in milliseconds.
const DEFAULT_PURGE_DELAY_MS: std::ffi::c_long = 10;

/// mimalloc's `mi_option_allow_thp` (the same enum).
const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

/// Memory freed is given back to the system at once rather than after 10 ms, so a peak is
/// the data's, not the allocator's (the 100 MB `check`: 188 MB peak without, 133 MB with).
/// And no transparent huge pages: mimalloc asks for them on its arenas, and a 2 MB page is
/// resident whole however little of it is used (a million points: the viewer 604 -> 552 MB,
/// their export 513 -> 486 MB). The price: memory a frame allocates and frees is given back
/// and faulted in again the next frame, so a frame must not remake megabytes (the
/// timeline's ticks of a million events, drawn anew each frame, cost 6-8 ms a frame here).
/// The benches call this too, so that they measure what the viewer runs.
pub fn return_freed_memory_at_once() {
    // SAFETY: sets a global option of the allocator; any value is valid at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    // SAFETY: as above. Too late for the arena made before `main`, hence the `prctl`.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ALLOW_THP, 0) };
    // SAFETY: sets a flag of this process (pages faulted in from now on are small); no
    // pointer is passed.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // The C libraries under the window (Mesa, LLVM, X11) allocate with glibc's malloc, which
    // by default raises its threshold for mapping big blocks to the largest one freed, so
    // that later shader compilations and textures land in a heap it cannot shrink. A fixed
    // threshold gives big blocks back when they are freed (the empty window: 216 -> 205 MB).
    // The heap's top is trimmed only past 16 MB: Mesa allocates and frees about 12 MB in
    // small blocks every frame, and trimming it each time made each frame fault it in again;
    // a bigger spike (lavapipe bins every triangle of a frame: 34 MB for a frame of 76,000
    // vertices) still goes back.
    // SAFETY: sets glibc's malloc parameters; valid values, at any time.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 16 << 20);
    }
}

/// Memory freed goes back to the system at once (`true`: while layers are read, prepared or
/// exported, whose peaks are the viewer's) or after mimalloc's short delay (`false`: between
/// them, so that each frame reuses what the frame before freed instead of having the system
/// zero it again: zooming over a million points, 20% of a frame's CPU).
pub fn return_freed_memory(at_once: bool) {
    let delay = if at_once { 0 } else { DEFAULT_PURGE_DELAY_MS };
    // SAFETY: sets a global option of the allocator; any value is valid at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay) };
}
