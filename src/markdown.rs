//! Markdown: one page body from pulldown-cmark events to HTML, with the
//! extras vinn adds on the way — stable æøå-safe heading ids with anchor
//! links, a table of contents, internal links rewritten through a
//! [`LinkResolver`] (in headings too), interactive checklist items with
//! stable ids, callouts, scrollable tables, images with their size,
//! footnotes with ids of their own and a way back, quizzes (`quiz.rs` reads
//! their blocks), no id twice nor one the default theme's templates use,
//! and the plain text used for summaries, reading time and search (a
//! quiz's text kept out of the summary). HTML comments are left out of the
//! HTML (they are the author's notes, and the anonymization guard's
//! `vinn:allow` markers).

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::sync::Arc;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use crate::content::slug::slugify;

mod quiz;
pub use quiz::QuizLabels;

/// What the renderer needs to know about links; the site model implements it.
pub trait LinkResolver: Sync {
    /// Resolves the destination of a link or image written in the page
    /// (a heading on the same page, `#…`, too: its fragment may be
    /// rewritten to the heading's id).
    fn resolve(&self, href: &str) -> Resolved;
    /// Width and height of a local image, when it can be read.
    fn image_size(&self, _href: &str) -> Option<(u32, u32)> {
        None
    }
}

/// The outcome of resolving one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Leave the link as written (external, mailto, …).
    Keep,
    /// Write this href instead (an asset, a section).
    Rewrite(String),
    /// A link to another page: the new href, the target's key and anchor,
    /// so the site can check the anchor once every page is rendered.
    Page {
        href: String,
        target: String,
        anchor: Option<String>,
    },
    /// The target does not exist; the message says what is wrong.
    Missing(String),
    /// The target exists but is held back by errors of its own (reported
    /// at it): a warning here, as the link works once they are fixed.
    Held(String),
}

/// Labels the renderer writes into the HTML, from the UI translation table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    pub note: String,
    pub tip: String,
    pub important: String,
    pub warning: String,
    pub caution: String,
    pub anchor: String,
    pub table: String,
    /// A footnote's link back to where it was read.
    pub footnote_back: String,
    pub quiz: QuizLabels,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// One checklist item: its stable id survives reordering and edits of
/// other items, since it is derived from the item's own text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct TaskItem {
    pub id: String,
    pub text: String,
    pub checked: bool,
    pub depth: usize,
    pub line: usize,
}

/// A link from this page to another page (or `#anchor` in itself, with an
/// empty target), to be checked when every page's headings are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    pub target: String,
    pub anchor: Option<String>,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// The text without markup, shared with the search index.
    pub plain: Arc<str>,
    pub words: usize,
    pub summary: String,
    pub tasks: Vec<TaskItem>,
    pub links: Vec<PageLink>,
    /// Problems found while rendering: (line, col, message).
    pub problems: Vec<(usize, usize, String)>,
    /// Warnings found while rendering: (line, col, message).
    pub warnings: Vec<(usize, usize, String)>,
}

/// The pulldown-cmark extensions vinn's Markdown has (tables, footnotes,
/// strikethrough, task lists, heading attributes, GFM callouts); the
/// benchmark's floor parses with the same.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Maps byte offsets in the body to 1-based file lines and columns.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines {
            text,
            starts,
            first_line,
        }
    }
    fn at(&self, offset: usize) -> (usize, usize) {
        let idx = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[idx];
        let end = offset.min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (self.first_line + idx, col)
    }
}

/// A stable id for a checklist item from its text: FNV-1a (32 bits: short,
/// stable across builds and platforms) of the text lowercased, its words
/// joined by single spaces.
pub fn task_id(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    let mut feed = |b: u8| {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    };
    if text.contains('Σ') {
        // Lowercasing a whole string turns a final capital sigma into ς:
        // the one mapping that depends on the characters around it.
        let norm = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        norm.bytes().for_each(&mut feed);
    } else {
        // Character by character, which is the same for every other text.
        let (mut started, mut space) = (false, false);
        for c in text.chars() {
            if c.is_whitespace() {
                space = started;
                continue;
            }
            if std::mem::take(&mut space) {
                feed(b' ');
            }
            started = true;
            if c.is_ascii() {
                feed(c.to_ascii_lowercase() as u8);
            } else {
                for l in c.to_lowercase() {
                    l.encode_utf8(&mut [0; 4]).bytes().for_each(&mut feed);
                }
            }
        }
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..8)
        .map(|i| char::from(HEX[(h >> (28 - 4 * i)) as usize & 15]))
        .collect()
}

/// Renders one Markdown body. `first_line` is the body's first line in the
/// file, so positions in problems and links are file positions.
///
/// The events stream from the parser to the HTML writer through
/// a `Transform`; only the few events a heading, image or checklist label
/// needs to look ahead at are held at a time (a page's whole event list was
/// up to ~100 KB of fresh memory per page).
pub fn render(
    body: &str,
    first_line: usize,
    resolver: &dyn LinkResolver,
    labels: &Labels,
) -> Rendered {
    let mut out = Rendered::default();
    let mut html = String::with_capacity(body.len() * 3 / 2);
    // The text without markup is shorter than the Markdown: room for it
    // all at once (it is copied into a block of its size below).
    let mut plain = String::with_capacity(body.len());
    let quiz_spans;
    {
        let transform = Transform {
            parser: Parser::new_ext(body, options()).into_offset_iter(),
            ahead: VecDeque::new(),
            taken: 0,
            pending: VecDeque::new(),
            done: false,
            lines: Lines::new(body, first_line),
            resolver,
            labels,
            out: &mut out,
            plain: &mut plain,
            used_ids: HashMap::new(),
            footnotes: HashMap::new(),
            open_footnotes: Vec::new(),
            quiz_spans: Vec::new(),
            task_ids: HashMap::new(),
            list_depth: 0,
            in_first_para: true,
            close_label_at: Vec::new(),
            in_comment: false,
            tables: 0,
        };
        let mut transform = transform;
        pulldown_cmark::html::push_html(&mut html, transform.by_ref());
        quiz_spans = std::mem::take(&mut transform.quiz_spans);
    }
    out.words = count_words(&plain);
    if out.summary.is_empty() {
        out.summary = summarize(&without(&plain, &quiz_spans));
    }
    // The model keeps every page's text for the whole build: copy it into
    // blocks of its size. (`shrink_to_fit` is not enough: an allocator may
    // keep a block that is still at least half used, and the growing
    // buffers were up to half empty — ~90 MB at 10 000 pages.)
    out.html = html.as_str().to_owned();
    out.plain = Arc::from(plain.as_str());
    out
}

