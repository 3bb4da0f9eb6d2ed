//! HTTP: answering requests from the site in memory.
//!
//! A URL is decoded once and checked before it is looked up: a segment
//! that is `.` or `..`, an empty segment, a backslash or NUL, bad
//! percent-encoding or invalid UTF-8 gives 400. What remains is a key in
//! the map of rendered files; nothing is ever read from disk, so nothing
//! outside the site can be served. `a/b/` serves `a/b/index.html`, `a/b`
//! redirects to `a/b/` when that exists; a miss gets the theme's 404 page.
//! Responses carry a Content-Type, an ETag (`If-None-Match` gives 304),
//! and `Cache-Control: no-cache`; HEAD gets the headers only.
//!
//! A request from this machine must name it in its `Host` (`localhost`,
//! `*.localhost`, a loopback address), else it gets 403: a web page that
//! points its own domain at 127.0.0.1 (DNS rebinding) cannot read the
//! site being written, drafts and all, through the author's browser.
//!
//! A pool of workers takes requests off the server; event streams and
//! large bodies get their own thread, so a slow or dead client holds up
//! no one else.

use std::io::Cursor;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response, StatusCode};
use unicode_normalization::UnicodeNormalization;

use super::Shared;
use super::reload::{self, CLIENT_JS, EVENTS, SCRIPT};
use super::share;
use crate::diagnostics::Diagnostic;
use crate::output;

/// The list of every served file, one path a line (for tests and tools).
pub const FILES: &str = "/__vinn/files";

/// How often [`nudge_while_busy`] connects.
const NUDGE: Duration = Duration::from_millis(50);

/// How long after the last request [`nudge_while_busy`] keeps to `NUDGE`.
const QUIET: Duration = Duration::from_secs(10);

/// How often [`nudge_while_busy`] connects after that.
const QUIET_NUDGE: Duration = Duration::from_secs(1);

/// Bodies larger than this are written from their own thread.
const LARGE: usize = 256 * 1024;

/// What a URL path asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A key in the file map.
    File(String),
    /// Redirect to this (encoded) path.
    Redirect(String),
    NotFound,
    BadRequest,
}

pub use crate::site::percent_decode;

/// Percent-encodes a decoded path for a `Location` header.
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &c in path.as_bytes() {
        if c.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// The path of a request target, without query or fragment; absolute-form
/// targets (`http://host/path`) lose their scheme and host.
fn path_of(target: &str) -> &str {
    let t = target.split(['?', '#']).next().unwrap_or("");
    if let Some(rest) = t
        .strip_prefix("http://")
        .or_else(|| t.strip_prefix("https://"))
    {
        return rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    }
    t
}

/// Checks and decodes the path of a request: `None` means 400.
pub fn clean_path(target: &str) -> Option<String> {
    let raw = path_of(target);
    if !raw.starts_with('/') {
        return None;
    }
    let path = percent_decode(raw)?;
    if path.contains(['\\', '\0']) || path.chars().any(char::is_control) {
        return None;
    }
    let inner = &path[1..];
    let segments: Vec<&str> = inner.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if *seg == "." || *seg == ".." || (seg.is_empty() && !last) {
            return None;
        }
    }
    Some(path)
}

/// Maps a request target to what to answer, given the site's mount point
/// (`base`, e.g. `/` or `/opplaering/`) and a lookup in the file map.
pub fn resolve(target: &str, base: &str, exists: &dyn Fn(&str) -> bool) -> Target {
    let Some(path) = clean_path(target) else {
        return Target::BadRequest;
    };
    let query = target.find('?').map(|i| &target[i..]).unwrap_or("");
    let Some(rel) = path.strip_prefix(base) else {
        if path == "/" || format!("{path}/") == base {
            return Target::Redirect(format!("{}{query}", percent_encode(base)));
        }
        return Target::NotFound;
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    for candidate in [
        key.clone(),
        key.nfc().collect::<String>(),
        key.nfd().collect::<String>(),
    ] {
        if exists(&candidate) {
            return Target::File(candidate);
        }
    }
    if !rel.is_empty() && !rel.ends_with('/') && exists(&format!("{rel}/index.html")) {
        return Target::Redirect(format!("{}/{query}", percent_encode(&path)));
    }
    Target::NotFound
}

/// The Content-Type of an output path.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes(&b"X-Vinn"[..], &b"-"[..]).expect("a valid header"))
}

