//! What a PDF or office file says about who wrote it.
//!
//! A case study's attachment — the offer as a PDF, the win/loss review as a
//! Word file — carries its author's name, often the company's, in its
//! document properties, and an office file keeps the names of everyone who
//! commented on it or changed it while tracking changes. None of that shows
//! on screen, and all of it is published with the file. This module owns
//! reading those properties: a PDF's document information dictionary and
//! XMP packet (also inside compressed object streams, and the values an
//! incremental update left behind), the parts of an Office Open XML file
//! (`.docx`, `.xlsx`, `.pptx`) or an OpenDocument file (`.odt`, `.ods`,
//! `.odp`) that hold names, the zip container both office formats use, and
//! the text a reader meets in a document (a [`Passage`] each: an office
//! file's paragraphs; a PDF's properties, and its pages with the comments
//! on them, which the `pdf` module reads), which the guard scans as it
//! scans a page. [`read`] does all of it in one pass over a file.
//!
//! Like [`super::metadata`] it is pure (bytes in, findings out) and never
//! trusts the bytes: every offset is checked, inflating is capped, and a
//! damaged file finds nothing.

use super::metadata::{self, MetaFinding, find};

/// The kinds of document this module reads, by file name ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Pdf,
    /// Office Open XML: Word, Excel and PowerPoint since 2007.
    Ooxml,
    /// OpenDocument: LibreOffice and others.
    OpenDocument,
}

impl DocKind {
    /// The kind of a file by its extension (any case), if it is one.
    pub fn of(extension: &str) -> Option<DocKind> {
        const OOXML: [&str; 8] = [
            "docx", "docm", "dotx", "xlsx", "xlsm", "xltx", "pptx", "pptm",
        ];
        const ODF: [&str; 4] = ["odt", "ods", "odp", "odg"];
        let is = |list: &[&str]| list.iter().any(|e| extension.eq_ignore_ascii_case(e));
        if extension.eq_ignore_ascii_case("pdf") {
            Some(DocKind::Pdf)
        } else if is(&OOXML) {
            Some(DocKind::Ooxml)
        } else if is(&ODF) {
            Some(DocKind::OpenDocument)
        } else {
            None
        }
    }
}

/// Identifying content found in a document's hidden parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocFinding {
    /// A person or a company named in the document's properties, in the
    /// field named (`/Author`, `dc:creator`, `Company`, …).
    Named(&'static str),
    /// Comments, each carrying its author's name.
    Comments,
    /// Tracked changes, each carrying its author's name and the text as it
    /// was before.
    TrackedChanges,
    /// A photo in the document whose metadata gives where it was taken or
    /// names a person.
    Picture(MetaFinding),
}

/// What `found` (from [`read`]) means for `file` of `kind`, and how to
/// remove it: one message for every property that names someone, one for
/// comments, one for each kind of photo metadata, one for tracked changes.
pub fn messages(kind: DocKind, file: &str, found: &[DocFinding]) -> Vec<String> {
    let why = "a case study must not lead back to a person or a customer";
    let fields: Vec<String> = found
        .iter()
        .filter_map(|f| match f {
            DocFinding::Named(field) => Some(format!("`{field}`")),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    if !fields.is_empty() {
        let fields = fields.join(", ");
        out.push(match kind {
            DocKind::Pdf => format!(
                "the PDF names its author or company in its document properties ({fields}): {why}; export it again without them, or keep its pages alone in a new file, e.g. `qpdf --empty --pages {file} -- renset.pdf`, and put that in its place (exiftool's removal keeps the old values in the file)"
            ),
            DocKind::Ooxml => format!(
                "the document names its author or company in its properties ({fields}): {why}; remove them in Word, Excel or PowerPoint under File → Info → Check for Issues → Inspect Document (\"Document Properties and Personal Information\") and save again"
            ),
            DocKind::OpenDocument => format!(
                "the document names its author in its properties ({fields}): {why}; in LibreOffice, File → Properties → Reset Properties with \"Apply user data\" unticked, or Tools → Options → LibreOffice → Security → Options → \"Remove personal information on saving\", then save again"
            ),
        });
    }
    let odf = kind == DocKind::OpenDocument;
    if found.contains(&DocFinding::Comments) {
        out.push(match kind {
            DocKind::Pdf => format!(
                "the PDF holds comments (notes, highlights, …), which carry their authors' names: {why}; delete them in the PDF reader and save again, or draw them into the pages without their authors, e.g. `qpdf --flatten-annotations=all {file} renset.pdf`, and put that in its place"
            ),
            _ => {
                let how = if odf {
                    "right-click a comment → Delete All Comments"
                } else {
                    "Review → Delete → Delete All Comments in Document"
                };
                format!(
                    "the document holds comments, which carry their authors' names: {why}; delete them ({how}) and save again"
                )
            }
        });
    }
    for &f in found {
        let (what, meta) = match f {
            DocFinding::Picture(m @ MetaFinding::Gps) => (
                "carries the GPS position where it was taken (EXIF)".to_string(),
                m,
            ),
            DocFinding::Picture(m @ MetaFinding::Person(field)) => {
                (format!("names a person in its metadata field `{field}`"), m)
            }
            _ => continue,
        };
        out.push(format!(
            "a photo in the document {what}: {why}; remove it from the photo, e.g. `exiftool -overwrite_original {} foto.jpg`, put the photo in again and save or export the document anew (the document keeps the photo's file as it was put in)",
            meta.exiftool_removal()
        ));
    }
    if found.contains(&DocFinding::TrackedChanges) {
        let how = if odf {
            "Edit → Track Changes → Manage → Accept All"
        } else {
            "Review → Accept → Accept All Changes"
        };
        out.push(format!(
            "the document holds tracked changes, which carry their authors' names and the text as it was before: {why}; accept or reject them all ({how}) and save again"
        ));
    }
    out
}

/// The most a single compressed part may inflate to; a part that would
/// grow past it (a zip bomb, or a part far larger than any properties) is
/// not read.
pub(super) const INFLATE_LIMIT: usize = 16 << 20;
/// The most the parts read from one zip file may inflate to together.
pub(super) const TOTAL_LIMIT: usize = 64 << 20;

/// Text of a document and where it is in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub text: String,
    /// The line its text starts at: 1 for an office file's text (one
    /// line per paragraph), a PDF page's number for that page's text (all
    /// of it on one line), 0 for a property.
    pub line: usize,
    /// Where it is, for a reader: "page 3", "its subject".
    pub place: Option<String>,
}

/// What the guard learns from a document's bytes.
#[derive(Debug, Default)]
pub struct Reading {
    /// Its hidden parts that identify someone, sorted.
    pub found: Vec<DocFinding>,
    /// The values of the fields in `found` that name someone.
    pub names: Names,
    /// The values of the name fields of the photos in it (its
    /// [`DocFinding::Picture`]s), with their fields.
    pub picture_names: Names,
    /// Its text, as a reader meets it.
    pub passages: Vec<Passage>,
    /// Why it cannot be read at all, if it cannot: encrypted, protected
    /// by a password, or not what its name says.
    pub unreadable: Option<&'static str>,
    /// A PDF's pages (from 1) whose text could not be read back as
    /// letters.
    pub unreadable_pages: Vec<usize>,
    /// The files put into it, with their names: a PDF's attachments, an
    /// office file's embedded documents (a spreadsheet in a Word file).
    pub attachments: Files,
}

/// Reads a document of kind `kind` from its bytes.
pub fn read(kind: DocKind, bytes: &[u8]) -> Reading {
    let mut cannot = unreadable(kind, bytes);
    let pages = (kind == DocKind::Pdf && cannot.is_none()).then(|| super::pdf::read(bytes));
    // An encrypted PDF that needs a password is noise to the guard (and
    // the noise findings); one restricted by its owner alone opens, and
    // its properties come decrypted from its objects, not its bytes.
    if pages.as_ref().is_some_and(|p| p.locked) {
        cannot = Some("it is encrypted with a password");
    }
    let decrypted = pages.as_ref().and_then(|p| p.decrypted.as_ref());
    // A PDF's bytes and its inflated object and metadata streams, read
    // for properties and for text alike.
    let streams = match (kind, decrypted) {
        (DocKind::Pdf, None) => pdf_streams(bytes),
        _ => Vec::new(),
    };
    let pdf_sources: Vec<&[u8]> = std::iter::once(bytes)
        .chain(streams.iter().map(Vec::as_slice))
        .collect();
    let mut names = Names::new();
    let mut picture_names = Names::new();
    let mut found = match (kind, decrypted) {
        (_, Some(properties)) => pdf_properties(properties, &mut names),
        (DocKind::Pdf, None) => pdf(&pdf_sources, &mut names),
        (DocKind::Ooxml, _) => ooxml(bytes, &mut names, &mut picture_names),
        (DocKind::OpenDocument, _) => open_document(bytes, &mut names, &mut picture_names),
    };
    if let Some(pages) = &pages {
        if pages.commented {
            found.push(DocFinding::Comments);
        }
        found.extend(pages.pictures.iter().map(|&m| DocFinding::Picture(m)));
        picture_names.extend(pages.picture_names.iter().cloned());
    }
    found.sort();
    found.dedup();
    let mut attachments = match kind {
        DocKind::Ooxml => zip_entries(bytes, |name| {
            ["word/", "xl/", "ppt/"].iter().any(|dir| {
                name.strip_prefix(dir)
                    .is_some_and(|rest| rest.starts_with("embeddings/"))
            })
        })
        .unwrap_or_default()
        .into_iter()
        .map(|(name, data)| (name.rsplit('/').next().unwrap_or(&name).to_string(), data))
        .collect(),
        _ => Vec::new(),
    };
    let mut passages = match (cannot, decrypted) {
        (Some(_), _) => Vec::new(),
        (None, Some(properties)) => pdf_property_text(&properties.info),
        (None, None) => text(kind, bytes, &pdf_sources),
    };
    let mut unreadable_pages = Vec::new();
    if let Some(pages) = pages {
        let on_pages = pages
            .pages
            .into_iter()
            .enumerate()
            .map(|(i, text)| Passage {
                text,
                line: i + 1,
                place: Some(format!("page {}", i + 1)),
            });
        passages.splice(0..0, on_pages);
        if !pages.bookmarks.is_empty() {
            passages.push(Passage {
                text: pages.bookmarks.join("\n"),
                line: 0,
                place: Some("its bookmarks".to_string()),
            });
        }
        unreadable_pages = pages.unreadable_pages;
        attachments = pages.attachments;
    }
    Reading {
        found,
        names,
        picture_names,
        passages,
        unreadable: cannot,
        unreadable_pages,
        attachments,
    }
}

/// Whether a decoded value says anything: a byte that is neither a byte
/// order mark, a NUL (UTF-16's high bytes) nor white space.
fn meaningful(value: &[u8]) -> bool {
    let value = value
        .strip_prefix(&[0xfe, 0xff])
        .or_else(|| value.strip_prefix(&[0xef, 0xbb, 0xbf]))
        .unwrap_or(value);
    value.iter().any(|&c| c != 0 && !c.is_ascii_whitespace())
}

/// Why the guard cannot read a document, if it cannot, before reading
/// it: a password-protected office file (saved as
/// an encrypted container, not a zip, or with its parts ciphered), or a
/// file that is not what its name says.
fn unreadable(kind: DocKind, bytes: &[u8]) -> Option<&'static str> {
    match kind {
        // (The header may come after some bytes, within the first 1 KiB.)
        DocKind::Pdf if find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_none() => {
            Some("it is not a PDF")
        }
        DocKind::Pdf => None,
        _ if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) => {
            Some("it is password-protected (or saved in the older binary format)")
        }
        DocKind::OpenDocument => match zip_entries(bytes, |n| n == "META-INF/manifest.xml") {
            None => Some("it is damaged or not a zip file"),
            Some(parts) => parts
                .iter()
                .any(|(_, xml)| find(xml, b"encryption-data").is_some())
                .then_some("it is password-protected"),
        },
        DocKind::Ooxml => zip_entries(bytes, |_| false)
            .is_none()
            .then_some("it is damaged or not a zip file"),
    }
}

