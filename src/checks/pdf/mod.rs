//! A PDF's objects and pages, read far enough to get at the text drawn on
//! them and what else a reader meets: comments, links, form fields,
//! photos and attached files.
//!
//! The anonymization guard reads a case study's PDF as it reads a page:
//! the offer or the loss review names the customer, or the person who
//! signed, on its pages, not only in its properties. This module owns
//! finding the file's objects (also those packed into compressed object
//! streams, the newest definition winning as in an incremental update),
//! decoding streams, and walking the page tree with its inherited
//! resources. The tokens and values are [`syntax`]'s, what a page's
//! content stream draws is [`content`]'s business, what a font's codes
//! mean is [`fonts`]', and opening a file its owner restricted is
//! [`crypt`]'s.
//!
//! Like the rest of the checks it never trusts the bytes: every offset is
//! checked, inflating is capped, loops and nesting are bounded, and a
//! damaged file gives what could be read.

mod content;
mod crypt;
mod fonts;
mod syntax;

pub use syntax::{Dict, Obj, string_at, text_string};
use syntax::{Lexer, Token, is_delimiter, is_space, parse_value, value};

use std::collections::{HashMap, HashSet};

use super::documents::{INFLATE_LIMIT, TOTAL_LIMIT};
use super::metadata::{self, MetaFinding, find};

/// The deepest a value, a page tree or a chain of references may nest.
const MAX_DEPTH: usize = 32;

/// What a PDF shows a reader beyond its properties.
#[derive(Debug, Default, PartialEq)]
pub struct Reading {
    /// The text of each page, in page order, on one line: its drawn text
    /// (lines joined by a space), then the text of its comments, the
    /// addresses its links go to and the values of its form fields.
    pub pages: Vec<String>,
    /// Whether a comment (a markup annotation: a note, a highlight, …)
    /// carries its author's name.
    pub commented: bool,
    /// What photos embedded in it say about where they were taken or who
    /// took them.
    pub pictures: Vec<MetaFinding>,
    /// The names behind `pictures`' findings, with their fields (see
    /// [`metadata::Meta`]).
    pub picture_names: Vec<(&'static str, String)>,
    /// The files attached to it, with their names.
    pub attachments: Vec<(String, Vec<u8>)>,
    /// The titles of its bookmarks, in order.
    pub bookmarks: Vec<String>,
    /// The pages (from 1) with text that could not be read back as
    /// letters: drawn in a font without a map to Unicode, or in a content
    /// stream compressed in a way vinn does not decode.
    pub unreadable_pages: Vec<usize>,
    /// Encrypted, and it does not open without a password (nothing else
    /// is read).
    pub locked: bool,
    /// For an encrypted file that opened with the empty password, its
    /// properties decrypted (the file's bytes hold them ciphered).
    pub decrypted: Option<Properties>,
}

/// A PDF's document properties, read from its objects.
#[derive(Debug, Default, PartialEq)]
pub struct Properties {
    /// The naming keys of its information dictionaries (`Author`,
    /// `Company`, `Title`, `Subject`, `Keywords`) with their values.
    pub info: Vec<(Vec<u8>, Vec<u8>)>,
    /// Its XMP packets.
    pub xmp: Vec<Vec<u8>>,
}

/// Reads the pages of the PDF `b`.
pub fn read(b: &[u8]) -> Reading {
    let doc = Doc::parse(b);
    if doc.locked {
        return Reading {
            locked: true,
            ..Reading::default()
        };
    }
    let (pictures, picture_names) = doc.pictures();
    let mut reading = Reading {
        pictures,
        picture_names,
        attachments: doc.attachments(),
        bookmarks: doc.bookmarks(),
        decrypted: doc.crypt.is_some().then(|| doc.properties()),
        ..Reading::default()
    };
    let mut fonts = fonts::Fonts::default();
    for (i, page) in doc.pages().into_iter().enumerate() {
        let mut text = content::Text::default();
        let resources = page.resources.as_ref().and_then(|r| doc.dict(r));
        // A page's streams are one program: a string may be drawn in one
        // with the font chosen in the one before.
        let mut program = Vec::new();
        for data in doc.contents(&page.dict) {
            match data {
                Some(data) => {
                    program.extend(data);
                    program.push(b'\n');
                }
                None => text.unreadable = true,
            }
        }
        content::run(&doc, &mut fonts, resources, &program, &mut text);
        let mut line = text.out;
        for annot in page.dict.get(b"Annots").map_or(&[][..], |a| doc.array(a)) {
            let Some(annot) = doc.dict(annot) else {
                continue;
            };
            let subtype = annot.get(b"Subtype").and_then(Obj::name).unwrap_or(b"");
            // A link's address is published with the page (a customer's
            // web site, a `mailto:`), though it is not drawn.
            if subtype == b"Link" {
                let action = annot.get(b"A").and_then(|a| doc.dict(a));
                if let Some(uri) = action
                    .and_then(|a| a.get(b"URI"))
                    .and_then(|u| doc.string(u))
                {
                    line.push(' ');
                    line.push_str(&text_string(&uri));
                }
                continue;
            }
            // A form field's value (its `/T` is the field's name): on the
            // widget, or on the field it belongs to.
            if subtype == b"Widget" {
                let parent = annot.get(b"Parent").and_then(|p| doc.dict(p));
                let value = annot.get(b"V").or_else(|| parent.and_then(|p| p.get(b"V")));
                if let Some(value) = value.and_then(|v| doc.string(v)) {
                    line.push(' ');
                    line.push_str(&text_string(&value));
                }
                continue;
            }
            if subtype == b"Popup" {
                continue;
            }
            if let Some(author) = annot.get(b"T").and_then(|t| doc.string(t))
                && author
                    .iter()
                    .any(|c| c.is_ascii_alphanumeric() || *c >= 0x80)
            {
                reading.commented = true;
            }
            if let Some(said) = annot.get(b"Contents").and_then(|c| doc.string(c)) {
                line.push(' ');
                line.push_str(&text_string(&said));
            }
        }
        if text.unreadable {
            reading.unreadable_pages.push(i + 1);
        }
        reading.pages.push(one_line(&line));
    }
    reading
}

/// `s` with every run of white space (line breaks too) one space, trimmed.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------- objects

/// An indirect object: its value and, for a stream, where its data is.
struct Entry {
    value: Obj,
    stream: Option<std::ops::Range<usize>>,
    generation: u16,
    /// Packed in an object stream (whose decryption covered it).
    packed: bool,
}

/// The objects of a PDF by number.
pub struct Doc<'a> {
    b: &'a [u8],
    objects: HashMap<u32, Entry>,
    /// How to decrypt its strings and streams, when it is encrypted and
    /// opens with the empty user password.
    crypt: Option<crypt::Crypt>,
    /// Encrypted, and it does not open without a password vinn lacks.
    pub locked: bool,
}

