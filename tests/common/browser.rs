//! Shared browser-test harness: a minimal W3C WebDriver client for Debian's
//! chromium + chromedriver, a static file server for a built site, and the
//! axe-core / vnu helpers.
//!
//! Include it from a test file with
//!
//! ```ignore
//! #[path = "common/browser.rs"]
//! #[allow(dead_code)]
//! mod browser;
//! use browser::{Browser, Viewport};
//! ```
//!
//! Nothing here sleeps to synchronise: every wait is a poll of a condition
//! with a bounded deadline ([`Browser::wait_until`]). When chromium or
//! chromedriver is missing the tests fail with a message saying what to
//! install — they never pass silently.
//!
//! Environment overrides: `VINN_CHROMIUM` (browser binary),
//! `VINN_CHROMEDRIVER` (driver binary), `VINN_BROWSER_TIMEOUT` (seconds for
//! page loads and waits, default 20).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The W3C key for element references in WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The headless Chromium flags every session uses (plus a fresh profile
/// directory and the window size).
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
];

/// Special keys for [`Browser::press`] (WebDriver's code points).
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SHIFT: &str = "\u{E008}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const SPACE: &str = " ";
    pub const ARROW_LEFT: &str = "\u{E012}";
    pub const ARROW_RIGHT: &str = "\u{E014}";
}

/// Window sizes the tests use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewport {
    /// 390 × 844, a typical phone.
    Phone,
    /// 1280 × 900.
    Desktop,
    Custom(u32, u32),
}

impl Viewport {
    pub fn size(self) -> (u32, u32) {
        match self {
            Viewport::Phone => (390, 844),
            Viewport::Desktop => (1280, 900),
            Viewport::Custom(w, h) => (w, h),
        }
    }
    pub fn name(self) -> String {
        match self {
            Viewport::Phone => "phone".into(),
            Viewport::Desktop => "desktop".into(),
            Viewport::Custom(w, h) => format!("{w}x{h}"),
        }
    }
}

/// The crate root (where Cargo.toml is).
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where screenshots go (gitignored).
pub fn artifacts_dir() -> PathBuf {
    let d = manifest_dir().join("tests").join("artifacts");
    std::fs::create_dir_all(&d).expect("cannot create tests/artifacts");
    d
}

/// The default deadline for loads and waits.
pub fn timeout() -> Duration {
    let secs = std::env::var("VINN_BROWSER_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

fn find_binary(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path).chain([
        PathBuf::from("/usr/bin"),
        PathBuf::from("/usr/lib/chromium"),
    ]) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn missing(what: &str, env: &str) -> ! {
    panic!(
        "browser tests need {what}, which was not found (looked at ${env}, PATH and /usr/bin). \
         Install Debian's packages: `apt-get install -y chromium chromium-driver` \
         (bash .ci/run does this), or point ${env} at the binary."
    )
}

// ---------------------------------------------------------------- HTTP/1.1

/// One HTTP/1.1 request over a fresh loopback connection; returns the status
/// and the body. Handles `Content-Length`, chunked and read-to-close bodies.
pub fn http_request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(180)))?;
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nAccept: application/json\r\n"
    );
    if body.is_some() {
        req.push_str(&format!(
            "Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n",
            payload.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(&payload);
    stream.write_all(req.as_bytes())?;
    stream.flush()?;
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad HTTP status line: {status_line:?}")))?;
    let mut length: Option<usize> = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            let v = v.trim();
            if k == "content-length" {
                length = v.parse().ok();
            } else if k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked") {
                chunked = true;
            }
        }
    }
    let mut out = Vec::new();
    if chunked {
        loop {
            let mut size_line = String::new();
            reader.read_line(&mut size_line)?;
            let size = usize::from_str_radix(size_line.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(|e| std::io::Error::other(format!("bad chunk size {size_line:?}: {e}")))?;
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size];
            reader.read_exact(&mut chunk)?;
            out.extend_from_slice(&chunk);
            let mut crlf = String::new();
            reader.read_line(&mut crlf)?;
        }
    } else if let Some(n) = length {
        out.resize(n, 0);
        reader.read_exact(&mut out)?;
    } else {
        reader.read_to_end(&mut out)?;
    }
    Ok((status, out))
}

