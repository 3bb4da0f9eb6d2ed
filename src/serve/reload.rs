//! Live reload: Server-Sent Events on [`EVENTS`], written by hand on the
//! raw connection (tiny_http's chunked responses buffer small writes), and
//! the client script injected into served HTML.
//!
//! The hub holds the state every page needs to know about: the
//! generation of the served site (bumped on every good rebuild) and the
//! errors of the last rebuild, if it failed. A page carries the generation
//! it was served at, so an event sent before its stream connected is not
//! missed: a client behind the current generation is told to reload at
//! once. Comments every [`HEARTBEAT`] find dead clients.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::diagnostics::Diagnostic;

/// The event stream.
pub const EVENTS: &str = "/__vinn/events";
/// The client script.
pub const SCRIPT: &str = "/__vinn/reload.js";
/// What a page carries before `</body>`; [`GENERATION_MARK`] is followed by
/// a 20-digit placeholder that the server fills in per response.
pub const GENERATION_MARK: &str = "data-vinn-generation=\"";
const PLACEHOLDER: &str = "00000000000000000000";

/// Sent when nothing else was, so a dead client shows up as a failed write.
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// More event streams than this are refused (503).
const MAX_CLIENTS: usize = 256;
/// How many generations of "CSS only" flags are kept.
const HISTORY: usize = 512;

/// The tag injected before `</body>` of every served HTML page.
pub fn script_tag() -> String {
    format!(
        "<script id=\"vinn-reload\" src=\"{SCRIPT}\" {GENERATION_MARK}{PLACEHOLDER}\"></script>"
    )
}

/// [`script_tag`] telling the client where participants open the site
/// (an origin, [`super::share::origin`]): pages opened elsewhere offer a
/// QR code of their address there.
pub fn script_tag_sharing(origin: Option<&str>) -> String {
    let mut tag = script_tag();
    if let Some(origin) = origin {
        let at = tag.len() - "></script>".len();
        tag.insert_str(
            at,
            &format!(" data-vinn-share=\"{}\"", crate::markdown::escape(origin)),
        );
    }
    tag
}

/// Writes `generation` into the placeholder of a page, if it has one.
pub fn stamp(html: &[u8], generation: u64) -> Option<Vec<u8>> {
    let mark = GENERATION_MARK.as_bytes();
    let at = html.windows(mark.len()).rposition(|w| w == mark)? + mark.len();
    let digits = format!("{generation:020}");
    if html.len() < at + digits.len() || !html[at..at + digits.len()].iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let mut out = html.to_vec();
    out[at..at + digits.len()].copy_from_slice(digits.as_bytes());
    Some(out)
}

#[derive(Default)]
struct State {
    /// Generation of the served site: good rebuilds so far.
    generation: u64,
    /// Errors of the last rebuild, if it failed.
    errors: Option<Arc<Vec<Diagnostic>>>,
    /// Bumped on every change of the above.
    seq: u64,
    /// (generation, only CSS changed) for recent generations.
    history: VecDeque<(u64, bool)>,
    closed: bool,
}

/// What every open page is told.
#[derive(Default)]
pub struct Hub {
    state: Mutex<State>,
    changed: Condvar,
    clients: AtomicUsize,
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new site is served; returns its generation.
    pub fn published(&self, css_only: bool) -> u64 {
        let mut s = self.lock();
        s.generation += 1;
        s.errors = None;
        s.seq += 1;
        let g = s.generation;
        s.history.push_back((g, css_only));
        while s.history.len() > HISTORY {
            s.history.pop_front();
        }
        drop(s);
        self.changed.notify_all();
        g
    }

    /// The last rebuild failed (the served site stays as it was).
    pub fn failed(&self, errors: Vec<Diagnostic>) {
        let mut s = self.lock();
        s.errors = Some(Arc::new(errors));
        s.seq += 1;
        drop(s);
        self.changed.notify_all();
    }

