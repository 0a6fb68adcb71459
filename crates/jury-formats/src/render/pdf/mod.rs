//! The PDF documents of `jury run`: certificates (`certificats/<number>.pdf` and all of
//! them in `certificats.pdf`), decision statements (`releves/<id>.pdf`) and the jury's
//! minutes (`pv-jury.pdf`).
//!
//! ```text
//! preflight (findings) ─► templates (checked) ─► for each chunk of candidates [rayon]:
//!     lay out ─► content streams ─► fonts subset per document (cached) ─► Sink
//!   ─► certificats.pdf grows page by page ─► minutes
//! ```
//!
//! Every document goes to the [`Sink`] as soon as it is made, so memory does not grow
//! with the number of candidates. The PDF bytes are written by `writer` (objects,
//! cross-references) from content streams the pages write themselves (`layout`); fonts
//! are subset by `sfnt` keeping glyph numbers (`font`). Rendering is pure: no clock
//! (dates come from the session), no random identifier, the same bytes whatever the
//! thread count.

pub mod certificate;
pub mod context;
pub mod flow;
pub mod font;
pub mod layout;
pub mod logo;
pub mod minutes;
pub mod parts;
pub mod preflight;
pub mod sfnt;
pub mod statement;
pub mod template;
pub mod writer;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::render::Results;
use jury_core::candidates::Candidate;
use jury_core::decide::{Decision, Outcome};
use jury_core::text::{clean, safe_file_name};

pub use preflight::preflight;
pub use template::Templates;

use font::{Face, FontCache};
use layout::PageContent;
use template::Logo;
use writer::{text_string, PdfFile, Ref};

/// Why the documents cannot be produced (exit 2: nothing is written).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("modèle de document « {file} » : {message}")]
    Template { file: String, message: String },
    #[error("{} de la police des documents : {}", if .0.len() > 1 { "caractères absents" } else { "caractère absent" }, list(.0))]
    Glyphs(Vec<char>),
    #[error("police des documents : {0}")]
    Font(String),
    /// A document could not be written. `reason` is what users read after « écriture
    /// d'un PDF : » (the sink's own message, or the I/O error's text); `io` keeps the I/O
    /// error itself, when that is the cause, for developers (`source()`: its kind and its
    /// English text).
    #[error("écriture d'un PDF : {reason}")]
    Write {
        reason: String,
        #[source]
        io: Option<std::io::Error>,
    },
}

impl PdfError {
    /// A document that could not be written for another reason than an I/O error (the
    /// sink's own message, a template out of step with its pages).
    fn write(reason: String) -> PdfError {
        PdfError::Write { reason, io: None }
    }
}

impl From<std::io::Error> for PdfError {
    fn from(e: std::io::Error) -> PdfError {
        PdfError::Write {
            reason: e.to_string(),
            io: Some(e),
        }
    }
}