/// The parser's events on their way to the HTML writer, with vinn's extras
/// (see the module doc) and the page's text, headings, tasks and links
/// gathered into `out`.
struct Transform<'a, 'r> {
    parser: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    /// Events read from the parser but not yet taken.
    ahead: VecDeque<(Event<'a>, std::ops::Range<usize>)>,
    /// How many events have been taken: the index of the next one.
    taken: usize,
    /// Events ready for the writer.
    pending: VecDeque<Event<'a>>,
    done: bool,
    lines: Lines<'a>,
    resolver: &'r dyn LinkResolver,
    labels: &'r Labels,
    out: &'r mut Rendered,
    /// The plain text so far.
    plain: &'r mut String,
    used_ids: HashMap<String, usize>,
    task_ids: HashMap<String, usize>,
    list_depth: usize,
    in_first_para: bool,
    /// Indices of the events before which a checklist label closes.
    close_label_at: Vec<usize>,
    /// Inside an HTML comment that began in an earlier event.
    in_comment: bool,
    /// Tables so far: each one's region is named apart ("Tabell 2").
    tables: usize,
    /// Each footnote's number, id and references so far, by its name.
    footnotes: HashMap<String, Footnote>,
    /// The footnote definitions open (one, unless nested).
    open_footnotes: Vec<String>,
    /// Where the quizzes' text lies in `plain` (kept out of the summary:
    /// it would give the answers away in listings and link previews).
    quiz_spans: Vec<std::ops::Range<usize>>,
}

/// A footnote: its number (in order of first mention), its definition's
/// id (`fn-NAME`), and how many references to it came so far.
struct Footnote {
    n: usize,
    id: String,
    refs: usize,
    /// The id of its first reference, once there is one.
    back: Option<String>,
}

/// The id of a footnote's first reference, from its definition's id:
/// `fn-kilde` → `fnref-kilde`.
fn back_id(id: &str) -> String {
    format!("fnref-{}", id.strip_prefix("fn-").unwrap_or(id))
}

/// The ids the default theme's templates give elements around a page's
/// body: a heading or footnote never takes one (a heading "Main" gets
/// `main-1`), so `#main`, the skip link's target, stays the theme's.
pub const THEME_IDS: &[&str] = &[
    "main",
    "site-nav",
    "vinn-q",
    "vinn-results",
    "vinn-page-q",
    "vinn-page-results",
    "vinn-page-kind",
    "vinn-page-topic",
    "vinn-share",
    "read-also-title",
    "case-facts-title",
    "lessons-title",
    "topics-title",
    "newest-title",
    "hero-title",
    "courses-title",
    "insight-summary-title",
    "insight-download",
    "insight-download-heading",
    "insight-actions",
    "insight-actions-heading",
];

impl<'a> Transform<'a, '_> {
    /// `html` without its comments, or the parts of them in it (a comment
    /// in an HTML block can span its lines, one event each).
    fn without_comments(&mut self, html: &str) -> String {
        let mut kept = String::new();
        let mut rest = html;
        loop {
            if self.in_comment {
                let Some(end) = rest.find("-->") else {
                    return kept;
                };
                rest = &rest[end + 3..];
                self.in_comment = false;
            }
            let Some(start) = rest.find("<!--") else {
                kept.push_str(rest);
                return kept;
            };
            kept.push_str(&rest[..start]);
            rest = &rest[start + 4..];
            self.in_comment = true;
        }
    }

