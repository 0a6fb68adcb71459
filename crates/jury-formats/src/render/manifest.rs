//! `manifest.json`'s bytes: the layout `jury run` writes (one line per top-level field and
//! per candidate), the reader, and the quick check `--force` makes. The schema itself is
//! `jury_core::manifest`.

use std::io::{self, Read, Write};

pub use jury_core::manifest::{build, Counts, Manifest, Tool, TOOL_NAME};

/// Writes the manifest as JSON, one line per top-level field and one line per
/// candidate, so that a candidate's whole decision is one line to find, read or compare.
/// Written line by line: a national session's manifest is never whole in memory.
pub fn write_to(manifest: &Manifest, out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\n")?;
    let fields: [(&str, &dyn erased_serde_json::Json); 6] = [
        ("tool", &manifest.tool),
        ("provisional", &manifest.provisional),
        ("session", &manifest.session),
        ("inputs", &manifest.inputs),
        ("outputs", &manifest.outputs),
        ("counts", &manifest.counts),
    ];
    for (key, value) in fields {
        write!(out, "  \"{key}\": ")?;
        value.write_json(out)?;
        out.write_all(b",\n")?;
    }
    out.write_all(b"  \"candidates\": [")?;
    for (i, candidate) in manifest.candidates.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *out, candidate).map_err(io::Error::other)?;
    }
    out.write_all(if manifest.candidates.is_empty() {
        b"]\n}\n"
    } else {
        b"\n  ]\n}\n"
    })
}

/// The manifest as bytes (see [`write_to`]).
pub fn to_bytes(manifest: &Manifest) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_to(manifest, &mut out)?;
    Ok(out)
}

/// Reads a manifest in any JSON layout.
pub fn read(bytes: &[u8]) -> Result<Manifest<'static>, serde_json::Error> {
    serde_json::from_slice(bytes)
}

mod erased_serde_json {
    use std::io::{self, Write};

    /// Compact JSON of a field of any type, written where the manifest's lines go.
    pub trait Json {
        fn write_json(&self, out: &mut dyn Write) -> io::Result<()>;
    }

    impl<T: serde::Serialize + ?Sized> Json for T {
        fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
            serde_json::to_writer(out, self).map_err(io::Error::other)
        }
    }
}

/// The head of a manifest: its first field, the schema's [`Tool`].
#[derive(serde::Deserialize)]
struct Head<'a> {
    tool: Tool<'a>,
}

/// Was this manifest written by `jury`? (`--force` only replaces such folders.) A
/// national session's manifest is hundreds of megabytes: `jury` writes the `tool` field
/// on the second line, which is read first; any other layout is read as a stream, only
/// the `tool` field kept.
pub fn written_by_jury(mut manifest: impl Read) -> bool {
    let mut head = [0u8; 4096];
    let mut filled = 0;
    while filled < head.len() {
        match manifest.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(_) => return false,
        }
    }
    let head = &head[..filled];
    let second_line = head.split(|b| *b == b'\n').nth(1).unwrap_or_default();
    if let Some(tool) = second_line
        .trim_ascii()
        .strip_suffix(b",")
        .filter(|l| l.starts_with(b"\"tool\""))
    {
        let object = [b"{", tool, b"}"].concat();
        if let Ok(h) = serde_json::from_slice::<Head>(&object) {
            return h.tool.name == TOOL_NAME;
        }
    }
    serde_json::from_reader::<_, Head>(io::BufReader::new(Read::chain(head, manifest)))
        .is_ok_and(|h| h.tool.name == TOOL_NAME)
}

#[cfg(test)]
mod tests {
    use super::written_by_jury;

    #[test]
    fn jury_s_manifests_are_recognised_from_their_head_or_as_a_stream() {
        let ours = "{\n  \"tool\": {\"name\":\"jury\",\"version\":\"0.1.0\"},\n  \"provisional\": false\n}\n";
        assert!(written_by_jury(ours.as_bytes()));
        let other_layout = format!(
            "{{\"candidates\": [{}], \"tool\": {{\"name\": \"jury\", \"version\": \"0.1.0\"}}}}",
            "1,".repeat(5000) + "1"
        );
        assert!(
            written_by_jury(other_layout.as_bytes()),
            "read past the first 4 KB"
        );
        for not_ours in [
            "{\n  \"tool\": {\"name\":\"autre\",\"version\":\"1\"},\n  \"x\": 1\n}",
            "{\"tool\": {\"name\": \"excel\", \"version\": \"16\"}}",
            "not json",
            "",
        ] {
            assert!(!written_by_jury(not_ours.as_bytes()), "{not_ours}");
        }
    }
}