    /// The last rebuild changed nothing but had no errors either.
    pub fn clean(&self) {
        let mut s = self.lock();
        if s.errors.take().is_some() {
            s.seq += 1;
            drop(s);
            self.changed.notify_all();
        }
    }

    /// Ends every stream (at shutdown).
    pub fn close(&self) {
        self.lock().closed = true;
        self.changed.notify_all();
    }

    /// A hub whose first generation follows `start`: pass the start time in
    /// milliseconds times 1000, so pages served by an earlier run of the
    /// server see a newer generation and reload.
    pub fn starting_at(start: u64) -> Self {
        let hub = Hub::default();
        hub.lock().generation = start;
        hub
    }

    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    pub fn errors(&self) -> Option<Arc<Vec<Diagnostic>>> {
        self.lock().errors.clone()
    }

    /// Open event streams.
    pub fn clients(&self) -> usize {
        self.clients.load(Ordering::Relaxed)
    }

    /// Whether every generation after `since` up to the current one
    /// changed only stylesheets.
    fn css_only(s: &State, since: u64) -> bool {
        let mut seen = 0;
        for &(g, css) in &s.history {
            if g > since {
                if !css {
                    return false;
                }
                seen += 1;
            }
        }
        seen == s.generation.saturating_sub(since) && seen > 0
    }

    /// Serves one event stream until the client goes away. `since` is the
    /// generation the page was served at.
    pub fn stream(&self, request: tiny_http::Request, since: u64) {
        if self.clients.fetch_add(1, Ordering::SeqCst) >= MAX_CLIENTS {
            self.clients.fetch_sub(1, Ordering::SeqCst);
            let _ = request.respond(
                tiny_http::Response::from_string("too many open pages").with_status_code(503),
            );
            return;
        }
        let mut w = request.into_writer();
        let _ = self.pump(&mut *w, since);
        self.clients.fetch_sub(1, Ordering::SeqCst);
    }

    fn pump(&self, w: &mut dyn Write, since: u64) -> std::io::Result<()> {
        w.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache, no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\nretry: 1000\n\n",
        )?;
        w.flush()?;
        let mut seen_gen = since;
        let mut seen_seq = u64::MAX;
        let mut shown: Option<Arc<Vec<Diagnostic>>> = None;
        let mut hello = true;
        loop {
            let (generation, errors, seq, css) = {
                let mut s = self.lock();
                if s.seq == seen_seq && !s.closed {
                    s = self
                        .changed
                        .wait_timeout(s, HEARTBEAT)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                if s.closed {
                    return Ok(());
                }
                if s.seq == seen_seq {
                    drop(s);
                    w.write_all(b": heartbeat\n\n")?;
                    w.flush()?;
                    continue;
                }
                (
                    s.generation,
                    s.errors.clone(),
                    s.seq,
                    Self::css_only(&s, seen_gen),
                )
            };
            seen_seq = seq;
            let mut out = String::new();
            if hello {
                hello = false;
                out.push_str(&format!(
                    "event: hello\ndata: {{\"generation\":{generation}}}\n\n"
                ));
            }
            if generation > seen_gen {
                out.push_str(&format!(
                    "id: {generation}\nevent: reload\ndata: {{\"generation\":{generation},\"css\":{css}}}\n\n"
                ));
                seen_gen = generation;
            }
            match (&errors, &shown) {
                (Some(e), Some(s)) if Arc::ptr_eq(e, s) => {}
                (Some(e), _) => {
                    let data = serde_json::to_string(&**e).unwrap_or_else(|_| "[]".into());
                    out.push_str(&format!(
                        "event: broken\ndata: {{\"diagnostics\":{data}}}\n\n"
                    ));
                    shown = Some(e.clone());
                }
                (None, Some(_)) => {
                    out.push_str("event: fixed\ndata: {}\n\n");
                    shown = None;
                }
                (None, None) => {}
            }
            if !out.is_empty() {
                w.write_all(out.as_bytes())?;
                w.flush()?;
            }
        }
    }
}