/// Where finished documents go, as soon as each is made (the staging folder of
/// `jury_fs::output`). Paths are relative to the results folder, `/`-separated.
pub trait Sink: Sync {
    type File<'a>: Write
    where
        Self: 'a;
    /// A whole file.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String>;
    /// A file written piece by piece, counted once [`Sink::close`]d.
    fn open(&self, path: &str) -> Result<Self::File<'_>, String>;
    fn close(&self, file: Self::File<'_>) -> Result<(), String>;
}

fn list(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("« {c} » (U+{:04X})", u32::from(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads the session's templates: built in, overridden by `files` (the session's
/// templates folder, named `folder` in errors), and checked against the session.
pub fn load_templates(
    results: &Results,
    files: &BTreeMap<String, Vec<u8>>,
    folder: &str,
) -> Result<Templates, PdfError> {
    let base = context::base(results);
    Templates::load(files, folder, &context::sample(&base, results))
}

/// Does this candidate get a decision statement?
fn has_statement(outcome: Outcome, provisional: bool) -> bool {
    outcome != Outcome::Pending || provisional
}

/// Candidates rendered together: enough to keep both cores busy, few enough that their
/// documents never weigh much in memory.
const CHUNK: usize = 256;

/// Renders every document of the session into `sink`: each certificate and statement,
/// `certificats.pdf`, the minutes. `written` is called once per document finished (for
/// progress). On error, what was already given to the sink is to be thrown away.
pub fn render_into<S: Sink>(
    results: &Results,
    templates: &Templates,
    sink: &S,
    written: &(dyn Fn() + Sync),
) -> Result<(), PdfError> {
    let r = Renderer {
        results,
        templates,
        sink,
        written,
        base: context::base(results),
        meta: Meta::new(results),
        fonts: FontCache::default(),
    };
    let people = people(results);
    let mut book = if people.iter().any(|(_, d)| r.certificate_of(d).is_some()) {
        let file = sink.open("certificats.pdf").map_err(PdfError::write)?;
        Some((PdfFile::new(file)?, None::<Assembly>))
    } else {
        None
    };
    for chunk in people.chunks(CHUNK) {
        let pages = chunk
            .par_iter()
            .map(|(candidate, decision)| r.candidate(candidate, decision))
            .collect::<Result<Vec<_>, PdfError>>()?;
        if let Some((pdf, assembly)) = &mut book {
            let assembly = assembly.get_or_insert_with(|| Assembly::new(pdf));
            for page in pages.iter().flatten() {
                assembly.page(pdf, page)?;
            }
        }
    }
    if let Some((pdf, Some(assembly))) = book {
        let title = format!("Certificats — session {}", results.data.config.id);
        let logo = templates.certificate.logo.as_ref();
        let file = assembly.finish(pdf, "certificats.pdf", &title, &r.meta, &r.fonts, logo)?;
        sink.close(file).map_err(PdfError::write)?;
        written();
    }
    r.minutes(&people)
}

/// Every decision with its candidate, in decision order. Core decides each candidate of
/// the list, so every decision's candidate is found.
fn people<'a>(results: &Results<'a>) -> Vec<(&'a Candidate, &'a Decision)> {
    let by_id: HashMap<&str, &Candidate> = results
        .data
        .candidates
        .candidates
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    results
        .analysis
        .decisions
        .iter()
        .filter_map(|d| by_id.get(d.candidate.as_str()).map(|c| (*c, d)))
        .collect()
}

/// What rendering the session's documents shares: the session, its templates, where the
/// documents go, and what every document reuses (context, metadata, subset fonts).
struct Renderer<'a, S: Sink> {
    results: &'a Results<'a>,
    templates: &'a Templates,
    sink: &'a S,
    written: &'a (dyn Fn() + Sync),
    base: minijinja::Value,
    meta: Meta,
    fonts: FontCache,
}

impl<S: Sink> Renderer<'_, S> {
    /// The certificate's file name, for a certified candidate of a final run.
    fn certificate_of(&self, d: &Decision) -> Option<String> {
        match (&d.certificate, d.outcome, self.results.provisional) {
            (Some(number), Outcome::Certified, false) => Some(safe_file_name(number)),
            _ => None,
        }
    }

    /// Writes one candidate's certificate and statement (each when they get one); gives
    /// the certificate's page, for `certificats.pdf`.
    fn candidate(
        &self,
        candidate: &Candidate,
        decision: &Decision,
    ) -> Result<Option<PageContent>, PdfError> {
        let ctx = context::candidate(&self.base, self.results, candidate, decision);
        let mut certificate_page = None;
        if let Some(number) = self.certificate_of(decision) {
            let referential = &self.results.data.referential;
            let page =
                certificate::lay_out(self.templates, referential, decision, &ctx)?.finish()?;
            let path = format!("certificats/{number}.pdf");
            let title = format!("Certificat n° {number}");
            let logo = self.templates.certificate.logo.as_ref();
            self.put(&[&page], &path, &title, logo)?;
            certificate_page = Some(page);
        }
        if has_statement(decision.outcome, self.results.provisional) {
            let pages: Vec<PageContent> =
                statement::lay_out(self.templates, self.results, candidate, decision, &ctx)?
                    .into_iter()
                    .map(layout::Page::finish)
                    .collect::<std::io::Result<_>>()?;
            let id = safe_file_name(&candidate.id);
            let path = format!("releves/{id}.pdf");
            let title = format!("Relevé de décision — {id}");
            let logo = self.templates.statement.logo.as_ref();
            let refs: Vec<&PageContent> = pages.iter().collect();
            self.put(&refs, &path, &title, logo)?;
        }
        Ok(certificate_page)
    }

    /// Writes the minutes of the session.
    fn minutes(&self, people: &[(&Candidate, &Decision)]) -> Result<(), PdfError> {
        let minutes: Vec<PageContent> =
            minutes::lay_out(self.templates, self.results, &self.base, people)?
                .into_iter()
                .map(layout::Page::finish)
                .collect::<std::io::Result<_>>()?;
        let refs: Vec<&PageContent> = minutes.iter().collect();
        let title = format!(
            "Procès-verbal du jury — session {}",
            self.results.data.config.id
        );
        let logo = self.templates.minutes.logo.as_ref();
        self.put(&refs, "pv-jury.pdf", &title, logo)
    }

    /// Gives the sink the document of `pages` at `path`, and counts it written.
    fn put(
        &self,
        pages: &[&PageContent],
        path: &str,
        title: &str,
        logo: Option<&Logo>,
    ) -> Result<(), PdfError> {
        let bytes = document(pages, path, title, &self.meta, &self.fonts, logo)?;
        self.sink.put(path, &bytes).map_err(PdfError::write)?;
        (self.written)();
        Ok(())
    }
}

/// One document of a few pages, in memory.
fn document(
    pages: &[&PageContent],
    path: &str,
    title: &str,
    meta: &Meta,
    fonts: &FontCache,
    logo: Option<&Logo>,
) -> Result<Vec<u8>, PdfError> {
    let mut pdf = PdfFile::new(Vec::with_capacity(64 * 1024))?;
    let mut assembly = Assembly::new(&mut pdf);
    for page in pages {
        assembly.page(&mut pdf, page)?;
    }
    assembly.finish(pdf, path, title, meta, fonts, logo)
}

/// The objects of a document being written: pages first, as they come, then what they
/// share (fonts subset to every character of the document, logo), the page tree, the
/// catalogue and the document information.
struct Assembly {
    catalog: Ref,
    tree: Ref,
    info: Ref,
    kids: Vec<Ref>,
    /// Each face's font object, once a page uses it, and the characters printed with it.
    fonts: [Option<Ref>; 3],
    chars: [BTreeSet<char>; 3],
    logo: Option<Ref>,
}

impl Assembly {
    fn new<W: Write>(pdf: &mut PdfFile<W>) -> Assembly {
        Assembly {
            catalog: pdf.reserve(),
            tree: pdf.reserve(),
            info: pdf.reserve(),
            kids: Vec::new(),
            fonts: [None; 3],
            chars: Default::default(),
            logo: None,
        }
    }

