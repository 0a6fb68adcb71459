//! Findings: every problem `jury` reports about a session, as data.
//!
//! A finding has a stable code (what auditors and scripts match on), a French message for
//! the jury secretary (what is wrong and what to do), an optional hint on its own line,
//! and where it is: file (relative to the session), sheet, A1 cell, or line and column of
//! a TOML file. Readers create findings without stopping; the exit status is decided once,
//! at the end, from the worst of them.

use std::sync::Arc;

use serde::Serialize;

/// Stable finding codes (section 8 of the contract), serialised in kebab-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    InvalidConfig,
    InvalidReferential,
    UnreadableWorkbook,
    NoGrid,
    AmbiguousId,
    MissingLevel,
    InvalidLevel,
    PartialAbsence,
    UnknownCandidate,
    DuplicateCandidate,
    DuplicateLevel,
    /// A grid sheet repeating the levels of another sheet of the same juror (a copy of the
    /// file): ignored.
    DuplicateGrid,
    MissingCriterionColumn,
    UnknownCriterion,
    UnknownJuror,
    InsufficientGrids,
    MissingField,
    /// A value of the candidates file that the CPF declaration cannot use as it is.
    InvalidField,
    InvalidDate,
    InvalidPrerequisite,
    InvalidDeliberation,
    /// A header of the candidates file that matches no field but looks like one that
    /// changes a decision or a mandatory mention (prerequisites, birth date).
    UnrecognisedColumn,
    MissingMention,
    /// A document template of the session's `templates` folder that cannot be read or used.
    InvalidTemplate,
    /// A character of the data that the documents' font cannot print.
    UnsupportedCharacter,
    /// A control, bidirectional or invisible character in a candidate's identity field.
    UnsafeCharacter,
    /// The example row that `jury init` writes into the candidates file, still there.
    ExampleRow,
    Disputed,
    UngradedRow,
    MixedAbsence,
    IgnoredFile,
    JuryComposition,
    NameMismatch,
    /// A header that names no column the reader reads: kept (candidates) or not read.
    ExtraColumn,
    /// Grid audit (`core::grid_audit`): one level everywhere in a juror's grids.
    UniformGrid,
    /// Grid audit: a juror much stricter or more lenient than the others.
    JurorBias,
    /// Grid audit: a level cell holds a formula.
    FormulaLevel,
    /// Grid audit: a level read from a hidden row, column or sheet.
    HiddenLevel,
    /// Grid audit: a grid workbook saved after the session date.
    ModifiedAfterSession,
}

/// How a finding weighs on the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Reported; the session can still be decided.
    Warning,
    /// The session cannot be decided until it is fixed (exit 1).
    Error,
    /// An input could not be read at all (exit 2).
    Fatal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidConfig => "invalid-config",
            Code::InvalidReferential => "invalid-referential",
            Code::UnreadableWorkbook => "unreadable-workbook",
            Code::NoGrid => "no-grid",
            Code::AmbiguousId => "ambiguous-id",
            Code::MissingLevel => "missing-level",
            Code::InvalidLevel => "invalid-level",
            Code::PartialAbsence => "partial-absence",
            Code::UnknownCandidate => "unknown-candidate",
            Code::DuplicateCandidate => "duplicate-candidate",
            Code::DuplicateLevel => "duplicate-level",
            Code::DuplicateGrid => "duplicate-grid",
            Code::MissingCriterionColumn => "missing-criterion-column",
            Code::UnknownCriterion => "unknown-criterion",
            Code::UnknownJuror => "unknown-juror",
            Code::InsufficientGrids => "insufficient-grids",
            Code::MissingField => "missing-field",
            Code::InvalidField => "invalid-field",
            Code::InvalidDate => "invalid-date",
            Code::InvalidPrerequisite => "invalid-prerequisite",
            Code::InvalidDeliberation => "invalid-deliberation",
            Code::UnrecognisedColumn => "unrecognised-column",
            Code::MissingMention => "missing-mention",
            Code::InvalidTemplate => "invalid-template",
            Code::UnsupportedCharacter => "unsupported-character",
            Code::UnsafeCharacter => "unsafe-character",
            Code::ExampleRow => "example-row",
            Code::Disputed => "disputed",
            Code::UngradedRow => "ungraded-row",
            Code::MixedAbsence => "mixed-absence",
            Code::IgnoredFile => "ignored-file",
            Code::JuryComposition => "jury-composition",
            Code::NameMismatch => "name-mismatch",
            Code::ExtraColumn => "extra-column",
            Code::UniformGrid => "uniform-grid",
            Code::JurorBias => "juror-bias",
            Code::FormulaLevel => "formula-level",
            Code::HiddenLevel => "hidden-level",
            Code::ModifiedAfterSession => "modified-after-session",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::InvalidConfig
            | Code::InvalidReferential
            | Code::UnreadableWorkbook
            | Code::InvalidTemplate => Severity::Fatal,
            Code::Disputed
            | Code::UngradedRow
            | Code::MixedAbsence
            | Code::IgnoredFile
            | Code::JuryComposition
            | Code::NameMismatch
            | Code::ExtraColumn
            | Code::DuplicateGrid
            | Code::UniformGrid
            | Code::JurorBias
            | Code::FormulaLevel
            | Code::HiddenLevel
            | Code::ModifiedAfterSession => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// One problem, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub message: String,
    #[serde(skip)]
    pub hint: Option<String>,
    pub file: Option<String>,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub candidate: Option<String>,
    pub criterion: Option<String>,
    pub juror: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// A place in a workbook: file relative to the session, sheet, 0-based row and column.
