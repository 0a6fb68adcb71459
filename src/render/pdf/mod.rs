//! The PDF documents of `jury run`: certificates (`certificats/<number>.pdf` and all of
//! them in `certificats.pdf`), decision statements (`releves/<id>.pdf`) and the jury's
//! minutes (`pv-jury.pdf`).
//!
//! ```text
//! preflight (findings) ─► templates (checked) ─► lay out every document [rayon]
//!   ─► subset each font face once, to the characters printed ─► write every PDF [rayon]
//! ```
//!
//! Rendering is pure: bytes in, bytes out, no clock (dates come from the session), no
//! random identifier, results in candidate order whatever the thread count, so the same
//! inputs give the same bytes. Nothing here writes a file; `io::output` does.

pub mod certificate;
pub mod context;
pub mod flow;
pub mod font;
pub mod layout;
pub mod logo;
pub mod minutes;
pub mod parts;
pub mod preflight;
pub mod statement;
pub mod template;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use printpdf::{
    Op, PdfDocument, PdfFontHandle, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, TextItem,
    XObject, XObjectId,
};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::core::candidates::Candidate;
use crate::core::decide::{Decision, Outcome};
use crate::core::text::safe_file_name;
use crate::render::Results;

pub use preflight::preflight;
pub use template::Templates;

use font::{Face, SessionFonts};
use template::Logo;

/// Why the documents cannot be produced (exit 2: nothing is written).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("modèle de document « {file} » : {message}")]
    Template { file: String, message: String },
    #[error("caractère(s) absent(s) de la police des documents : {}", list(.0))]
    Glyphs(Vec<char>),
    #[error("police des documents : {0}")]
    Font(String),
    #[error("écriture d'un PDF : {0}")]
    Write(String),
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

/// One candidate's documents, laid out.
struct Laid {
    certificate: Option<(String, PdfPage)>,
    statement: Option<(String, Vec<PdfPage>)>,
}

/// Every document of the session, as `(path in the results folder, bytes)`: the minutes,
/// the certificates file, each certificate, each statement. `written` is called once per
/// document finished (for progress).
pub fn render_all(
    results: &Results,
    templates: &Templates,
    written: &(dyn Fn() + Sync),
) -> Result<Vec<(String, Vec<u8>)>, PdfError> {
    let data = results.data;
    let base = context::base(results);
    let by_id: HashMap<&str, &Candidate> = data
        .candidates
        .candidates
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    let people: Vec<(&Candidate, &Decision)> = results
        .analysis
        .decisions
        .iter()
        .filter_map(|d| by_id.get(d.candidate.as_str()).map(|c| (*c, d)))
        .collect();
    let laid = people
        .par_iter()
        .map(|(candidate, decision)| {
            let ctx = context::candidate(&base, results, candidate, decision);
            let certificate = match (&decision.certificate, decision.outcome, results.provisional) {
                (Some(number), Outcome::Certified, false) => {
                    let page = certificate::lay_out(templates, &data.referential, decision, &ctx)?;
                    Some((safe_file_name(number), page.into_pdf()))
                }
                _ => None,
            };
            let statement = if has_statement(decision.outcome, results.provisional) {
                let pages = statement::lay_out(templates, results, candidate, decision, &ctx)?;
                Some((
                    safe_file_name(&candidate.id),
                    pages.into_iter().map(|p| p.into_pdf()).collect(),
                ))
            } else {
                None
            };
            Ok(Laid {
                certificate,
                statement,
            })
        })
        .collect::<Result<Vec<Laid>, PdfError>>()?;
    let minutes: Vec<PdfPage> = minutes::lay_out(templates, results, &base, &people)?
        .into_iter()
        .map(|p| p.into_pdf())
        .collect();

    let mut jobs: Vec<Job> = vec![Job {
        path: "pv-jury.pdf".into(),
        title: format!("Procès-verbal du jury — session {}", data.config.id),
        pages: minutes,
        logo: templates.minutes.logo.as_ref(),
        certificates: false,
    }];
    let certificates: Vec<PdfPage> = laid
        .iter()
        .filter_map(|l| l.certificate.as_ref().map(|c| c.1.clone()))
        .collect();
    if !certificates.is_empty() {
        jobs.push(Job {
            path: "certificats.pdf".into(),
            title: format!("Certificats — session {}", data.config.id),
            pages: certificates,
            logo: templates.certificate.logo.as_ref(),
            certificates: true,
        });
    }
    let mut statements = Vec::new();
    for l in laid {
        if let Some((number, page)) = l.certificate {
            jobs.push(Job {
                path: format!("certificats/{number}.pdf"),
                title: format!("Certificat n° {number}"),
                pages: vec![page],
                logo: templates.certificate.logo.as_ref(),
                certificates: true,
            });
        }
        statements.extend(l.statement);
    }
    for (id, pages) in statements {
        jobs.push(Job {
            path: format!("releves/{id}.pdf"),
            title: format!("Relevé de décision — {id}"),
            pages,
            logo: templates.statement.logo.as_ref(),
            certificates: false,
        });
    }

    // One subset per face for the certificates, one for the other documents: a
    // certificate then carries only the few glyphs certificates use.
    let (mut for_certificates, mut for_others) = (BTreeMap::new(), BTreeMap::new());
    for job in &jobs {
        let used = if job.certificates {
            &mut for_certificates
        } else {
            &mut for_others
        };
        for page in &job.pages {
            collect_chars(&page.ops, used);
        }
    }
    let certificate_fonts = SessionFonts::build(&for_certificates)?;
    let other_fonts = SessionFonts::build(&for_others)?;
    let meta = Meta::new(results)?;
    jobs.into_par_iter()
        .map(|job| {
            let fonts = if job.certificates {
                &certificate_fonts
            } else {
                &other_fonts
            };
            let bytes = write(&job, &meta, fonts)?;
            written();
            Ok((job.path, bytes))
        })
        .collect()
}