    fn page<W: Write>(&mut self, pdf: &mut PdfFile<W>, page: &PageContent) -> std::io::Result<()> {
        let mut resources = String::from("<<");
        let used: Vec<usize> = (0..3).filter(|i| page.faces[*i]).collect();
        if !used.is_empty() {
            resources.push_str("/Font <<");
            for i in used {
                let font = *self.fonts[i].get_or_insert_with(|| pdf.reserve());
                self.chars[i].extend(&page.chars[i]);
                resources.push_str(&format!("/F{} {font} 0 R ", i + 1));
            }
            resources.push_str(">> ");
        }
        if page.logo {
            let logo = *self.logo.get_or_insert_with(|| pdf.reserve());
            resources.push_str(&format!("/XObject <</Logo {logo} 0 R>> "));
        }
        resources.push_str(">>");
        let (id, content) = (pdf.reserve(), pdf.reserve());
        pdf.stream(content, " /Filter /FlateDecode", &page.stream)?;
        pdf.object(
            id,
            &format!(
                "<</Type /Page /Parent {} 0 R /MediaBox [0 0 {} {}] /Resources {resources} /Contents {content} 0 R>>",
                self.tree,
                writer::number_text(page.width),
                writer::number_text(page.height),
            ),
        )?;
        self.kids.push(id);
        Ok(())
    }

