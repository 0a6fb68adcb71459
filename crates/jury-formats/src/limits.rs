//! Every limit `jury` puts on what it reads, in one place, with the French words a finding
//! uses past it.
//!
//! Grids come from many hands: a workbook may be corrupt, crafted, or simply far larger
//! than any grid. Two lines of defence keep one such file from stopping the whole session:
//!
//! 1. **Pre-scans** ([`crate::prescan`]) refuse, before the spreadsheet parser sees it,
//!    what no grid needs: a file over [`MAX_FILE_BYTES`]; a zip with more than
//!    [`MAX_ZIP_ENTRIES`] entries, inflating to more than [`MAX_INFLATED_BYTES`], one entry
//!    inflating more than [`MAX_RATIO`] times its size, an XML part nested deeper than
//!    [`MAX_XML_DEPTH`] or cut short; a shared-strings table declaring more than
//!    [`MAX_SHARED_STRINGS`] strings; a sheet used beyond [`MAX_COLUMNS`] columns or
//!    [`MAX_SHEET_CELLS`] cells (counted from A1 to the last used cell).
//! 2. **Containment** (`jury_fs::guard`): each workbook is parsed in a child process of
//!    `jury` limited to [`MAX_READ_MEMORY`] bytes of memory and [`read_seconds`] of CPU
//!    time (an endless loop burns CPU; a busy machine does not count against a file), with
//!    a wall-clock backstop of [`wall_seconds`]; a child that crashes, aborts, hangs or runs
//!    out of memory becomes an `unreadable-workbook` finding naming the file, and the other
//!    files are still read.
//!
//! Nothing here reads the clock or the environment: these are plain values.

use std::time::Duration;

/// Largest workbook read, in bytes (64 Mio).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest `session.toml` or referential file read, in bytes (1 Mio).
pub const MAX_TOML_BYTES: u64 = 1024 * 1024;
/// Most entries in a workbook's zip (an `.xlsx` or `.ods` has a few dozen).
pub const MAX_ZIP_ENTRIES: u64 = 10_000;
/// Most bytes a workbook's zip may inflate to, all entries together (512 Mio).
pub const MAX_INFLATED_BYTES: u64 = 512 * 1024 * 1024;
/// Largest ratio between an entry's inflated and compressed sizes, for entries inflating to
/// more than [`RATIO_FLOOR_BYTES`] (real sheets stay near 10).
pub const MAX_RATIO: u64 = 200;
/// Entries smaller than this once inflated are not held to [`MAX_RATIO`] (1 Mio).
pub const RATIO_FLOOR_BYTES: u64 = 1024 * 1024;
/// Deepest nesting of elements in an XML part (real workbooks stay under 15).
pub const MAX_XML_DEPTH: u64 = 100;
/// Longest XML tag (its name and attributes), in bytes (1 Mio).
pub const MAX_TAG_BYTES: usize = 1024 * 1024;
/// Most strings a shared-strings table may declare (`count`, `uniqueCount`).
pub const MAX_SHARED_STRINGS: u64 = 5_000_000;
/// Most columns a sheet may use (Excel's and LibreOffice's own maximum).
pub const MAX_COLUMNS: u64 = 16_384;
/// Most cells in a sheet's used area, counted from A1 to the last used row and column.
pub const MAX_SHEET_CELLS: u64 = 4_000_000;
/// Most memory a child process reading one workbook may map, in bytes (512 Mio).
pub const MAX_READ_MEMORY: u64 = 512 * 1024 * 1024;
/// CPU time allowed to read a workbook of no size, in seconds.
pub const READ_SECONDS_BASE: u64 = 2;
/// CPU time allowed per Mio of workbook, on top of [`READ_SECONDS_BASE`].
pub const READ_SECONDS_PER_MIB: u64 = 1;

/// The CPU time allowed to read a workbook of `bytes` bytes: 2 s plus 1 s per Mio begun
/// (3 s for a grid of a few Kio, 66 s for a workbook of the largest size read; the
/// 100,000-candidate grid of 4 Mio reads in 2.5 s).
pub fn read_seconds(bytes: u64) -> u64 {
    READ_SECONDS_BASE + bytes.div_ceil(1024 * 1024) * READ_SECONDS_PER_MIB
}

/// The wall time after which a reading child is killed whatever its CPU time (a child that
/// blocks without computing): three times its CPU time plus 10 s.
pub fn wall_seconds(cpu_seconds: u64) -> u64 {
    cpu_seconds.saturating_mul(3).saturating_add(10)
}

/// The limits a guarded read applies (the constants above, unless a test chooses others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Memory (address space) of the child process, in bytes.
    pub memory: u64,
    /// CPU time, in seconds; `None`: [`read_seconds`] of the file's size.
    pub seconds: Option<u64>,
    /// Wall time, in seconds; `None`: [`wall_seconds`] of the CPU time.
    pub wall: Option<u64>,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            memory: MAX_READ_MEMORY,
            seconds: None,
            wall: None,
        }
    }
}

impl ReadLimits {
    /// The CPU time allowed for a workbook of `bytes` bytes, in seconds (at least 1).
    pub fn cpu_seconds(&self, bytes: u64) -> u64 {
        self.seconds.unwrap_or_else(|| read_seconds(bytes)).max(1)
    }

    /// The wall-clock backstop for a workbook of `bytes` bytes.
    pub fn wall(&self, bytes: u64) -> Duration {
        Duration::from_secs(
            self.wall
                .unwrap_or_else(|| wall_seconds(self.cpu_seconds(bytes))),
        )
    }
}

/// `64 Mio`, `512 Kio`, `300 octets`: a size as the secretary reads it.
pub fn human_bytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{} Mio", bytes.div_ceil(MIB))
    } else if bytes >= 1024 {
        format!("{} Kio", bytes.div_ceil(1024))
    } else if bytes > 1 {
        format!("{bytes} octets")
    } else {
        format!("{bytes} octet")
    }
}

pub use jury_core::wording::grouped;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_grows_with_the_file() {
        assert_eq!(read_seconds(0), 2);
        assert_eq!(read_seconds(2_000), 3);
        assert_eq!(read_seconds(MAX_FILE_BYTES), 66);
        assert_eq!(ReadLimits::default().cpu_seconds(0), READ_SECONDS_BASE);
        assert_eq!(ReadLimits::default().wall(0), Duration::from_secs(16));
    }

    #[test]
    fn sizes_read_in_french_units() {
        assert_eq!(human_bytes(MAX_FILE_BYTES), "64 Mio");
        assert_eq!(human_bytes(1500), "2 Kio");
        assert_eq!(human_bytes(12), "12 octets");
        assert_eq!(human_bytes(1), "1 octet");
    }

    #[test]
    fn counts_have_their_thousands_apart() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(16_384), "16 384");
        assert_eq!(grouped(MAX_SHEET_CELLS), "4 000 000");
        assert_eq!(grouped(1_000_000_000_000), "1 000 000 000 000");
    }
}
