//! Render memo: lets a rebuild skip Tera for every output whose inputs did
//! not change since the previous rebuild.
//!
//! An output is a pure function of its template (with everything it
//! extends and includes, and every file that defines a Tera component,
//! since components are global) and of the part of its context the
//! template can name. The key of an output hashes exactly that: the texts
//! of the template closure, and of each context value the closure names.
//! Of a map read only through its fields (`site.title`), just the fields
//! named right after that name (`page.topics` is not a field of `site`);
//! of a list read only as the list of a loop (`for x in page.topics`), its
//! length and the fields its loop variables name (`x.title`, not
//! `x.count`); of a value read only as true or false (`{% if section and
//! … %}`), whether it is empty. A value read any other way (printed,
//! passed to a filter or a macro, set to another name) is hashed whole.
//! An output of a template that reads the whole context
//! (`__tera_context`), or of one edited since the previous rebuild, gets
//! no key: it renders whenever it is not kept, and is not recorded. Nor
//! does any output of a rebuild that nothing was carried into (serve's
//! first build, or the first after the environment changed). In both, no
//! render can come back, and a key costs about what a render does.
//!
//! Everything outside the context that rendering depends on (the
//! configuration behind `url_for`, the injected script) is fixed for the
//! life of one memo: [`RenderMemo::new`] drops the carried entries when that
//! environment changes.
//!
//! An output may also be kept without building its context at all
//! (`Memo::keep`, `Memo::keep_file` for files made without a template):
//! the caller fingerprints what the context would be made from. The memo
//! keeps the fingerprint each served output was made from: the site's pages
//! by page index (`Memo::keep_page`: a page whose fingerprint at its index
//! is the one served is kept without its path being made), every other
//! output by its path's hash, which a rebuild stamps with its round when it
//! asks about it; the paths no rebuild asked about are gone from the site.
//! The scan of the templates is carried along while their texts stay the
//! same. The same scan tells the renderer which variables `nav.html` may
//! read ([`closure_vars`]), so a listing's later pages can share one
//! navigation; it lives here, with the memo it was written for.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hasher;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tera::value::ValueKind;
use tera::{Context, Value};

use crate::render::Memo;
use crate::theme::Theme;

/// A fast 64-bit hash for fingerprints (folded multiply over 8-byte words).
#[derive(Clone)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0x243f_6a88_85a3_08d3)
    }
}

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xd6e8_feb8_6659_fd93;

fn fold(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b);
    (m as u64) ^ ((m >> 64) as u64)
}

impl Fingerprint {
    fn word(&mut self, w: u64) {
        self.0 = fold(self.0 ^ w.wrapping_add(K1), K2).rotate_left(23);
    }

    /// Hashes a string with its length, so concatenations stay apart.
    pub fn str(&mut self, s: &str) {
        self.write(s.as_bytes());
    }

    /// Hashes a template value: type, then contents. Tera's maps are hash
    /// maps whose order differs from map to map, so entries go in key order.
    pub fn value(&mut self, v: &Value) {
        match v.kind() {
            ValueKind::Undefined => self.word(0),
            ValueKind::None => self.word(1),
            ValueKind::Bool => self.word(2 + u64::from(v.as_bool() == Some(true))),
            ValueKind::String => {
                self.word(if v.is_safe() { 8 } else { 5 });
                self.str(v.as_str().unwrap_or_default());
            }
            ValueKind::Array => {
                let a = v.as_array().unwrap_or_default();
                self.word(6);
                self.word(a.len() as u64);
                for x in a {
                    self.value(x);
                }
            }
            ValueKind::Map => {
                let entries = sorted(v);
                self.word(7);
                self.word(entries.len() as u64);
                for (k, x) in entries {
                    self.str(&k);
                    self.value(x);
                }
            }
            ValueKind::Bytes => {
                self.word(9);
                self.write(v.as_bytes().unwrap_or_default());
            }
            // Numbers, and any kind a later Tera adds.
            _ => {
                self.word(4);
                self.str(&v.to_string());
            }
        }
    }
}