// ---------------------------------------------------------------- PDF

/// The fields of a document that name someone, each with a value found
/// in it (a field found twice, in an old and a new version, twice).
pub type Names = Vec<(&'static str, String)>;

/// Records that `field` names someone with `values`, if it has any.
fn named(found: &mut Vec<DocFinding>, names: &mut Names, field: &'static str, values: Vec<String>) {
    if !values.is_empty() {
        found.push(DocFinding::Named(field));
        names.extend(values.into_iter().map(|v| (field, v)));
    }
}

/// The keys of a PDF's document information dictionary that name a
/// person or a company (`/Company` is Office's and Acrobat's own).
const PDF_KEYS: [(&[u8], &str); 2] = [(b"/Author", "/Author"), (b"/Company", "/Company")];

/// The findings in a PDF's `sources`: its bytes, then its inflated object
/// and metadata streams ([`pdf_streams`]), where the information
/// dictionary and the XMP packet mostly sit since PDF 1.5.
fn pdf(sources: &[&[u8]], names: &mut Names) -> Vec<DocFinding> {
    let mut found = Vec::new();
    for data in sources {
        found.extend(pdf_values(data, names));
        found.extend(xmp(data, names));
    }
    found
}

/// `/Author (…)` or `/Author <…>` with a value, anywhere in `b`: an old
/// information dictionary that an incremental update replaced is still in
/// the file, and is found too.
fn pdf_values(b: &[u8], names: &mut Names) -> Vec<DocFinding> {
    let mut found = Vec::new();
    for &(key, field) in &PDF_KEYS {
        let values = pdf_strings(b, key)
            .filter(|v| meaningful(v))
            .map(|v| super::pdf::text_string(&v))
            .collect();
        named(&mut found, names, field, values);
    }
    found
}

/// The findings in a PDF's properties read from its objects (an
/// encrypted file's, decrypted).
fn pdf_properties(p: &super::pdf::Properties, names: &mut Names) -> Vec<DocFinding> {
    let mut found = Vec::new();
    for &(key, field) in &PDF_KEYS {
        let values = p
            .info
            .iter()
            .filter(|(k, v)| k == &key[1..] && meaningful(v))
            .map(|(_, v)| super::pdf::text_string(v))
            .collect();
        named(&mut found, names, field, values);
    }
    for packet in &p.xmp {
        found.extend(xmp(packet, names));
    }
    found
}

/// The title, subject and keywords among a PDF's properties read from its
/// objects, a passage each.
fn pdf_property_text(info: &[(Vec<u8>, Vec<u8>)]) -> Vec<Passage> {
    info.iter()
        .filter_map(|(key, value)| {
            let place = match key.as_slice() {
                b"Title" => "its title",
                b"Subject" => "its subject",
                b"Keywords" => "its keywords",
                _ => return None,
            };
            Some(Passage {
                text: super::pdf::text_string(value),
                line: 0,
                place: Some(place.to_string()),
            })
        })
        .collect()
}

/// Every string value given to the key `key` (`/Title`) in `b`, decoded.
fn pdf_strings<'a>(b: &'a [u8], key: &'a [u8]) -> impl Iterator<Item = Vec<u8>> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = find(&b[from..], key) {
            let after = from + at + key.len();
            from = after;
            // The name must end here: `/Authors` is another key.
            if b.get(after).is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            if let Some(value) = super::pdf::string_at(&b[after..]) {
                return Some(value);
            }
        }
        None
    })
}