    fn finish<W: Write>(
        self,
        mut pdf: PdfFile<W>,
        path: &str,
        title: &str,
        meta: &Meta,
        fonts: &FontCache,
        logo: Option<&Logo>,
    ) -> Result<W, PdfError> {
        for face in Face::ALL {
            if let Some(id) = self.fonts[face.index()] {
                let embedded = fonts.get(face, &self.chars[face.index()])?;
                write_font(&mut pdf, id, &embedded)?;
            }
        }
        if let Some(id) = self.logo {
            let Some(logo) = logo else {
                return Err(PdfError::write(format!("{path} : logo absent du modèle")));
            };
            let image = &logo.image;
            let mask = match &image.mask {
                Some(m) => {
                    let mask = pdf.reserve();
                    pdf.stream(mask, &m.dict, &m.data)?;
                    format!(" /SMask {mask} 0 R")
                }
                None => String::new(),
            };
            pdf.stream(
                id,
                &format!("{}{mask}", image.stream.dict),
                &image.stream.data,
            )?;
        }
        let kids: Vec<String> = self.kids.iter().map(|k| format!("{k} 0 R")).collect();
        pdf.object(
            self.tree,
            &format!(
                "<</Type /Pages /Kids [{}] /Count {}>>",
                kids.join(" "),
                self.kids.len()
            ),
        )?;
        pdf.object(
            self.catalog,
            &format!("<</Type /Catalog /Pages {} 0 R>>", self.tree),
        )?;
        pdf.object(
            self.info,
            &format!(
                "<</Title {} /Author {} /Subject {} /Creator (jury) /Producer (jury {}) /CreationDate (D:{date}) /ModDate (D:{date})>>",
                text_string(title),
                text_string(&meta.author),
                text_string(&meta.subject),
                env!("CARGO_PKG_VERSION"),
                date = meta.date,
            ),
        )?;
        let id = &Sha256::digest(format!("jury|{}|{path}", meta.session).as_bytes())[..16];
        Ok(pdf.finish(self.catalog, self.info, id)?)
    }
}

/// One face of the family as a composite font (Type 0, `Identity-H`: two bytes per glyph,
/// the glyph's number in the full font).
fn write_font<W: Write>(
    pdf: &mut PdfFile<W>,
    id: Ref,
    font: &font::Embedded,
) -> std::io::Result<()> {
    let (cid, descriptor, program, to_unicode) =
        (pdf.reserve(), pdf.reserve(), pdf.reserve(), pdf.reserve());
    let name = &font.base_font;
    pdf.object(
        id,
        &format!("<</Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R>>"),
    )?;
    pdf.object(
        cid,
        &format!("<</Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor {descriptor} 0 R /DW 0 /W {} /CIDToGIDMap /Identity>>", font.widths),
    )?;
    pdf.object(
        descriptor,
        &format!(
            "<</Type /FontDescriptor /FontName /{name} {} /FontFile2 {program} 0 R>>",
            font.descriptor
        ),
    )?;
    pdf.stream(
        program,
        &format!(" /Length1 {} /Filter /FlateDecode", font.program_length),
        &font.program,
    )?;
    pdf.stream(to_unicode, " /Filter /FlateDecode", &font.to_unicode)
}

/// What every document of the session says about itself.
struct Meta {
    session: String,
    author: String,
    subject: String,
    /// The session's date as PDF writes dates (`20261127000000Z`).
    date: String,
}

impl Meta {
    fn new(results: &Results) -> Meta {
        let config = &results.data.config;
        let d = config.date;
        Meta {
            session: config.id.clone(),
            author: clean(&config.certifier),
            subject: clean(&results.data.referential.title),
            date: format!("{:04}{:02}{:02}000000Z", d.year, d.month, d.day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn a_write_error_reads_as_before_and_keeps_its_io_cause() {
        let io = std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left on device");
        let e = PdfError::from(io);
        assert_eq!(e.to_string(), "écriture d'un PDF : No space left on device");
        let cause = e.source().and_then(|s| s.downcast_ref::<std::io::Error>());
        assert_eq!(
            cause.map(std::io::Error::kind),
            Some(std::io::ErrorKind::StorageFull)
        );
        let refused = PdfError::write("certificats.pdf : refusé".into());
        assert_eq!(
            refused.to_string(),
            "écriture d'un PDF : certificats.pdf : refusé"
        );
        assert!(refused.source().is_none());
    }
}