///
/// The file and sheet names are shared (`Arc`): a session of 100,000 candidates holds
/// millions of cell references to a handful of sheets.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub row: u32,
    pub col: u32,
}

/// Serialised as `{"file", "sheet", "cell": "E7"}`, as people read it.
impl Serialize for CellRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("CellRef", 3)?;
        s.serialize_field("file", &*self.file)?;
        s.serialize_field("sheet", &*self.sheet)?;
        s.serialize_field("cell", &self.a1())?;
        s.end()
    }
}

impl CellRef {
    pub fn new(file: &str, sheet: &str, row: u32, col: u32) -> CellRef {
        CellRef {
            file: Arc::from(file),
            sheet: Arc::from(sheet),
            row,
            col,
        }
    }

    /// A cell of the same sheet as `self`, sharing its names.
    pub fn moved_to(&self, row: u32, col: u32) -> CellRef {
        CellRef {
            row,
            col,
            ..self.clone()
        }
    }

    pub fn a1(&self) -> String {
        crate::text::a1(self.row, self.col)
    }
}

impl Finding {
    pub fn new(code: Code, message: impl Into<String>) -> Finding {
        Finding {
            code,
            message: message.into(),
            hint: None,
            file: None,
            sheet: None,
            cell: None,
            candidate: None,
            criterion: None,
            juror: None,
            line: None,
            column: None,
        }
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn in_file(mut self, file: &str) -> Finding {
        self.file = Some(file.to_string());
        self
    }

    pub fn at(mut self, cell: &CellRef) -> Finding {
        self.file = Some(cell.file.to_string());
        self.sheet = Some(cell.sheet.to_string());
        self.cell = Some(cell.a1());
        self
    }

    pub fn in_sheet(mut self, file: &str, sheet: &str) -> Finding {
        self.file = Some(file.to_string());
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn at_line(mut self, line: usize, column: usize) -> Finding {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn candidate(mut self, id: &str) -> Finding {
        self.candidate = Some(id.to_string());
        self
    }

    pub fn criterion(mut self, code: &str) -> Finding {
        self.criterion = Some(code.to_string());
        self
    }

    pub fn juror(mut self, name: &str) -> Finding {
        self.juror = Some(name.to_string());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    /// The message with its hint, for reports that have one line per finding (JSON).
    pub fn full_message(&self) -> String {
        match &self.hint {
            Some(hint) => format!("{} {}", self.message, hint),
            None => self.message.clone(),
        }
    }
}

/// The 1-based line and column of a byte offset in a text, for TOML findings.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The exit status for a set of findings: 0 clean or warnings only, 1 errors, 2 unreadable.
pub fn exit_code(findings: &[Finding]) -> u8 {
    match findings.iter().map(Finding::severity).max() {
        Some(Severity::Fatal) => 2,
        Some(Severity::Error) => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let text = "a = 1\nb = ?\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 10), (2, 5));
    }

    #[test]
    fn exit_code_follows_the_worst_finding() {
        let warn = Finding::new(Code::Disputed, "");
        let err = Finding::new(Code::InvalidLevel, "");
        let fatal = Finding::new(Code::UnreadableWorkbook, "");
        assert_eq!(exit_code(&[]), 0);
        assert_eq!(exit_code(std::slice::from_ref(&warn)), 0);
        assert_eq!(exit_code(&[warn.clone(), err.clone()]), 1);
        assert_eq!(exit_code(&[err, fatal, warn]), 2);
    }

    #[test]
    fn codes_serialise_in_kebab_case() {
        let json = serde_json::to_string(&Code::MissingCriterionColumn).unwrap_or_default();
        assert_eq!(json, "\"missing-criterion-column\"");
        for code in [Code::UnrecognisedColumn, Code::ExtraColumn] {
            let json = serde_json::to_string(&code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
        assert_eq!(Code::UnrecognisedColumn.severity(), Severity::Error);
        assert_eq!(Code::ExtraColumn.severity(), Severity::Warning);
    }
}
