//! Progress on long work, and phase timings for benchmarks.
//!
//! A spinner (or a bar, for documents) on stderr for each phase, only when stderr is a
//! terminal and `--quiet` is not given; nothing at all otherwise, so scripts and CI logs
//! stay clean. With `JURY_TIMINGS=1` in the environment, each phase also prints one line
//! `jury-timing <phase> wall=…s cpu=…s rss=…MB` on stderr (Linux: CPU time and peak memory
//! are read from /proc; elsewhere they print as 0), which `benches/bench.sh` collects.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    visible: bool,
    timings: bool,
}

/// One phase under way; it reports when dropped.
pub struct Phase {
    name: &'static str,
    bar: Option<ProgressBar>,
    started: Instant,
    cpu_at_start: f64,
    timings: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        Progress {
            visible: !quiet && std::io::stderr().is_terminal(),
            timings: std::env::var_os("JURY_TIMINGS").is_some_and(|v| v == "1"),
        }
    }

    /// Starts a phase; `total` makes it a bar counting items (documents), else a spinner.
    pub fn phase(&self, name: &'static str, label: &str, total: Option<u64>) -> Phase {
        let bar = self.visible.then(|| {
            let bar = match total {
                Some(n) => ProgressBar::new(n).with_style(
                    ProgressStyle::with_template(
                        "{msg} [{bar:30}] {pos}/{len} (reste {eta_precise})",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                ),
                None => ProgressBar::new_spinner(),
            };
            bar.set_message(label.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Phase {
            name,
            bar,
            started: Instant::now(),
            cpu_at_start: cpu_seconds(),
            timings: self.timings,
        }
    }
}

impl Phase {
    /// One more item done (documents written).
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.timings {
            eprintln!(
                "jury-timing {} wall={:.3}s cpu={:.2}s rss={}MB",
                self.name,
                self.started.elapsed().as_secs_f64(),
                cpu_seconds() - self.cpu_at_start,
                peak_rss_mb()
            );
        }
    }
}

/// User + system CPU time of this process, from /proc/self/stat (clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory so far, from /proc/self/status (`VmHWM`), in MB.
fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