/// The inflated data of the PDF's compressed object streams and metadata
/// streams (those that can hold the properties); page content and fonts
/// are left alone.
fn pdf_streams(b: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&b[from..], b"stream") {
        let keyword = from + at;
        from = keyword + b"stream".len();
        // `endstream`, or `stream` inside a word, is not a stream's start.
        if keyword > 0 && b[keyword - 1].is_ascii_alphabetic() {
            continue;
        }
        let data_at = match &b[from..] {
            [b'\r', b'\n', ..] => from + 2,
            [b'\n', ..] | [b'\r', ..] => from + 1,
            _ => continue,
        };
        // The stream's dictionary: back to its object's `obj`.
        let head = &b[keyword.saturating_sub(4096)..keyword];
        let dict = match head.windows(3).rposition(|w| w == b"obj") {
            Some(obj) => &head[obj..],
            None => head,
        };
        let wanted = find(dict, b"/ObjStm").is_some() || find(dict, b"/Metadata").is_some();
        if !wanted || find(dict, b"/FlateDecode").is_none() {
            continue;
        }
        let end = find(&b[data_at..], b"endstream").map_or(b.len(), |e| data_at + e);
        if let Ok(data) =
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&b[data_at..end], INFLATE_LIMIT)
        {
            out.push(data);
        }
        from = end;
    }
    out
}

/// A name in an XMP packet: `dc:creator`, or `pdf:Author` (as an element
/// or an attribute), which exiftool and Acrobat write.
fn xmp(b: &[u8], names: &mut Names) -> Vec<DocFinding> {
    let mut found = Vec::new();
    named(&mut found, names, "dc:creator", metadata::xmp_creators(b));
    if let Some(packet) = metadata::xmp_packet(b) {
        let mut authors = element_texts(packet, "pdf:Author");
        authors.extend(
            attribute_values(packet, "pdf:Author")
                .filter(|v| meaningful(v))
                .map(|v| String::from_utf8_lossy(v).trim().to_string()),
        );
        named(&mut found, names, "pdf:Author", authors);
    }
    found
}

/// The values of every attribute `name="…"` (or `'…'`) in `xml`, as
/// written (entities not decoded).
fn attribute_values<'x>(xml: &'x [u8], name: &str) -> impl Iterator<Item = &'x [u8]> {
    let key = format!("{name}=");
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = find(&xml[from..], key.as_bytes()) {
            let start = from + at;
            let rest = &xml[start + key.len()..];
            from = start + key.len();
            // `name` itself, not the end of a longer one.
            if start > 0 && !xml[start - 1].is_ascii_whitespace() {
                continue;
            }
            let Some(&quote) = rest.first().filter(|&&q| q == b'"' || q == b'\'') else {
                continue;
            };
            let value = &rest[1..];
            return Some(
                &value[..value
                    .iter()
                    .position(|&c| c == quote)
                    .unwrap_or(value.len())],
            );
        }
        None
    })
}

// ---------------------------------------------------------------- text

/// The parts of an Office Open XML file whose text a reader meets or the
/// file keeps, by the start of their names (besides Word's body, notes,
/// headers, footers and comments, charts, and relationships).
const OOXML_TEXT: [&str; 19] = [
    "docProps/core.xml",
    "docProps/app.xml",
    "docProps/custom.xml",
    "xl/sharedStrings.xml",
    "xl/worksheets/sheet",
    "xl/comments",
    "ppt/slides/slide",
    "ppt/notesSlides/",
    "ppt/comments/",
    // A slide master's footer shows on every slide.
    "ppt/slideMasters/slideMaster",
    "ppt/slideLayouts/slideLayout",
    "ppt/notesMasters/notesMaster",
    "ppt/handoutMasters/handoutMaster",
    // Drawings' text boxes, a Word file's building blocks.
    "xl/drawings/drawing",
    "word/glossary/document",
    // Values a workbook keeps copies of: a linked workbook's cells, a pivot
    // table's source data (also after its sheet is deleted), tables'
    // column names; and the folder Excel saved the workbook in.
    "xl/externalLinks/externalLink",
    "xl/pivotCache/",
    "xl/tables/table",
    "xl/workbook.xml",
];

/// The text a reader meets in a document besides a PDF's pages, for the
/// guard to scan as it scans a page. For an office file, one passage: the
/// text of its body, notes, headers, footers, comments and slides or
/// cells, and of its properties, one line per paragraph (a line number in
/// a finding is the paragraph's, counted through the document). For a
/// PDF, the title, subject and keywords of its document properties in
/// `pdf_sources` (its bytes and inflated streams), a passage each.
fn text(kind: DocKind, bytes: &[u8], pdf_sources: &[&[u8]]) -> Vec<Passage> {
    let whole = |text| {
        vec![Passage {
            text,
            line: 1,
            place: None,
        }]
    };
    match kind {
        DocKind::Pdf => {
            let mut out = Vec::new();
            for data in pdf_sources {
                // (`/Author` and `/Company` are reported by `read`'s
                // findings.)
                for (key, place) in [
                    (&b"/Title"[..], "its title"),
                    (b"/Subject", "its subject"),
                    (b"/Keywords", "its keywords"),
                ] {
                    for value in pdf_strings(data, key) {
                        out.push(Passage {
                            text: super::pdf::text_string(&value),
                            line: 0,
                            place: Some(place.to_string()),
                        });
                    }
                }
            }
            out
        }
        DocKind::Ooxml => {
            let parts = |name: &str| {
                let file = name.rsplit('/').next().unwrap_or(name);
                let word = [
                    "document",
                    "footnotes",
                    "endnotes",
                    "header",
                    "footer",
                    "comments",
                ];
                (name.starts_with("word/") && word.iter().any(|p| file.starts_with(p)))
                    || OOXML_TEXT.iter().any(|p| name.starts_with(p))
                    || (name.contains("/charts/chart") && name.ends_with(".xml"))
                    // Links' addresses.
                    || name.ends_with(".rels")
            };
            whole(office_text(zip_entries(bytes, parts).unwrap_or_default()))
        }
        DocKind::OpenDocument => {
            // (`Object 1/content.xml`: a chart's or a formula's text.)
            let parts = |name: &str| {
                matches!(name, "content.xml" | "styles.xml" | "meta.xml")
                    || name.starts_with("Object ") && name.ends_with("/content.xml")
            };
            whole(office_text(zip_entries(bytes, parts).unwrap_or_default()))
        }
    }
}