/// The entries of a map value in key order (empty for any other value).
fn sorted(v: &Value) -> Vec<(std::borrow::Cow<'_, str>, &Value)> {
    let mut entries: Vec<(std::borrow::Cow<'_, str>, &Value)> = v
        .as_map()
        .map(|m| {
            m.iter()
                .map(|(k, x)| {
                    let name = match k.as_str() {
                        Some(s) => std::borrow::Cow::Borrowed(s),
                        None => std::borrow::Cow::Owned(k.as_value().to_string()),
                    };
                    (name, x)
                })
                .collect()
        })
        .unwrap_or_default();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

impl Hasher for Fingerprint {
    fn write(&mut self, bytes: &[u8]) {
        // Page bodies (kilobytes) go through xxh3, which runs at memory
        // speed; short strings stay on the word-at-a-time fold.
        if bytes.len() > 64 {
            self.word(xxhash_rust::xxh3::xxh3_64(bytes));
            self.word(bytes.len() as u64);
            return;
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.word(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        self.word(u64::from_le_bytes(last));
        self.word(bytes.len() as u64);
    }

    // Integers are one word each: hashing them through `write` took a
    // word for the bytes and one for the length.
    fn write_u8(&mut self, n: u8) {
        self.word(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.word(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.word(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.word(n as u64);
    }

    fn finish(&self) -> u64 {
        fold(self.0, K1)
    }
}

/// What one template (with its closure) can read from a context.
#[derive(Debug, Default)]
struct Shape {
    /// Hash of the name and text of every template in the closure.
    text: u64,
    /// Names that may be top-level context variables, sorted.
    vars: Vec<String>,
    /// How each variable's fields are used, by variable and field name.
    fields: Fields,
    /// Variables also used other than as `var.field`: hashed whole.
    whole: HashSet<String>,
    /// Variables also used as a truth value (`{% if page and … %}`).
    truth: HashSet<String>,
    /// The template dumps the whole context: never reuse its output.
    everything: bool,
    /// How each name reads the fields of a map it holds
    /// ([`Shape::plan_of`] of that name alone).
    plans: HashMap<String, Plan>,
}

/// How some names read the fields of a map they hold: each field any of
/// them names, in name order.
#[derive(Debug, Default)]
struct Plan {
    fields: Vec<PlanField>,
}

static EMPTY_PLAN: Plan = Plan { fields: Vec::new() };

/// One field of a [`Plan`].
#[derive(Debug)]
struct PlanField {
    name: String,
    /// `name` as a key of Tera's maps, to look it up without allocating.
    key: tera::value::Key<'static>,
    /// Its value is hashed whole: it is used whole, or a loop variable
    /// that takes its items is.
    whole: bool,
    /// The loop variables that take its items, each once, in order.
    items: Vec<String>,
}

impl Shape {
    /// How the names in `names` use their field `field` (none: not read).
    fn uses(&self, names: &[&str], field: &str) -> Vec<&FieldUse> {
        names
            .iter()
            .filter_map(|n| self.fields.get(*n)?.get(field))
            .collect()
    }

    /// How the names in `names` read the fields of a map they hold.
    fn plan_of(&self, names: &[&str]) -> Plan {
        let mut uses: BTreeMap<&str, Vec<&FieldUse>> = BTreeMap::new();
        for fields in names.iter().filter_map(|n| self.fields.get(*n)) {
            for (field, used) in fields {
                uses.entry(field).or_default().push(used);
            }
        }
        let fields = uses
            .into_iter()
            .map(|(name, uses)| {
                let items = Self::items(&uses);
                PlanField {
                    name: name.to_string(),
                    key: tera::value::Key::String(Arc::from(name)),
                    whole: uses.iter().any(|u| u.whole)
                        || items.iter().any(|n| self.whole.contains(*n)),
                    items: items.into_iter().map(str::to_string).collect(),
                }
            })
            .collect();
        Plan { fields }
    }

    /// The loop variables that take the items of a field used as `uses`
    /// say, each once, in order.
    fn items<'a>(uses: &[&'a FieldUse]) -> Vec<&'a str> {
        let items: BTreeSet<&str> = uses
            .iter()
            .flat_map(|u| u.items.iter().map(String::as_str))
            .collect();
        items.into_iter().collect()
    }

    /// Whether the closure may read the value at `path` (see
    /// [`Memo::reads`]).
    fn reads(&self, path: &[&str]) -> bool {
        match path.split_first() {
            None => true,
            Some((var, rest)) => {
                self.everything
                    || (self.vars.binary_search_by(|v| v.as_str().cmp(var)).is_ok()
                        && self.reads_in(&[var], rest))
            }
        }
    }

    /// Whether the closure may read `rest` of a value that the names in
    /// `names` hold.
    fn reads_in(&self, names: &[&str], rest: &[&str]) -> bool {
        if names.iter().any(|n| self.whole.contains(*n)) {
            return true;
        }
        let Some((field, rest)) = rest.split_first() else {
            return true;
        };
        let uses = self.uses(names, field);
        if uses.is_empty() {
            return false;
        }
        if uses.iter().any(|u| u.whole) {
            return true;
        }
        match rest.split_first() {
            // Its length, or whether it is empty: not its items.
            Some((&"[]", rest)) => {
                let items = Self::items(&uses);
                !items.is_empty() && self.reads_in(&items, rest)
            }
            _ => true,
        }
    }
}

/// How a template closure uses each named field (`var.field`) of each
/// name that may hold a map: a context variable or a loop variable.
type Fields = HashMap<String, HashMap<String, FieldUse>>;

/// How the field `var.field` is used.
#[derive(Debug, Default, Clone)]
struct FieldUse {
    /// Read other than as `var.field | length` or as the list of a loop
    /// `for item in var.field`: its value is hashed whole.
    whole: bool,
    /// The loop variables that take its items in turn: each item is
    /// hashed as those names use it.
    items: HashSet<String>,
}

/// What one template file says, before closures are taken.
#[derive(Debug, Default)]
struct Scan {
    deps: Vec<String>,
    /// The template defines a Tera component, which any template may call.
    component: bool,
    vars: BTreeSet<String>,
    fields: Fields,
    whole: HashSet<String>,
    truth: HashSet<String>,
    /// The template calls the `rel` filter.
    rel: bool,
    everything: bool,
}

const KEYWORDS: &[&str] = &[
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "in",
    "endfor",
    "and",
    "or",
    "not",
    "set",
    "set_global",
    "endset",
    "block",
    "endblock",
    "extends",
    "include",
    "import",
    "as",
    "macro",
    "endmacro",
    "component",
    "endcomponent",
    "filter",
    "endfilter",
    "raw",
    "endraw",
    "break",
    "continue",
    "true",
    "false",
    "True",
    "False",
    "none",
    "None",
    "is",
    "ignore",
    "missing",
    "super",
    "self",
    "loop",
];

/// Reads the code regions (`{{ }}`, `{% %}`) of one template.
fn scan(text: &str) -> Scan {
    let mut out = Scan::default();
    let b = text.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] != b'{' {
            i += 1;
            continue;
        }
        let close: &[u8] = match b[i + 1] {
            b'{' => b"}}",
            b'%' => b"%}",
            b'#' => {
                let end = find(b, i + 2, b"#}").unwrap_or(b.len());
                i = end + 2;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let start = i + 2;
        let end = find(b, start, close).unwrap_or(b.len());
        scan_code(&text[start..end], b[i + 1] == b'%', &mut out);
        i = end + 2;
    }
    // The `rel` filter reads `root` and `current_url` without naming them.
    if out.rel {
        out.vars.insert("root".into());
        out.vars.insert("current_url".into());
        out.whole.insert("root".into());
        out.whole.insert("current_url".into());
    }
    out
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn scan_code(code: &str, statement: bool, out: &mut Scan) {
    let b = code.as_bytes();
    let mut i = 0;
    // The last significant token before the current one.
    let mut prev_char = b' ';
    let mut prev_word = String::new();
    let mut first_word: Option<String> = None;
    let mut strings = Vec::new();
    // A variable just followed by a dot, whose field comes next, with
    // what came before it (see `Before`).
    let mut dotted: Option<(String, Before)> = None;
    // Every operand of an `if` or `elif` condition counts only as true
    // or false.
    let condition =
        |first: &Option<String>| statement && matches!(first.as_deref(), Some("if" | "elif"));
    // `for item in var.field`, nothing more: (var, field, item).
    let looped = statement.then(|| simple_loop(code)).flatten();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'"' || c == b'\'' || c == b'`' {
            let end = b[i + 1..]
                .iter()
                .position(|&x| x == c)
                .map(|p| i + 1 + p)
                .unwrap_or(b.len());
            strings.push(code[i + 1..end.min(b.len())].to_string());
            i = end + 1;
            prev_char = b'"';
            prev_word.clear();
            dotted = None;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let word = &code[start..i];
            let mut j = i;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let next = b.get(j).copied().unwrap_or(b' ');
            if word == "__tera_context" {
                out.everything = true;
            }
            out.rel |= word == "rel";
            let attribute =
                prev_char == b'.' || prev_char == b':' || prev_char == b'|' || prev_word == "is";
            let var = dotted.take();
            // Nothing but whitespace control comes after it.
            let end = bare(&code[j..]).is_empty();
            // Whether the value read here counts only as true or false (or,
            // when false, flows on as it is: `x and y` is `x` then).
            let truth = |before: Before, first: &Option<String>| {
                let then = leading_word(&code[j..]);
                let only = condition(first) || before == Before::Not;
                before != Before::Other && (then == "and" || (only && (then == "or" || end)))
            };
            if let (Some((var, before)), true) = (var, prev_char == b'.') {
                let item = looped
                    .as_ref()
                    .filter(|(v, f, _)| *v == var && f == word && end)
                    .map(|(_, _, item)| item.clone());
                // Its length, or whether it is empty (for a list; any other
                // value is hashed whole).
                let counted = (next == b'|' && leading_word(&code[j + 1..]) == "length")
                    || truth(before, &first_word);
                let used = out
                    .fields
                    .entry(var)
                    .or_default()
                    .entry(word.to_string())
                    .or_default();
                match item {
                    Some(item) => {
                        used.items.insert(item);
                    }
                    None if counted => {}
                    None => used.whole = true,
                }
            }
            if !attribute && !KEYWORDS.contains(&word) {
                out.vars.insert(word.to_string());
                let before = match prev_word.as_str() {
                    _ if first_word.is_none() && prev_char == b' ' => Before::Start,
                    "not" => Before::Not,
                    "if" | "elif" | "and" | "or" => Before::Logic,
                    _ => Before::Other,
                };
                if next == b'.' {
                    dotted = Some((word.to_string(), before));
                } else if prev_word == "for" {
                    // A loop variable where it is declared is not read.
                } else if truth(before, &first_word) {
                    out.truth.insert(word.to_string());
                } else {
                    out.whole.insert(word.to_string());
                }
            }
            if first_word.is_none() {
                first_word = Some(word.to_string());
            }
            prev_word = word.to_string();
            prev_char = b'a';
            continue;
        }
        if c != b'.' {
            dotted = None;
        }
        prev_char = c;
        prev_word.clear();
        i += 1;
    }
    if statement
        && matches!(
            first_word.as_deref(),
            Some("extends" | "include" | "import")
        )
    {
        out.deps.extend(strings);
    }
    if statement && first_word.as_deref() == Some("component") {
        out.component = true;
    }
}

/// The identifier `code` starts with, after blanks.
fn leading_word(code: &str) -> &str {
    let code = code.trim_start();
    let end = code
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(code.len());
    &code[..end]
}

/// What comes right before a name in template code, as far as telling a
/// read of its truth from a read of its value goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Before {
    /// Nothing: the name starts the expression.
    Start,
    /// `not`.
    Not,
    /// `if`, `elif`, `and` or `or`.
    Logic,
    /// Anything else.
    Other,
}

/// `code` without blanks and whitespace control (`{%-`, `-%}`) at its ends.
fn bare(code: &str) -> &str {
    code.trim_matches(|c: char| c == '-' || c.is_ascii_whitespace())
}

/// `(var, field, item)` when the statement `code` is exactly
/// `for item in var.field`.
fn simple_loop(code: &str) -> Option<(String, String, String)> {
    let mut words = bare(code).split_whitespace();
    let (Some("for"), Some(item), Some("in"), Some(list), None) = (
        words.next(),
        words.next(),
        words.next(),
        words.next(),
        words.next(),
    ) else {
        return None;
    };
    let (var, field) = list.split_once('.')?;
    let ident = |w: &str| {
        !w.is_empty()
            && !w.starts_with(|c: char| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    (ident(item) && ident(var) && ident(field))
        .then(|| (var.to_string(), field.to_string(), item.to_string()))
}

/// Each template of a theme scanned, with its text, by name.
type Scans<'a> = HashMap<&'a str, (Scan, &'a str)>;

fn scans(theme: &Theme) -> Scans<'_> {
    theme
        .templates
        .iter()
        .map(|t| (t.name.as_str(), (scan(&t.text), t.text.as_str())))
        .collect()
}

/// The templates that rendering `name` may read: it, what it extends or
/// includes, and so on. Components are global in Tera 2: a template may
/// call one defined in any file without naming it, so every closure takes
/// every file that defines one.
fn closure<'a>(scans: &'a Scans<'a>, name: &'a str) -> BTreeSet<&'a str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut todo = vec![name];
    todo.extend(
        scans
            .iter()
            .filter(|(_, (s, _))| s.component)
            .map(|(n, _)| *n),
    );
    while let Some(n) = todo.pop() {
        if !seen.insert(n) {
            continue;
        }
        if let Some((s, _)) = scans.get(n) {
            todo.extend(s.deps.iter().map(String::as_str));
        }
    }
    seen
}

/// The names rendering template `name` of `theme` may read as top-level
/// context variables; `None` when it may read the whole context.
pub fn closure_vars(theme: &Theme, name: &str) -> Option<BTreeSet<String>> {
    let scans = scans(theme);
    let mut vars = BTreeSet::new();
    for n in closure(&scans, name) {
        if let Some((s, _)) = scans.get(n) {
            if s.everything {
                return None;
            }
            vars.extend(s.vars.iter().cloned());
        }
    }
    Some(vars)
}

/// Closure analysis of every template of a theme.
fn shapes(theme: &Theme) -> Shapes {
    let scans = scans(theme);
    let mut out = Shapes::default();
    for name in scans.keys() {
        let seen = closure(&scans, name);
        let mut shape = Shape::default();
        let mut f = Fingerprint::default();
        let mut vars = BTreeSet::new();
        for n in &seen {
            f.str(n);
            match scans.get(n) {
                Some((s, text)) => {
                    f.str(text);
                    vars.extend(s.vars.iter().cloned());
                    for (var, fields) in &s.fields {
                        let into = shape.fields.entry(var.clone()).or_default();
                        for (field, used) in fields {
                            let to = into.entry(field.clone()).or_default();
                            to.whole |= used.whole;
                            to.items.extend(used.items.iter().cloned());
                        }
                    }
                    shape.whole.extend(s.whole.iter().cloned());
                    shape.truth.extend(s.truth.iter().cloned());
                    shape.everything |= s.everything;
                }
                // A missing include (`ignore missing`) renders nothing.
                None => f.str("\0missing"),
            }
        }
        shape.text = f.finish();
        shape.vars = vars.into_iter().collect();
        shape.plans = shape
            .fields
            .keys()
            .map(|n| (n.clone(), shape.plan_of(&[n])))
            .collect();
        out.insert(name.to_string(), Arc::new(shape));
    }
    out
}

/// What one rebuild hands to the next.
#[derive(Default)]
pub struct Carry {
    env: u64,
    /// The rebuild that made this carry (see [`Seen::round`]).
    round: u32,
    /// Outputs by key (script already injected).
    html: HashMap<u64, Arc<[u8]>>,
    /// Outputs of earlier rebuilds, by key, that this one neither rendered
    /// nor recalled: [`Carry::settle`] keeps those still served.
    older: HashMap<u64, Arc<[u8]>>,
    /// Output path (hashed) → fingerprint of its inputs, for the files
    /// now served, pages aside.
    inputs: Paths,
    /// The pages' outputs, by page index (see [`Memo::keep_page`]).
    pages: Vec<PageSeen>,
    /// The closure analysis of the theme this carry's outputs were made
    /// with, by a fingerprint of its templates.
    shapes: Option<(u64, Arc<Shapes>)>,
}

/// What the memo knows of a page's output: its path's [`path_key`] and the
/// fingerprint of its inputs (both 0 for a page not asked about).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct PageSeen {
    path: u64,
    fp: u64,
}

/// A page's [`PageSeen`] as this rebuild records it: each page index is
/// written by the one thread rendering that page.
#[derive(Default)]
struct PageSlot {
    path: AtomicU64,
    fp: AtomicU64,
}

/// What each template (with its closure) can read, by template name.
type Shapes = Names<Arc<Shape>>;

/// A map by template name, looked up for every output: hashed fast.
type Names<V> = HashMap<String, V, std::hash::BuildHasherDefault<Fingerprint>>;

/// A fingerprint of every template's name and text.
fn theme_key(theme: &Theme) -> u64 {
    let mut f = Fingerprint::default();
    for t in &theme.templates {
        f.str(&t.name);
        f.str(&t.text);
    }
    f.finish()
}

/// What the memo knows of one output path.
struct Seen {
    /// The fingerprint of the inputs it was rendered from.
    fp: u64,
    /// The last rebuild that asked about it: a rebuild stamps what it
    /// keeps without locking or copying the path, and at its end forgets
    /// the paths it did not ask about (outputs that are gone).
    round: AtomicU32,
}

/// Output path → what the memo knows of it: some 10 000 lookups per
/// rebuild. The key is the path's [`path_key`], so a lookup touches one
/// small entry and no string. Two paths with one key (odds about 1 in
/// 10^11 at 10 000 paths) would share an entry: each would then render
/// every time, as its fingerprint is not the one stored.
type Paths = HashMap<u64, Seen, std::hash::BuildHasherDefault<Fingerprint>>;

/// The key of an output path in [`Paths`].
fn path_key(path: &str) -> u64 {
    let mut f = Fingerprint::default();
    f.str(path);
    f.finish()
}

/// The memo of one rebuild: earlier outputs by key and by path, and what
/// this rebuild adds for the next one.
pub struct RenderMemo {
    env: u64,
    round: u32,
    shapes: Arc<Shapes>,
    theme: u64,
    /// Per template: the fingerprint of what it reads of the shared
    /// context, worked out by the first output that needs it.
    bases: Names<OnceLock<u64>>,
    /// The fingerprint of each value of the shared context that templates
    /// hash whole (`t`, which `t[p.kind]` indexes), by name and address:
    /// worked out once, not for every output ([`RenderMemo::project`]).
    globals: Mutex<HashMap<(String, usize), u64>>,
    /// The templates edited since the previous rebuild of the same
    /// environment: their outputs get no key ([`Memo::key`]), since no
    /// earlier render of theirs can come back, and a key costs about
    /// what a render does.
    edited: HashSet<String>,
    /// Whether an earlier rebuild's renders were carried over: when none
    /// were (serve's first build, or the first after the environment
    /// changed), no output gets a key, as none could be found by it.
    recalls: bool,
    previous: Carry,
    /// The previous rebuild's pages by path, made when a page is not where
    /// it was (pages were added or removed before it).
    previous_pages: OnceLock<HashMap<u64, u64, std::hash::BuildHasherDefault<Fingerprint>>>,
    /// This rebuild's pages, by page index.
    pages: Vec<PageSlot>,
    /// Pages asked about and not kept.
    pages_missed: AtomicUsize,
    html: Mutex<HashMap<u64, Arc<[u8]>>>,
    /// Paths asked about whose inputs are new or changed, with their new
    /// fingerprints.
    fresh: Mutex<Vec<(u64, u64)>>,
    /// How many paths were kept from the served site without rendering.
    kept: AtomicUsize,
    /// How many of them are files made without a template (not counted
    /// as outputs in [`RenderMemo::counts`]).
    kept_files: AtomicUsize,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl Carry {
    /// Keeps, of the outputs earlier rebuilds recorded, those `served`
    /// still holds (the very bytes, not a copy), and lets the others go.
    /// A kept output is not rendered, so its key is not worked out and it
    /// is not recorded again; without this its record would last one
    /// rebuild, and the next whole rebuild (a page added) could not find
    /// it. Outputs no longer served are dropped, so the memo holds no more
    /// than what is served and what the last rebuild made.
    pub fn settle(&mut self, served: &super::files::Files) {
        if self.older.is_empty() {
            return;
        }
        let live: HashSet<*const u8, std::hash::BuildHasherDefault<Fingerprint>> =
            served.iter().map(|(_, bytes)| bytes.as_ptr()).collect();
        for (key, bytes) in self.older.drain() {
            if live.contains(&bytes.as_ptr()) {
                self.html.entry(key).or_insert(bytes);
            }
        }
    }

    /// Moves what is known of each page's output to the page's new index
    /// after pages came and went: the page at index `j` is at `now_at[j]`
    /// among `pages` now (`None`: removed, and forgotten). A page that
    /// stayed is then found at its index, its path not worked out again
    /// ([`Memo::keep_page`]); a new page is not known.
    pub fn shift_pages(&mut self, now_at: &[Option<usize>], pages: usize) {
        self.pages = crate::site::moved(std::mem::take(&mut self.pages), now_at, pages);
    }

    /// Forgets what the output at `path` was rendered from (it was
    /// rendered anew outside the memo): it is not kept unrendered next time.
    pub fn forget(&mut self, path: &str) {
        let key = path_key(path);
        self.inputs.remove(&key);
        for seen in self.pages.iter_mut().filter(|p| p.path == key) {
            *seen = PageSeen::default();
        }
    }

    /// Whether an output path was rendered or kept through the memo in the
    /// rebuild that made this carry: a test made once, for many paths.
    pub fn has(&self) -> impl Fn(&str) -> bool + '_ {
        let pages: HashSet<u64, std::hash::BuildHasherDefault<Fingerprint>> = self
            .pages
            .iter()
            .map(|p| p.path)
            .filter(|&k| k != 0)
            .collect();
        move |path| {
            let key = path_key(path);
            pages.contains(&key) || self.inputs.contains_key(&key)
        }
    }
}

impl RenderMemo {
    /// A memo over what the previous rebuild carried; nothing of it is
    /// used when the environment (`env`: configuration, translations,
    /// injected script) changed. The site has `pages` pages.
    pub fn new(carry: Option<Carry>, env: u64, theme: &Theme, pages: usize) -> Self {
        let key = theme_key(theme);
        // The templates are read again for each rebuild, but are scanned
        // only when they changed.
        let known = carry
            .as_ref()
            .and_then(|c| c.shapes.clone())
            .filter(|(k, _)| *k == key)
            .map(|(_, s)| s);
        let shapes = known.unwrap_or_else(|| Arc::new(shapes(theme)));
        let previous = carry.filter(|c| c.env == env);
        let edited = match previous.as_ref().and_then(|c| c.shapes.as_ref()) {
            Some((_, before)) => shapes
                .iter()
                .filter(|(name, s)| before.get(*name).is_none_or(|b| b.text != s.text))
                .map(|(name, _)| name.clone())
                .collect(),
            None => HashSet::new(),
        };
        let recalls = previous.is_some();
        let previous = previous.unwrap_or_default();
        let bases = shapes
            .keys()
            .map(|k| (k.clone(), OnceLock::new()))
            .collect();
        RenderMemo {
            env,
            round: previous.round.wrapping_add(1),
            shapes,
            theme: key,
            bases,
            globals: Mutex::new(HashMap::new()),
            edited,
            recalls,
            previous,
            previous_pages: OnceLock::new(),
            pages: crate::site::filled_with_room(pages, PageSlot::default),
            pages_missed: AtomicUsize::new(0),
            html: Mutex::new(HashMap::new()),
            fresh: Mutex::new(Vec::new()),
            kept: AtomicUsize::new(0),
            kept_files: AtomicUsize::new(0),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// What the next rebuild may use. After a failed rebuild the files
    /// served are still the earlier ones, so their fingerprints stay; the
    /// outputs rendered meanwhile are kept as well.
    pub fn finish(self, succeeded: bool) -> Carry {
        let round = self.round;
        let mut html = self.html.into_inner().unwrap_or_else(|e| e.into_inner());
        let pages = if succeeded {
            self.pages
                .into_iter()
                .map(|slot| PageSeen {
                    path: slot.path.into_inner(),
                    fp: slot.fp.into_inner(),
                })
                .collect()
        } else {
            self.previous.pages
        };
        let mut older = HashMap::new();
        let inputs = if succeeded {
            older = self.previous.html;
            older.retain(|k, _| !html.contains_key(k));
            let mut inputs = self.previous.inputs;
            for (key, fp) in self.fresh.into_inner().unwrap_or_else(|e| e.into_inner()) {
                let round = AtomicU32::new(round);
                inputs.insert(key, Seen { fp, round });
            }
            inputs.retain(|_, seen| *seen.round.get_mut() == round);
            inputs
        } else {
            for (k, v) in self.previous.html {
                html.entry(k).or_insert(v);
            }
            self.previous.inputs
        };
        Carry {
            env: self.env,
            round,
            html,
            older,
            inputs,
            pages,
            shapes: Some((self.theme, self.shapes)),
        }
    }

    /// How many paths were kept as they are served now.
    pub fn kept(&self) -> usize {
        let asked = self
            .pages
            .iter()
            .filter(|p| p.path.load(Ordering::Relaxed) != 0)
            .count();
        self.kept.load(Ordering::Relaxed) + asked - self.pages_missed.load(Ordering::Relaxed)
    }

    /// Template outputs reused (kept or recalled) / rendered afresh in
    /// this rebuild.
    pub fn counts(&self) -> (usize, usize) {
        let kept = self.kept() - self.kept_files.load(Ordering::Relaxed);
        (
            self.hits.load(Ordering::Relaxed) + kept,
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Whether the output at `path`, whose inputs now fingerprint to
    /// `fp`, is the one served.
    fn same(&self, path: &str, fp: u64) -> bool {
        let key = path_key(path);
        if let Some(seen) = self.previous.inputs.get(&key) {
            seen.round.store(self.round, Ordering::Relaxed);
            if seen.fp == fp {
                self.kept.fetch_add(1, Ordering::Relaxed);
                return true;
            }
        }
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, fp));
        false
    }

    /// The fingerprint under which an output of `template` made from
    /// `inputs` is kept; `None` for a template whose outputs are never kept.
    fn kept_key(&self, template: &str, inputs: u64, base: &Context) -> Option<u64> {
        let shape = self.shapes.get(template).filter(|s| !s.everything)?;
        let base_hash = self.bases.get(template).map_or(0, |b| {
            *b.get_or_init(|| {
                let mut f = Fingerprint::default();
                self.project(&mut f, shape, base, base);
                f.finish()
            })
        });
        let mut f = Fingerprint::default();
        f.str(template);
        f.word(shape.text);
        f.word(base_hash);
        f.word(inputs);
        Some(f.finish())
    }

    /// The fingerprint of the previous rebuild's page at the path keyed
    /// `key`, if a page was there.
    fn previous_page(&self, key: u64) -> Option<u64> {
        self.previous_pages
            .get_or_init(|| {
                self.previous
                    .pages
                    .iter()
                    .filter(|p| p.path != 0)
                    .map(|p| (p.path, p.fp))
                    .collect()
            })
            .get(&key)
            .copied()
    }

    /// Hashes what the names in `names` (none used whole) read of the map
    /// `v`: whether it is empty, if one is used as a truth value, and each
    /// field one names, in name order, as the closure uses it.
    fn project_map(f: &mut Fingerprint, shape: &Shape, names: &[&str], v: &Value) {
        if names.iter().any(|n| shape.truth.contains(*n)) {
            // Empty, it is false (and all of it is that it is empty).
            f.word(0x100 | u64::from(v.is_truthy()));
        }
        let Some(map) = v.as_map() else {
            f.word(0xff);
            return;
        };
        if map.keys().any(|k| k.as_str().is_none()) {
            // No serialized context has such keys; hashing it all is
            // never wrong (only less often a hit).
            f.value(v);
            return;
        }
        let made;
        let plan = match names {
            [one] => shape.plans.get(*one).unwrap_or(&EMPTY_PLAN),
            _ => {
                made = shape.plan_of(names);
                &made
            }
        };
        for field in &plan.fields {
            let Some(x) = map.get(&field.key) else {
                continue;
            };
            f.str(&field.name);
            match x.as_array() {
                Some(list) if !field.whole => {
                    // Only its length and, through the loop variables,
                    // the fields of its items.
                    f.word(6);
                    f.word(list.len() as u64);
                    let items: Vec<&str> = field.items.iter().map(String::as_str).collect();
                    for item in list {
                        match item.is_map() && !items.is_empty() {
                            true => Self::project_map(f, shape, &items, item),
                            false if items.is_empty() => {}
                            false => f.value(item),
                        }
                    }
                }
                _ => f.value(x),
            }
        }
        f.word(0xff);
    }

    /// Hashes what `shape` can read of `ctx`, an output's context built on
    /// the shared context `base` (or `base` itself): a value hashed whole
    /// that is the very value `base` holds (a map or list at the same
    /// address, both alive) is hashed once, and its fingerprint stands for
    /// it from then on.
    fn project(&self, f: &mut Fingerprint, shape: &Shape, ctx: &Context, base: &Context) {
        for var in &shape.vars {
            let Some(v) = ctx.get(var) else { continue };
            f.str(var);
            if v.is_map() && !shape.whole.contains(var) {
                Self::project_map(f, shape, &[var.as_str()], v);
                continue;
            }
            match base.get(var).and_then(|b| shared(v, b)) {
                Some(at) => {
                    let mut globals = self.globals.lock().unwrap_or_else(|e| e.into_inner());
                    let fp = globals.entry((var.clone(), at)).or_insert_with(|| {
                        let mut g = Fingerprint::default();
                        g.value(v);
                        g.finish()
                    });
                    f.word(*fp);
                }
                None => f.value(v),
            }
        }
    }
}

/// The address of the map or list `a` when `b` is that very map or list.
fn shared(a: &Value, b: &Value) -> Option<usize> {
    if let (Some(x), Some(y)) = (a.as_map(), b.as_map()) {
        return std::ptr::eq(x, y).then_some(x as *const _ as usize);
    }
    match (a.as_array(), b.as_array()) {
        (Some(x), Some(y)) if !x.is_empty() && std::ptr::eq(x, y) => Some(x.as_ptr() as usize),
        _ => None,
    }
}

impl Memo for RenderMemo {
    fn key(&self, template: &str, ctx: &Context, base: &Context) -> Option<u64> {
        if !self.recalls || self.edited.contains(template) {
            return None;
        }
        self.fingerprint(template, ctx, base)
    }

    fn fingerprint(&self, template: &str, ctx: &Context, base: &Context) -> Option<u64> {
        // Unknown template or one that reads everything: no key, so what
        // it rendered is neither recalled nor recorded.
        let shape = self.shapes.get(template).filter(|s| !s.everything)?;
        let mut f = Fingerprint::default();
        f.str(template);
        f.word(shape.text);
        self.project(&mut f, shape, ctx, base);
        Some(f.finish())
    }

    fn recall(&self, key: u64) -> Option<Arc<[u8]>> {
        let html = self.previous.html.get(&key)?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        self.html
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, html.clone());
        Some(html.clone())
    }

    fn remember(&self, key: Option<u64>, html: &Arc<[u8]>) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        let Some(key) = key else { return };
        self.html
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, html.clone());
    }

    fn keep(&self, path: &str, template: &str, inputs: u64, base: &Context) -> bool {
        match self.kept_key(template, inputs, base) {
            Some(fp) => self.same(path, fp),
            None => false,
        }
    }

    fn keep_page(
        &self,
        index: usize,
        path: &dyn Fn() -> String,
        template: &str,
        inputs: u64,
        base: &Context,
    ) -> bool {
        let Some(slot) = self.pages.get(index) else {
            return self.keep(&path(), template, inputs, base);
        };
        let Some(fp) = self.kept_key(template, inputs, base) else {
            self.pages_missed.fetch_add(1, Ordering::Relaxed);
            slot.path.store(path_key(&path()), Ordering::Relaxed);
            return false;
        };
        let before = self.previous.pages.get(index).copied().unwrap_or_default();
        // The inputs cover the path: the same fingerprint at the same
        // index is the same output, found without reading the path.
        let (key, kept) = if before.path != 0 && before.fp == fp {
            (before.path, true)
        } else {
            let key = path_key(&path());
            let was = if before.path == key {
                Some(before.fp)
            } else {
                self.previous_page(key)
            };
            (key, was == Some(fp))
        };
        slot.path.store(key, Ordering::Relaxed);
        slot.fp.store(fp, Ordering::Relaxed);
        if !kept {
            self.pages_missed.fetch_add(1, Ordering::Relaxed);
        }
        kept
    }

    fn reads(&self, template: &str, path: &[&str]) -> bool {
        self.shapes.get(template).is_none_or(|s| s.reads(path))
    }

    fn keep_file(&self, path: &str, inputs: u64) -> bool {
        let mut f = Fingerprint::default();
        f.word(inputs);
        let kept = self.same(path, f.finish());
        if kept {
            self.kept_files.fetch_add(1, Ordering::Relaxed);
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_variables_and_fields() {
        let s = scan(
            r#"<p class="site">{{ site.title }} {{ page | json_encode }}{% for p in section.pages %}{{ p.url }}{% endfor %}{% include "x.html" %}{# site #}"#,
        );
        assert!(
            s.vars.contains("site")
                && s.vars.contains("page")
                && s.vars.contains("section")
                && s.vars.contains("p")
        );
        assert!(
            !s.vars.contains("json_encode") && !s.vars.contains("title") && !s.vars.contains("url")
        );
        assert!(!s.whole.contains("site"), "site is only used with a dot");
        assert!(s.whole.contains("page"));
        let named =
            |var: &str| -> BTreeSet<&str> { s.fields[var].keys().map(String::as_str).collect() };
        assert_eq!(named("site"), BTreeSet::from(["title"]));
        assert_eq!(named("section"), BTreeSet::from(["pages"]));
        assert_eq!(named("p"), BTreeSet::from(["url"]));
        assert!(!s.fields.contains_key("page"));
        let pages = &s.fields["section"]["pages"];
        assert!(!pages.whole, "only looped over");
        assert_eq!(pages.items, HashSet::from(["p".to_string()]));
        assert!(s.whole.contains("page") && !s.whole.contains("p"));
        assert_eq!(s.deps, vec!["x.html".to_string()]);
    }

    /// A theme of `(name, text)` templates, each at `templates/NAME`.
    fn theme_of(templates: &[(&str, &str)]) -> Theme {
        Theme {
            templates: templates
                .iter()
                .map(|(name, text)| crate::theme::TemplateSource {
                    name: name.to_string(),
                    text: text.to_string(),
                    path: format!("templates/{name}"),
                })
                .collect(),
            statics: Vec::new(),
        }
    }

    /// The memo of a theme with one template, `a.html`.
    fn memo_of(text: &str) -> RenderMemo {
        RenderMemo::new(Some(Carry::default()), 0, &theme_of(&[("a.html", text)]), 0)
    }

    /// A theme with one template, `a.html`, reading `page`.
    fn page_theme() -> Theme {
        theme_of(&[("a.html", "{{ page.title }}")])
    }

    /// One rebuild through a memo over `carry`: pages asked about as
    /// `(path, inputs)` by index; which were kept, the count of kept
    /// paths, and the carry for the next rebuild.
    fn round(carry: Option<Carry>, pages: &[(&str, u64)]) -> (Vec<bool>, usize, Carry) {
        let memo = RenderMemo::new(carry, 0, &page_theme(), pages.len());
        let base = Context::new();
        let kept = pages
            .iter()
            .enumerate()
            .map(|(i, (path, inputs))| {
                memo.keep_page(i, &|| path.to_string(), "a.html", *inputs, &base)
            })
            .collect();
        let count = memo.kept();
        (kept, count, memo.finish(true))
    }

    #[test]
    fn pages_are_kept_by_index_and_found_by_path_when_they_moved() {
        let (kept, count, carry) = round(None, &[("a/", 1), ("b/", 2), ("c/", 3)]);
        assert_eq!((kept, count), (vec![false; 3], 0), "nothing known yet");
        let (kept, count, carry) = round(Some(carry), &[("a/", 1), ("b/", 5), ("c/", 3)]);
        assert_eq!((kept, count), (vec![true, false, true], 2));
        // A page put in front: the others moved one index on.
        let (kept, count, carry) =
            round(Some(carry), &[("new/", 9), ("a/", 1), ("b/", 5), ("c/", 4)]);
        assert_eq!((kept, count), (vec![false, true, true, false], 2));
        let has = carry.has();
        assert!(has("new/") && has("c/") && !has("gone/"));
        drop(has);
        // Pages removed: what is left is found where it is now.
        let (kept, count, mut carry) = round(Some(carry), &[("b/", 5)]);
        assert_eq!((kept, count), (vec![true], 1));
        assert!(!carry.has()("a/"), "a page no longer asked about is gone");
        carry.forget("b/");
        let (kept, _, _) = round(Some(carry), &[("b/", 5)]);
        assert_eq!(kept, vec![false], "a forgotten page renders again");
    }

    #[test]
    fn a_failed_rebuild_keeps_the_pages_served_before_it() {
        let (_, _, carry) = round(None, &[("a/", 1)]);
        let memo = RenderMemo::new(Some(carry), 0, &page_theme(), 1);
        assert!(!memo.keep_page(0, &|| "a/".into(), "a.html", 2, &Context::new()));
        let carry = memo.finish(false);
        let (kept, _, _) = round(Some(carry), &[("a/", 1)]);
        assert_eq!(kept, vec![true], "the served page is still the first one");
    }

    #[test]
    fn a_shared_value_hashed_whole_is_hashed_once_and_keys_hold_across_rebuilds() {
        // `t[kind]` reads `t` whole.
        let text = "{{ t[kind] }}";
        let base_of = |yes: &str| {
            let mut base = Context::new();
            base.insert("t", &serde_json::json!({"a": yes, "b": "nei"}));
            base
        };
        let ctx = |base: &Context, kind: &str| {
            let mut c = base.clone();
            c.insert("kind", kind);
            c
        };
        let memo = memo_of(text);
        let base = base_of("ja");
        let k = memo.key("a.html", &ctx(&base, "a"), &base);
        assert!(k.is_some());
        assert_eq!(k, memo.key("a.html", &ctx(&base, "a"), &base));
        assert_ne!(k, memo.key("a.html", &ctx(&base, "b"), &base));
        assert_eq!(memo.globals.lock().unwrap().len(), 1, "`t` hashed once");
        // An output that holds another `t` is hashed by what that holds.
        let mut other = ctx(&base, "a");
        other.insert("t", &serde_json::json!({"a": "JA", "b": "nei"}));
        assert_ne!(k, memo.key("a.html", &other, &base));
        // The next rebuild's shared context is new, with the same words:
        // the same key, so its outputs are found again; other words, not.
        let next = memo_of(text);
        let again = base_of("ja");
        assert_eq!(k, next.key("a.html", &ctx(&again, "a"), &again));
        let changed = base_of("JA");
        assert_ne!(k, next.key("a.html", &ctx(&changed, "a"), &changed));
    }

    #[test]
    fn keys_follow_what_templates_read() {
        let memo = memo_of("{{ site.title }} {{ page.title }}{% set p = page %}");
        let ctx = |title: &str, newest: &str, body: &str| {
            let mut c = Context::new();
            c.insert(
                "site",
                &serde_json::json!({"title": title, "newest": newest}),
            );
            c.insert("page", &serde_json::json!({"title": "p", "content": body}));
            c
        };
        let k = memo.key("a.html", &ctx("A", "x", "b"), &Context::new());
        assert_eq!(
            k,
            memo.key("a.html", &ctx("A", "y", "b"), &Context::new()),
            "site.newest is not read"
        );
        assert_ne!(k, memo.key("a.html", &ctx("B", "x", "b"), &Context::new()));
        assert_ne!(
            k,
            memo.key("a.html", &ctx("A", "x", "c"), &Context::new()),
            "page is read whole"
        );
        assert_eq!(
            memo.key("zz.html", &ctx("A", "x", "b"), &Context::new()),
            None,
            "a template the memo does not know has no key"
        );
    }

    #[test]
    fn an_output_that_reads_everything_is_never_recalled() {
        let theme = |text: &str| theme_of(&[("a.html", text)]);
        let ctx = |title: &str| {
            let mut c = Context::new();
            c.insert("page", &serde_json::json!({ "title": title }));
            c
        };
        // Rendered from one context and then another: what the first
        // rebuild rendered must not come back in the next. (Keys that
        // only had to differ within one rebuild once did come back.)
        let whole = theme("{{ __tera_context }}");
        for template in ["a.html", "zz.html"] {
            let first = RenderMemo::new(Some(Carry::default()), 0, &whole, 0);
            let k = first.key(template, &ctx("old"), &Context::new());
            assert_eq!(k, None, "{template}: no key");
            first.remember(k, &Arc::from(&b"old"[..]));
            assert_eq!(first.counts(), (0, 1), "it still counts as rendered");
            let carry = first.finish(true);
            assert!(carry.html.is_empty(), "{template}: nothing recorded");
            let next = RenderMemo::new(Some(carry), 0, &whole, 0);
            assert_eq!(next.key(template, &ctx("new"), &Context::new()), None);
        }
        // A template that reads less is recalled by its key.
        let some = theme("{{ page.title }}");
        let first = RenderMemo::new(Some(Carry::default()), 0, &some, 0);
        let k = first.key("a.html", &ctx("old"), &Context::new());
        first.remember(k, &Arc::from(&b"old"[..]));
        let next = RenderMemo::new(Some(first.finish(true)), 0, &some, 0);
        let k = next
            .key("a.html", &ctx("old"), &Context::new())
            .expect("a key");
        assert_eq!(next.recall(k).as_deref(), Some(&b"old"[..]));
    }

    #[test]
    fn outputs_of_a_template_just_edited_get_no_key() {
        let theme = |a: &str| theme_of(&[("a.html", a), ("b.html", "{{ page.title }}")]);
        let mut ctx = Context::new();
        ctx.insert("page", &serde_json::json!({ "title": "t" }));
        let first = RenderMemo::new(Some(Carry::default()), 0, &theme("{{ page.title }}!"), 0);
        assert!(
            first.key("a.html", &ctx, &Context::new()).is_some(),
            "nothing was edited"
        );
        assert!(first.key("b.html", &ctx, &Context::new()).is_some());
        // `a.html` edited: its outputs have none, the others have keys.
        let edited = RenderMemo::new(Some(first.finish(true)), 0, &theme("{{ page.title }}?"), 0);
        assert_eq!(
            edited.key("a.html", &ctx, &Context::new()),
            None,
            "a.html was just edited"
        );
        assert!(edited.key("b.html", &ctx, &Context::new()).is_some());
        let next = RenderMemo::new(Some(edited.finish(true)), 0, &theme("{{ page.title }}?"), 0);
        assert!(
            next.key("a.html", &ctx, &Context::new()).is_some(),
            "as it was the last time"
        );
        // Edited, and another environment: the carry is not used, so
        // nothing can be found by a key, and no output gets one; the
        // rebuild after it gives keys again.
        let other = RenderMemo::new(Some(next.finish(true)), 1, &theme("{{ page.title }}!"), 0);
        assert_eq!(other.key("a.html", &ctx, &Context::new()), None);
        assert_eq!(other.key("b.html", &ctx, &Context::new()), None);
        let then = RenderMemo::new(Some(other.finish(true)), 1, &theme("{{ page.title }}!"), 0);
        assert!(
            then.key("a.html", &ctx, &Context::new()).is_some()
                && then.key("b.html", &ctx, &Context::new()).is_some()
        );
    }

    #[test]
    fn the_first_rebuild_gives_no_keys() {
        let theme = theme_of(&[("a.html", "{{ page.title }}")]);
        let mut ctx = Context::new();
        ctx.insert("page", &serde_json::json!({ "title": "t" }));
        let first = RenderMemo::new(None, 0, &theme, 0);
        assert_eq!(
            first.key("a.html", &ctx, &Context::new()),
            None,
            "nothing to find it among"
        );
        let next = RenderMemo::new(Some(first.finish(true)), 0, &theme, 0);
        assert!(next.key("a.html", &ctx, &Context::new()).is_some());
    }

    #[test]
    fn a_value_read_as_true_or_false_is_hashed_as_that() {
        let ctx = |page: serde_json::Value| {
            let mut c = Context::new();
            c.insert("page", &page);
            c.insert("x", &true);
            c
        };
        let full = |body: &str| serde_json::json!({"title": "t", "content": body, "topics": [{"count": body.len()}]});
        let key =
            |memo: &RenderMemo, page| memo.key("a.html", &ctx(page), &Context::new()).unwrap();
        for text in [
            "{% if page %}{{ page.title }}{% endif %}",
            "{% if page and page.title %}x{% endif %}",
            "{% if x and not page %}x{% elif page or x %}y{% endif %}",
            "{{ page and page.title }}",
            "{%- if page.topics -%}x{%- endif -%}{{ page.title }}",
            "{% if x and page.topics %}x{% endif %}{{ page.title }}",
        ] {
            let memo = memo_of(text);
            assert_eq!(key(&memo, full("a")), key(&memo, full("bb")), "{text}");
            assert_ne!(
                key(&memo, full("a")),
                key(&memo, serde_json::json!({})),
                "{text}: empty is false"
            );
        }
        // Where the value itself may flow on, it is read whole.
        for text in [
            "{{ page or x }}",
            "{{ x and page }}",
            "{% set p = page and x %}{{ p }}",
            "{% if not page == x %}{% endif %}",
            "{% if page is defined %}{% endif %}{{ page.title }}",
            "{{ x and page.topics or x }}",
            "{{ x and page.topics }}",
        ] {
            let memo = memo_of(text);
            assert_ne!(key(&memo, full("a")), key(&memo, full("bb")), "{text}");
        }
    }

    #[test]
    fn tells_which_values_a_template_may_read() {
        let memo = RenderMemo::new(
            None,
            0,
            &theme_of(&[
                (
                    "a.html",
                    "{% for x in page.topics %}{{ x.title }}{% endfor %}{{ page.tags | length }}",
                ),
                (
                    "b.html",
                    "{% for x in page.topics %}{{ x.count }}{% endfor %}",
                ),
                ("c.html", "{{ page.topics | json_encode }}"),
                ("d.html", "{{ __tera_context }}"),
            ]),
            0,
        );
        let count = |tax| ["page", tax, "[]", "count"];
        assert!(!memo.reads("a.html", &count("topics")));
        assert!(!memo.reads("a.html", &count("tags")), "only its length");
        assert!(memo.reads("a.html", &["page", "topics", "[]", "title"]));
        assert!(!memo.reads("a.html", &["site", "topics"]));
        assert!(memo.reads("b.html", &count("topics")));
        assert!(memo.reads("c.html", &count("topics")), "read whole");
        assert!(memo.reads("d.html", &count("topics")), "reads everything");
        assert!(memo.reads("zz.html", &count("topics")), "unknown");
    }

    #[test]
    fn a_field_of_one_variable_is_not_read_for_another() {
        let memo = memo_of("{{ page.topics | length }}{{ site.topics_url }}");
        let ctx = |count: u32| {
            let mut c = Context::new();
            c.insert(
                "site",
                &serde_json::json!({"topics_url": "tema/", "topics": [{"count": count}]}),
            );
            c.insert("page", &serde_json::json!({"topics": [{"count": count}]}));
            c
        };
        assert_eq!(
            memo.key("a.html", &ctx(1), &Context::new()),
            memo.key("a.html", &ctx(2), &Context::new()),
            "site.topics is not read, and of page.topics only its length"
        );
    }

    #[test]
    fn the_items_of_a_list_are_hashed_as_its_loop_reads_them() {
        let ctx = |topics: serde_json::Value| {
            let mut c = Context::new();
            c.insert("page", &serde_json::json!({ "topics": topics }));
            c
        };
        let one = |title: &str, count: u32| serde_json::json!([{"title": title, "count": count}]);
        let key =
            |memo: &RenderMemo, topics| memo.key("a.html", &ctx(topics), &Context::new()).unwrap();
        for text in [
            "{% for x in page.topics %}{{ x.title }}{% endfor %}",
            "{%- for x in page.topics -%}{{ x.title }}{%- endfor %}",
        ] {
            let memo = memo_of(text);
            let k = key(&memo, one("Verdi", 1));
            assert_eq!(k, key(&memo, one("Verdi", 2)), "{text}: count is not read");
            assert_ne!(k, key(&memo, one("Pris", 1)), "{text}: title is");
            let two = serde_json::json!([{"title": "Verdi", "count": 1}, {"title": "Verdi"}]);
            assert_ne!(k, key(&memo, two), "{text}: so is the number of items");
        }
        // Read some other way, the list is hashed whole.
        for text in [
            "{% for x in page.topics %}{{ x }}{% endfor %}",
            "{% for x in page.topics | sort(attribute=\"count\") %}{{ x.title }}{% endfor %}",
            "{% for x in page.topics %}{{ x.title }}{% endfor %}{% set t = page.topics %}",
            "{% for x in page.topics %}{{ x.title }}{% endfor %}{{ page.topics.0.count }}",
            "{% for x in page.topics %}{{ x.title }}{% endfor %}{% for x in page.topics if x.count %}{% endfor %}",
        ] {
            let memo = memo_of(text);
            assert_ne!(
                key(&memo, one("Verdi", 1)),
                key(&memo, one("Verdi", 2)),
                "{text}: count may be read"
            );
        }
    }

    #[test]
    fn a_map_is_hashed_by_the_fields_read_whatever_the_order_of_its_keys() {
        let memo = memo_of(
            "{% for x in page.topics %}{{ x.title }}{% endfor %}\
             {% for y in page.topics %}{{ y.count }}{% endfor %}",
        );
        let key = |topics: Value| {
            let mut page = tera::value::Map::default();
            page.insert(tera::value::Key::Str("topics"), topics);
            let mut c = Context::new();
            c.insert("page", &Value::from(page));
            memo.key("a.html", &c, &Context::new()).unwrap()
        };
        let item = |pairs: &[(&str, serde_json::Value)]| {
            let mut m = tera::value::Map::default();
            for (k, v) in pairs {
                m.insert(
                    tera::value::Key::String(Arc::from(*k)),
                    Value::from_serializable(v),
                );
            }
            Value::from(vec![Value::from(m)])
        };
        let (t, c, u) = (
            ("title", serde_json::json!("Verdi")),
            ("count", serde_json::json!(1)),
            ("url", serde_json::json!("a/")),
        );
        let k = key(item(&[t.clone(), c.clone(), u.clone()]));
        assert_eq!(k, key(item(&[u.clone(), c.clone(), t.clone()])));
        assert_eq!(
            k,
            key(item(&[
                t.clone(),
                c.clone(),
                ("url", serde_json::json!("b/"))
            ])),
            "url is not read"
        );
        // Both loops' variables read the items: title and count.
        assert_ne!(k, key(item(&[t.clone(), ("count", serde_json::json!(2))])));
        assert_ne!(k, key(item(&[t.clone(), u.clone()])), "count went");
        // An item with a key that is not a string is hashed whole.
        let odd = |s: &str| {
            let mut m = tera::value::Map::default();
            m.insert(tera::value::Key::U64(1), Value::from(s));
            Value::from(vec![Value::from(m)])
        };
        assert_ne!(key(odd("a")), key(odd("b")));
    }

    #[test]
    fn outputs_still_served_are_recalled_after_rebuilds_that_kept_them() {
        let theme = page_theme();
        let mut ctx = Context::new();
        ctx.insert("page", &serde_json::json!({ "title": "t" }));
        for copied in [false, true] {
            let first = RenderMemo::new(Some(Carry::default()), 0, &theme, 0);
            let k = first.key("a.html", &ctx, &Context::new());
            let html: Arc<[u8]> = Arc::from(&b"t"[..]);
            first.remember(k, &html);
            let mut carry = first.finish(true);
            let served = |bytes: &Arc<[u8]>| {
                super::super::files::Files::from_iter([("a/index.html".to_string(), bytes.clone())])
            };
            carry.settle(&served(&html));
            // Two rebuilds that kept the output: its key was not asked for.
            // In the second, what is served is the same text in another
            // buffer: not the output recorded.
            let next = RenderMemo::new(Some(carry), 0, &theme, 0);
            let mut carry = next.finish(true);
            carry.settle(&served(&html));
            let next = RenderMemo::new(Some(carry), 0, &theme, 0);
            let mut carry = next.finish(true);
            let copy: Arc<[u8]> = Arc::from(&html[..]);
            carry.settle(&served(if copied { &copy } else { &html }));
            let last = RenderMemo::new(Some(carry), 0, &theme, 0);
            let found = last.recall(last.key("a.html", &ctx, &Context::new()).unwrap());
            match copied {
                false => assert_eq!(found.as_deref(), Some(&b"t"[..]), "still served"),
                true => assert_eq!(found, None, "no longer served, no longer held"),
            }
        }
    }

    #[test]
    fn the_rel_filter_reads_where_the_page_is() {
        let memo = memo_of("{{ p.url | rel }}");
        let ctx = |here: &str| {
            let mut c = Context::new();
            c.insert("p", &serde_json::json!({"url": "a/b/"}));
            c.insert("current_url", here);
            c.insert("root", "../../");
            c
        };
        assert_ne!(
            memo.key("a.html", &ctx("a/x/"), &Context::new()),
            memo.key("a.html", &ctx("c/x/"), &Context::new()),
            "the same link is another href from another folder"
        );
    }

    #[test]
    fn a_component_defined_elsewhere_is_part_of_every_closure() {
        let theme = |button: &str| {
            let parts = format!(
                "{{% component button(label: string) %}}{button}{{% endcomponent button %}}"
            );
            theme_of(&[
                ("a.html", "{{<button label={page.title} />}}"),
                ("parts.html", &parts),
            ])
        };
        assert!(scan(&theme("x").templates[1].text).component);
        let mut c = Context::new();
        c.insert("page", &serde_json::json!({"title": "p"}));
        let before = RenderMemo::new(Some(Carry::default()), 0, &theme("<b>{{ label }}</b>"), 0);
        let after = RenderMemo::new(Some(Carry::default()), 0, &theme("<i>{{ label }}</i>"), 0);
        assert_ne!(
            before.key("a.html", &c, &Context::new()),
            after.key("a.html", &c, &Context::new()),
            "editing the component must change the key of its callers"
        );
    }
}
