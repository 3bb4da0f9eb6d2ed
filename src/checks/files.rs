//! A case study's files, read by their kind.
//!
//! Besides its pages, a case study publishes the files beside them: a
//! contact list, a photo from the site visit, the offer as a PDF, a zip
//! of all of it. This module owns telling what a file is by its name's
//! ending ([`FileKind`]) and reading each kind with the module that knows
//! it — text as a page is read, images' and recordings' metadata and an
//! MP3's tags (`metadata`), documents (`documents`, `pdf`), photos inside
//! text as `data:` URIs (`datauri`, also for a page's Markdown) — and the
//! files inside a file (a document's attachments, a zip file's files) the
//! same way, their names as addresses, as deep as [`MAX_ATTACHED`], each
//! message naming the file inside. A file of a kind it does not read is a
//! warning, as is one whose reading fails.

use std::path::Path;

use super::anonymize::Guard;
use super::metadata::{self, Meta, MetaFinding};
use super::tags;
use super::{Source, address_findings, datauri, documents, scan_texts};
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, display_path, line_col};

/// What the guard finds in the file at `path` (`rel` from the site root),
/// a file of a page of `kind`: see [`Found::file_findings`].
pub(super) fn case_file(guard: &Guard, path: &Path, rel: &Path, kind: Kind) -> Vec<Diagnostic> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let bytes = match FileKind::of(name) {
        // A recording's metadata sits at one end or both; it may be large.
        Some(FileKind::Video | FileKind::Audio) => read_ends(path, 4 << 20),
        Some(FileKind::Text | FileKind::Image | FileKind::Document(_) | FileKind::Zip) => {
            std::fs::read(path).unwrap_or_default()
        }
        // Nothing to read, or nothing vinn reads: not a byte of it.
        None | Some(FileKind::Plain | FileKind::Unread) => Vec::new(),
    };
    let at = Found {
        guard,
        rel,
        kind,
        attached: None,
        depth: 0,
    };
    unless_it_fails(rel, || at.file_findings(name, &bytes))
}

/// The findings `read` gives of the file `rel`; if reading it fails (a
/// damaged file vinn's readers do not expect: a bug), a warning that says
/// so instead of a build that stops: the other files' findings still
/// count, and this one is to be checked by hand.
fn unless_it_fails(rel: &Path, read: impl FnOnce() -> Vec<Diagnostic>) -> Vec<Diagnostic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        vec![Diagnostic::warning(
            display_path(rel),
            0,
            0,
            format!(
                "vinn failed while reading this file ({why}), a bug in vinn to report: check by hand that it names no person or customer"
            ),
        )]
    })
}

/// What the guard finds in the photos a page's Markdown (`body` of the
/// file `source`, from `first_line`) carries as `data:` URIs: each read
/// as a photo inside the file, at the line and column its URI starts.
pub(super) fn page_photos(
    guard: &Guard,
    source: &Path,
    kind: Kind,
    (body, first_line): (&str, usize),
) -> Vec<Diagnostic> {
    let page = Found {
        guard,
        rel: source,
        kind,
        attached: None,
        depth: 0,
    };
    datauri::images(body, documents::TOTAL_LIMIT)
        .into_iter()
        .flat_map(|photo| {
            let (line, col) = line_col(body, photo.at);
            let mut found = unless_it_fails(source, || page.inline_photo(&photo.bytes));
            for d in &mut found {
                (d.line, d.col) = (line + first_line - 1, col);
            }
            found
        })
        .collect()
}

/// The first and last `each` bytes of the file at `path` (all of it when
/// it is smaller).
fn read_ends(path: &Path, each: u64) -> Vec<u8> {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let len = f.metadata().map_or(0, |m| m.len());
    if len <= 2 * each {
        let mut all = Vec::new();
        let _ = f.read_to_end(&mut all);
        return all;
    }
    let mut out = vec![0; 2 * each as usize];
    let (head, tail) = out.split_at_mut(each as usize);
    let ok = f.read_exact(head).is_ok()
        && f.seek(SeekFrom::Start(len - each)).is_ok()
        && f.read_exact(tail).is_ok();
    if ok { out } else { Vec::new() }
}