    /// The `k`th event after the next one to be taken, read as needed.
    fn peek(&mut self, k: usize) -> Option<&Event<'a>> {
        while self.ahead.len() <= k {
            let e = self.parser.next()?;
            self.ahead.push_back(e);
        }
        self.ahead.get(k).map(|(e, _)| e)
    }

    fn take(&mut self) -> Option<(Event<'a>, std::ops::Range<usize>)> {
        let e = match self.ahead.pop_front() {
            Some(e) => e,
            None => self.parser.next()?,
        };
        self.taken += 1;
        Some(e)
    }

    /// Handles one event, queueing what the writer gets for it.
    fn step(&mut self, ev: Event<'a>, range: std::ops::Range<usize>) {
        let out = &mut *self.out;
        match ev {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                // Gather the heading's inline events and text.
                let mut text = String::new();
                let mut inner: Vec<Event> = Vec::new();
                while let Some((e, at)) = self.take() {
                    let e = match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(ref t) | Event::Code(ref t) => {
                            text.push_str(t);
                            e
                        }
                        // A link in a heading is resolved and checked as
                        // any other.
                        e => with_resolved(e, at.start, &self.lines, self.resolver, self.out),
                    };
                    inner.push(e);
                }
                let out = &mut *self.out;
                let lvl = heading_level(level);
                let base = match id {
                    Some(custom) => crate::content::slug::anchor_id(&custom).into_owned(),
                    None => {
                        let s = slugify(&text);
                        if s.is_empty() {
                            "seksjon".to_string()
                        } else {
                            s
                        }
                    }
                };
                let id = unique_id(&mut self.used_ids, base);
                // The tags are put together piece by piece: a heading is
                // one of the commonest events that becomes HTML here.
                let digit = char::from(b'0' + lvl);
                let mut open = String::with_capacity(16 + id.len());
                open.push_str("<h");
                open.push(digit);
                open.push_str(" id=\"");
                escape_into(&mut open, &id);
                open.push('"');
                if !classes.is_empty() {
                    open.push_str(" class=\"");
                    escape_into(&mut open, &classes.join(" "));
                    open.push('"');
                }
                open.push('>');
                self.pending.push_back(Event::Html(open.into()));
                self.pending.extend(inner);
                let title = text.trim();
                let mut close =
                    String::with_capacity(64 + id.len() + self.labels.anchor.len() + title.len());
                close.push_str(" <a class=\"anchor\" href=\"#");
                escape_into(&mut close, &id);
                close.push_str("\" aria-label=\"");
                escape_into(&mut close, &self.labels.anchor);
                close.push_str(": ");
                escape_into(&mut close, title);
                close.push_str("\">#</a></h");
                close.push(digit);
                close.push_str(">\n");
                self.pending.push_back(Event::Html(close.into()));
                push_plain(self.plain, &text);
                self.plain.push('\n');
                out.headings.push(Heading {
                    level: lvl,
                    id,
                    title: text.trim().to_string(),
                });
            }
            Event::Start(Tag::Link { .. }) => {
                let e = with_resolved(ev, range.start, &self.lines, self.resolver, out);
                self.pending.push_back(e);
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let size = self.resolver.image_size(&dest_url);
                let src = resolve_href(&dest_url, range.start, &self.lines, self.resolver, out);
                let alt = image_alt(std::iter::from_fn(|| self.take().map(|(e, _)| e)));
                let tag = img_tag(&src, &alt, &title, size);
                self.pending.push_back(Event::InlineHtml(tag.into()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                break_plain(self.plain);
                let (class, label) = callout(kind, self.labels);
                self.pending.push_back(Event::Html(
                    format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{}</p>\n", escape(label)).into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.pending.push_back(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if info.split_whitespace().next() == Some("quiz") =>
            {
                self.quiz(range.start);
            }
            // Footnotes get ids of their own (`fn-NAME`, not `NAME`, which a
            // heading may have) and a way back to where they were read.
            Event::FootnoteReference(name) => {
                let f = self.footnote(&name);
                f.refs += 1;
                let (n, id, k, first) = (f.n, f.id.clone(), f.refs, f.back.clone());
                // Its id, as any other, is one no heading has.
                let back = unique_id(
                    &mut self.used_ids,
                    match &first {
                        None => back_id(&id),
                        Some(first) => format!("{first}-{k}"),
                    },
                );
                if first.is_none() {
                    self.footnote(&name).back = Some(back.clone());
                }
                let mut tag = String::with_capacity(80 + 2 * id.len());
                tag.push_str("<sup class=\"footnote-reference\"><a href=\"#");
                escape_into(&mut tag, &id);
                tag.push_str("\" id=\"");
                escape_into(&mut tag, &back);
                let _ = write!(tag, "\">{n}</a></sup>");
                self.pending.push_back(Event::InlineHtml(tag.into()));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let f = self.footnote(&name);
                let (n, id) = (f.n, f.id.clone());
                let mut tag = String::with_capacity(80 + id.len());
                tag.push_str("<div class=\"footnote-definition\" id=\"");
                escape_into(&mut tag, &id);
                let _ = write!(tag, "\"><sup class=\"footnote-definition-label\">{n}</sup>");
                self.pending.push_back(Event::Html(tag.into()));
                self.open_footnotes.push(name.to_string());
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let mut tag = String::new();
                if let Some(back) = self
                    .open_footnotes
                    .pop()
                    .and_then(|n| self.footnotes.get(&n))
                    .and_then(|f| f.back.as_ref())
                {
                    tag.push_str("<a class=\"footnote-back\" href=\"#");
                    escape_into(&mut tag, back);
                    tag.push_str("\" aria-label=\"");
                    escape_into(&mut tag, &self.labels.footnote_back);
                    tag.push_str("\">↩</a>");
                }
                tag.push_str("</div>\n");
                self.pending.push_back(Event::Html(tag.into()));
            }
            Event::Start(Tag::Table(_)) => {
                let open = self.table_open();
                self.pending.push_back(Event::Html(open.into()));
                self.pending.push_back(ev);
            }
            Event::End(TagEnd::Table) => {
                self.pending.push_back(ev);
                self.pending.push_back(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::List(_)) => {
                // A list in a tight item follows its text with no break:
                // its words must not run into the item's.
                break_plain(self.plain);
                self.list_depth += 1;
                self.pending.push_back(ev);
            }
            Event::Start(Tag::BlockQuote(None)) => {
                break_plain(self.plain);
                self.pending.push_back(ev);
            }
            Event::End(TagEnd::List(_)) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.pending.push_back(ev);
            }
            Event::TaskListMarker(checked) => {
                // The label runs to the end of the item's first block.
                let mut k = 0;
                let mut text = String::new();
                let mut depth = 0i32;
                while let Some(e) = self.peek(k) {
                    match e {
                        Event::Start(Tag::List(_)) if depth == 0 => break,
                        Event::End(TagEnd::Item) | Event::End(TagEnd::Paragraph) if depth == 0 => {
                            break;
                        }
                        Event::Start(_) => depth += 1,
                        Event::End(_) => depth -= 1,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        Event::SoftBreak | Event::HardBreak => text.push(' '),
                        _ => {}
                    }
                    k += 1;
                }
                let text = text.trim().to_string();
                let mut id = task_id(&text);
                let n = self.task_ids.entry(id.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    id = format!("{id}-{n}");
                }
                let (line, _) = self.lines.at(range.start);
                let mut input = String::with_capacity(80 + 3 * id.len());
                input.push_str("<input type=\"checkbox\" class=\"task\" id=\"t-");
                input.push_str(&id);
                input.push_str("\" data-task=\"");
                input.push_str(&id);
                input.push('"');
                if checked {
                    input.push_str(" checked");
                }
                input.push_str("> <label for=\"t-");
                input.push_str(&id);
                input.push_str("\">");
                self.pending.push_back(Event::InlineHtml(input.into()));
                // `taken` is already past this marker: the closing event is
                // `k` further on.
                self.close_label_at.push(self.taken + k);
                self.out.tasks.push(TaskItem {
                    id,
                    text,
                    checked,
                    depth: self.list_depth.saturating_sub(1),
                    line,
                });
            }
            // An HTML comment is the author's note to themselves (and
            // `<!-- vinn:allow "…" -->` names what the anonymization guard
            // let through): it stays in the source, not in the page.
            Event::Html(ref t) | Event::InlineHtml(ref t)
                if self.in_comment || t.contains("<!--") =>
            {
                let kept = self.without_comments(t);
                if !kept.trim().is_empty() {
                    self.pending.push_back(match ev {
                        Event::Html(_) => Event::Html(kept.into()),
                        _ => Event::InlineHtml(kept.into()),
                    });
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                self.in_comment = false;
                self.pending.push_back(ev);
            }
            Event::End(TagEnd::Paragraph) => {
                self.in_comment = false;
                if self.in_first_para && !self.plain.trim().is_empty() && out.summary.is_empty() {
                    out.summary = summarize(&without(self.plain, &self.quiz_spans));
                    self.in_first_para = false;
                }
                self.plain.push('\n');
                self.pending.push_back(ev);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                push_plain(self.plain, t);
                self.pending.push_back(ev);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.plain.push(' ');
                self.pending.push_back(ev);
            }
            Event::End(TagEnd::Item)
            | Event::End(TagEnd::TableCell)
            | Event::End(TagEnd::CodeBlock) => {
                self.plain.push('\n');
                self.pending.push_back(ev);
            }
            _ => self.pending.push_back(ev),
        }
    }
}

impl<'a> Transform<'a, '_> {
    /// The footnote called `name`, numbered at its first mention.
    fn footnote(&mut self, name: &str) -> &mut Footnote {
        let next = self.footnotes.len() + 1;
        let used = &mut self.used_ids;
        self.footnotes
            .entry(name.to_string())
            .or_insert_with(|| Footnote {
                n: next,
                // `[^første note]`: no space in an id.
                id: unique_id(
                    used,
                    format!(
                        "fn-{}",
                        name.split_whitespace().collect::<Vec<_>>().join("-")
                    ),
                ),
                refs: 0,
                back: None,
            })
    }

    /// A `quiz` block (the fence opened at body offset `fence`): its lines
    /// read into questions (see [`quiz`]), each piece rendered as Markdown
    /// with its links resolved at their places, its text added to the
    /// page's, and the questions written as one HTML block.
    fn quiz(&mut self, fence: usize) {
        let mut lines: Vec<(CowStr<'a>, usize)> = Vec::new();
        while let Some((e, range)) = self.take() {
            match e {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => lines.push((t, range.start)),
                _ => {}
            }
        }
        let split = lines.iter().flat_map(|(t, at)| {
            let mut from = 0;
            t.split_inclusive('\n').map(move |l| {
                let start = *at + from;
                from += l.len();
                (l.trim_end_matches(['\n', '\r']), start)
            })
        });
        let (questions, problems) = quiz::parse(split);
        for (at, msg) in problems {
            let (line, col) = self.lines.at(if at == 0 { fence } else { at });
            self.out.problems.push((line, col, msg));
        }
        let span_start = self.plain.len();
        let mut rendered = Vec::with_capacity(questions.len());
        for q in &questions {
            let mark = self.plain.len();
            let text = self.quiz_piece(&q.text, false);
            let id = unique_id(
                &mut self.used_ids,
                format!("quiz-{}", task_id(&self.plain[mark..])),
            );
            self.plain.push('\n');
            // The right answers are named again with the explanation, as
            // text (their HTML twice would repeat its ids and scripts).
            let mut right = String::new();
            let choices: Vec<(bool, String)> = q
                .choices
                .iter()
                .map(|c| {
                    let from = self.plain.len();
                    let html = self.quiz_piece(&c.text, false);
                    if c.right {
                        if !right.is_empty() {
                            right.push_str(" · ");
                        }
                        escape_into(&mut right, self.plain[from..].trim());
                    }
                    self.plain.push('\n');
                    (c.right, html)
                })
                .collect();
            let why = self.quiz_piece(&q.why, true);
            rendered.push((id, text, choices, right, why));
        }
        self.quiz_spans.push(span_start..self.plain.len());
        let html: Vec<quiz::Html> = rendered
            .iter()
            .map(|(id, text, choices, right, why)| quiz::Html {
                id,
                text,
                choices,
                right,
                why,
            })
            .collect();
        let mut out = String::new();
        if !html.is_empty() {
            quiz::write(&mut out, &html, &self.labels.quiz);
        }
        self.pending.push_back(Event::Html(out.into()));
    }

    /// The scrolling region a table sits in, named apart from the page's
    /// other tables ("Tabell", "Tabell 2": landmarks need names of their own).
    fn table_open(&mut self) -> String {
        self.tables += 1;
        let label = match self.tables {
            1 => escape(&self.labels.table),
            n => format!("{} {n}", escape(&self.labels.table)),
        };
        format!("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">")
    }

    /// One piece of a quiz as HTML: its own paragraphs (`block`) or the
    /// inline content of its only one (a question or an answer: a start
    /// that would open a block is read as text). Links, images and tables
    /// come out as in the body.
    fn quiz_piece(&mut self, piece: &quiz::Piece, block: bool) -> String {
        let (text, escaped) = if block {
            (std::borrow::Cow::Borrowed(piece.text.as_str()), None)
        } else {
            quiz::inline_text(&piece.text)
        };
        // A place in `text` as a place in the body.
        let place = |at: usize| match escaped {
            Some(e) if at > e => piece.body_offset(at - 1),
            _ => piece.body_offset(at),
        };
        let mut events: Vec<Event> = Vec::new();
        let mut parser = Parser::new_ext(&text, options()).into_offset_iter();
        while let Some((e, range)) = parser.next() {
            let at = place(range.start);
            match e {
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) if !block => {}
                Event::Start(Tag::Link { .. }) => {
                    events.push(with_resolved(e, at, &self.lines, self.resolver, self.out));
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let size = self.resolver.image_size(&dest_url);
                    let src = resolve_href(&dest_url, at, &self.lines, self.resolver, self.out);
                    let alt = image_alt(parser.by_ref().map(|(e, _)| e));
                    events.push(Event::InlineHtml(img_tag(&src, &alt, &title, size).into()));
                }
                Event::Start(Tag::Table(_)) => {
                    events.push(Event::Html(self.table_open().into()));
                    events.push(e);
                }
                Event::End(TagEnd::Table) => {
                    events.push(e);
                    events.push(Event::Html("</div>\n".into()));
                }
                Event::Html(ref t) | Event::InlineHtml(ref t) if t.contains("<!--") => {}
                Event::Text(ref t) | Event::Code(ref t) => {
                    push_plain(self.plain, t);
                    events.push(e);
                }
                Event::SoftBreak | Event::HardBreak => {
                    self.plain.push(' ');
                    events.push(e);
                }
                Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                    self.plain.push('\n');
                    events.push(e);
                }
                _ => events.push(e),
            }
        }
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }
}

impl<'a> Iterator for Transform<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.pending.pop_front() {
                return Some(e);
            }
            if self.done {
                return None;
            }
            // Close a label before the event that ends it.
            if self.close_label_at.last() == Some(&self.taken) {
                self.close_label_at.pop();
                self.pending.push_back(Event::InlineHtml("</label>".into()));
            }
            match self.take() {
                Some((ev, range)) => self.step(ev, range),
                None => {
                    self.done = true;
                    for _ in self.close_label_at.drain(..) {
                        self.pending.push_back(Event::InlineHtml("</label>".into()));
                    }
                }
            }
        }
    }
}