/// A page: its dictionary, and its resources (its own or inherited).
struct Page {
    dict: Dict,
    resources: Option<Obj>,
}

impl<'a> Doc<'a> {
    /// Finds every `N G obj` in the file, in order, so a later definition
    /// (an incremental update's) replaces an earlier one; an object stream's
    /// objects are taken where the stream is. An encrypted file is opened
    /// with the empty user password if it can be, and its strings
    /// decrypted.
    pub fn parse(b: &'a [u8]) -> Doc<'a> {
        let mut doc = Doc {
            b,
            objects: HashMap::new(),
            crypt: None,
            locked: false,
        };
        let found = top_level_objects(b);
        // The encryption dictionary and the file's identifier, from the
        // last trailer (or cross-reference stream) that names them.
        let mut trailers: Vec<Dict> = Vec::new();
        let mut from = 0;
        while let Some(at) = find(&b[from..], b"trailer") {
            from += at + b"trailer".len();
            if let Some(Obj::Dict(d)) = parse_value(&b[from..]) {
                trailers.push(d);
            }
        }
        trailers.extend(found.iter().filter_map(|(_, _, e)| match &e.value {
            Obj::Dict(d) if d.get(b"Type").and_then(Obj::name) == Some(b"XRef") => Some(d.clone()),
            _ => None,
        }));
        let mut encrypt_object = None;
        if let Some(trailer) = trailers.iter().rev().find(|t| t.get(b"Encrypt").is_some()) {
            let id = match trailer.get(b"ID") {
                Some(Obj::Array(ids)) => match ids.first() {
                    Some(Obj::String(s)) => s.clone(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let dict = match trailer.get(b"Encrypt") {
                Some(Obj::Ref(n)) => {
                    encrypt_object = Some(*n);
                    found
                        .iter()
                        .rev()
                        .find(|(m, _, _)| m == n)
                        .map(|(_, _, e)| &e.value)
                }
                other => other,
            };
            doc.crypt = match dict {
                Some(Obj::Dict(d)) => crypt::Crypt::open(d, &id),
                _ => None,
            };
            doc.locked = doc.crypt.is_none();
        }
        for (number, _, mut entry) in found {
            if let Some(c) = &doc.crypt
                && Some(number) != encrypt_object
                && !is_type(&entry.value, b"XRef")
            {
                decrypt_strings(&mut entry.value, c, number, entry.generation, 0);
            }
            let is_object_stream = is_type(&entry.value, b"ObjStm");
            doc.objects.insert(number, entry);
            if is_object_stream {
                doc.unpack(number);
            }
        }
        doc
    }

    /// Takes the objects packed in the object stream `number`.
    fn unpack(&mut self, number: u32) {
        let entry = &self.objects[&number];
        let Obj::Dict(dict) = &entry.value else {
            return;
        };
        let count = dict.get(b"N").and_then(Obj::number).unwrap_or(0.0) as usize;
        let first = dict.get(b"First").and_then(Obj::number).unwrap_or(0.0) as usize;
        let Some(data) = self.stream_data(number, entry) else {
            return;
        };
        let mut header = Lexer::new(&data[..first.min(data.len())]);
        let mut pairs = Vec::new();
        for _ in 0..count.min(100_000) {
            match (header.token(), header.token()) {
                (Some(Token::Number(n)), Some(Token::Number(offset))) => {
                    pairs.push((n as u32, first.saturating_add(offset as usize)))
                }
                _ => break,
            }
        }
        for (n, offset) in pairs {
            if let Some(value) = data.get(offset..).and_then(parse_value) {
                self.objects.insert(
                    n,
                    Entry {
                        value,
                        stream: None,
                        generation: 0,
                        packed: true,
                    },
                );
            }
        }
    }

    /// The decoded data of the stream object `number` (`entry`): none if
    /// a filter is one vinn does not decode.
    fn stream_data(&self, number: u32, entry: &Entry) -> Option<Vec<u8>> {
        match self.decode(number, entry)? {
            (data, None) => Some(data),
            (_, Some(_)) => None,
        }
    }

    /// A stream's data with the filters vinn decodes undone, up to the
    /// first it does not, which is named beside it (`DCTDecode`: a JPEG
    /// file's bytes).
    fn decode(&self, number: u32, entry: &Entry) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
        let raw = self.b.get(entry.stream.clone()?)?;
        let value = &entry.value;
        let filters = self.filters(value)?;
        // Cross-reference streams are never encrypted; the XMP packet only
        // when the file says so.
        let mut data = match &self.crypt {
            Some(c)
                if !entry.packed
                    && !is_type(value, b"XRef")
                    && (c.metadata || !is_type(value, b"Metadata")) =>
            {
                c.stream(number, entry.generation, raw)?
            }
            _ => raw.to_vec(),
        };
        for filter in filters {
            data = match filter.as_slice() {
                b"FlateDecode" | b"Fl" => {
                    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&data, INFLATE_LIMIT)
                        .ok()?
                }
                _ => return Some((data, Some(filter))),
            };
        }
        Some((data, None))
    }

    /// The document properties its objects hold: every dictionary's
    /// naming keys (an information dictionary is one without a `/Type`),
    /// and the metadata streams.
    fn properties(&self) -> Properties {
        let mut numbers: Vec<&u32> = self.objects.keys().collect();
        numbers.sort_unstable();
        let mut out = Properties::default();
        for n in numbers {
            let entry = &self.objects[n];
            if is_type(&entry.value, b"Metadata") {
                out.xmp.extend(self.stream_data(*n, entry));
            } else if let Obj::Dict(d) = &entry.value {
                for key in [
                    &b"Author"[..],
                    b"Company",
                    b"Title",
                    b"Subject",
                    b"Keywords",
                ] {
                    if let Some(Obj::String(v)) = d.get(key) {
                        out.info.push((key.to_vec(), v.clone()));
                    }
                }
            }
        }
        out
    }

    /// The files attached to the document (embedded file streams, from
    /// the file specifications that name them), decoded, with their names.
    fn attachments(&self) -> Vec<(String, Vec<u8>)> {
        fn specs<'o>(obj: &'o Obj, depth: usize, out: &mut Vec<&'o Dict>) {
            if depth > MAX_DEPTH {
                return;
            }
            match obj {
                Obj::Dict(d) => {
                    if d.get(b"EF").is_some() {
                        out.push(d);
                    }
                    for (_, v) in &d.0 {
                        specs(v, depth + 1, out);
                    }
                }
                Obj::Array(items) => items.iter().for_each(|v| specs(v, depth + 1, out)),
                _ => {}
            }
        }
        // By object number: of two specifications naming one file, the
        // first names it, whatever the map's order.
        let mut numbers: Vec<&u32> = self.objects.keys().collect();
        numbers.sort_unstable();
        let mut found = Vec::new();
        for n in numbers {
            specs(&self.objects[n].value, 0, &mut found);
        }
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut total = 0;
        for spec in found {
            let name = [&b"UF"[..], b"F"]
                .iter()
                .find_map(|k| spec.get(k).and_then(|n| self.string(n)))
                .map(|n| text_string(&n))
                .unwrap_or_default();
            let Some(files) = spec.get(b"EF").and_then(|ef| self.dict(ef)) else {
                continue;
            };
            let Some(file @ Obj::Ref(n)) = files.get(b"UF").or_else(|| files.get(b"F")) else {
                continue;
            };
            // One file, however many specifications name it.
            if seen.insert(*n)
                && let Some(data) = self.stream(file)
            {
                total += data.len();
                if total > TOTAL_LIMIT {
                    break;
                }
                out.push((name, data));
            }
        }
        out.sort();
        out
    }

    /// The filters of the stream whose dictionary is `value`, in order.
    fn filters(&self, value: &Obj) -> Option<Vec<Vec<u8>>> {
        let Obj::Dict(dict) = value else {
            return None;
        };
        Some(match dict.get(b"Filter").map(|f| self.resolve(f)) {
            None | Some(Obj::Null) => Vec::new(),
            Some(Obj::Name(n)) => vec![n.clone()],
            Some(Obj::Array(list)) => list
                .iter()
                .filter_map(|f| self.resolve(f).name().map(<[u8]>::to_vec))
                .collect(),
            Some(_) => return None,
        })
    }

    /// What the photos embedded as JPEG or JPEG 2000 files say about where
    /// they were taken and who took them (browsers, Word and Ghostscript
    /// embed a JPEG as it is, its EXIF block and all), and the names
    /// behind them.
    fn pictures(&self) -> (Vec<MetaFinding>, Vec<(&'static str, String)>) {
        let mut found = Vec::new();
        let mut names = Vec::new();
        for (number, entry) in &self.objects {
            let Obj::Dict(dict) = &entry.value else {
                continue;
            };
            if entry.stream.is_none() || dict.get(b"Subtype").and_then(Obj::name) != Some(b"Image")
            {
                continue;
            }
            // (An image of pixels is not inflated to find that out.)
            let is_file =
                |f: &Vec<u8>| matches!(f.as_slice(), b"DCTDecode" | b"DCT" | b"JPXDecode");
            if !self
                .filters(&entry.value)
                .is_some_and(|f| f.iter().any(is_file))
            {
                continue;
            }
            if let Some((bytes, Some(filter))) = self.decode(*number, entry)
                && is_file(&filter)
            {
                let meta = metadata::scan(&bytes);
                found.extend(meta.found);
                names.extend(meta.names);
            }
        }
        found.sort();
        found.dedup();
        (found, names)
    }

    /// `obj`, with a reference followed to its object (a chain of them up
    /// to [`MAX_DEPTH`]); a missing object is null.
    pub fn resolve<'o>(&'o self, mut obj: &'o Obj) -> &'o Obj {
        for _ in 0..MAX_DEPTH {
            match obj {
                Obj::Ref(n) => match self.objects.get(n) {
                    Some(entry) => obj = &entry.value,
                    None => return &Obj::Null,
                },
                _ => return obj,
            }
        }
        &Obj::Null
    }

    pub fn dict<'o>(&'o self, obj: &'o Obj) -> Option<&'o Dict> {
        match self.resolve(obj) {
            Obj::Dict(d) => Some(d),
            _ => None,
        }
    }

    pub fn array<'o>(&'o self, obj: &'o Obj) -> &'o [Obj] {
        match self.resolve(obj) {
            Obj::Array(a) => a,
            _ => &[],
        }
    }

    pub fn number(&self, obj: &Obj) -> Option<f64> {
        self.resolve(obj).number()
    }

    pub fn string(&self, obj: &Obj) -> Option<Vec<u8>> {
        match self.resolve(obj) {
            Obj::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The decoded data of the stream `obj` refers to.
    pub fn stream(&self, obj: &Obj) -> Option<Vec<u8>> {
        let Obj::Ref(n) = obj else {
            return None;
        };
        let entry = self.objects.get(n)?;
        self.stream_data(*n, entry)
    }

    /// The pages in the order of the page tree from the catalog (each with
    /// the resources it inherits); without a tree, every page object by
    /// number.
    fn pages(&self) -> Vec<Page> {
        let mut pages = Vec::new();
        if let Some(root) = self.catalog().and_then(|c| c.get(b"Pages")) {
            let mut seen = HashSet::new();
            self.walk(root, None, 0, &mut seen, &mut pages);
        }
        if pages.is_empty() {
            let mut numbers: Vec<u32> = self
                .objects
                .iter()
                .filter(|(_, e)| is_type(&e.value, b"Page"))
                .map(|(n, _)| *n)
                .collect();
            numbers.sort_unstable();
            for n in numbers {
                if let Some(dict) = self.dict(&self.objects[&n].value) {
                    pages.push(Page {
                        dict: dict.clone(),
                        resources: dict.get(b"Resources").cloned(),
                    });
                }
            }
        }
        pages
    }

    /// The document catalog (the newest, by number).
    fn catalog(&self) -> Option<&Dict> {
        let catalog = self
            .objects
            .iter()
            .filter(|(_, e)| is_type(&e.value, b"Catalog"))
            .max_by_key(|(n, _)| **n)?;
        self.dict(&catalog.1.value)
    }

    /// The titles of the document's bookmarks (its outline), in order.
    fn bookmarks(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut next = self
            .catalog()
            .and_then(|c| c.get(b"Outlines"))
            .and_then(|o| self.dict(o))
            .and_then(|o| o.get(b"First"))
            .cloned();
        // Depth first: an item, its children, then its next sibling
        // (a stack of the siblings still to come).
        let mut stack: Vec<Obj> = Vec::new();
        while let Some(item) = next.take().or_else(|| stack.pop()) {
            if let Obj::Ref(n) = item
                && !seen.insert(n)
            {
                continue;
            }
            if out.len() >= 100_000 {
                break;
            }
            let Some(d) = self.dict(&item) else {
                continue;
            };
            if let Some(title) = d.get(b"Title").and_then(|t| self.string(t)) {
                out.push(text_string(&title));
            }
            if let Some(sibling) = d.get(b"Next") {
                stack.push(sibling.clone());
            }
            next = d.get(b"First").cloned();
        }
        out
    }

    /// Collects the pages under the page tree node `node`.
    fn walk(
        &self,
        node: &Obj,
        inherited: Option<&Obj>,
        depth: usize,
        seen: &mut HashSet<u32>,
        pages: &mut Vec<Page>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Obj::Ref(n) = node
            && !seen.insert(*n)
        {
            return;
        }
        let Some(dict) = self.dict(node) else {
            return;
        };
        let resources = dict.get(b"Resources").or(inherited);
        match dict.get(b"Kids") {
            Some(kids) => {
                for kid in self.array(kids) {
                    self.walk(kid, resources, depth + 1, seen, pages);
                }
            }
            None => pages.push(Page {
                dict: dict.clone(),
                resources: resources.cloned(),
            }),
        }
    }

    /// The decoded content streams of a page, in order: None for one vinn
    /// cannot decode.
    fn contents(&self, page: &Dict) -> Vec<Option<Vec<u8>>> {
        match page.get(b"Contents") {
            None => Vec::new(),
            Some(c @ Obj::Ref(_)) if matches!(self.resolve(c), Obj::Array(_)) => {
                self.array(c).iter().map(|s| self.stream(s)).collect()
            }
            Some(Obj::Array(list)) => list.iter().map(|s| self.stream(s)).collect(),
            Some(one) => vec![self.stream(one)],
        }
    }
}

/// Every `N G obj` in the file in order, with the number, where it
/// starts, and its value and stream (streams' data is skipped, not read
/// for objects).
fn top_level_objects(b: &[u8]) -> Vec<(u32, usize, Entry)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&b[from..], b"obj") {
        let keyword = from + at;
        from = keyword + 3;
        if b.get(from)
            .is_some_and(|&c| !is_space(c) && !is_delimiter(c))
        {
            continue;
        }
        let Some((number, generation)) = object_number(&b[..keyword]) else {
            continue;
        };
        let mut lx = Lexer::new(b);
        lx.at = from;
        let Some(value) = value(&mut lx, 0) else {
            continue;
        };
        let mut stream = None;
        let save = lx.at;
        if let Some(Token::Word(b"stream")) = lx.token() {
            let data = match &b[lx.at..] {
                [b'\r', b'\n', ..] => lx.at + 2,
                [b'\n', ..] | [b'\r', ..] => lx.at + 1,
                _ => lx.at,
            };
            let length = match &value {
                Obj::Dict(d) => d.get(b"Length").and_then(Obj::number),
                _ => None,
            };
            let end = length
                .map(|l| data.saturating_add(l as usize))
                .filter(|&end| {
                    end <= b.len() && find(&b[end..b.len().min(end + 32)], b"endstream").is_some()
                })
                .or_else(|| find(&b[data..], b"endstream").map(|e| data + e))
                .unwrap_or(b.len());
            stream = Some(data..end);
            from = end;
        } else {
            lx.at = save;
            from = from.max(lx.at);
        }
        out.push((
            number,
            keyword,
            Entry {
                value,
                stream,
                generation,
                packed: false,
            },
        ));
    }
    out
}

/// Whether `value` is a dictionary of `/Type` `kind`.
fn is_type(value: &Obj, kind: &[u8]) -> bool {
    matches!(value, Obj::Dict(d) if d.get(b"Type").and_then(Obj::name) == Some(kind))
}

/// Decrypts every string in `value`, of object `number`.
fn decrypt_strings(value: &mut Obj, c: &crypt::Crypt, number: u32, generation: u16, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Obj::String(s) => {
            if let Some(plain) = c.string(number, generation, s) {
                *s = plain;
            }
        }
        Obj::Array(items) => {
            for item in items {
                decrypt_strings(item, c, number, generation, depth + 1);
            }
        }
        Obj::Dict(d) => {
            for (_, item) in &mut d.0 {
                decrypt_strings(item, c, number, generation, depth + 1);
            }
        }
        _ => {}
    }
}

/// The object number and generation before ` obj` at the end of
/// `before`, if that is what ends it.
fn object_number(before: &[u8]) -> Option<(u32, u16)> {
    let mut i = before.len();
    let digits = |i: &mut usize| {
        let end = *i;
        while *i > 0 && is_space(before[*i - 1]) {
            *i -= 1;
        }
        let spaced = *i < end;
        let last = *i;
        while *i > 0 && before[*i - 1].is_ascii_digit() {
            *i -= 1;
        }
        (spaced && *i < last).then_some(*i..last)
    };
    let generation = digits(&mut i)?;
    let number = digits(&mut i)?;
    let read = |r: std::ops::Range<usize>| std::str::from_utf8(&before[r]).ok();
    Some((
        read(number)?.parse().ok()?,
        read(generation)?.parse().unwrap_or(0),
    ))
}

#[cfg(test)]
mod tests;