/// What a case file is to the guard, by its ending.
#[derive(Clone, Copy, PartialEq)]
enum FileKind {
    Text,
    Image,
    /// A video or a recording (MP4, MOV, M4A): its metadata only.
    Video,
    /// A sound recording (MP3, WAV, Ogg Vorbis, Opus, FLAC): its tags.
    Audio,
    Document(documents::DocKind),
    /// A zip file: its files are read, each by its own ending.
    Zip,
    /// Styles, scripts and fonts: a page's workings, not what it says.
    Plain,
    /// An older office format (`.doc`, `.xls`, `.ppt`) or an Outlook
    /// message (`.msg`), which it cannot read.
    Unread,
}

impl FileKind {
    fn of(name: &str) -> Option<FileKind> {
        // (`.eml`: an e-mail as text, headers and all; `.rtf`: text with
        // control words, which the guard reads past; `.mht`: a web page
        // saved whole; `.vtt`, `.srt`: a recorded interview's transcript;
        // `.kml`, `.gpx`: places and routes.)
        const TEXTS: [&str; 26] = [
            "txt", "csv", "tsv", "json", "xml", "svg", "html", "htm", "vcf", "ics", "yaml", "yml",
            "eml", "rtf", "md", "markdown", "log", "tex", "mht", "mhtml", "vtt", "srt", "kml",
            "gpx", "geojson", "ini",
        ];
        // (A GIF or a BMP has no EXIF block, but may carry XMP.)
        const IMAGES: [&str; 11] = [
            "jpg", "jpeg", "png", "webp", "tif", "tiff", "heic", "heif", "avif", "gif", "bmp",
        ];
        // (A page's own styles and scripts, and fonts.)
        const PLAIN: [&str; 9] = [
            "css", "js", "mjs", "map", "woff", "woff2", "ttf", "otf", "eot",
        ];
        const UNREAD: [&str; 4] = ["doc", "xls", "ppt", "msg"];
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let is = |list: &[&str]| list.iter().any(|i| ext.eq_ignore_ascii_case(i));
        if is(&TEXTS) {
            Some(FileKind::Text)
        } else if is(&IMAGES) {
            Some(FileKind::Image)
        } else if is(&["mp4", "m4v", "mov", "m4a", "3gp"]) {
            Some(FileKind::Video)
        } else if is(&["mp3", "wav", "ogg", "oga", "opus", "flac"]) {
            Some(FileKind::Audio)
        } else if let Some(doc) = documents::DocKind::of(ext) {
            Some(FileKind::Document(doc))
        } else if ext.eq_ignore_ascii_case("zip") {
            Some(FileKind::Zip)
        } else if is(&UNREAD) {
            Some(FileKind::Unread)
        } else if is(&PLAIN) {
            Some(FileKind::Plain)
        } else {
            None
        }
    }
}

/// Whether a file inside another is a folder, what macOS leaves in a zip
/// (`__MACOSX/`, `._` files, `.DS_Store`), or what `content/` leaves out
/// as an editor's or a system's leftover (`Thumbs.db`, `x.docx~`, …).
fn is_leftover(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.ends_with('/')
        || name.starts_with("__MACOSX/")
        || file.starts_with("._")
        || file == ".DS_Store"
        || crate::content::is_left_out(file)
}

/// How a metadata finding is put into words, for a file.
type Wording<'a> = dyn Fn(MetaFinding, &str) -> String + 'a;

/// How deep files attached to files are read.
const MAX_ATTACHED: usize = 3;

/// Where findings in a case file go: the file (`rel`, of a page of
/// `kind`) and, when the bytes read are a file attached to it, that file's
/// name (`rapport.docx → kontakter.xlsx` for one in one) and how deep it
/// is (0 for the file itself).
struct Found<'a> {
    guard: &'a Guard,
    rel: &'a Path,
    kind: Kind,
    attached: Option<String>,
    depth: usize,
}