/// `e` with the destination of the link or image it opens resolved (the
/// link at body offset `at`); any other event as it is.
fn with_resolved<'a>(
    e: Event<'a>,
    at: usize,
    lines: &Lines,
    resolver: &dyn LinkResolver,
    out: &mut Rendered,
) -> Event<'a> {
    match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: resolve_href(&dest_url, at, lines, resolver, out),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: resolve_href(&dest_url, at, lines, resolver, out),
            title,
            id,
        }),
        e => e,
    }
}

fn resolve_href<'a>(
    dest: &CowStr<'a>,
    offset: usize,
    lines: &Lines,
    resolver: &dyn LinkResolver,
    out: &mut Rendered,
) -> CowStr<'a> {
    let (line, col) = lines.at(offset);
    if let Some(anchor) = dest.strip_prefix('#') {
        out.links.push(PageLink {
            target: String::new(),
            anchor: Some(anchor.to_string()),
            line,
            col,
        });
        // `#første-del` as GitHub writes it goes to the heading's id.
        return match resolver.resolve(dest) {
            Resolved::Rewrite(h) => h.into(),
            _ => dest.clone(),
        };
    }
    match resolver.resolve(dest) {
        Resolved::Keep => dest.clone(),
        Resolved::Rewrite(h) => h.into(),
        Resolved::Page {
            href,
            target,
            anchor,
        } => {
            out.links.push(PageLink {
                target,
                anchor,
                line,
                col,
            });
            href.into()
        }
        Resolved::Missing(msg) => {
            out.problems.push((line, col, msg));
            dest.clone()
        }
        Resolved::Held(msg) => {
            out.warnings.push((line, col, msg));
            dest.clone()
        }
    }
}

fn callout(kind: BlockQuoteKind, labels: &Labels) -> (&'static str, &str) {
    match kind {
        BlockQuoteKind::Note => ("note", &labels.note),
        BlockQuoteKind::Tip => ("tip", &labels.tip),
        BlockQuoteKind::Important => ("important", &labels.important),
        BlockQuoteKind::Warning => ("warning", &labels.warning),
        BlockQuoteKind::Caution => ("caution", &labels.caution),
    }
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `base`, or `base-1`, `base-2` … where it is taken (by an id of this
/// body, or of the theme: [`THEME_IDS`]).
fn unique_id(used: &mut HashMap<String, usize>, base: String) -> String {
    let theme = THEME_IDS.contains(&base.as_str());
    let n = used.entry(base.clone()).or_insert(usize::from(theme));
    *n += 1;
    if *n == 1 {
        base
    } else {
        let id = format!("{base}-{}", *n - 1);
        used.insert(id.clone(), 1);
        id
    }
}

/// Ends the text so far with a line break, unless it ends with white space.
fn break_plain(plain: &mut String) {
    if plain
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_whitespace())
    {
        plain.push('\n');
    }
}

fn push_plain(plain: &mut String, t: &str) {
    plain.push_str(t);
}

/// The text's words joined by single spaces; past 200 characters, the
/// words that end before the 200th, then " …". Reads only as far as it needs.
/// An image's text (its `alt`): the text of the events up to the end of
/// the image just opened, which are taken.
fn image_alt<'e>(events: impl Iterator<Item = Event<'e>>) -> String {
    let mut alt = String::new();
    let mut nest = 0;
    for e in events {
        match e {
            Event::Start(Tag::Image { .. }) => nest += 1,
            Event::End(TagEnd::Image) if nest == 0 => break,
            Event::End(TagEnd::Image) => nest -= 1,
            Event::Text(t) | Event::Code(t) => alt.push_str(&t),
            _ => {}
        }
    }
    alt
}

