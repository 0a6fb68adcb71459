//! Text folding and safe names: how a word typed by a person is compared with the words
//! `jury` expects, and how an untrusted id becomes a file name.
//!
//! Everything here is pure and total: any `&str` gives an answer, never a panic.

use unicode_normalization::UnicodeNormalization;

/// Folds a word for comparison: accents dropped, lower case, white space collapsed and
/// trimmed, and trailing `°`, `:` and `.` removed. Symbols (`✓`, `✗`) are kept.
///
/// `"  Non Acquis. "` and `"non acquis"` fold to the same text.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        // Fast path (most cells): no accents to strip.
        let mut out = String::with_capacity(text.len());
        for word in text.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
        let end = out.trim_end_matches([':', '.', ' ']).len();
        out.truncate(end);
        return out;
    }
    let lowered: String = strip_accents(text).to_lowercase();
    let collapsed = lowered.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches(|c: char| c == '°' || c == ':' || c == '.' || c.is_whitespace())
        .to_string()
}

/// One line of text from the inputs as documents print it: Unicode NFC (so « ễ » is one
/// glyph), control characters (tabs, line breaks) turned into spaces, runs of spaces
/// collapsed, ends trimmed. Other white space (a no-break space) is kept as it is.
pub fn clean(text: &str) -> String {
    // Most text is already clean: checked without allocating.
    let tidy = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(char::is_control)
        && unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes;
    if tidy {
        return text.to_string();
    }
    let composed: String = text
        .nfc()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    composed
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One line of text from the inputs as an XML file declares it: Unicode NFC, every run of
/// white space (tabs, line breaks, no-break spaces…) collapsed to one space, ends trimmed.
/// `Err` names the first character XML 1.0 cannot carry: a control character that is not
/// white space, or U+FFFE, U+FFFF.
pub fn clean_xml(text: &str) -> Result<String, char> {
    let composed: String = text.nfc().collect();
    if let Some(bad) = composed
        .chars()
        .find(|c| (c.is_control() && !c.is_whitespace()) || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    {
        return Err(bad);
    }
    Ok(composed.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Folds a header: like [`fold`], and every character that is neither a letter nor a digit
/// separates words. `"N° candidat"` gives `"n candidat"`, `"Nom d'usage"` gives
/// `"nom d usage"`, `"E-mail"` gives `"e mail"`.
pub fn fold_header(text: &str) -> String {
    let lowered: String = strip_accents(text).to_lowercase();
    lowered
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Folds a person's name for comparison: case, accents, spaces, hyphens and apostrophes
/// are ignored, so `"Lefèvre-N'Diaye"` equals `"LEFEVRE N DIAYE"`.
pub fn fold_name(text: &str) -> String {
    strip_accents(text)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\'' | '’' | '‘' | '‐' | '–'))
        .collect()
}

/// Removes combining marks after canonical decomposition, and spells out `œ`, `æ`, `ß`.
pub fn strip_accents(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            'ß' => out.push_str("ss"),
            c if is_combining_mark(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Does `header` start with the code `code`? Case and white space inside the code are
/// ignored (`"CR 1.1"` is `Cr1.1`); after the code comes the end of the text or a separator
/// (white space, a dash, a colon, a dot then white space), so `Cr1.1` never matches `Cr1.10`.
/// Returns the number of code characters matched, for choosing the longest code.
pub fn starts_with_code(header: &str, code: &str) -> Option<usize> {
    let header = strip_accents(header).to_lowercase();
    let code: Vec<char> = strip_accents(code)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if code.is_empty() {
        return None;
    }
    let mut chars = header.trim_start().chars().peekable();
    let mut matched = 0;
    while matched < code.len() {
        let c = chars.next()?;
        if c.is_whitespace() && matched > 0 {
            continue;
        }
        if c != code[matched] {
            return None;
        }
        matched += 1;
    }
    let rest: String = chars.collect();
    let mut rest_chars = rest.chars();
    match rest_chars.next() {
        None => Some(matched),
        Some(c) if c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':' | '(' | '/') => {
            Some(matched)
        }
        Some('.') => match rest_chars.next() {
            None => Some(matched),
            Some(c) if c.is_whitespace() => Some(matched),
            _ => None,
        },
        _ => None,
    }
}

/// Does this header look like a criterion code (`Cr7.2`, `C12`), letters then a digit?
/// Used to report `unknown-criterion` for a header that no criterion of the referential matches.
pub fn looks_like_code(header: &str) -> bool {
    let compact: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    let letters = compact
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    (1..=3).contains(&letters)
        && compact
            .chars()
            .nth(letters)
            .is_some_and(|c| c.is_ascii_digit())
}

/// The first character of `text` that has no place in a person's identity: a control
/// character (C0, including tab and line breaks, DEL, C1), a bidirectional control (U+061C,
/// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069: they reorder what is displayed, so that a
/// document shows another text than the one stored) or an invisible character that makes
/// two equal-looking values differ (U+200B, U+2060, U+FEFF). Joiners (U+200C, U+200D) are
/// allowed: some scripts need them.
pub fn unsafe_char(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        c.is_control()
            || matches!(
                c,
                '\u{061C}'
                    | '\u{200B}'
                    | '\u{200E}'
                    | '\u{200F}'
                    | '\u{202A}'..='\u{202E}'
                    | '\u{2060}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{FEFF}'
            )
    })
}

/// `text` with every character [`unsafe_char`] refuses shown as `[U+202E]`, for messages.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if unsafe_char(c.encode_utf8(&mut [0; 4])).is_some() {
                format!("[U+{:04X}]", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// What a file system takes for the same name: [`safe_file_name`], in Unicode normal form C
/// and lower case (Windows and macOS ignore case; macOS also normalises).
pub fn file_key(id: &str) -> String {
    safe_file_name(id).nfc().collect::<String>().to_lowercase()
}

/// Makes an untrusted id safe as a file name: each of `/ \ : * ? " < > |` and control
/// characters becomes `_`, leading dots and trailing dots and spaces become `_`, a Windows
/// device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with or without extension, any case)
/// gets a `_` suffix, and an empty id gives `_`.
pub fn safe_file_name(id: &str) -> String {
    let mut chars: Vec<char> = id
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    for c in chars.iter_mut() {
        if *c == '.' {
            *c = '_';
        } else {
            break;
        }
    }
    for c in chars.iter_mut().rev() {
        if *c == '.' || *c == ' ' {
            *c = '_';
        } else {
            break;
        }
    }
    let mut name: String = chars.into_iter().collect();
    if name.is_empty() {
        name.push('_');
    }
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0');
    if device {
        name.push('_');
    }
    name
}

/// Column index (0-based) to letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letters(mut col: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

/// A 0-based (row, column) as an A1 reference: (0, 0) → `A1`, (4, 27) → `AB5`.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), u64::from(row) + 1)
}

/// The candidate word nearest to `word` (after folding), if it is close enough to be a
/// plausible typo: at most two edits, and fewer edits than half its length.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(word);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&folded, &fold(c)), c))
        .filter(|(d, c)| *d > 0 && *d <= 2 && *d * 2 < fold(c).chars().count().max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_composes_and_collapses_spaces_for_print() {
        assert_eq!(clean(" Nguye\u{302}\u{303}n\tThi\u{323}  "), "Nguyễn Thị");
        assert_eq!(clean("Zoé Lefèvre"), "Zoé Lefèvre");
        assert_eq!(clean("a\u{a0} b\r\nc\u{85}d"), "a\u{a0} b c d");
        assert_eq!(clean("   "), "");
    }

    #[test]
    fn clean_xml_collapses_all_white_space_and_refuses_what_xml_cannot_hold() {
        assert_eq!(
            clean_xml(" Nguye\u{302}\u{303}n\tThi\u{323}\u{a0}\u{a0}B "),
            Ok("Nguyễn Thị B".to_string())
        );
        assert_eq!(clean_xml("a\r\nb\u{85}c"), Ok("a b c".to_string()));
        assert_eq!(clean_xml("a\u{1}b"), Err('\u{1}'));
        assert_eq!(clean_xml("a\u{FFFF}"), Err('\u{FFFF}'));
    }

    #[test]
    fn fold_ignores_case_accents_space_and_trailing_punctuation() {
        assert_eq!(fold("  Non  Acquis. "), "non acquis");
        assert_eq!(fold("Évaluateur :"), "evaluateur");
        assert_eq!(fold("✓"), "✓");
        assert_eq!(fold("Validée"), "validee");
        assert_eq!(fold("  NON   acquis :"), "non acquis");
        assert_eq!(fold("A."), "a");
    }

    #[test]
    fn fold_header_splits_on_punctuation() {
        assert_eq!(fold_header("N° candidat"), "n candidat");
        assert_eq!(fold_header("Nom d'usage"), "nom d usage");
        assert_eq!(fold_header("Né(e) le"), "ne e le");
        assert_eq!(fold_header(" PRÉNOMS "), "prenoms");
    }

    #[test]
    fn fold_name_ignores_hyphens_and_apostrophes() {
        assert_eq!(fold_name("Lefèvre-N'Diaye"), fold_name("LEFEVRE N DIAYE"));
        assert_ne!(fold_name("Martin"), fold_name("Martine"));
    }

    #[test]
    fn criterion_codes_match_whole_or_before_a_separator() {
        assert!(starts_with_code("Cr1.1", "Cr1.1").is_some());
        assert!(starts_with_code("CR 1.1", "Cr1.1").is_some());
        assert!(starts_with_code("cr1.1 – La cible marketing", "Cr1.1").is_some());
        assert!(starts_with_code("Cr1.1. La cible", "Cr1.1").is_some());
        assert!(starts_with_code("Cr1.1:", "Cr1.1").is_some());
        assert!(starts_with_code("Cr1.10", "Cr1.1").is_none());
        assert!(starts_with_code("Cr1.1", "Cr1").is_none());
        assert!(starts_with_code("Critère", "Cr1.1").is_none());
        assert!(starts_with_code("C6.2. Le candidat", "C6.2").is_some());
    }

    #[test]
    fn code_like_headers() {
        assert!(looks_like_code("Cr7.1"));
        assert!(looks_like_code("C 12"));
        assert!(!looks_like_code("Commentaire"));
        assert!(!looks_like_code("Observations"));
    }

    #[test]
    fn safe_names() {
        assert_eq!(safe_file_name("2026001"), "2026001");
        assert_eq!(safe_file_name("../../x"), "___.._x");
        assert_eq!(safe_file_name("a/b"), "a_b");
        assert_eq!(safe_file_name("CON"), "CON_");
        assert_eq!(safe_file_name("com3.txt"), "com3.txt_");
        assert_eq!(safe_file_name("COM0"), "COM0");
        assert_eq!(safe_file_name("x. "), "x__");
        assert_eq!(safe_file_name(""), "_");
    }

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(4, 27), "AB5");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn nearest_suggests_typos_only() {
        let words = ["Acquis", "Non acquis", "A", "NA"];
        assert_eq!(nearest("Aquis", words), Some("Acquis"));
        assert_eq!(nearest("Non aqcuis", words), Some("Non acquis"));
        assert_eq!(nearest("Excellent", words), None);
    }
}