/// A document to write.
struct Job<'a> {
    path: String,
    title: String,
    pages: Vec<PdfPage>,
    logo: Option<&'a Logo>,
    /// A certificate (or all of them): uses the certificates' font subset.
    certificates: bool,
}

/// What every document of the session says about itself.
struct Meta {
    session: String,
    author: String,
    subject: String,
    date: printpdf::OffsetDateTime,
}

impl Meta {
    fn new(results: &Results) -> Result<Meta, PdfError> {
        let config = &results.data.config;
        let d = config.date;
        let timestamp = days_from_civil(d.year, d.month, d.day) * 86_400;
        Ok(Meta {
            session: config.id.clone(),
            author: context::clean(&config.certifier),
            subject: context::clean(&results.data.referential.title),
            date: printpdf::OffsetDateTime::from_unix_timestamp(timestamp)
                .map_err(|e| PdfError::Write(format!("date de session {} : {e}", config.date)))?,
        })
    }
}

/// Days since 1970-01-01 of a date of the Gregorian calendar.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = i64::from(year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Records every character shown, by face.
fn collect_chars(ops: &[Op], used: &mut BTreeMap<Face, BTreeSet<char>>) {
    let mut face = None;
    for op in ops {
        match op {
            Op::SetFont {
                font: PdfFontHandle::External(id),
                ..
            } => face = font::face_of(id),
            Op::ShowText { items } => {
                if let Some(f) = face {
                    let set = used.entry(f).or_default();
                    for item in items {
                        if let TextItem::Text(t) = item {
                            set.extend(t.chars());
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn write(job: &Job, meta: &Meta, fonts: &SessionFonts) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&job.title);
    let info = &mut doc.metadata.info;
    info.creation_date = meta.date;
    info.modification_date = meta.date;
    info.metadata_date = meta.date;
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.creator = "jury".into();
    info.producer = format!("jury {}", env!("CARGO_PKG_VERSION"));
    fonts.install(&mut doc);
    if let Some(logo) = job.logo {
        doc.resources.xobjects.map.insert(
            XObjectId("Logo".into()),
            XObject::External(logo.xobject.clone()),
        );
    }
    doc.pages = job.pages.clone();
    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&options, &mut warnings);
    if let Some(w) = warnings
        .iter()
        .find(|w| w.severity == PdfParseErrorSeverity::Error)
    {
        return Err(PdfError::Write(format!("{} : {}", job.path, w.msg)));
    }
    fonts.splice(&mut lo);
    if let Ok(lopdf::Object::Reference(id)) = lo.trailer.get(b"Info").cloned() {
        if let Ok(lopdf::Object::Dictionary(info)) = lo.get_object_mut(id) {
            for key in [
                &b"GTS_PDFXVersion"[..],
                b"Identifier",
                b"Keywords",
                b"Trapped",
            ] {
                info.remove(key);
            }
        }
    }
    let id: Vec<u8> =
        Sha256::digest(format!("jury|{}|{}", meta.session, job.path).as_bytes())[..16].to_vec();
    let id = lopdf::Object::String(id, lopdf::StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    lo.version = "1.4".into();
    compress(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| PdfError::Write(format!("{} : {e}", job.path)))?;
    Ok(bytes)
}

/// Compresses every stream not yet compressed (the fonts already are) at zlib's default
/// level: lopdf's own `compress` uses the slowest level for a few percent less (the
/// fastest level was measured: no CPU saved, 15 % larger files).
fn compress(doc: &mut lopdf::Document) {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        if encoder.write_all(&stream.content).is_err() {
            continue;
        }
        if let Ok(packed) = encoder.finish() {
            if packed.len() < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(packed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 11, 27), 20_784);
    }
}
