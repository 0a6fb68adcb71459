//! Workbook bytes → format detection → pre-scans → parse → our sheets, in-process (the
//! reader `jury __read-workbook` runs in its child). A panic of calamine is caught by the
//! reader and becomes an error (the hook below lets it); what libFuzzer reports is a panic
//! of jury's own code, or an abort, hang or allocation that the child process would contain
//! (run with `-rss_limit_mb=512 -malloc_limit_mb=512 -timeout=3` to mirror its limits).
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;

static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // A panic of a third-party crate (calamine, zip) is caught by the reader and becomes
    // an error, as in `jury`: only one located in jury's own code is a crash here.
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let file = info.location().map(|l| l.file()).unwrap_or_default();
            if !file.contains("/.cargo/registry/") && !file.starts_with("/rustc/") {
                eprintln!("jury panicked: {info}");
                std::process::abort();
            }
        }));
    });
    if let Ok(sheets) = jury::fs::guard::in_process(data, true) {
        // What the parent does with the child's answer.
        let bytes = jury::formats::wire::encode(&Ok(sheets));
        assert!(jury::formats::wire::decode(&bytes).is_some());
    }
});