// ---------------------------------------------------------------- base64

/// Decodes standard base64 (screenshots come back that way).
pub fn base64_decode(s: &str) -> Vec<u8> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

// ---------------------------------------------------------------- WebDriver

/// A WebDriver element reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element(pub String);

impl Element {
    /// The JSON form to pass as a script argument.
    pub fn json(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

/// A headless Chromium driven through chromedriver. Dropping it ends the
/// session and stops the driver.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    viewport: Viewport,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("cannot bind a loopback port");
    l.local_addr().expect("local addr").port()
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a session.
    pub fn start(viewport: Viewport) -> Browser {
        let chromium = find_binary("VINN_CHROMIUM", &["chromium", "chromium-browser"])
            .unwrap_or_else(|| missing("chromium", "VINN_CHROMIUM"));
        let chromedriver = find_binary("VINN_CHROMEDRIVER", &["chromedriver"])
            .unwrap_or_else(|| missing("chromedriver", "VINN_CHROMEDRIVER"));
        let profile = tempfile::Builder::new()
            .prefix("vinn-chromium-")
            .tempdir()
            .expect("cannot create a profile dir");
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
            viewport,
            _profile: profile,
        };
        // Wait (bounded) for the driver to answer /status.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok((200, body)) = http_request(port, "GET", "/status", None)
                && serde_json::from_slice::<Value>(&body)
                    .ok()
                    .and_then(|v| v["value"]["ready"].as_bool())
                    == Some(true)
            {
                break;
            }
            if let Ok(Some(status)) = b.driver.try_wait() {
                panic!("chromedriver exited before it was ready ({status})");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready within 20 s"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
        let (w, h) = viewport.size();
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", b._profile.path().display()));
        args.push(format!("--window-size={w},{h}"));
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "unhandledPromptBehavior": "dismiss",
                    "timeouts": { "pageLoad": timeout().as_millis() as u64, "script": 60000, "implicit": 0 },
                    "goog:chromeOptions": { "binary": chromium.display().to_string(), "args": args }
                }
            }
        });
        let v = b
            .raw("POST", "/session", Some(&caps))
            .unwrap_or_else(|e| panic!("cannot create a WebDriver session: {e}"));
        b.session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in {v}"))
            .to_string();
        b.set_window(viewport);
        b
    }

    /// A Chrome DevTools Protocol command through chromedriver.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    pub fn viewport(&self) -> Viewport {
        self.viewport
    }

    fn raw(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let (status, bytes) = http_request(self.port, method, path, body)
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let v: Value = serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "{method} {path}: bad JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        })?;
        if status != 200 {
            return Err(format!(
                "{method} {path}: {} – {}",
                v["value"]["error"].as_str().unwrap_or("error"),
                v["value"]["message"]
                    .as_str()
                    .unwrap_or("")
                    .lines()
                    .next()
                    .unwrap_or("")
            ));
        }
        Ok(v["value"].clone())
    }

    /// A session command; `Err` carries the WebDriver error text.
    pub fn try_cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let body = if method == "POST" {
            Some(body.unwrap_or_else(|| json!({})))
        } else {
            body
        };
        self.raw(
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        )
    }

    /// A session command that must succeed.
    pub fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_cmd(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver: {e}"))
    }

    /// Loads a URL and waits for the document to be complete.
    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn title(&self) -> String {
        self.cmd("GET", "/title", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Opens a new tab and makes it the current one; returns its handle.
    pub fn new_tab(&self) -> String {
        let v = self.cmd("POST", "/window/new", Some(json!({ "type": "tab" })));
        let handle = v["handle"].as_str().unwrap_or_default().to_string();
        self.switch_to(&handle);
        handle
    }

    /// Makes the tab or window `handle` the current one.
    pub fn switch_to(&self, handle: &str) {
        self.cmd("POST", "/window", Some(json!({ "handle": handle })));
    }

    /// The current tab's handle.
    pub fn handle(&self) -> String {
        self.cmd("GET", "/window", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn refresh(&self) {
        self.cmd("POST", "/refresh", None);
    }

    pub fn back(&self) {
        self.cmd("POST", "/back", None);
    }

    /// Sets the viewport exactly (CSS pixels, device pixel ratio 1); the
    /// phone size also emulates a mobile device (touch, meta viewport).
    pub fn set_window(&mut self, viewport: Viewport) {
        let (w, h) = viewport.size();
        let mobile = viewport == Viewport::Phone;
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile }),
        );
        self.cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": mobile }),
        );
        self.viewport = viewport;
    }

    /// The first element matching a CSS selector, if any.
    pub fn try_find(&self, css: &str) -> Option<Element> {
        self.try_cmd(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        )
        .ok()
        .and_then(|v| v[ELEMENT_KEY].as_str().map(|s| Element(s.to_string())))
    }

    /// The first element matching a CSS selector; panics when there is none.
    pub fn find(&self, css: &str) -> Element {
        self.try_find(css)
            .unwrap_or_else(|| panic!("no element matches `{css}` on {}", self.url()))
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        self.cmd(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v[ELEMENT_KEY].as_str().map(|s| Element(s.to_string())))
                .collect()
        })
        .unwrap_or_default()
    }

    pub fn click(&self, e: &Element) {
        self.cmd("POST", &format!("/element/{}/click", e.0), None);
    }

    /// Types into an element.
    pub fn send_keys(&self, e: &Element, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        );
    }

    /// Presses and releases each key in turn at the focused element (use
    /// [`keys`] for special keys); this is real keyboard input.
    pub fn press(&self, keys: &[&str]) {
        let mut actions = Vec::new();
        for k in keys {
            actions.push(json!({ "type": "keyDown", "value": k }));
            actions.push(json!({ "type": "keyUp", "value": k }));
        }
        self.cmd(
            "POST",
            "/actions",
            Some(json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })),
        );
        self.cmd("DELETE", "/actions", None);
    }

    pub fn text(&self, e: &Element) -> String {
        self.cmd("GET", &format!("/element/{}/text", e.0), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn attr(&self, e: &Element, name: &str) -> Option<String> {
        self.cmd("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .as_str()
            .map(str::to_string)
    }

    pub fn property(&self, e: &Element, name: &str) -> Value {
        self.cmd("GET", &format!("/element/{}/property/{name}", e.0), None)
    }

    pub fn is_displayed(&self, e: &Element) -> bool {
        self.cmd("GET", &format!("/element/{}/displayed", e.0), None)
            .as_bool()
            .unwrap_or(false)
    }

    /// Runs a script (a function body: use `return`); a returned promise is
    /// awaited. `args` are available as `arguments[i]`.
    pub fn execute(&self, script: &str, args: &[Value]) -> Value {
        self.try_execute(script, args)
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    pub fn try_execute(&self, script: &str, args: &[Value]) -> Result<Value, String> {
        self.try_cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Evaluates a JavaScript expression.
    pub fn eval(&self, expr: &str) -> Value {
        self.execute(&format!("return ({expr});"), &[])
    }

    /// Polls `check` until it returns `Some`, for at most `limit`; panics
    /// naming `what` when the deadline passes.
    pub fn wait_until<T>(
        &self,
        what: &str,
        limit: Duration,
        mut check: impl FnMut(&Browser) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(v) = check(self) {
                return v;
            }
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {limit:?} waiting for {what} on {}",
                    self.url()
                );
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits until a JavaScript expression is truthy.
    pub fn wait_for_js(&self, expr: &str) {
        let script = format!("return !!({expr});");
        self.wait_until(expr, timeout(), |b| {
            b.try_execute(&script, &[])
                .ok()
                .filter(|v| v == &Value::Bool(true))
                .map(|_| ())
        });
    }

    /// Waits until `document.readyState` is complete.
    pub fn wait_loaded(&self) {
        self.wait_for_js("document.readyState === 'complete'");
    }

    /// The element that has keyboard focus, described as `tag#id.class`.
    pub fn focused(&self) -> String {
        self.eval(
            "(function(e){if(!e)return '';var s=e.tagName.toLowerCase();if(e.id)s+='#'+e.id;if(e.className&&typeof e.className==='string')s+='.'+e.className.trim().split(/\\s+/).join('.');return s;})(document.activeElement)",
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Saves a PNG screenshot of the viewport as tests/artifacts/NAME.png.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let data = self.cmd("GET", "/screenshot", None);
        self.save_png(name, data.as_str().unwrap_or_default())
    }

    /// Saves a PNG of the whole page (its full scroll height, at most
    /// 8000 px) as tests/artifacts/NAME.png.
    pub fn screenshot_full(&self, name: &str) -> PathBuf {
        let (w, _) = self.viewport.size();
        let h = self
            .eval("Math.ceil(document.documentElement.scrollHeight)")
            .as_f64()
            .unwrap_or(900.0)
            .min(8000.0);
        let shot = self.cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true, "clip": { "x": 0, "y": 0, "width": w, "height": h, "scale": 1 } }),
        );
        self.save_png(name, shot["data"].as_str().unwrap_or_default())
    }

    fn save_png(&self, name: &str, b64: &str) -> PathBuf {
        let bytes = base64_decode(b64);
        assert!(bytes.starts_with(b"\x89PNG"), "screenshot is not a PNG");
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, bytes)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        path
    }

    /// URLs of every resource the page has loaded (scripts, styles, images,
    /// fetches), from the Resource Timing API.
    pub fn resource_urls(&self) -> Vec<String> {
        self.eval("performance.getEntriesByType('resource').map(function(e){return e.name})")
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Runs axe-core on the page (WCAG 2.0/2.1 A and AA plus best practices)
    /// and returns the violations as readable lines: empty means clean.
    pub fn axe_violations(&self) -> Vec<String> {
        let loaded = self.eval("typeof window.axe === 'object'").as_bool() == Some(true);
        if !loaded {
            self.execute(&format!("{}\n;return true;", axe_source()), &[]);
        }
        let result = self.execute(
            "return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','best-practice'] }, resultTypes: ['violations'] })\
               .then(function (r) { return r.violations.map(function (v) { return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' '); }) }; }); });",
            &[],
        );
        result
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| {
                        let nodes: Vec<String> = v["nodes"]
                            .as_array()
                            .map(|n| {
                                n.iter()
                                    .filter_map(|x| x.as_str().map(|s| format!("    {s}")))
                                    .collect()
                            })
                            .unwrap_or_default();
                        format!(
                            "{} ({}): {}\n{}",
                            v["id"].as_str().unwrap_or("?"),
                            v["impact"].as_str().unwrap_or("?"),
                            v["help"].as_str().unwrap_or(""),
                            nodes.join("\n")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asserts that axe finds no violations on the current page.
    pub fn assert_accessible(&self, label: &str) {
        let v = self.axe_violations();
        assert!(
            v.is_empty(),
            "axe-core violations on {label} ({}):\n{}",
            self.url(),
            v.join("\n")
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.raw("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

// ---------------------------------------------------------------- tools from tests/node

/// tests/node/node_modules, where `npm ci --prefix tests/node` installs
/// axe-core and vnu-jar (and Zola, for `tests/corpus.rs`).
pub fn node_modules() -> PathBuf {
    manifest_dir()
        .join("tests")
        .join("node")
        .join("node_modules")
}

/// The source of axe.min.js.
pub fn axe_source() -> String {
    let p = node_modules().join("axe-core").join("axe.min.js");
    std::fs::read_to_string(&p).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): install the test tools with `npm ci --prefix tests/node` (bash .ci/run does this)",
            p.display()
        )
    })
}

/// The Nu HTML Checker's jar.
pub fn vnu_jar() -> PathBuf {
    let p = node_modules()
        .join("vnu-jar")
        .join("build")
        .join("dist")
        .join("vnu.jar");
    assert!(
        p.is_file(),
        "{} is missing: install the test tools with `npm ci --prefix tests/node` (bash .ci/run does this)",
        p.display()
    );
    p
}

// ---------------------------------------------------------------- the sample site

/// The sample site of the repository, built by the `vinn` binary into a
/// fresh temporary folder (removed when the value is dropped).
pub struct BuiltSite {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl BuiltSite {
    /// The output folder.
    pub fn path(&self) -> &Path {
        &self.root
    }
    /// `file://` URL of a path inside the site (`""` is the front page).
    pub fn file_url(&self, rel: &str) -> String {
        let mut p = self.root.join(rel);
        if rel.is_empty() || rel.ends_with('/') {
            p = p.join("index.html");
        }
        format!("file://{}", p.display())
    }
}

/// The sample site's root: the repository (`VINN_SAMPLE_ROOT` points at
/// another site instead).
pub fn sample_root() -> PathBuf {
    std::env::var_os("VINN_SAMPLE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(manifest_dir)
}

/// Builds the repository's sample site with extra `vinn build` arguments.
pub fn build_sample_site(extra: &[&str]) -> BuiltSite {
    build_site(&sample_root(), extra)
}

/// A copy of the sample site's sources (site.toml, content/, themes/,
/// templates/, static/) in a fresh temporary folder, to modify in a test.
pub fn copy_sample_site() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        if from.is_dir() {
            std::fs::create_dir_all(to).expect("mkdir");
            for e in std::fs::read_dir(from).expect("read_dir").flatten() {
                copy(&e.path(), &to.join(e.file_name()));
            }
        } else if from.is_file() {
            std::fs::copy(from, to).expect("copy");
        }
    }
    let root = sample_root();
    let dir = tempfile::Builder::new()
        .prefix("vinn-src-")
        .tempdir()
        .expect("tempdir");
    for part in ["site.toml", "content", "themes", "templates", "static"] {
        copy(&root.join(part), &dir.path().join(part));
    }
    dir
}

/// Builds the site at `root` into a temporary folder.
pub fn build_site(root: &Path, extra: &[&str]) -> BuiltSite {
    let dir = tempfile::Builder::new()
        .prefix("vinn-site-")
        .tempdir()
        .expect("tempdir");
    let out_dir = dir.path().join("public");
    let out = Command::new(env!("CARGO_BIN_EXE_vinn"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(&out_dir)
        .args(extra)
        .output()
        .expect("cannot run vinn");
    assert!(
        out.status.success(),
        "vinn build failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    BuiltSite {
        _dir: dir,
        root: out_dir,
    }
}

/// Every HTML file below `dir`, relative paths with `/`, sorted.
pub fn html_files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if p.extension().is_some_and(|x| x == "html") {
                let rel = p.strip_prefix(base).unwrap_or(&p);
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

// ---------------------------------------------------------------- static server

/// A tiny static file server on 127.0.0.1:0 for a built site: `/x/` serves
/// `x/index.html`, unknown paths get `404.html` with status 404. It keeps a
/// log of the paths requested. Stops when dropped.
pub struct StaticServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
    pub log: Arc<std::sync::Mutex<Vec<String>>>,
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn serve_one(root: &Path, mut stream: TcpStream, log: &std::sync::Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    if let Ok(mut l) = log.lock() {
        l.push(path.clone());
    }
    let safe = !path.split('/').any(|seg| seg == "..");
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if safe && file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

impl StaticServer {
    pub fn start(root: &Path) -> StaticServer {
        StaticServer::start_on(root, 0)
    }

    /// On a given port (0 picks a free one): a site served again where a
    /// browser met it before, as the same origin.
    pub fn start_on(root: &Path, port: u16) -> StaticServer {
        let listener =
            TcpListener::bind(("127.0.0.1", port)).expect("cannot bind the static server");
        let port = listener.local_addr().expect("addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        let root = root.to_path_buf();
        let (stop2, log2) = (stop.clone(), log.clone());
        let handle = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(s) = conn {
                    let root = root.clone();
                    let log = log2.clone();
                    std::thread::spawn(move || serve_one(&root, s, &log));
                }
            }
        });
        StaticServer {
            port,
            stop,
            handle: Some(handle),
            log,
        }
    }

    /// The URL of a path in the site (`""` is the front page).
    pub fn url(&self, rel: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}",
            self.port,
            rel.trim_start_matches('/')
        )
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