impl Found<'_> {
    /// The findings in a case file's bytes, by its name's ending (see
    /// [`FileKind`]). In a file inside another, each message names it, and
    /// stands at the line of the file it is in.
    fn file_findings(&self, name: &str, bytes: &[u8]) -> Vec<Diagnostic> {
        match FileKind::of(name) {
            // A file of a kind vinn does not read (an Apple Pages file, a
            // WMA recording), inside another or not.
            None if !is_leftover(name) => vec![self.warning(
                "vinn cannot read a file of this kind: check by hand that it names no person or customer"
                    .to_string(),
            )],
            None | Some(FileKind::Plain) => Vec::new(),
            Some(FileKind::Text) => {
                let text = String::from_utf8_lossy(bytes);
                let mut out = self.scan(&datauri::blank_payloads(&text), 1, None, false);
                // Photos inside it as `data:` URIs (an SVG from Inkscape).
                for photo in datauri::images(&text, documents::TOTAL_LIMIT) {
                    out.extend(self.inline_photo(&photo.bytes));
                }
                out
            }
            Some(FileKind::Image) => self.metadata(
                metadata::scan(bytes),
                ("the image's metadata", &MetaFinding::message),
            ),
            Some(FileKind::Video) => self.metadata(
                metadata::scan_video(bytes),
                ("the recording's metadata", &MetaFinding::video_message),
            ),
            Some(FileKind::Audio) => self.tags(bytes),
            Some(FileKind::Document(doc)) => self.document(doc, bytes),
            Some(FileKind::Zip) => self.zip(bytes),
            Some(FileKind::Unread) => vec![self.warning(unread(name))],
        }
    }

    /// A document's findings: its hidden parts, its text as a page's (a
    /// line is a paragraph, or a PDF's page), what cannot be read of it,
    /// and the files inside it.
    fn document(&self, doc: documents::DocKind, bytes: &[u8]) -> Vec<Diagnostic> {
        let reading = documents::read(doc, bytes);
        // A field whose every value an allow entry names (the publisher's
        // own name as `Company`) is a note, not an error.
        let mut found = reading.found.clone();
        let mut out = Vec::new();
        found.retain(|f| {
            let allowed = match f {
                documents::DocFinding::Named(field) => {
                    self.allowed(field, &reading.names, "the document's properties")
                }
                documents::DocFinding::Picture(MetaFinding::Person(field)) => self.allowed(
                    field,
                    &reading.picture_names,
                    "the metadata of a photo in the document",
                ),
                _ => return true,
            };
            let kept = allowed.is_none();
            out.extend(allowed.into_iter().flatten());
            kept
        });
        out.extend(
            documents::messages(doc, &self.label(), &found)
                .into_iter()
                .map(|m| self.error(m)),
        );
        for p in &reading.passages {
            out.extend(self.scan(&p.text, p.line, p.place.as_deref(), true));
        }
        if let Some(why) = reading.unreadable {
            out.push(self.warning(format!(
                "vinn cannot read this document's properties and text ({why}): check by hand that it names no person or customer, or save it without a password so the guard can"
            )));
        } else if let Some(&first) = reading.unreadable_pages.first() {
            let pages: Vec<String> = reading
                .unreadable_pages
                .iter()
                .map(|p| p.to_string())
                .collect();
            let pages = if pages.len() == 1 {
                format!("page {first}")
            } else {
                format!("pages {}", pages.join(", "))
            };
            let mut warning = self.warning(format!(
                "vinn cannot read the text on {pages} of this PDF (drawn in a font without a map to letters, or compressed in a way vinn does not decode): check by hand that it names no person or customer, or export the PDF again from its source"
            ));
            if self.attached.is_none() {
                warning.line = first;
            }
            out.push(warning);
        }
        out.extend(self.inner_files(&reading.attachments));
        out
    }

    /// A sound recording's findings: a person named as its maker, names
    /// in its other tags' text, and what its pictures' metadata says.
    fn tags(&self, bytes: &[u8]) -> Vec<Diagnostic> {
        let read = tags::read(bytes);
        let format = read.format;
        let (artists, texts): (Vec<_>, Vec<_>) = read
            .values
            .into_iter()
            .partition(|(id, _)| tags::is_artist(id));
        let names = artists.into_iter().map(|(_, v)| ("Artist", v)).collect();
        let mut out = self.metadata(
            Meta::of(names, false),
            ("the recording's tags", &|f, file| format.message(f, file)),
        );
        for (_, text) in texts {
            // (A tag is no line of the file: each stands at its start, its
            // line breaks read as spaces.)
            let text = text.replace(['\r', '\n'], " ");
            out.extend(self.scan(&text, 0, Some("its tags"), true));
        }
        // Its pictures (a cover, a photo of who speaks), read as photos:
        // each finding once, however many pictures carry it.
        let mut pictures = Meta::default();
        for (_, data) in &read.pictures {
            let meta = metadata::scan(data);
            pictures.found.extend(meta.found);
            pictures.names.extend(meta.names);
        }
        pictures.found.sort();
        pictures.found.dedup();
        out.extend(self.metadata(
            pictures,
            (
                "the metadata of a picture in the recording's tags",
                &|f, file| format.picture_message(f, file),
            ),
        ));
        out
    }

    /// What the metadata of a photo put into a text as a `data:` URI says
    /// (its messages name it so, not as a file of its own).
    fn inline_photo(&self, bytes: &[u8]) -> Vec<Diagnostic> {
        self.metadata(
            metadata::scan(bytes),
            (
                "the metadata of a photo put in as a `data:` URI",
                &|f, _| f.inline_message(),
            ),
        )
    }

    /// A zip file's findings: its files', and a warning when they cannot
    /// be read.
    fn zip(&self, bytes: &[u8]) -> Vec<Diagnostic> {
        let (files, locked) = documents::zip_read(bytes, |_| true).unwrap_or_default();
        let mut out = self.inner_files(&files);
        if locked || files.is_empty() {
            let why = if locked {
                "it has a password"
            } else {
                "it is damaged, empty or not a zip file"
            };
            out.push(self.warning(format!(
                "vinn cannot read the files in this zip file ({why}): check by hand that they name no person or customer"
            )));
        }
        out
    }

    /// An image's or a recording's findings, each an error as `message`
    /// words it, in `place`; a name field whose values only name the
    /// publisher, a note.
    fn metadata(&self, meta: Meta, (place, message): (&str, &Wording)) -> Vec<Diagnostic> {
        meta.found
            .into_iter()
            .flat_map(|f| {
                let allowed = match f {
                    MetaFinding::Person(field) => self.allowed(field, &meta.names, place),
                    MetaFinding::Gps => None,
                };
                allowed.unwrap_or_else(|| vec![self.error(message(f, &self.label()))])
            })
            .collect()
    }

    /// Notes for the values of `field` among `names` (fields and their
    /// values, in `place`: "the image's metadata"), if an allow entry names
    /// every one of them whole; `None` if one is not allowed, or there are
    /// none.
    fn allowed<F: AsRef<str>>(
        &self,
        field: &str,
        names: &[(F, String)],
        place: &str,
    ) -> Option<Vec<Diagnostic>> {
        let allowed: Vec<(&str, String)> = names
            .iter()
            .filter(|(n, _)| n.as_ref() == field)
            .map(|(_, v)| self.guard.allowed_value(v))
            .collect::<Option<_>>()?;
        (!allowed.is_empty()).then(|| {
            allowed
                .into_iter()
                .map(|(entry, masked)| {
                    self.note(format!(
                        "allowed: `{field}` `{masked}` in {place} (allow entry \"{entry}\" in site.toml)"
                    ))
                })
                .collect()
        })
    }

    /// The findings in the files inside this one (a document's
    /// attachments, a zip file's files), each read by its own ending, as
    /// deep as [`MAX_ATTACHED`].
    fn inner_files(&self, files: &[(String, Vec<u8>)]) -> Vec<Diagnostic> {
        if self.depth >= MAX_ATTACHED {
            return Vec::new();
        }
        files
            .iter()
            .flat_map(|(inner, data)| {
                // Its name, which whoever opens the file reads: a finding
                // in it is masked wherever the file is named.
                let found = self.guard.scan_address(inner);
                let mut shown = inner.clone();
                for f in found.iter().rev().filter(|f| !f.is_allowed()) {
                    shown.replace_range(f.start..f.end, &f.masked);
                }
                let within = Found {
                    attached: Some(match &self.attached {
                        None => shown,
                        Some(a) => format!("{a} → {shown}"),
                    }),
                    depth: self.depth + 1,
                    ..*self
                };
                let mut out = address_findings(
                    found,
                    self.rel,
                    self.kind,
                    0,
                    &format!(
                        "the name of a file in a file of {{}} (its attachment `{}`)",
                        within.label()
                    ),
                    "whoever opens the file reads it; rename the file inside",
                );
                out.extend(within.file_findings(inner, data));
                out
            })
            .collect()
    }

    /// Scans `text` of the file (from `line`; at `at` in it, "page 2"): a
    /// text file's text takes an inline marker, a document's or a file's
    /// inside another does not; an attached file's lines are not the
    /// file's, so its place stands for them.
    fn scan(&self, text: &str, line: usize, at: Option<&str>, document: bool) -> Vec<Diagnostic> {
        let place = match (&self.attached, at) {
            (None, p) => p.map(str::to_string),
            (Some(a), None) => Some(format!("its attachment `{a}`")),
            (Some(a), Some(p)) => Some(format!("{p} of its attachment `{a}`")),
        };
        let source = if document || self.attached.is_some() {
            Source::Document {
                place: place.as_deref(),
            }
        } else {
            Source::Text
        };
        let line = if self.attached.is_some() { 0 } else { line };
        scan_texts(self.guard, self.rel, self.kind, &[(text, line)], source)
    }

    /// The name a message gives the file: its path, or the name of the file
    /// inside.
    fn label(&self) -> String {
        self.attached
            .clone()
            .unwrap_or_else(|| display_path(self.rel))
    }

    /// `message` about the file, naming the file inside it is about.
    fn said(&self, message: String) -> String {
        match &self.attached {
            None => message,
            Some(a) => format!("its attachment `{a}`: {message}"),
        }
    }

    fn error(&self, message: String) -> Diagnostic {
        Diagnostic::error(display_path(self.rel), 0, 0, self.said(message))
    }

    fn note(&self, message: String) -> Diagnostic {
        Diagnostic::note(display_path(self.rel), 0, 0, self.said(message))
    }

    fn warning(&self, message: String) -> Diagnostic {
        Diagnostic::warning(display_path(self.rel), 0, 0, self.said(message))
    }
}