/// An image's tag: its size where it is known (no shift as it loads),
/// loaded when it comes near.
fn img_tag(src: &str, alt: &str, title: &str, size: Option<(u32, u32)>) -> String {
    let mut tag = format!("<img src=\"{}\" alt=\"{}\"", escape(src), escape(alt));
    if !title.is_empty() {
        let _ = write!(tag, " title=\"{}\"", escape(title));
    }
    if let Some((w, h)) = size {
        let _ = write!(tag, " width=\"{w}\" height=\"{h}\"");
    }
    tag.push_str(" loading=\"lazy\" decoding=\"async\">");
    tag
}

/// `text` without the byte ranges `spans` (in order, apart).
fn without<'t>(text: &'t str, spans: &[std::ops::Range<usize>]) -> std::borrow::Cow<'t, str> {
    if spans.is_empty() {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in spans {
        out.push_str(&text[at..r.start]);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out.into()
}

fn summarize(plain: &str) -> String {
    const MAX: usize = 200;
    let mut text = String::with_capacity(MAX + 8);
    let mut chars = 0;
    let mut words = plain.split_whitespace().peekable();
    while let Some(w) = words.next() {
        let n = w.chars().count();
        let sep = usize::from(!text.is_empty());
        let end = chars + sep + n;
        if end > MAX || (end == MAX && words.peek().is_some()) {
            // A first word that is too long alone is cut inside.
            if text.is_empty() {
                text.extend(w.chars().take(MAX));
            }
            text.push_str(" …");
            return text;
        }
        if sep == 1 {
            text.push(' ');
        }
        text.push_str(w);
        chars = end;
    }
    text
}

/// The table of contents of a page: its h2–h4 headings nested into a
/// tree (an h1 in the body is left out: the page title is the h1). It
/// borrows the headings and serializes as a list of entries `{level, id,
/// title, children}`; a heading's children are the headings after it that
/// are deeper than it, up to the next one that is not. The model keeps only
/// the headings, so the titles and ids are not stored twice.
#[derive(Debug, Clone, Copy)]
pub struct Toc<'a>(&'a [Heading]);

impl<'a> Toc<'a> {
    pub fn of(headings: &'a [Heading]) -> Toc<'a> {
        Toc(headings)
    }

    /// The entries at the top of the tree.
    pub fn entries(self) -> impl Iterator<Item = TocEntry<'a>> {
        toc_level(
            self.0
                .iter()
                .filter(|h| (2..=4).contains(&h.level))
                .collect(),
        )
    }
}

/// The entries made of `list`: each heading with the deeper headings that
/// follow it, up to the next one that is not deeper.
fn toc_level<'a>(list: Vec<&'a Heading>) -> impl Iterator<Item = TocEntry<'a>> {
    let mut i = 0;
    std::iter::from_fn(move || {
        let h = *list.get(i)?;
        let end = list[i + 1..]
            .iter()
            .position(|n| n.level <= h.level)
            .map_or(list.len(), |at| i + 1 + at);
        let children = list[i + 1..end].to_vec();
        i = end;
        Some(TocEntry {
            heading: h,
            children,
        })
    })
}

/// One entry of a [`Toc`].
pub struct TocEntry<'a> {
    pub heading: &'a Heading,
    children: Vec<&'a Heading>,
}

impl<'a> TocEntry<'a> {
    pub fn children(&self) -> impl Iterator<Item = TocEntry<'a>> {
        toc_level(self.children.clone())
    }
}

impl Serialize for Toc<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.entries())
    }
}

impl Serialize for TocEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut e = s.serialize_struct("TocEntry", 4)?;
        e.serialize_field("level", &self.heading.level)?;
        e.serialize_field("id", &self.heading.id)?;
        e.serialize_field("title", &self.heading.title)?;
        e.serialize_field("children", &Children(self))?;
        e.end()
    }
}

struct Children<'e, 'a>(&'e TocEntry<'a>);

impl Serialize for Children<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.children())
    }
}

/// The entity for one of the five characters HTML escaping replaces.
fn entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// `text.split_whitespace().count()`, counted over bytes: ASCII is
/// classified by its byte, and a character beyond ASCII is decoded only
/// when its first byte can start a space (U+0085 and U+00A0 start with
/// `C2`, the others `char::is_whitespace` knows with `E1`–`E3`); the other
/// bytes beyond ASCII (`æ`, `ø`, `å` …) belong to words. Every page's plain
/// text goes through this.
fn count_words(text: &str) -> usize {
    /// Per byte: 1 an ASCII space, 2 the first byte of a character to
    /// decode, 0 part of a word.
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = match i as u8 {
                b' ' | b'\t'..=b'\r' => 1,
                0xC2 | 0xE1..=0xE3 => 2,
                _ => 0,
            };
            i += 1;
        }
        t
    };
    let b = text.as_bytes();
    // Words are counted where a non-space follows a space (or the start),
    // without a branch for the common bytes.
    let (mut words, mut after_space, mut i) = (0usize, 1u8, 0);
    while i < b.len() {
        let class = CLASS[usize::from(b[i])];
        if class == 2 {
            let c = text[i..].chars().next().expect("a first byte");
            let space = u8::from(c.is_whitespace());
            words += usize::from(after_space & (space ^ 1));
            after_space = space;
            i += c.len_utf8();
        } else {
            words += usize::from(after_space & (class ^ 1));
            after_space = class;
            i += 1;
        }
    }
    words
}