/// The `Host` a request from this machine named, when that is not this
/// machine. Requests from elsewhere (`--bind` to a network address) may
/// name the machine as they know it.
fn foreign_host(req: &Request) -> Option<String> {
    if !req.remote_addr().is_some_and(|a| a.ip().is_loopback()) {
        return None;
    }
    let host = request_header(req, "Host")?;
    (!is_loopback_host(host)).then(|| host.to_string())
}

/// Whether a `Host` value (with or without a port) names this machine:
/// `localhost`, a name under `.localhost`, or a loopback address.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        },
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn request_header<'a>(req: &'a Request, name: &'static str) -> Option<&'a str> {
    req.headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// Whether `If-None-Match` lists `etag` (weak comparison).
fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    if_none_match
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

/// Sends `body`, from a thread of its own when it is large.
fn send(req: Request, status: u16, ctype: &str, body: Arc<[u8]>, extra: Vec<Header>) {
    let len = body.len();
    let mut resp = Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", ctype),
            header("Cache-Control", "no-cache"),
            header("X-Content-Type-Options", "nosniff"),
        ],
        Cursor::new(ArcBytes(body)),
        Some(len),
        None,
    )
    // The length is known: say so, rather than chunking large bodies.
    .with_chunked_threshold(usize::MAX);
    for h in extra {
        resp.add_header(h);
    }
    if len > LARGE && *req.method() != Method::Head {
        std::thread::spawn(move || {
            let _ = req.respond(resp);
        });
    } else {
        let _ = req.respond(resp);
    }
}

/// Shared bytes as a reader's buffer.
struct ArcBytes(Arc<[u8]>);
impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn text(req: Request, status: u16, msg: &str) {
    send(
        req,
        status,
        "text/plain; charset=utf-8",
        Arc::from(msg.as_bytes()),
        Vec::new(),
    );
}

