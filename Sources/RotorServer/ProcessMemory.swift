import CRotorMalloc

/// Keeps `rotor serve`'s memory near what it uses, not what it once used (README, "Benchmarks").
///
/// Two glibc defaults cost Rotor most of its resident memory: each password hash allocates 16 MiB, and after the
/// first such block is freed glibc raises its mmap threshold so that the next ones come from the heap and stay
/// resident after use (53 MiB kept after a burst of logins); and every thread that allocates may get an arena of
/// its own. A fixed 1 MiB threshold returns large blocks to the system on `free`, and two arenas are plenty for
/// two event loops. Measured with 100,000 live sessions: 62–70 MiB resident after logins, verifications and
/// refreshes instead of 108 MiB, at the same throughput.
public enum ProcessMemory {
    /// Applies the settings, unless `MALLOC_MMAP_THRESHOLD_` or `MALLOC_ARENA_MAX` says otherwise; does nothing
    /// outside glibc.
    public static func tune() {
        _ = rotor_malloc_tune(1 << 20, 2)
    }
}