/// The text of the XML parts `parts`, one after the other; of a
/// relationships part, the addresses it links to outside the file (one a
/// line), of Excel's workbook part, the folder it was saved in, of its
/// pivot caches and tables, the values and names they keep in attributes,
/// and of an OpenDocument's content, its links' addresses after its text.
fn office_text(parts: Vec<(String, Vec<u8>)>) -> String {
    let mut out = String::new();
    for (name, xml) in &parts {
        let mut values: Vec<&[u8]> = Vec::new();
        if name.ends_with(".rels") {
            // A relationship to outside the file: a link, a linked file.
            values.extend(xml.split(|&c| c == b'<').filter_map(|element| {
                let external = attribute_values(element, "TargetMode").any(|m| m == b"External");
                external
                    .then(|| attribute_values(element, "Target").next())
                    .flatten()
            }));
        } else if name == "xl/workbook.xml" {
            values.extend(attribute_values(xml, "url"));
        } else if name.starts_with("xl/pivotCache/") {
            // Shared items and records: `<s v="…"/>`.
            values.extend(attribute_values(xml, "v"));
        } else if name.starts_with("xl/tables/") {
            values.extend(attribute_values(xml, "name"));
        } else {
            // In the properties, every element is a value of its own.
            let properties = name.starts_with("docProps/") || name == "meta.xml";
            out.push_str(&xml_text(xml, properties));
            out.push('\n');
            // OpenDocument's links keep their address in an attribute.
            if name.ends_with("content.xml") {
                values.extend(attribute_values(xml, "xlink:href"));
            }
        }
        for v in values {
            out.push_str(&String::from_utf8_lossy(v));
            out.push('\n');
        }
    }
    out
}