/// The page shown while there is no good build yet.
fn error_page(errors: &[Diagnostic]) -> Vec<u8> {
    let mut items = String::new();
    for d in errors {
        items.push_str(&format!(
            "<li>{}</li>\n",
            crate::markdown::escape(&d.to_string())
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>vinn: the site has errors</title></head>\n<body id=\"vinn-nothing-built\"><h1>The site has errors</h1>\n<p>Nothing is built yet. Fix them and this page reloads by itself.</p>\n<ul>\n{items}</ul>\n{}</body></html>\n",
        reload::script_tag()
    )
    .into_bytes()
}

/// Answers one request.
pub fn handle(req: Request, shared: &Arc<Shared>) {
    if let Some(host) = foreign_host(&req) {
        let body = format!(
            "vinn serve answers requests for this machine only (localhost, 127.0.0.1), not for `{host}`: open the address vinn printed\n"
        );
        send(
            req,
            403,
            "text/plain; charset=utf-8",
            Arc::from(body.into_bytes()),
            Vec::new(),
        );
        return;
    }
    let method = req.method().clone();
    if method != Method::Get && method != Method::Head {
        let allow = header("Allow", "GET, HEAD");
        send(
            req,
            405,
            "text/plain; charset=utf-8",
            Arc::from(&b"method not allowed\n"[..]),
            vec![allow],
        );
        return;
    }
    let url = req.url().to_string();
    let path = path_of(&url);
    if path == EVENTS {
        let since = query_param(&url, "generation").unwrap_or(0);
        let last = request_header(&req, "Last-Event-ID")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0);
        let shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("vinn-events".into())
            .spawn(move || shared.hub.stream(req, since.max(last)));
        if spawned.is_err() {
            eprintln!("warning: cannot start a thread for an event stream");
        }
        return;
    }
    if path == SCRIPT {
        send(
            req,
            200,
            "text/javascript; charset=utf-8",
            Arc::from(CLIENT_JS.as_bytes()),
            Vec::new(),
        );
        return;
    }
    if path == share::QR {
        qr_code(req, shared.share.as_deref(), &url);
        return;
    }
    if path == super::STATUS {
        send(
            req,
            200,
            "text/plain; charset=utf-8",
            Arc::from(shared.status().into_bytes()),
            Vec::new(),
        );
        return;
    }
    let Some(snapshot) = shared.wait_for_site() else {
        let errors = shared.hub.errors().map(|e| e.to_vec()).unwrap_or_default();
        let body = stamp_html(error_page(&errors), shared.hub.generation());
        send(
            req,
            500,
            "text/html; charset=utf-8",
            Arc::from(body),
            Vec::new(),
        );
        return;
    };
    if path == FILES {
        let mut body = snapshot.paths().join("\n");
        body.push('\n');
        send(
            req,
            200,
            "text/plain; charset=utf-8",
            Arc::from(body.into_bytes()),
            Vec::new(),
        );
        return;
    }
    match resolve(&url, &snapshot.base_path, &|k| snapshot.get(k).is_some()) {
        Target::BadRequest => text(req, 400, "bad request\n"),
        Target::Redirect(to) => send(
            req,
            301,
            "text/plain; charset=utf-8",
            Arc::from(&[][..]),
            vec![header("Location", &to)],
        ),
        Target::File(key) => match snapshot.get(&key) {
            Some(bytes) => serve_file(req, 200, &key, bytes.clone(), snapshot.generation),
            None => text(req, 404, "not found\n"),
        },
        Target::NotFound => match snapshot.get("404.html") {
            Some(page) => serve_file(req, 404, "404.html", page.clone(), snapshot.generation),
            None => text(req, 404, "not found\n"),
        },
    }
}

/// Answers [`share::QR`]: the QR code of a page's address where
/// participants open the site; 404 where there is none (on loopback),
/// 400 for a `path` that is not a served path.
fn qr_code(req: Request, origin: Option<&str>, url: &str) {
    let Some(origin) = origin else {
        text(
            req,
            404,
            "no network address: serve with --bind 0.0.0.0 (or --network-url URL) to share pages\n",
        );
        return;
    };
    let svg = query_text(url, "path")
        .and_then(|p| share::page_url(origin, &p))
        .and_then(|u| crate::qr::svg(&u));
    match svg {
        Some(svg) => send(
            req,
            200,
            "image/svg+xml",
            Arc::from(svg.into_bytes()),
            Vec::new(),
        ),
        None => text(req, 400, "bad request: ?path= takes a page's path\n"),
    }
}

fn stamp_html(body: Vec<u8>, generation: u64) -> Vec<u8> {
    reload::stamp(&body, generation).unwrap_or(body)
}

fn serve_file(req: Request, status: u16, key: &str, bytes: Arc<[u8]>, generation: u64) {
    let ctype = content_type(key);
    let html = ctype.starts_with("text/html");
    let etag = if html {
        format!("\"{:016x}-{generation}\"", output::hash(&bytes))
    } else {
        format!("\"{:016x}\"", output::hash(&bytes))
    };
    if status == 200
        && let Some(inm) = request_header(&req, "If-None-Match")
        && etag_matches(inm, &etag)
    {
        let resp = Response::empty(304)
            .with_header(header("ETag", &etag))
            .with_header(header("Cache-Control", "no-cache"));
        let _ = req.respond(resp);
        return;
    }
    let body = match html.then(|| reload::stamp(&bytes, generation)).flatten() {
        Some(stamped) => Arc::from(stamped),
        None => bytes,
    };
    send(req, status, ctype, body, vec![header("ETag", &etag)]);
}

/// When the server last took a request, for [`nudge_while_busy`], which
/// nudges only while clients are about.
pub struct Activity {
    start: Instant,
    /// Milliseconds from `start` to the last request.
    last: AtomicU64,
    nudger: OnceLock<std::thread::Thread>,
}

impl Default for Activity {
    fn default() -> Self {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
            nudger: OnceLock::new(),
        }
    }
}

impl Activity {
    /// A request came in: nudging goes on, or starts again.
    pub fn seen(&self) {
        self.last.store(self.now(), Ordering::Relaxed);
        if let Some(nudger) = self.nudger.get() {
            nudger.unpark();
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether no request came in for [`QUIET`] before `now` (milliseconds
    /// from the start).
    fn quiet_at(&self, now: u64) -> bool {
        now.saturating_sub(self.last.load(Ordering::Relaxed)) > QUIET.as_millis() as u64
    }
}

/// Connects to the server now and then and hangs up at once: every
/// `NUDGE` while requests come in, every `QUIET_NUDGE` once none came for
/// `QUIET` (`activity`), and at once when one comes again.
///
/// tiny_http hands each connection to a pool thread, and when several
/// arrive together one can be queued behind threads that are all busy
/// with long-lived connections (keep-alive, event streams, slow
/// clients), waiting until one of them closes. A connection that ends
/// at once frees a thread, which then takes the queued one. A
/// connection is queued only when others arrived with it, and those are
/// mostly served, so their requests bring the nudges back to `NUDGE`:
/// no connection waits longer than that, and at worst (all the others
/// slow clients that never finish a request) `QUIET_NUDGE`, while an
/// idle server is woken once a second instead of 20 times.
pub fn nudge_while_busy(addr: std::net::SocketAddr, activity: Arc<Activity>) {
    let target = match addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => {
            std::net::SocketAddr::from(([127, 0, 0, 1], addr.port()))
        }
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => {
            std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, addr.port()))
        }
        _ => addr,
    };
    let _ = activity.nudger.set(std::thread::current());
    loop {
        if activity.quiet_at(activity.now()) {
            // A request after the check unparks this thread: the park
            // then ends at once.
            std::thread::park_timeout(QUIET_NUDGE);
        } else {
            std::thread::sleep(NUDGE);
        }
        if let Ok(s) = std::net::TcpStream::connect_timeout(&target, Duration::from_secs(1)) {
            drop(s);
        }
    }
}

