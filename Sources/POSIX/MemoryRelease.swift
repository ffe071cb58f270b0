import CPOSIX
import Glibc

/// Handing memory the process no longer needs back to the kernel.
public enum MemoryRelease {
    /// `MADV_PAGEOUT` (Linux 5.4+): drop the pages of a mapping from this process; clean file pages are
    /// read back from the file if touched again.
    public static let pageOutAdvice = cposix_madv_pageout

    /// Pages out `length` bytes of the mapping at `start`. Best effort: a kernel without `MADV_PAGEOUT`
    /// answers `EINVAL` and keeps the pages.
    public static func pageOut(start: UInt, length: Int) {
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), length, pageOutAdvice)
    }

    /// Returns the heap's free pages to the kernel (glibc's `malloc_trim(0)`).
    public static func trimMalloc() {
        _ = cposix_malloc_trim()
    }
}