/// The client: listens to [`EVENTS`]; reloads the page (keeping the scroll
/// position) or swaps stylesheets; shows and clears the error overlay.
pub const CLIENT_JS: &str = r##"(function () {
  "use strict";
  var me = document.getElementById("vinn-reload") || document.currentScript;
  var generation = me ? parseInt(me.getAttribute("data-vinn-generation") || "0", 10) || 0 : 0;
  var scrollKey = "vinn-scroll:" + location.pathname;
  // serve's own page when no build has succeeded yet.
  var nothingBuilt = !!document.getElementById("vinn-nothing-built");
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      sessionStorage.removeItem(scrollKey);
      var pos = JSON.parse(saved);
      var restore = function () { window.scrollTo(pos.x, pos.y); };
      if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
      restore();
    }
  } catch (e) {}

  // A workshop: where participants open the site. A page opened at another
  // address (the trainer's own browser) offers a QR code of its address there.
  var shareOrigin = me ? me.getAttribute("data-vinn-share") : null;
  function offerShare() {
    var there;
    try { there = new URL(shareOrigin); } catch (e) { return; }
    if (there.hostname === location.hostname) return;
    var nb = /^(nb|nn|no)\b/i.test(document.documentElement.lang || "");
    var words = nb ? {
      button: "Vis QR-kode til denne siden for deltakerne",
      title: "Åpne denne siden på mobilen",
      qr: "QR-kode til adressen under",
      hint: "Skann koden med kameraet, eller skriv inn adressen:",
      close: "Lukk"
    } : {
      button: "Show a QR code of this page for participants",
      title: "Open this page on your phone",
      qr: "QR code of the address below",
      hint: "Scan the code with the camera, or type the address:",
      close: "Close"
    };
    var shown;
    try { shown = shareOrigin + decodeURI(location.pathname); } catch (e) { shown = shareOrigin + location.pathname; }
    var style = document.createElement("style");
    style.textContent =
      "#vinn-share-open{position:fixed;z-index:2147483646;right:1rem;bottom:1rem;box-sizing:border-box;width:48px;height:48px;" +
      "margin:0;padding:11px;border:2px solid #fff;border-radius:50%;background:#1d2a3a;color:#fff;cursor:pointer;" +
      "box-shadow:0 2px 10px rgba(0,0,0,.35)}" +
      "#vinn-share-open:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
      "#vinn-share-open svg{display:block;width:100%;height:100%}" +
      "#vinn-share{box-sizing:border-box;border:0;border-radius:12px;padding:1.5rem;max-width:calc(100vw - 2rem);" +
      "max-height:calc(100vh - 2rem);background:#fff;color:#111;text-align:center;font:1rem/1.4 system-ui,sans-serif}" +
      "#vinn-share::backdrop{background:rgba(0,0,0,.8)}" +
      "#vinn-share h2{margin:0 0 .75rem;font:bold 1.5rem/1.2 system-ui,sans-serif;color:#111}" +
      "#vinn-share img{display:block;margin:0 auto;width:min(62vh,80vw);height:auto;image-rendering:pixelated}" +
      "#vinn-share p{margin:.75rem 0 0;color:#333}" +
      "#vinn-share .vinn-share-url{color:#111;font:bold 1.25rem/1.3 ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}" +
      "#vinn-share button{margin-top:1rem;min-width:44px;min-height:44px;padding:.5rem 1.25rem;font:inherit;" +
      "border:2px solid #1d2a3a;border-radius:6px;background:#fff;color:#1d2a3a;cursor:pointer}" +
      "#vinn-share button:focus-visible{outline:3px solid #1d2a3a;outline-offset:2px}" +
      "@media print{#vinn-share-open{display:none}}";
    document.head.appendChild(style);
    var open = document.createElement("button");
    open.type = "button";
    open.id = "vinn-share-open";
    open.title = words.button;
    open.setAttribute("aria-label", words.button);
    open.setAttribute("aria-haspopup", "dialog");
    open.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="currentColor">' +
      '<path d="M3 3h8v8H3zm2 2v4h4V5zm8-2h8v8h-8zm2 2v4h4V5zM3 13h8v8H3zm2 2v4h4v-4zm8-2h2v2h-2zm2 2h2v2h-2z' +
      'm2-2h2v2h-2zm2 2h2v2h-2zm-4 2h2v2h-2zm4 0h2v2h-2zm-6 2h2v2h-2zm4 0h2v2h-2z"/></svg>';
    var dialog = document.createElement("dialog");
    dialog.id = "vinn-share";
    dialog.setAttribute("aria-labelledby", "vinn-share-title");
    var title = document.createElement("h2");
    title.id = "vinn-share-title";
    title.textContent = words.title;
    var img = document.createElement("img");
    img.alt = words.qr;
    img.width = 320;
    img.height = 320;
    var hint = document.createElement("p");
    hint.textContent = words.hint;
    var url = document.createElement("p");
    url.className = "vinn-share-url";
    url.textContent = shown;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = words.close;
    close.onclick = function () { dialog.close(); };
    [title, img, hint, url, close].forEach(function (el) { dialog.appendChild(el); });
    // A click on the backdrop closes it (the backdrop's clicks land on the dialog).
    dialog.addEventListener("click", function (e) {
      var r = dialog.getBoundingClientRect();
      var outside = e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom;
      if (e.target === dialog && outside) dialog.close();
    });
    open.onclick = function () {
      if (!img.getAttribute("src")) img.src = "/__vinn/qr.svg?path=" + encodeURIComponent(location.pathname);
      if (!dialog.open) dialog.showModal();
    };
    document.body.appendChild(open);
    document.body.appendChild(dialog);
  }
  if (shareOrigin && document.body && window.HTMLDialogElement) offerShare();

  function overlay(diagnostics) {
    // serve's own page lists them itself: kept to what is wrong now.
    var own = nothingBuilt && document.querySelector("body > ul");
    if (own) {
      own.textContent = "";
      diagnostics.forEach(function (d) {
        var li = document.createElement("li");
        li.style.whiteSpace = "pre-wrap";
        li.textContent = d.path + ":" + Math.max(d.line, 1) + ":" + Math.max(d.col, 1) + ": " + d.severity + ": " + d.message;
        own.appendChild(li);
      });
      return;
    }
    var box = document.getElementById("vinn-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "vinn-overlay";
      box.setAttribute("role", "alert");
      // vinn's own words are English, whatever the site's language.
      box.setAttribute("lang", "en");
      box.style.cssText = "position:fixed;z-index:2147483647;left:0;right:0;top:0;max-height:70vh;overflow:auto;" +
        "margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#ffe9e9;border-bottom:4px solid #e5484d;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 24px rgba(0,0,0,.4)";
      // First in the page, so its button is the first Tab away.
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.textContent = "";
    var head = document.createElement("p");
    head.style.cssText = "margin:0 0 .5rem;font-weight:bold";
    head.textContent = "vinn: the site has errors; this page shows the last good version.";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    close.style.cssText = "float:right;min-width:44px;min-height:44px;margin:-.5rem -.5rem 0 .5rem;background:none;" +
      "border:0;color:inherit;font-size:24px;line-height:1;cursor:pointer;outline-color:#ffbf47";
    close.onclick = function () { box.remove(); };
    box.appendChild(close);
    box.appendChild(head);
    var list = document.createElement("ul");
    list.style.cssText = "margin:0;padding-left:1.25rem";
    diagnostics.forEach(function (d) {
      var li = document.createElement("li");
      li.className = "vinn-diagnostic";
      var where = document.createElement("strong");
      where.textContent = d.path + ":" + Math.max(d.line, 1) + ":" + Math.max(d.col, 1);
      li.appendChild(where);
      li.appendChild(document.createTextNode(" " + d.severity + ": " + d.message));
      // A message over several lines (a pattern's caret) keeps them.
      li.style.whiteSpace = "pre-wrap";
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  // Escape closes it.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && document.getElementById("vinn-overlay")) clearOverlay();
  });

  function clearOverlay() {
    var box = document.getElementById("vinn-overlay");
    if (box) box.remove();
  }

  function swapStyles(g) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (old) {
      var url = new URL(old.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("vinn", String(g));
      var fresh = old.cloneNode();
      fresh.href = url.toString();
      fresh.onload = fresh.onerror = function () { old.remove(); };
      old.parentNode.insertBefore(fresh, old.nextSibling);
    });
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) {}
    location.reload();
  }

  if (!window.EventSource) return;
  var source = null;

  // A change: `d.css` says it is of styles alone since generation `from`,
  // so a page at least that new swaps them; any other page reloads.
  function changed(d, from) {
    if (d.generation <= generation) return;
    if (d.css && from <= generation) {
      generation = d.generation;
      swapStyles(d.generation);
    } else {
      if (source) source.close();
      reload();
    }
  }

  function listen(onReload, onBroken, onFixed, onHello) {
    source = new EventSource("/__vinn/events?generation=" + generation);
    source.addEventListener("hello", function (e) { onHello(JSON.parse(e.data)); });
    source.addEventListener("reload", function (e) { onReload(JSON.parse(e.data)); });
    source.addEventListener("broken", function (e) { onBroken(JSON.parse(e.data).diagnostics); });
    source.addEventListener("fixed", onFixed);
    window.addEventListener("pagehide", function () { source.close(); });
  }

  // A browser allows six connections to one host: pages open in many
  // tabs share one stream. The tab holding the lock listens and passes
  // what it hears to the others; when it goes, another takes over.
  if (!(window.BroadcastChannel && navigator.locks && navigator.locks.request)) {
    listen(function (d) { changed(d, generation); }, overlay, clearOverlay, function () {});
    return;
  }
  var channel = new BroadcastChannel("vinn-serve-events");
  var leading = false;
  channel.onmessage = function (e) {
    var m = e.data || {};
    if (leading) {
      if (m.type === "ask") channel.postMessage(state());
      return;
    }
    if (m.type === "reload") changed(m.d, m.from);
    else if (m.type === "broken") overlay(m.diagnostics);
    else if (m.type === "fixed") clearOverlay();
    else if (m.type === "state") {
      // Joining: a page older than the stream's state is reloaded.
      if (m.generation > generation) changed({ generation: m.generation, css: false }, m.generation);
      if (m.broken) overlay(m.broken); else clearOverlay();
    }
  };
  var latest = generation;
  var broken = null;
  function state() { return { type: "state", generation: latest, broken: broken }; }
  channel.postMessage({ type: "ask" });
  navigator.locks.request("vinn-serve-events", function () {
    leading = true;
    listen(
      function (d) {
        var from = latest;
        latest = Math.max(latest, d.generation);
        channel.postMessage({ type: "reload", d: d, from: from });
        changed(d, from);
      },
      function (diagnostics) {
        broken = diagnostics;
        channel.postMessage({ type: "broken", diagnostics: diagnostics });
        overlay(diagnostics);
      },
      function () {
        broken = null;
        channel.postMessage({ type: "fixed" });
        clearOverlay();
      },
      function (hello) {
        latest = Math.max(latest, hello.generation);
        channel.postMessage(state());
      }
    );
    // Held while this page lives.
    return new Promise(function () {});
  });
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_the_generation() {
        let html = format!("<p>x</p>{}</body>", script_tag());
        let out = String::from_utf8(stamp(html.as_bytes(), 42).unwrap()).unwrap();
        assert!(out.contains("data-vinn-generation=\"00000000000000000042\""));
        assert_eq!(out.len(), html.len());
        assert!(stamp(b"<p>no script</p>", 1).is_none());
    }

    #[test]
    fn css_only_needs_every_generation() {
        let hub = Hub::default();
        hub.published(false);
        hub.published(true);
        hub.published(true);
        let s = hub.lock();
        assert!(Hub::css_only(&s, 1));
        assert!(!Hub::css_only(&s, 0));
        assert!(!Hub::css_only(&s, 3));
    }
}