/// What a file of a kind vinn does not read asks for (`name` by its
/// ending): an older office file the newer format or a PDF, an Outlook
/// message text, HTML or PDF.
fn unread(name: &str) -> String {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let newer = match ext.to_ascii_lowercase().as_str() {
        "msg" => {
            return "vinn cannot read an Outlook message (`.msg`), whose sender, recipients and text name people: save it from Outlook as text or HTML, or as PDF, so the anonymization guard can check it".to_string();
        }
        "xls" => "`.xlsx`",
        "ppt" => "`.pptx`",
        _ => "`.docx`",
    };
    format!(
        "vinn cannot read the properties of a `.{ext}` file, which often name its author and company: save it as {newer} or PDF so the anonymization guard can check it"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::anonymize::GuardConfig;
    use crate::checks::documents::tests::zip_bytes;
    use crate::diagnostics::Severity;

    /// A guard allowing `allow`.
    fn guard(allow: &[&str]) -> Guard {
        Guard::new(&GuardConfig {
            allow: allow.iter().map(|a| a.to_string()).collect(),
            ..GuardConfig::default()
        })
        .unwrap()
    }

    /// A case file at `rel`, read with `guard`.
    fn case_file_at<'a>(guard: &'a Guard, rel: &'a str) -> Found<'a> {
        Found {
            guard,
            rel: Path::new(rel),
            kind: Kind::Case,
            attached: None,
            depth: 0,
        }
    }

    /// The errors found in `bytes` as the case file `name`.
    fn errors(name: &str, bytes: &[u8]) -> Vec<String> {
        let guard = guard(&[]);
        case_file_at(&guard, "content/case/x")
            .file_findings(name, bytes)
            .into_iter()
            .filter(|d| d.to_string().contains(": error: "))
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn files_inside_files_are_read_three_deep() {
        let mut inner = zip_bytes(&[("kontakt.csv", b"kari@kunde.no", false)]);
        let mut names = vec!["kontakt.csv".to_string()];
        for depth in 1..=4 {
            let found = errors("vedlegg.zip", &inner);
            if depth <= MAX_ATTACHED {
                let path = names.join(" → ");
                assert_eq!(found.len(), 1, "depth {depth}: {found:?}");
                assert!(
                    found[0].contains(&format!("(its attachment `{path}`)")),
                    "{found:?}"
                );
            } else {
                assert_eq!(found, Vec::<String>::new(), "depth {depth}");
            }
            let name = format!("lag{depth}.zip");
            inner = zip_bytes(&[(&name, &inner, false)]);
            names.insert(0, name);
        }
    }

    #[test]
    fn names_of_files_inside_files_are_read_and_masked() {
        let zip = zip_bytes(&[
            ("Referat Kari Hansen.txt", b"kari@kunde.no", false),
            ("notat.txt", b"Ingen navn her.", false),
        ]);
        let found = errors("vedlegg.zip", &zip);
        assert_eq!(found.len(), 2, "{found:?}");
        // The name, masked wherever the file is named.
        assert!(
            found[0].starts_with(
                "person's name `K••• ••••••` in the name of a file in a file of a case study (its attachment `Referat K••• ••••••.txt`): whoever opens the file reads it;"
            ),
            "{found:?}"
        );
        assert!(
            found[1].contains("in a case study (its attachment `Referat K••• ••••••.txt`)"),
            "{found:?}"
        );
        assert!(found.iter().all(|f| !f.contains("Kari")), "{found:?}");
    }

    #[test]
    fn a_recording_credited_to_the_publisher_can_be_allowed() {
        // QuickTime's user data: `©ART`, a length and a language, the value.
        let by = |artist: &str| {
            let mut b = (12 + artist.len() as u32).to_be_bytes().to_vec();
            b.extend(b"\xa9ART");
            b.extend((artist.len() as u16).to_be_bytes());
            b.extend([0x15, 0xc7]);
            b.extend(artist.as_bytes());
            b
        };
        let guard = guard(&["Grossisten"]);
        let at = case_file_at(&guard, "content/case/x");
        let found = at.file_findings("film.mp4", &by("Grossisten AS"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Note, "{}", found[0]);
        assert!(found[0].message.contains("in the recording's metadata"));
        let found = at.file_findings("film.mp4", &by("Kari Nordmann"));
        assert_eq!(found[0].severity, Severity::Error, "{}", found[0]);
    }

    #[test]
    fn a_photo_in_a_document_credited_to_the_publisher_can_be_allowed() {
        use crate::checks::metadata::tests::{jpeg, tiff};
        let guard = guard(&["Grossisten"]);
        let at = case_file_at(&guard, "content/case/rapport.docx");
        let docx = |artists: &[&str]| {
            let photos: Vec<(String, Vec<u8>)> = artists
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let photo = jpeg(&tiff(true, false, Some(a), None));
                    (format!("word/media/image{i}.jpeg"), photo)
                })
                .collect();
            let parts: Vec<(&str, &[u8], bool)> = photos
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice(), false))
                .collect();
            zip_bytes(&parts)
        };
        let found = at.file_findings("rapport.docx", &docx(&["Grossisten AS"]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Note, "{}", found[0]);
        assert!(
            found[0]
                .message
                .contains("`Artist` `G••••••••• ••` in the metadata of a photo in the document"),
            "{}",
            found[0]
        );
        // Every photo's name must be allowed.
        let found = at.file_findings("rapport.docx", &docx(&["Grossisten AS", "Kari Nordmann"]));
        assert!(
            found.iter().any(|d| d.severity == Severity::Error),
            "{found:?}"
        );
    }

    #[test]
    fn a_reader_that_fails_gives_a_warning_not_a_stop() {
        let rel = Path::new("content/case/tilbud.pdf");
        let found = unless_it_fails(rel, || {
            let key = [0u8; 16];
            let len = key.len() * 2;
            vec![Diagnostic::note("x", 0, 0, format!("{:?}", &key[..len]))]
        });
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(
            (d.path.as_str(), d.severity),
            ("content/case/tilbud.pdf", Severity::Warning)
        );
        assert!(
            d.message.starts_with("vinn failed while reading this file (range end index 32 out of range for slice of length 16), a bug"),
            "{}",
            d.message
        );
        // What reads gives, when it does.
        let read = unless_it_fails(rel, || vec![Diagnostic::note("x", 1, 0, "y".to_string())]);
        assert_eq!(read[0].message, "y");
    }
}