/// The index of the first byte at or after `at` that HTML escaping
/// replaces. Eight bytes are tested at a time: a byte equal to `c` is a
/// zero byte of `word ^ c…c`, and the lowest bit the zero-byte test sets
/// is always a true match (a false one only ever follows a true one).
fn next_special(b: &[u8], mut at: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    while let Some(chunk) = b.get(at..at + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let hit = [b'&', b'<', b'>', b'"', b'\'']
            .iter()
            .fold(0, |hit, &c| hit | zero(w ^ (ONES * u64::from(c))));
        if hit != 0 {
            return Some(at + (hit.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    b[at..]
        .iter()
        .position(|&c| entity(c).is_some())
        .map(|p| at + p)
}

/// Escapes text for HTML attributes and content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    escape_into(&mut out, s);
    out
}

/// [`escape`], appended to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let mut plain = 0;
    // The five special characters are ASCII: copy the runs between them whole.
    while let Some(i) = next_special(b, plain) {
        out.push_str(&s[plain..i]);
        out.push_str(entity(b[i]).expect("a special byte"));
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
}

/// [`escape`], written to `w` (Tera's escape function).
pub fn escape_to(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let b = s.as_bytes();
    let mut plain = 0;
    while let Some(i) = next_special(b, plain) {
        w.write_all(&b[plain..i])?;
        w.write_all(entity(b[i]).expect("a special byte").as_bytes())?;
        plain = i + 1;
    }
    w.write_all(&b[plain..])
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl LinkResolver for NoLinks {
        fn resolve(&self, href: &str) -> Resolved {
            if href.ends_with(".md") {
                Resolved::Page {
                    href: "../x/".into(),
                    target: href.into(),
                    anchor: None,
                }
            } else if href.starts_with("missing") {
                Resolved::Missing("no such file".into())
            } else {
                Resolved::Keep
            }
        }
    }

    fn labels() -> Labels {
        Labels {
            note: "Merk".into(),
            tip: "Tips".into(),
            important: "Viktig".into(),
            warning: "Advarsel".into(),
            caution: "Forsiktig".into(),
            anchor: "Lenke".into(),
            table: "Tabell".into(),
            footnote_back: "Tilbake til teksten".into(),
            quiz: QuizLabels {
                numbered: "Spørsmål {n} av {total}".into(),
                choose_one: "Velg ett svar.".into(),
                choose_all: "Velg alle som stemmer.".into(),
                show_answer: "Vis svaret".into(),
                right_answer: "Riktig svar:".into(),
                right_answers: "Riktige svar:".into(),
                check: "Sjekk svaret".into(),
                correct: "Riktig!".into(),
                wrong: "Ikke riktig.".into(),
                partly: "Nesten.".into(),
                none: "Velg et svar først.".into(),
            },
        }
    }

    /// `body` rendered with test labels and links, its first line at `first_line`.
    fn md(body: &str, first_line: usize) -> Rendered {
        render(body, first_line, &NoLinks, &labels())
    }

    #[test]
    fn task_ids_hash_the_lowercased_words_joined_by_spaces() {
        let reference = |text: &str| -> String {
            let norm: String = text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let mut h: u32 = 0x811c_9dc5;
            for b in norm.bytes() {
                h ^= u32::from(b);
                h = h.wrapping_mul(0x0100_0193);
            }
            format!("{h:08x}")
        };
        for t in [
            "",
            "Hvem signerer?",
            "  Hvem\tsigner\u{a0}er  avtalen?\n",
            "ÆRLIG TALT – Øk BUDSJETTET på Åpent møte",
            "İstanbul ΣΟΦΙΑΣ σοφίας",
            "ΟΔΟΣ",
            "ﬁnal ß ẞ",
        ] {
            assert_eq!(task_id(t), reference(t), "{t:?}");
        }
    }

    #[test]
    fn html_comments_stay_in_the_source() {
        for (body, kept) in [
            (
                "<!-- notat: ring Kari -->\n\nTekst.\n",
                &["<p>Tekst.</p>"][..],
            ),
            ("<!--\nKari på innkjøp\n-->\n\nTekst.\n", &["<p>Tekst.</p>"]),
            (
                "Mer <!-- vinn:allow \"Oslo\" --> Oslo.\n",
                &["<p>Mer  Oslo.</p>"],
            ),
            ("Tekst <!-- en\nto --> slutt.\n", &["<p>Tekst  slutt.</p>"]),
            (
                "<div class=\"ramme\">\n<!-- skjult -->\n<p>synlig</p>\n</div>\n",
                &["<div class=\"ramme\">", "<p>synlig</p>", "</div>"],
            ),
            ("<!-- a --><span>b</span>\n", &["<span>b</span>"]),
            (
                "```\n<!-- i kode -->\n```\n\nOg `<!-- inline -->`.\n",
                &[
                    "&lt;!-- i kode --&gt;",
                    "<code>&lt;!-- inline --&gt;</code>",
                ],
            ),
        ] {
            let html = md(body, 1).html;
            for k in kept {
                assert!(html.contains(k), "{body:?} lost {k:?}: {html}");
            }
            let outside_code = html.replace("&lt;!--", "");
            assert!(!outside_code.contains("<!--"), "{body:?}: {html}");
            for secret in ["Kari", "vinn:allow", "skjult", "en\nto"] {
                assert!(!html.contains(secret), "{body:?}: {html}");
            }
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for t in [
            "",
            " ",
            "ett",
            " to  ord ",
            "tab\tog\nlinje\r\nslutt\x0b\x0cx",
            "nbsp\u{a0}skiller\u{2003}em\u{3000}ideo",
            "æøå ÆØÅ\u{85}neste",
            "\u{200b}null-bredde teller ikke som mellomrom",
            "  ende med mellomrom\u{2028}",
            "«sitat» © 2026 – “tankestrek” … \u{1680}ogham\u{205f}x\u{202f}y",
            "\u{c2a9}\u{e1a0}\u{2e80}\u{3001}",
        ] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn words_are_counted_as_split_whitespace_counts_them_in_any_text(t in "(\\PC|[\\t\\n\\x0b\\x0c\\r\\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200b}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}])*") {
            proptest::prop_assert_eq!(count_words(&t), t.split_whitespace().count());
        }
    }

    #[test]
    fn escaping_finds_every_special_byte_wherever_it_is() {
        // One byte at a time, as the definition says.
        let plain = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        let mut cases = Vec::new();
        for n in 0..20 {
            for special in ["&", "<", ">", "\"", "'", "ø"] {
                for at in 0..=n {
                    let mut t = "a".repeat(n);
                    t.insert_str(at, special);
                    cases.push(t.clone());
                    // Two of them, and bytes next to the specials' values.
                    t.push_str("%'=?;<");
                    cases.push(t);
                }
            }
        }
        cases.push("Møte & \"pris\" <b>'x'</b> – ferdig".into());
        for c in cases {
            assert_eq!(escape(&c), plain(&c), "{c:?}");
            let mut out = Vec::new();
            escape_to(&c, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), plain(&c), "{c:?}");
        }
    }

    #[test]
    fn heading_ids_are_unique_and_readable() {
        let r = md(
            "## Første møte\n\n## Første møte\n\n### Økonomi {#oko}\n",
            1,
        );
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["forste-mote", "forste-mote-1", "oko"]);
        let toc: Vec<_> = Toc::of(&r.headings).entries().collect();
        assert_eq!(toc.len(), 2);
        let below: Vec<_> = toc[1].children().map(|e| e.heading.id.clone()).collect();
        assert_eq!(below, ["oko"]);
    }

    #[test]
    fn headings_and_task_boxes_are_written_whole_and_escaped() {
        let r = md(
            "## Pris & \"verdi\" {#pris .wide .smal}\n\n#### Neste & siste\n\n- [x] Ring kunden\n",
            1,
        );
        let html = scraper::Html::parse_fragment(&r.html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let h2 = html.select(&sel("h2")).next().expect("an h2");
        assert_eq!(h2.value().attr("id"), Some("pris"));
        assert_eq!(h2.value().attr("class"), Some("wide smal"));
        let a = h2.select(&sel("a.anchor")).next().expect("its anchor");
        assert_eq!(a.value().attr("href"), Some("#pris"));
        assert_eq!(
            a.value().attr("aria-label"),
            Some("Lenke: Pris & \"verdi\"")
        );
        let h4 = html.select(&sel("h4")).next().expect("an h4");
        assert_eq!(h4.value().attr("id"), Some("neste-siste"));
        assert_eq!(h4.text().collect::<String>(), "Neste & siste #");
        assert!(r.html.contains("</h2>\n") && r.html.contains("</h4>\n"));
        let input = html.select(&sel("input.task")).next().expect("a box");
        let id = &r.tasks[0].id;
        assert_eq!(input.value().attr("id"), Some(format!("t-{id}").as_str()));
        assert_eq!(input.value().attr("data-task"), Some(id.as_str()));
        assert!(input.value().attr("checked").is_some());
        let label = html.select(&sel("label")).next().expect("its label");
        assert_eq!(label.value().attr("for"), Some(format!("t-{id}").as_str()));
        assert_eq!(label.text().collect::<String>().trim(), "Ring kunden");
    }

    #[test]
    fn toc_nests_deeper_headings_under_the_last_shallower_one() {
        let r = md(
            "### A\n\n## B\n\n#### C\n\n### D\n\n#### E\n\n## F\n\n# G\n\n##### X\n\n### H\n",
            1,
        );
        fn tree(e: TocEntry<'_>) -> String {
            let kids: Vec<String> = e.children().map(tree).collect();
            if kids.is_empty() {
                e.heading.title.clone()
            } else {
                format!("{}[{}]", e.heading.title, kids.join(" "))
            }
        }
        let top: Vec<String> = Toc::of(&r.headings).entries().map(tree).collect();
        // h1 and h5 are left out; C and D are siblings under B.
        assert_eq!(top, ["A", "B[C D[E]]", "F[H]"]);
        let json = serde_json::to_value(Toc::of(&r.headings)).unwrap();
        assert_eq!(json[1]["children"][1]["children"][0]["id"], "e");
        assert_eq!(json[1]["children"][1]["level"], 3);
        assert_eq!(json[0]["children"].as_array().map(Vec::len), Some(0));
    }

    #[test]
    fn tasks_get_stable_ids_and_labels() {
        let r = md(
            "- [ ] Hvem signerer?\n- [x] Budsjett\n  - [ ] Nestet punkt\n",
            5,
        );
        assert_eq!(r.tasks.len(), 3);
        assert_eq!(r.tasks[0].id, task_id("Hvem  signerer?"));
        assert_eq!(r.tasks[0].line, 5);
        assert!(r.tasks[1].checked);
        assert_eq!(r.tasks[2].depth, 1);
        assert!(r.html.contains("<label for=\"t-"), "{}", r.html);
        assert_eq!(
            r.html.matches("<label").count(),
            r.html.matches("</label>").count()
        );
    }

    #[test]
    fn links_are_resolved_with_positions() {
        let r = md("tekst\n\n[a](b.md) og [c](missing.txt) og [d](#x)\n", 10);
        assert!(r.html.contains("href=\"../x/\""));
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].0, 12);
        assert_eq!(r.links.len(), 2);
        assert_eq!((r.links[0].line, r.links[0].col), (12, 1));
    }

    #[test]
    fn quizzes_are_forms_with_their_links_checked_at_their_lines() {
        let body = "Innledning.\n\n```quiz\nHvem *signerer*?\n- [ ] Kontakten\n- [x] Innkjøp, se [b](b.md)\n> Les [mer](missing.txt).\n\nHva teller?\n- [x] Gevinst\n- [x] Tid\n- [ ] Farge\n```\n";
        let r = md(body, 3);
        assert!(
            r.problems.len() == 1 && r.problems[0].0 == 9,
            "{:?}",
            r.problems
        );
        assert_eq!(r.links.len(), 1);
        assert_eq!((r.links[0].line, r.links[0].col), (8, 19));
        let doc = scraper::Html::parse_fragment(&r.html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let qs: Vec<_> = doc.select(&sel("fieldset.quiz-q")).collect();
        assert_eq!(qs.len(), 2, "{}", r.html);
        let legend = qs[0].select(&sel("legend")).next().unwrap().inner_html();
        assert!(
            legend.contains("Spørsmål 1 av 2") && legend.contains("<em>signerer</em>"),
            "{legend}"
        );
        let id = qs[0].value().attr("id").unwrap();
        assert!(id.starts_with("quiz-"), "{id}");
        let radios: Vec<_> = qs[0].select(&sel("input[type=radio]")).collect();
        assert_eq!(radios.len(), 2);
        assert!(radios.iter().all(|i| i.value().attr("name") == Some(id)));
        assert_eq!(
            radios
                .iter()
                .map(|i| i.value().attr("data-right").is_some())
                .collect::<Vec<_>>(),
            [false, true]
        );
        assert_eq!(
            qs[0].select(&sel("a[href=\"../x/\"]")).count(),
            1,
            "in the answer; its details name it as text"
        );
        let answer = qs[0]
            .select(&sel("details.quiz-answer"))
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        assert!(
            answer.contains("Riktig svar:")
                && answer.contains("Innkjøp")
                && answer.contains("Les mer"),
            "{answer}"
        );
        assert_eq!(qs[1].select(&sel("input[type=checkbox]")).count(), 3);
        assert!(qs[1].value().attr("data-many").is_some());
        assert!(
            r.plain.contains("Hvem signerer?") && r.plain.contains("Farge"),
            "{}",
            r.plain
        );
        // A question's id comes from its words: the same after an edit elsewhere.
        let again = md(&body.replace("Innledning", "Ny innledning"), 3);
        assert!(again.html.contains(&format!("id=\"{id}\"")));

        let bad = md(
            "```quiz\nSpørsmål?\n- [ ] A\n- [ ] B\n```\n\n```quiz\n```\n",
            1,
        );
        let at: Vec<(usize, usize)> = bad.problems.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(at, [(2, 1), (7, 1)], "{:?}", bad.problems);
        // Other fenced blocks stay code.
        let code = md("```rust\nlet quiz = 1;\n```\n", 1);
        assert!(
            code.html.contains("<code class=\"language-rust\">"),
            "{}",
            code.html
        );
    }

    #[test]
    fn a_quiz_keeps_its_answers_out_of_the_summary_and_its_html_in_one_place() {
        let body = "```quiz\n1. Hvem *signerer*?\n- [x] <span id=\"svar\">Innkjøp</span>\n- [ ] # Kontakten\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n```\n\nSå teksten.\n";
        let r = md(body, 1);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.summary, "Så teksten.");
        let doc = scraper::Html::parse_fragment(&r.html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        // A numbered question stays a line of text; so does an answer
        // starting with `#`.
        let legend = doc.select(&sel("legend .quiz-text")).next().unwrap();
        assert_eq!(legend.inner_html(), "1. Hvem <em>signerer</em>?");
        assert_eq!(
            doc.select(&sel("legend ol, legend h1, .quiz-choices h1"))
                .count(),
            0
        );
        // The right answer's HTML once; named again as text.
        assert_eq!(doc.select(&sel("#svar")).count(), 1);
        let answer = doc.select(&sel(".quiz-answer p")).next().unwrap();
        assert_eq!(answer.text().collect::<String>(), "Riktig svar: Innkjøp");
        // A table in an explanation scrolls in its region, as in the body.
        assert_eq!(
            doc.select(&sel(".quiz-answer .table-wrap[role=region] table"))
                .count(),
            1,
            "{}",
            r.html
        );
        // Only quiz text: the summary is empty rather than the answers.
        let r = md("```quiz\nHva?\n- [x] Ja\n- [ ] Nei\n```\n", 1);
        assert_eq!(r.summary, "");
        assert!(r.plain.contains("Ja"), "searchable still");
    }

    #[test]
    fn links_in_headings_are_resolved_and_checked() {
        let r = md("## Se [hvem](b.md) og [mer](missing.txt)\n", 4);
        assert!(r.html.contains("<a href=\"../x/\">hvem</a>"), "{}", r.html);
        assert_eq!(r.problems.len(), 1);
        assert_eq!((r.problems[0].0, r.problems[0].1), (4, 23));
        assert_eq!((r.links[0].line, r.links[0].col), (4, 7));
        assert_eq!(r.headings[0].title, "Se hvem og mer");
    }

    /// The ids in `doc`, asserted to be each given once.
    fn unique_ids(doc: &scraper::Html) -> Vec<String> {
        let sel = scraper::Selector::parse("[id]").unwrap();
        let ids: Vec<String> = doc
            .select(&sel)
            .map(|e| e.value().attr("id").unwrap().to_string())
            .collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        ids
    }

    #[test]
    fn headings_and_footnotes_never_take_an_id_twice() {
        let r = md(
            "## Main\n\n## Lang\n\nTekst[^lang] og[^1], igjen[^lang].\n\n## 1\n\n[^lang]: Kilde.\n[^1]: Annen.\n\n[^ubrukt]: Ingen leser meg.\n",
            1,
        );
        let doc = scraper::Html::parse_fragment(&r.html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let ids = unique_ids(&doc);
        assert!(
            !ids.iter().any(|i| i == "main"),
            "the theme's skip link target: {ids:?}"
        );
        assert_eq!(
            r.headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["main-1", "lang", "1"]
        );
        // Each reference leads to its note, and the note back to the first.
        let refs: Vec<(&str, &str, String)> = doc
            .select(&sel("sup.footnote-reference a"))
            .map(|a| {
                (
                    a.value().attr("href").unwrap(),
                    a.value().attr("id").unwrap(),
                    a.text().collect(),
                )
            })
            .collect();
        assert_eq!(
            refs,
            [
                ("#fn-lang", "fnref-lang", "1".to_string()),
                ("#fn-1", "fnref-1", "2".to_string()),
                ("#fn-lang", "fnref-lang-2", "1".to_string()),
            ]
        );
        let backs: Vec<&str> = doc
            .select(&sel(".footnote-definition a.footnote-back"))
            .map(|a| a.value().attr("href").unwrap())
            .collect();
        assert_eq!(
            backs,
            ["#fnref-lang", "#fnref-1"],
            "a note nobody refers to has no way back"
        );
        assert_eq!(doc.select(&sel(".footnote-definition")).count(), 3);
    }

    #[test]
    fn a_footnotes_ids_are_its_own_and_hold_no_space() {
        let r = md(
            "Tekst[^a] og[^første note].\n\n## Fnref a\n\n[^a]: A.\n[^første note]: B.\n",
            1,
        );
        let doc = scraper::Html::parse_fragment(&r.html);
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let ids = unique_ids(&doc);
        assert!(ids.iter().all(|i| !i.contains(' ')), "{ids:?}");
        assert_eq!(r.headings[0].id, "fnref-a-1", "the reference came first");
        let backs: Vec<&str> = doc
            .select(&sel("a.footnote-back"))
            .map(|a| a.value().attr("href").unwrap())
            .collect();
        assert_eq!(backs, ["#fnref-a", "#fnref-første-note"]);
    }

    #[test]
    fn a_lists_words_never_run_into_its_items() {
        let r = md("- Punkt\n  > sitat\n- Annet\n  - under\n", 1);
        let words: Vec<&str> = r.plain.split_whitespace().collect();
        assert_eq!(words, ["Punkt", "sitat", "Annet", "under"]);
    }

    #[test]
    fn theme_ids_name_every_id_the_default_templates_give() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut missing = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            for part in text.split(" id=\"").skip(1) {
                let id = part.split('"').next().unwrap();
                if !id.contains("{{") && !id.contains("{%") && !THEME_IDS.contains(&id) {
                    missing.push(id.to_string());
                }
            }
        }
        assert!(
            missing.is_empty(),
            "ids the templates use, missing from THEME_IDS: {missing:?}"
        );
    }

    #[test]
    fn callouts_and_tables() {
        let r = md(
            "> [!TIP]\n> Spør om budsjett.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            1,
        );
        assert!(r.html.contains("callout-tip"));
        assert!(r.html.contains("Tips"));
        assert!(r.html.contains("table-wrap"));
        assert!(r.words >= 5);
    }

    #[test]
    fn each_tables_region_has_a_name_of_its_own() {
        let r = md("| a |\n|---|\n| 1 |\n\nTekst.\n\n| b |\n|---|\n| 2 |\n", 1);
        let named: Vec<&str> = r
            .html
            .split("aria-label=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert_eq!(named, ["Tabell", "Tabell 2"]);
    }

    #[test]
    fn task_labels_close_where_their_first_block_ends() {
        // A label around a link, a nested list, and a label left open by the
        // end of the body: each closes exactly once, in place.
        let r = md(
            "- [ ] Les [guiden](b.md) først\n  - [x] Under\n- [ ] Siste",
            1,
        );
        assert_eq!(r.tasks.len(), 3);
        assert_eq!(r.tasks[0].text, "Les guiden først");
        let html = &r.html;
        let first = html.find("Les ").unwrap();
        let close = html[first..].find("</label>").unwrap() + first;
        assert!(html[first..close].contains("href=\"../x/\""), "{html}");
        assert!(!html[first..close].contains("<ul>"), "{html}");
        assert_eq!(html.matches("<label").count(), 3, "{html}");
        assert_eq!(html.matches("</label>").count(), 3, "{html}");
        assert!(html.contains("Siste</label></li>"), "{html}");
    }

    /// The summary as it was first defined: all words joined, then cut
    /// at the last space within 200 characters.
    fn summary_by_definition(plain: &str) -> String {
        let text = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() <= 200 {
            return text;
        }
        let cut: String = text.chars().take(200).collect();
        let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
        format!("{cut} …")
    }

    #[test]
    fn summaries_cut_at_word_boundaries() {
        let word = |n: usize| "ø".repeat(n);
        let mut cases = vec![
            String::new(),
            "  kort   tekst \n".to_string(),
            word(200),
            word(201),
            format!("{} {}", word(200), word(3)),
            word(450),
        ];
        // Words ending just before, at and after the 200th character.
        for first in 190..=201 {
            for second in [1, 5, 30] {
                cases.push(format!(
                    "{}\n{} {}  {}",
                    word(first),
                    word(second),
                    word(4),
                    word(7)
                ));
                cases.push(format!(
                    "{} {}",
                    word(first.min(199)),
                    word(200 - first.min(199))
                ));
            }
        }
        for c in &cases {
            assert_eq!(summarize(c), summary_by_definition(c), "{c:?}");
        }
    }
}