/// A query parameter, percent-decoded.
fn query_text(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| percent_decode(v)).flatten()
    })
}

fn query_param(url: &str, name: &str) -> Option<u64> {
    query_text(url, name)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_that_name_this_machine() {
        for h in [
            "localhost",
            "localhost:1111",
            "LocalHost:1111",
            "localhost.",
            "vinn.localhost:8080",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:80",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "10.0.0.2:1111",
            "[2001:db8::1]:1111",
            "",
            "localhost:abc",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn nudging_stops_when_no_request_came_for_a_while() {
        let a = Activity::default();
        let quiet = QUIET.as_millis() as u64;
        assert!(!a.quiet_at(quiet), "nudges right after the start");
        assert!(a.quiet_at(quiet + 1), "and stops with no request");
        a.seen();
        let at = a.last.load(Ordering::Relaxed);
        assert!(!a.quiet_at(at + quiet), "a request starts it again");
        assert!(a.quiet_at(at + quiet + 1));
    }

    fn site(k: &str) -> bool {
        [
            "index.html",
            "a/index.html",
            "a/b/index.html",
            "vinn.css",
            "bilder/blåbær.png",
            "404.html",
        ]
        .contains(&k)
    }

    #[test]
    fn resolves_directories_and_files() {
        assert_eq!(resolve("/", "/", &site), Target::File("index.html".into()));
        assert_eq!(
            resolve("/a/", "/", &site),
            Target::File("a/index.html".into())
        );
        assert_eq!(
            resolve("/a/b/?x=1", "/", &site),
            Target::File("a/b/index.html".into())
        );
        assert_eq!(
            resolve("/a/b?x=1", "/", &site),
            Target::Redirect("/a/b/?x=1".into())
        );
        assert_eq!(
            resolve("/vinn.css", "/", &site),
            Target::File("vinn.css".into())
        );
        assert_eq!(
            resolve("/bilder/bl%C3%A5b%C3%A6r.png", "/", &site),
            Target::File("bilder/blåbær.png".into())
        );
        // NFD (as macOS writes names) finds the NFC key.
        assert_eq!(
            resolve("/bilder/bla%CC%8Ab%C3%A6r.png", "/", &site),
            Target::File("bilder/blåbær.png".into())
        );
        assert_eq!(resolve("/nope/", "/", &site), Target::NotFound);
    }

    #[test]
    fn mounts_under_a_sub_path() {
        assert_eq!(
            resolve("/kurs/a/", "/kurs/", &site),
            Target::File("a/index.html".into())
        );
        assert_eq!(
            resolve("/kurs", "/kurs/", &site),
            Target::Redirect("/kurs/".into())
        );
        assert_eq!(resolve("/a/", "/kurs/", &site), Target::NotFound);
        assert_eq!(
            resolve("/", "/kurs/", &site),
            Target::Redirect("/kurs/".into())
        );
    }

    #[test]
    fn rejects_traversal() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/a/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/..%2fetc/passwd",
            "/..%5cetc/passwd",
            "/a\\..\\..\\etc\\passwd",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/./index.html",
            "/a/%00",
            "/%zz",
            "/%c0%ae%c0%ae/etc/passwd",
            "etc/passwd",
        ] {
            assert_eq!(resolve(bad, "/", &site), Target::BadRequest, "{bad}");
        }
        // Decoded once only: a double-encoded dot-dot is a (missing) name.
        assert_eq!(
            resolve("/%252e%252e/etc/passwd", "/", &site),
            Target::NotFound
        );
    }

    #[test]
    fn etags_compare_weakly() {
        assert!(etag_matches("\"a\", W/\"b\"", "\"b\""));
        assert!(etag_matches("*", "\"b\""));
        assert!(!etag_matches("\"a\"", "\"b\""));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/atom+xml");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}