/// The text nodes of `xml` with its entities decoded: a paragraph's,
/// a table cell's, a shared string's end starts a new line (with
/// `each_element`, every element's end does), tabs and Word's and
/// OpenDocument's space elements are spaces. A word split over several
/// runs (`<w:t>Kvit</w:t></w:r><w:r><w:t>fjell</w:t>`) stays one word.
fn xml_text(xml: &[u8], each_element: bool) -> String {
    const LINE_ENDS: [&str; 10] = [
        "/w:p",
        "/a:p",
        "/si",
        "/c",
        "/text:p",
        "/text:h",
        "w:br/",
        "w:cr/",
        "text:line-break/",
        "/table:table-cell",
    ];
    const SPACES: [&str; 4] = ["w:tab/", "text:s/", "text:tab/", "a:br/"];
    // The properties [`scan`] reports by name (and the authors of
    // OpenDocument's comments) are not read again as text.
    const REPORTED: [&str; 5] = [
        "dc:creator",
        "cp:lastModifiedBy",
        "Company",
        "Manager",
        "meta:initial-creator",
    ];
    let mut out: Vec<u8> = Vec::with_capacity(xml.len() / 4);
    let mut skip_until: Option<String> = None;
    let mut i = 0;
    while i < xml.len() {
        match xml[i] {
            b'<' => {
                let Some(end) = xml[i..].iter().position(|&c| c == b'>') else {
                    break;
                };
                let tag = &xml[i + 1..i + end];
                // `/name` for an end tag, `name/` for an empty element.
                let bare = tag.strip_prefix(b"/").unwrap_or(tag);
                let name_len = bare
                    .iter()
                    .position(|&c| c.is_ascii_whitespace() || c == b'/')
                    .unwrap_or(bare.len());
                let mut name = String::from_utf8_lossy(&bare[..name_len]).into_owned();
                if tag.starts_with(b"/") {
                    name.insert(0, '/');
                } else if tag.ends_with(b"/") {
                    name.push('/');
                }
                if skip_until.as_deref() == Some(name.as_str()) {
                    skip_until = None;
                } else if REPORTED.contains(&name.as_str()) {
                    skip_until = Some(format!("/{name}"));
                }
                if LINE_ENDS.contains(&name.as_str()) || (each_element && name.starts_with('/')) {
                    out.push(b'\n');
                } else if SPACES.contains(&name.as_str()) {
                    out.push(b' ');
                }
                i += end + 1;
            }
            _ if skip_until.is_some() => i += 1,
            b'&' => {
                let rest = &xml[i..];
                let end = rest.iter().take(12).position(|&c| c == b';');
                let decoded = end.and_then(|e| entity(&rest[1..e]));
                match (end, decoded) {
                    (Some(e), Some(c)) => {
                        let mut buf = [0u8; 4];
                        out.extend(c.encode_utf8(&mut buf).as_bytes());
                        i += e + 1;
                    }
                    _ => {
                        out.push(b'&');
                        i += 1;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The character an XML entity (`amp`, `#248`, `#xF8`) stands for.
fn entity(name: &[u8]) -> Option<char> {
    match name {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        [b'#', b'x' | b'X', hex @ ..] => {
            char::from_u32(u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?)
        }
        [b'#', dec @ ..] => char::from_u32(std::str::from_utf8(dec).ok()?.parse().ok()?),
        _ => None,
    }
}

// ---------------------------------------------------------------- zip

/// The entries of a zip file, as (name, data) with the data inflated;
/// entries that cannot be read (encrypted, Zip64, another method, damaged,
/// or past the inflate limit) are left out. Only the entries `wanted`
/// names are inflated. None if `b` has no central directory (not a zip).
pub(super) fn zip_entries(b: &[u8], wanted: impl Fn(&str) -> bool) -> Option<Files> {
    zip_read(b, wanted).map(|(entries, _)| entries)
}

/// Files by name with their bytes: a zip file's entries, a document's
/// attachments.
pub type Files = Vec<(String, Vec<u8>)>;

/// [`zip_entries`], and whether an entry was left out for being encrypted
/// (a zip file with a password).
pub(super) fn zip_read(b: &[u8], wanted: impl Fn(&str) -> bool) -> Option<(Files, bool)> {
    let u16_at = |i: usize| b.get(i..i + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    let u32_at = |i: usize| {
        b.get(i..i + 4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    // The end of central directory record: 22 bytes and a comment of at
    // most 64 KiB, at the end of the file.
    let earliest = b.len().saturating_sub(22 + 0xffff);
    let eocd = (earliest..b.len().saturating_sub(21))
        .rev()
        .find(|&i| u32_at(i) == Some(0x0605_4b50))?;
    let count = u16_at(eocd + 10)?;
    let mut at = u32_at(eocd + 16)? as usize;
    if count == 0 || u32_at(at) != Some(0x0201_4b50) {
        return None;
    }
    let mut entries = Vec::new();
    let mut total = 0;
    let mut locked = false;
    for _ in 0..count {
        if u32_at(at) != Some(0x0201_4b50) {
            break;
        }
        let (Some(flags), Some(method), Some(size), Some(name_len), Some(extra), Some(note)) = (
            u16_at(at + 8),
            u16_at(at + 10),
            u32_at(at + 20),
            u16_at(at + 28),
            u16_at(at + 30),
            u16_at(at + 32),
        ) else {
            break;
        };
        let Some(local) = u32_at(at + 42) else { break };
        let name_at = at + 46;
        let Some(name) = b.get(name_at..name_at + usize::from(name_len)) else {
            break;
        };
        at = name_at + usize::from(name_len) + usize::from(extra) + usize::from(note);
        let name = String::from_utf8_lossy(name).into_owned();
        if flags & 1 != 0 {
            locked = true;
            continue;
        }
        if size == u32::MAX || !wanted(&name) {
            continue;
        }
        let local = local as usize;
        if u32_at(local) != Some(0x0403_4b50) {
            continue;
        }
        let (Some(n), Some(e)) = (u16_at(local + 26), u16_at(local + 28)) else {
            continue;
        };
        let start = local + 30 + usize::from(n) + usize::from(e);
        let Some(raw) = b.get(start..start.saturating_add(size as usize)) else {
            continue;
        };
        let data = match method {
            0 => Some(raw.to_vec()),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(raw, INFLATE_LIMIT).ok(),
            _ => None,
        };
        if let Some(data) = data {
            // Many large parts together are not a document's: stop.
            total += data.len();
            if total > TOTAL_LIMIT {
                break;
            }
            entries.push((name, data));
        }
    }
    Some((entries, locked))
}

/// The texts of every element `<tag …>text</tag>` in `xml` with text in
/// it, as written (entities not decoded; a self-closed or empty one says
/// nothing).
fn element_texts(xml: &[u8], tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&xml[from..], open.as_bytes()) {
        let rest = &xml[from + at + open.len()..];
        from += at + open.len();
        // `<dc:creatorX` is another element.
        if !rest
            .first()
            .is_some_and(|&c| c == b'>' || c == b'/' || c.is_ascii_whitespace())
        {
            continue;
        }
        let Some(gt) = rest.iter().position(|&c| c == b'>') else {
            break;
        };
        if rest[..gt].ends_with(b"/") {
            continue;
        }
        let text = &rest[gt + 1..];
        let text = &text[..text.iter().position(|&c| c == b'<').unwrap_or(text.len())];
        if meaningful(text) {
            out.push(String::from_utf8_lossy(text).trim().to_string());
        }
    }
    out
}

// ---------------------------------------------------------------- OOXML

/// Reads a photo put into a document (`bytes`): its findings into `found`,
/// the names behind them into `names`.
fn picture(found: &mut Vec<DocFinding>, names: &mut Names, bytes: &[u8]) {
    let meta = metadata::scan(bytes);
    found.extend(meta.found.into_iter().map(DocFinding::Picture));
    names.extend(meta.names);
}

fn ooxml(b: &[u8], names: &mut Names, picture_names: &mut Names) -> Vec<DocFinding> {
    let wanted = |name: &str| {
        name == "docProps/core.xml"
            || name == "docProps/app.xml"
            || name == "word/document.xml"
            || ooxml_comments(name)
            || name.starts_with("xl/revisions/")
            || is_picture(name)
    };
    let mut found = Vec::new();
    for (name, xml) in zip_entries(b, wanted).unwrap_or_default() {
        match name.as_str() {
            _ if is_picture(&name) => picture(&mut found, picture_names, &xml),
            "docProps/core.xml" => {
                for field in ["dc:creator", "cp:lastModifiedBy"] {
                    named(&mut found, names, field, element_texts(&xml, field));
                }
            }
            "docProps/app.xml" => {
                for field in ["Company", "Manager"] {
                    named(&mut found, names, field, element_texts(&xml, field));
                }
            }
            // Word's insertions, deletions and moves carry `w:author`.
            "word/document.xml" => {
                if find(&xml, b"<w:ins ").is_some()
                    || find(&xml, b"<w:del ").is_some()
                    || find(&xml, b"<w:moveFrom ").is_some()
                {
                    found.push(DocFinding::TrackedChanges);
                }
            }
            _ if name.starts_with("xl/revisions/") => found.push(DocFinding::TrackedChanges),
            // A comments part with at least one comment in it.
            _ => {
                let any = [
                    "<w:comment ",
                    "<comment ",
                    "<p:cm ",
                    "<p188:cm ",
                    "<threadedComment ",
                ]
                .iter()
                .any(|tag| find(&xml, tag.as_bytes()).is_some());
                if any {
                    found.push(DocFinding::Comments);
                }
            }
        }
    }
    found
}

/// Whether a part of an Office Open XML package holds comments: Word's
/// `word/comments.xml`, Excel's `xl/comments1.xml` and threaded comments,
/// PowerPoint's `ppt/comments/…`.
fn ooxml_comments(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.ends_with(".xml")
        && (file.starts_with("comments")
            || name.starts_with("ppt/comments/")
            || name.starts_with("xl/threadedComments/"))
}

// ---------------------------------------------------------------- OpenDocument

fn open_document(b: &[u8], names: &mut Names, picture_names: &mut Names) -> Vec<DocFinding> {
    let wanted = |name: &str| name == "meta.xml" || name == "content.xml" || is_picture(name);
    let mut found = Vec::new();
    for (name, xml) in zip_entries(b, wanted).unwrap_or_default() {
        if is_picture(&name) {
            picture(&mut found, picture_names, &xml);
        } else if name == "meta.xml" {
            for field in ["meta:initial-creator", "dc:creator"] {
                named(&mut found, names, field, element_texts(&xml, field));
            }
        } else {
            if find(&xml, b"<office:annotation").is_some() {
                found.push(DocFinding::Comments);
            }
            if find(&xml, b"<text:changed-region").is_some() {
                found.push(DocFinding::TrackedChanges);
            }
        }
    }
    found
}

/// Whether a part of an office file is a photo an author put in: Word's,
/// Excel's and PowerPoint's `…/media/`, OpenDocument's `Pictures/`, as
/// JPEG, PNG, TIFF or WebP.
fn is_picture(name: &str) -> bool {
    let photo = name.rsplit_once('.').is_some_and(|(_, ext)| {
        ["jpg", "jpeg", "png", "tif", "tiff", "webp"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    });
    photo
        && (name.starts_with("Pictures/")
            || ["word/", "xl/", "ppt/"].iter().any(|dir| {
                name.strip_prefix(dir)
                    .is_some_and(|rest| rest.starts_with("media/"))
            }))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The findings of [`read`].
    fn scan(kind: DocKind, bytes: &[u8]) -> Vec<DocFinding> {
        read(kind, bytes).found
    }

    /// The text of every passage, a line between them.
    fn all_text(kind: DocKind, bytes: &[u8]) -> String {
        let reading = read(kind, bytes);
        let texts: Vec<&str> = reading.passages.iter().map(|p| p.text.as_str()).collect();
        texts.join("\n")
    }

    /// A zip file of `parts`, each stored or deflated as asked.
    fn zip(parts: &[(&str, &str, bool)]) -> Vec<u8> {
        let parts: Vec<(&str, &[u8], bool)> = parts
            .iter()
            .map(|&(n, t, d)| (n, t.as_bytes(), d))
            .collect();
        zip_bytes(&parts)
    }

    /// [`zip`] of parts given as bytes.
    pub(in crate::checks) fn zip_bytes(parts: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut dir = Vec::new();
        for &(name, text, deflate) in parts {
            let data = if deflate {
                miniz_oxide::deflate::compress_to_vec(text, 6)
            } else {
                text.to_vec()
            };
            let local = out.len() as u32;
            let method: u16 = if deflate { 8 } else { 0 };
            let size = data.len() as u32;
            let full = text.len() as u32;
            let name_len = name.len() as u16;
            out.extend(0x0403_4b50u32.to_le_bytes());
            out.extend([20, 0, 0, 0]); // version, flags
            out.extend(method.to_le_bytes());
            out.extend([0; 8]); // time, date, CRC (not checked)
            out.extend(size.to_le_bytes());
            out.extend(full.to_le_bytes());
            out.extend(name_len.to_le_bytes());
            out.extend(0u16.to_le_bytes());
            out.extend(name.as_bytes());
            out.extend(&data);
            dir.extend(0x0201_4b50u32.to_le_bytes());
            dir.extend([20, 0, 20, 0, 0, 0]); // made by, needed, flags
            dir.extend(method.to_le_bytes());
            dir.extend([0; 8]);
            dir.extend(size.to_le_bytes());
            dir.extend(full.to_le_bytes());
            dir.extend(name_len.to_le_bytes());
            dir.extend([0; 12]); // extra, comment, disk, attributes
            dir.extend(local.to_le_bytes());
            dir.extend(name.as_bytes());
        }
        let dir_at = out.len() as u32;
        let count = parts.len() as u16;
        let dir_len = dir.len() as u32;
        out.extend(dir);
        out.extend(0x0605_4b50u32.to_le_bytes());
        out.extend([0; 4]);
        out.extend(count.to_le_bytes());
        out.extend(count.to_le_bytes());
        out.extend(dir_len.to_le_bytes());
        out.extend(dir_at.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    const CORE: &str = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:title>Tilbud</dc:title><dc:creator>Kari Nordmann</dc:creator><cp:lastModifiedBy></cp:lastModifiedBy></cp:coreProperties>"#;
    const CORE_CLEAN: &str = r#"<cp:coreProperties><dc:title>Tilbud</dc:title><dc:creator/><cp:lastModifiedBy> </cp:lastModifiedBy></cp:coreProperties>"#;
    const APP: &str = "<Properties><Application>Microsoft Office Word</Application><Company>Kunde AS</Company><Manager></Manager></Properties>";
    const DOC: &str =
        r#"<w:document><w:body><w:p><w:r><w:t>Pris</w:t></w:r></w:p></w:body></w:document>"#;
    const DOC_TRACKED: &str = r#"<w:document><w:body><w:p><w:ins w:id="1" w:author="Ola Nordmann" w:date="2026-01-01T00:00:00Z"><w:r><w:t>Pris</w:t></w:r></w:ins></w:p></w:body></w:document>"#;

    #[test]
    fn office_open_xml_names_comments_and_changes() {
        for deflate in [false, true] {
            let docx = zip(&[
                ("[Content_Types].xml", "<Types/>", deflate),
                ("word/document.xml", DOC, deflate),
                ("docProps/core.xml", CORE, deflate),
                ("docProps/app.xml", APP, deflate),
            ]);
            assert_eq!(
                scan(DocKind::Ooxml, &docx),
                [
                    DocFinding::Named("Company"),
                    DocFinding::Named("dc:creator")
                ],
                "deflated: {deflate}"
            );
            let clean = zip(&[
                ("word/document.xml", DOC, deflate),
                ("docProps/core.xml", CORE_CLEAN, deflate),
                (
                    "docProps/app.xml",
                    "<Properties><Company/></Properties>",
                    deflate,
                ),
            ]);
            assert_eq!(scan(DocKind::Ooxml, &clean), []);
            let reviewed = zip(&[
                ("word/document.xml", DOC_TRACKED, deflate),
                (
                    "word/comments.xml",
                    r#"<w:comments><w:comment w:id="0" w:author="Per"><w:p/></w:comment></w:comments>"#,
                    deflate,
                ),
            ]);
            assert_eq!(
                scan(DocKind::Ooxml, &reviewed),
                [DocFinding::Comments, DocFinding::TrackedChanges]
            );
        }
        // Excel's and PowerPoint's comments, and an empty comments part.
        let xlsx = zip(&[(
            "xl/comments1.xml",
            "<comments><commentList><comment ref=\"A1\" authorId=\"0\"/></commentList></comments>",
            true,
        )]);
        assert_eq!(scan(DocKind::Ooxml, &xlsx), [DocFinding::Comments]);
        let pptx = zip(&[(
            "ppt/comments/comment1.xml",
            "<p:cmLst><p:cm authorId=\"0\"/></p:cmLst>",
            true,
        )]);
        assert_eq!(scan(DocKind::Ooxml, &pptx), [DocFinding::Comments]);
        let empty = zip(&[("word/comments.xml", "<w:comments/>", true)]);
        assert_eq!(scan(DocKind::Ooxml, &empty), []);
    }

    #[test]
    fn open_document_names_comments_and_changes() {
        let meta = "<office:meta><meta:initial-creator>Kari Nordmann</meta:initial-creator><dc:creator>Kari Nordmann</dc:creator></office:meta>";
        let content = "<office:text><text:tracked-changes><text:changed-region text:id=\"c1\"/></text:tracked-changes><text:p><office:annotation><dc:creator>Per</dc:creator></office:annotation>Pris</text:p></office:text>";
        let odt = zip(&[
            ("mimetype", "application/vnd.oasis.opendocument.text", false),
            ("content.xml", content, true),
            ("meta.xml", meta, true),
        ]);
        assert_eq!(
            scan(DocKind::OpenDocument, &odt),
            [
                DocFinding::Named("dc:creator"),
                DocFinding::Named("meta:initial-creator"),
                DocFinding::Comments,
                DocFinding::TrackedChanges
            ]
        );
        let clean = zip(&[
            (
                "content.xml",
                "<office:text><text:p>Pris</text:p></office:text>",
                true,
            ),
            (
                "meta.xml",
                "<office:meta><meta:generator>LibreOffice</meta:generator></office:meta>",
                true,
            ),
        ]);
        assert_eq!(scan(DocKind::OpenDocument, &clean), []);
    }

    /// A PDF with `info` as its information dictionary's entries, laid out
    /// as plain objects (no cross-reference table: the scan needs none).
    fn pdf(info: &str) -> Vec<u8> {
        format!(
            "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n3 0 obj\n<< {info} >>\nendobj\ntrailer\n<< /Root 1 0 R /Info 3 0 R >>\n%%EOF\n"
        )
        .into_bytes()
    }

    #[test]
    fn pdf_information_dictionary() {
        let named = DocFinding::Named("/Author");
        for (info, expect) in [
            (
                "/Author (Kari Nordmann) /Producer (LibreOffice)",
                vec![named],
            ),
            ("/Author(Kari \\(KN\\) Nordmann)", vec![named]),
            // UTF-16 with a byte order mark, as a hex string and escaped.
            ("/Author <FEFF004B00E5007200690020004E>", vec![named]),
            ("/Author (\\376\\377\\000K\\000a)", vec![named]),
            ("/Company (Kunde AS)", vec![DocFinding::Named("/Company")]),
            // Empty or blank values, a byte order mark alone, other keys.
            ("/Author () /Title (Tilbud)", vec![]),
            ("/Author <FEFF> /Creator (Writer)", vec![]),
            ("/Author (   ) /Authors (x)", vec![]),
            ("/Author 9 0 R", vec![]),
        ] {
            assert_eq!(scan(DocKind::Pdf, &pdf(info)), expect, "{info}");
        }
        // An incremental update that blanked the author leaves the old
        // dictionary in the file, and it is still published.
        let mut updated = pdf("/Author (Kari Nordmann)");
        updated.extend(b"3 0 obj\n<< /Author () >>\nendobj\ntrailer\n<< /Root 1 0 R /Info 3 0 R /Prev 9 >>\n%%EOF\n");
        assert_eq!(scan(DocKind::Pdf, &updated), [named]);
    }

    #[test]
    fn pdf_compressed_object_and_metadata_streams() {
        let stream = |dict: &str, body: &str| {
            let data = miniz_oxide::deflate::compress_to_vec_zlib(body.as_bytes(), 6);
            let mut out = format!(
                "%PDF-1.5\n7 0 obj\n<< {dict} /Filter /FlateDecode /Length {} >>\nstream\r\n",
                data.len()
            )
            .into_bytes();
            out.extend(data);
            out.extend(b"\r\nendstream\nendobj\n%%EOF\n");
            out
        };
        let objstm = stream(
            "/Type /ObjStm /N 1 /First 5",
            "3 0 << /Author (Kari Nordmann) /Producer (x) >>",
        );
        assert_eq!(scan(DocKind::Pdf, &objstm), [DocFinding::Named("/Author")]);
        let xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description><dc:creator><rdf:Seq><rdf:li>Kari Nordmann</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>";
        let metadata = stream("/Type /Metadata /Subtype /XML", xmp);
        assert_eq!(
            scan(DocKind::Pdf, &metadata),
            [DocFinding::Named("dc:creator")]
        );
        // exiftool's and Acrobat's `pdf:Author`, as an element or an attribute.
        for packet in [
            "<x:xmpmeta><rdf:Description><pdf:Author>Kari Nordmann</pdf:Author></rdf:Description></x:xmpmeta>",
            "<x:xmpmeta><rdf:Description pdf:Author='Kari Nordmann'/></x:xmpmeta>",
        ] {
            let metadata = stream("/Type /Metadata /Subtype /XML", packet);
            assert_eq!(
                scan(DocKind::Pdf, &metadata),
                [DocFinding::Named("pdf:Author")]
            );
        }
        let blank =
            "<x:xmpmeta><rdf:Description pdf:Author=''><pdf:Author/></rdf:Description></x:xmpmeta>";
        assert_eq!(scan(DocKind::Pdf, &stream("/Type /Metadata", blank)), []);
        // A content stream holds no properties, whatever it says.
        // (Long enough to be compressed: a short one is stored as it is.)
        let drawing = "BT (Pris) Tj ET\n".repeat(40) + "/Author (Kari Nordmann)";
        let content = stream("", &drawing);
        assert!(find(&content, b"Kari").is_none());
        assert_eq!(scan(DocKind::Pdf, &content), []);
    }

    #[test]
    fn damaged_files_find_nothing_and_do_not_panic() {
        let docx = zip(&[("docProps/core.xml", CORE, true)]);
        let pdf_bytes = pdf("/Author (Kari Nordmann)");
        for cut in 0..docx.len() {
            let _ = scan(DocKind::Ooxml, &docx[..cut]);
            let _ = all_text(DocKind::Ooxml, &docx[..cut]);
        }
        for i in 0..docx.len() {
            let mut bad = docx.clone();
            bad[i] ^= 0xff;
            let _ = scan(DocKind::Ooxml, &bad);
            let _ = scan(DocKind::OpenDocument, &bad);
            let _ = all_text(DocKind::Ooxml, &bad);
        }
        for cut in 0..pdf_bytes.len() {
            let _ = scan(DocKind::Pdf, &pdf_bytes[..cut]);
            let _ = all_text(DocKind::Pdf, &pdf_bytes[..cut]);
        }
        // Markup cut anywhere, and entities that are not.
        let xml = "<w:p><w:t>A &amp; B &#xFFFFFFFF; &#99999999999; &bogus; &</w:t></w:p>";
        for cut in 0..xml.len() {
            let _ = xml_text(&xml.as_bytes()[..cut], false);
        }
        assert_eq!(
            xml_text(xml.as_bytes(), false),
            "A & B &#xFFFFFFFF; &#99999999999; &bogus; &\n"
        );
        assert_eq!(scan(DocKind::Ooxml, b"not a zip"), []);
        assert_eq!(scan(DocKind::Pdf, b""), []);
    }

    #[test]
    fn the_text_a_reader_meets() {
        // Word: a name split over runs stays whole, entities are decoded,
        // each paragraph is a line; headers and the title are read too, the
        // author (reported by `scan`) is not.
        let body = r#"<w:document><w:body><w:p><w:r><w:t>Møte med </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Kvit</w:t></w:r><w:r><w:t>fjell &amp; co</w:t></w:r></w:p><w:p><w:r><w:t>Pris:</w:t><w:tab/><w:t>&#248;kt</w:t></w:r></w:p></w:body></w:document>"#;
        let docx = zip(&[
            ("word/document.xml", body, true),
            (
                "word/header1.xml",
                "<w:hdr><w:p><w:r><w:t>Til Brattli</w:t></w:r></w:p></w:hdr>",
                true,
            ),
            (
                "docProps/core.xml",
                "<cp:coreProperties><dc:title>Tilbud</dc:title><dc:creator>Kari Nordmann</dc:creator><dc:subject>Lager</dc:subject></cp:coreProperties>",
                true,
            ),
            (
                "word/styles.xml",
                "<w:styles><w:name w:val=\"Ikke tekst\"/>Stil</w:styles>",
                true,
            ),
        ]);
        let text = all_text(DocKind::Ooxml, &docx);
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            lines,
            [
                "Møte med Kvitfjell & co",
                "Pris: økt",
                "Til Brattli",
                "Tilbud",
                "Lager"
            ]
        );
        // Excel's shared strings and cells, a line each.
        let xlsx = zip(&[
            (
                "xl/sharedStrings.xml",
                "<sst><si><t>Kontakt</t></si><si><r><t>kari@</t></r><r><t>kunde.no</t></r></si></sst>",
                true,
            ),
            (
                "xl/worksheets/sheet1.xml",
                "<worksheet><sheetData><row><c r=\"A1\"><v>91234567</v></c><c r=\"B1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>",
                true,
            ),
        ]);
        let text = all_text(DocKind::Ooxml, &xlsx);
        assert!(text.lines().any(|l| l == "kari@kunde.no"), "{text:?}");
        assert!(text.lines().any(|l| l == "91234567"), "{text:?}");
        // Links' addresses (not a part of the file's own), custom
        // properties, and the folder Excel saved a workbook in.
        let linked = zip(&[
            (
                "word/_rels/document.xml.rels",
                r#"<Relationships><Relationship Id="rId1" Target="media/image1.png"/><Relationship Id="rId2" Type="…/hyperlink" Target="https://kvitfjell-bygg.no/tilbud" TargetMode="External"/></Relationships>"#,
                true,
            ),
            (
                "docProps/custom.xml",
                "<Properties><property name=\"Kunde\"><vt:lpwstr>Kvitfjell Byggevarer</vt:lpwstr></property></Properties>",
                true,
            ),
            (
                "xl/workbook.xml",
                r#"<workbook><x15ac:absPath url="C:\Users\kari\Kunder\Brattli\"/><sheets/></workbook>"#,
                true,
            ),
        ]);
        // What shows on every slide, a chart's title, a pivot table's copy
        // of its source data.
        let more = zip(&[
            (
                "ppt/slideMasters/slideMaster1.xml",
                "<p:sldMaster><a:p><a:r><a:t>Konfidensielt: Trollnes</a:t></a:r></a:p></p:sldMaster>",
                true,
            ),
            (
                "xl/charts/chart1.xml",
                "<c:chartSpace><c:title><a:p><a:r><a:t>Salg til Fjellheim</a:t></a:r></a:p></c:title></c:chartSpace>",
                true,
            ),
            (
                "xl/pivotCache/pivotCacheDefinition1.xml",
                r#"<pivotCacheDefinition><cacheField name="Kunde"><sharedItems><s v="Brattli Maskin"/></sharedItems></cacheField></pivotCacheDefinition>"#,
                true,
            ),
        ]);
        let text = all_text(DocKind::Ooxml, &more);
        for line in [
            "Konfidensielt: Trollnes",
            "Salg til Fjellheim",
            "Brattli Maskin",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in {text:?}");
        }
        let text = all_text(DocKind::Ooxml, &linked);
        for line in [
            "https://kvitfjell-bygg.no/tilbud",
            "Kvitfjell Byggevarer",
            r"C:\Users\kari\Kunder\Brattli\",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in {text:?}");
        }
        assert!(!text.contains("media/image1.png"), "{text:?}");
        // OpenDocument: spaces and line breaks are elements.
        let odt = zip(&[(
            "content.xml",
            "<office:text><text:h>Om <text:span>Trollnes</text:span></text:h><text:p>A<text:s/>B<text:line-break/>C</text:p></office:text>",
            true,
        )]);
        assert_eq!(
            all_text(DocKind::OpenDocument, &odt),
            "Om Trollnes\nA B\nC\n\n"
        );
        let odt = zip(&[(
            "content.xml",
            r#"<text:p>Se <text:a xlink:type="simple" xlink:href="mailto:kari@trollnes.no">her</text:a></text:p>"#,
            true,
        )]);
        assert_eq!(
            all_text(DocKind::OpenDocument, &odt),
            "Se her\n\nmailto:kari@trollnes.no\n"
        );
        // A PDF's title in UTF-16 and its subject in PDFDocEncoding.
        let pdf = pdf("/Title <FEFF00D80073007400760069006B> /Subject (Tilbud til \\330stvik)");
        assert_eq!(all_text(DocKind::Pdf, &pdf), "Østvik\nTilbud til Østvik");
    }

    #[test]
    fn documents_the_guard_cannot_read_are_named() {
        let docx = zip(&[("docProps/core.xml", CORE_CLEAN, true)]);
        assert_eq!(unreadable(DocKind::Ooxml, &docx), None);
        // Word's password protection: an OLE container, not a zip.
        let ole = [
            &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1][..],
            &[0; 504],
        ]
        .concat();
        assert!(
            unreadable(DocKind::Ooxml, &ole)
                .unwrap()
                .contains("password")
        );
        assert!(
            unreadable(DocKind::Ooxml, b"PK\x03\x04 cut short")
                .unwrap()
                .contains("damaged")
        );
        let manifest = |extra: &str| {
            zip(&[(
                "META-INF/manifest.xml",
                &format!(
                    "<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\">{extra}</manifest:file-entry></manifest:manifest>"
                ),
                true,
            )])
        };
        assert_eq!(unreadable(DocKind::OpenDocument, &manifest("")), None);
        let locked = manifest("<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\"/>");
        assert!(
            unreadable(DocKind::OpenDocument, &locked)
                .unwrap()
                .contains("password")
        );
        assert_eq!(unreadable(DocKind::Pdf, &pdf("/Title (x)")), None);
        let mut encrypted = pdf("/Title (x)");
        encrypted.extend(b"trailer\n<< /Encrypt 9 0 R >>\n");
        assert_eq!(
            read(DocKind::Pdf, &encrypted).unreadable,
            Some("it is encrypted with a password")
        );
        // Its strings are ciphered: none is read as text.
        assert_eq!(
            all_text(DocKind::Pdf, &pdf("/Title (Kvitfjell)")),
            "Kvitfjell"
        );
        let ciphered = [
            &pdf("/Title (Kvitfjell)")[..],
            b"trailer\n<< /Encrypt 9 0 R >>\n",
        ]
        .concat();
        assert_eq!(read(DocKind::Pdf, &ciphered).passages, []);
        assert_eq!(unreadable(DocKind::Pdf, b"<html>"), Some("it is not a PDF"));
        // A header after a few bytes (some writers put a line first).
        let late = [&b"\r\n"[..], &pdf("/Title (x)")].concat();
        assert_eq!(unreadable(DocKind::Pdf, &late), None);
    }

    #[test]
    fn photos_put_into_office_files_are_read_for_their_metadata() {
        use crate::checks::metadata::tests::{jpeg, tiff};
        let photo = jpeg(&tiff(true, true, None, Some("Ola Nordmann")));
        let expect = [
            DocFinding::Picture(MetaFinding::Gps),
            DocFinding::Picture(MetaFinding::Person("CameraOwnerName")),
        ];
        for (kind, part) in [
            (DocKind::Ooxml, "word/media/image1.jpeg"),
            (DocKind::Ooxml, "ppt/media/image3.JPG"),
            (DocKind::OpenDocument, "Pictures/10000000.jpg"),
        ] {
            let file = zip_bytes(&[(part, &photo, true)]);
            assert_eq!(scan(kind, &file), expect, "{part}");
        }
        // Not a photo's part, or not where a document keeps its photos.
        for part in ["word/media/image1.emf", "customXml/foto.jpg"] {
            let file = zip_bytes(&[(part, &photo, false)]);
            assert_eq!(scan(DocKind::Ooxml, &file), [], "{part}");
        }
        let message = messages(DocKind::Ooxml, "x.docx", &expect);
        assert_eq!(message.len(), 2);
        assert!(message[0].contains("`exiftool -overwrite_original -gps:all= foto.jpg`"));
        assert!(message[1].contains("-cameraownername="));
    }

    #[test]
    fn files_embedded_in_office_files_are_handed_on() {
        let sheet = zip(&[(
            "xl/sharedStrings.xml",
            "<sst><si><t>Brattli</t></si></sst>",
            true,
        )]);
        let docx = zip_bytes(&[
            (
                "word/embeddings/Microsoft_Excel_Worksheet.xlsx",
                &sheet,
                true,
            ),
            ("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0", false),
            ("word/document.xml", b"<w:document/>", true),
        ]);
        let names: Vec<String> = read(DocKind::Ooxml, &docx)
            .attachments
            .into_iter()
            .map(|(name, data)| {
                if name.ends_with(".xlsx") {
                    assert_eq!(data, sheet);
                }
                name
            })
            .collect();
        assert_eq!(names, ["Microsoft_Excel_Worksheet.xlsx", "oleObject1.bin"]);
        // Parts past 64 MiB together are not read.
        let big = vec![b'x'; 17 << 20];
        let parts: Vec<(String, &[u8], bool)> = (0..5)
            .map(|i| (format!("word/embeddings/{i}.bin"), &big[..], false))
            .collect();
        let parts: Vec<(&str, &[u8], bool)> =
            parts.iter().map(|(n, d, z)| (n.as_str(), *d, *z)).collect();
        assert_eq!(
            read(DocKind::Ooxml, &zip_bytes(&parts)).attachments.len(),
            3
        );
        // An OpenDocument chart's or formula's text is the file's own.
        let odt = zip(&[(
            "Object 1/content.xml",
            "<text:p>Salg hos Trollnes</text:p>",
            true,
        )]);
        assert!(all_text(DocKind::OpenDocument, &odt).contains("Salg hos Trollnes"));
    }

    #[test]
    fn kinds_by_extension() {
        assert_eq!(DocKind::of("PDF"), Some(DocKind::Pdf));
        assert_eq!(DocKind::of("docx"), Some(DocKind::Ooxml));
        assert_eq!(DocKind::of("Pptx"), Some(DocKind::Ooxml));
        assert_eq!(DocKind::of("odt"), Some(DocKind::OpenDocument));
        assert_eq!(DocKind::of("doc"), None);
        assert_eq!(DocKind::of("md"), None);
    }
}
