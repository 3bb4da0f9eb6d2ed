/* vinn default theme: small progressive enhancements. Every page works
   without this file; with it you get the phone menu, the light/dark switch,
   the table of contents that follows your reading, checklists that remember
   what you ticked, and links that work when the site is opened from disk. */
(function () {
  "use strict";
  var doc = document;
  var html = doc.documentElement;
  var me = doc.currentScript;

  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }

  function storageGet(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) { /* private mode or disabled storage: state lives for this visit only */ }
  }

  /* Opened from file://: folders do not serve their index.html, so point
     every relative link that ends in a folder at the file itself. */
  function fixFileLinks() {
    if (location.protocol !== "file:") return;
    $all("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (!href || /^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(href)) return;
      var cut = href.search(/[?#]/);
      var path = cut < 0 ? href : href.slice(0, cut);
      var rest = cut < 0 ? "" : href.slice(cut);
      if (path === "" ) return;
      if (path === "." || path === "..") path += "/";
      if (path.charAt(path.length - 1) === "/") a.setAttribute("href", path + "index.html" + rest);
    });
  }

  /* Light and dark: the head script already set data-theme from the stored
     choice or the system; the button flips it and remembers the choice. */
  function setupTheme() {
    var button = $(".theme-toggle");
    var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    function apply(theme) {
      html.setAttribute("data-theme", theme);
      if (button) button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    }
    var stored = storageGet("vinn-theme");
    apply(stored === "dark" || stored === "light" ? stored : (media && media.matches ? "dark" : "light"));
    if (button) {
      button.addEventListener("click", function () {
        var next = html.getAttribute("data-theme") === "dark" ? "light" : "dark";
        storageSet("vinn-theme", next);
        apply(next);
      });
    }
    if (media) {
      var follow = function (e) {
        var s = storageGet("vinn-theme");
        if (s !== "dark" && s !== "light") apply(e.matches ? "dark" : "light");
      };
      if (media.addEventListener) media.addEventListener("change", follow);
      else if (media.addListener) media.addListener(follow);
    }
  }

  /* The section navigation folds away on narrow screens. */
  function setupNav() {
    var toggle = $(".nav-toggle");
    var nav = $("#site-nav");
    if (!toggle || !nav) return;
    function set(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      html.classList.toggle("nav-open", open);
    }
    toggle.addEventListener("click", function () {
      set(toggle.getAttribute("aria-expanded") !== "true");
      if (toggle.getAttribute("aria-expanded") === "true") {
        var first = $("a[aria-current]", nav) || $("a", nav);
        if (first) first.focus();
      }
    });
    doc.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && toggle.getAttribute("aria-expanded") === "true") {
        set(false);
        toggle.focus();
      }
    });
  }

  /* The table of contents marks the section being read. */
  function setupToc() {
    var links = $all(".toc a[href^='#']");
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    var heads = [];
    links.forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      var h = doc.getElementById(id);
      if (h) { byId[id] = a; heads.push(h); }
    });
    if (!heads.length) return;
    var visible = {};
    var current = null;
    function mark(id) {
      if (id === current) return;
      if (current && byId[current]) byId[current].removeAttribute("aria-current");
      current = id;
      if (id && byId[id]) byId[id].setAttribute("aria-current", "location");
    }
    function update() {
      // The first heading on screen wins; else the last one passed.
      var pick = null;
      for (var i = 0; i < heads.length; i++) {
        if (visible[heads[i].id]) { pick = heads[i].id; break; }
      }
      if (!pick) {
        for (var j = heads.length - 1; j >= 0; j--) {
          if (heads[j].getBoundingClientRect().top < 80) { pick = heads[j].id; break; }
        }
      }
      mark(pick);
    }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { visible[e.target.id] = e.isIntersecting; });
      update();
    }, { rootMargin: "-64px 0px -55% 0px" });
    heads.forEach(function (h) { io.observe(h); });
  }

  /* Checklists: ticks are kept per page in localStorage under
     "vinn:checklist:<page url>" as a JSON list of item ids. */
  function setupChecklist() {
    var bar = $(".checklist-bar[data-checklist]");
    if (!bar) return;
    var key = "vinn:checklist:" + bar.getAttribute("data-checklist");
    var boxes = $all("input.task[data-task]");
    var count = $(".progress-count", bar);
    var meter = $("progress", bar);
    var of = bar.getAttribute("data-of") || "/";

    function save() {
      var ids = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.getAttribute("data-task"); });
      storageSet(key, JSON.stringify(ids));
    }
    function progress() {
      var done = boxes.filter(function (b) { return b.checked; }).length;
      if (count) count.textContent = done + " " + of + " " + boxes.length;
      if (meter) { meter.max = boxes.length || 1; meter.value = done; }
      bar.classList.toggle("complete", boxes.length > 0 && done === boxes.length);
      boxes.forEach(function (b) {
        var li = b.closest("li");
        if (li) li.classList.toggle("task-done", b.checked);
      });
    }
    function restore() {
      var raw = storageGet(key);
      if (raw === null) return;
      var ids;
      try { ids = JSON.parse(raw); } catch (e) { return; }
      if (!Array.isArray(ids)) return;
      boxes.forEach(function (b) { b.checked = ids.indexOf(b.getAttribute("data-task")) >= 0; });
    }

    restore();
    progress();
    bar.hidden = false;
    html.classList.add("has-checklist");
    boxes.forEach(function (b) {
      b.addEventListener("change", function () { save(); progress(); });
    });
    var reset = $(".checklist-reset", bar);
    if (reset) {
      reset.addEventListener("click", function () {
        boxes.forEach(function (b) { b.checked = false; });
        save();
        progress();
      });
    }
    var print = $(".print-button", bar);
    if (print) print.addEventListener("click", function () { window.print(); });
    // Another tab ticked something on the same list.
    window.addEventListener("storage", function (e) {
      if (e.key === key) { restore(); progress(); }
    });
  }

  /* Quizzes (```quiz blocks): each question gets a button that checks the
     answers chosen against the right ones (data-right), marks them, and
     says how it went; a right answer opens the explanation. Without this
     script the reader opens "Show the answer" themselves. */
  function setupQuiz() {
    $all(".quiz").forEach(function (quiz) {
      function say(key) { return quiz.getAttribute("data-i18n-" + key) || ""; }
      $all(".quiz-q", quiz).forEach(function (q) {
        var inputs = $all("input", q);
        var feedback = $(".quiz-feedback", q);
        var answer = $(".quiz-answer", q);
        var button = doc.createElement("button");
        button.type = "button";
        button.className = "button button-quiet quiz-check";
        button.textContent = say("check");
        q.insertBefore(button, feedback);
        function clear() {
          inputs.forEach(function (i) { i.closest("li").classList.remove("is-right", "is-wrong"); });
          feedback.textContent = "";
          feedback.classList.remove("is-right", "is-wrong");
        }
        inputs.forEach(function (i) { i.addEventListener("change", clear); });
        button.addEventListener("click", function () {
          clear();
          var chosen = inputs.filter(function (i) { return i.checked; });
          if (!chosen.length) { feedback.textContent = say("none"); return; }
          var hits = 0;
          chosen.forEach(function (i) {
            var right = i.hasAttribute("data-right");
            if (right) hits++;
            i.closest("li").classList.add(right ? "is-right" : "is-wrong");
          });
          var rights = inputs.filter(function (i) { return i.hasAttribute("data-right"); }).length;
          var ok = hits === rights && hits === chosen.length;
          feedback.classList.add(ok ? "is-right" : "is-wrong");
          feedback.textContent = say(ok ? "correct" : hits > 0 ? "partly" : "wrong");
          if (ok && answer) answer.open = true;
        });
      });
    });
  }

  /* Reading without a network (sw.js): registered where the site asks for
     it (data-offline on this script) and the browser allows it (https, or
     this machine). Where the site no longer asks for it, and under `vinn
     serve` (whose pages change with every save), what an earlier visit
     left is taken away. */
  function setupOffline() {
    if (!me || !me.src || !("serviceWorker" in navigator) || !window.isSecureContext) return;
    if (!/^https?:$/.test(location.protocol)) return;
    var scope = new URL("./", me.src).href;
    var cache = "vinn-offline:" + scope;
    if (me.hasAttribute("data-offline") && !$("#vinn-reload")) {
      navigator.serviceWorker.register(new URL("sw.js", me.src).href, { scope: scope })
        .then(function () {
          // The first page read came before the worker: keep it too.
          if (navigator.serviceWorker.controller) return;
          return navigator.serviceWorker.ready.then(function (r) {
            if (r.active) r.active.postMessage({ keep: location.href.split("#")[0] });
          });
        })
        .catch(function () { /* refused (private mode): pages work as before */ });
      listKept(cache);
      return;
    }
    navigator.serviceWorker.getRegistrations().then(function (all) {
      all.forEach(function (r) { if (r.scope === scope) r.unregister(); });
    }).catch(function () {});
    if (window.caches) window.caches.delete(cache).catch(function () {});
  }

  /* offline.html: the pages kept on this device, newest first, by their
     headings. */
  function listKept(cache) {
    var list = $("[data-offline-list]");
    if (!list || !window.caches) return;
    window.caches.open(cache).then(function (c) {
      return c.keys().then(function (keys) {
        return Promise.all(keys.map(function (k) {
          return c.match(k).then(function (r) {
            if (!r || (r.headers.get("Content-Type") || "").indexOf("text/html") < 0) return null;
            return r.text().then(function (text) {
              var page = new DOMParser().parseFromString(text, "text/html");
              if (page.querySelector("[data-offline-list]") || page.body.classList.contains("not-found")) return null;
              var h1 = page.querySelector("main h1") || page.querySelector("title");
              return h1 ? { url: k.url, title: h1.textContent.trim() } : null;
            });
          });
        }));
      });
    }).then(function (pages) {
      pages = pages.filter(Boolean).reverse();
      pages.forEach(function (p) {
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = p.url;
        a.textContent = p.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      var none = $("[data-offline-none]");
      if (none) none.hidden = pages.length > 0;
    }).catch(function () {});
  }

  /* ← and → turn a course's lessons (mdBook's habit), for a trainer at a
     projector: never while typing, with a modifier held, or where the
     arrow keys move something else (a wide table, a code block, a page
     that scrolls sideways). */
  function setupPaging() {
    var nav = $(".prev-next[data-keys]");
    if (!nav) return;
    doc.addEventListener("keydown", function (e) {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      var rel = e.key === "ArrowRight" ? "next" : e.key === "ArrowLeft" ? "prev" : null;
      if (!rel) return;
      var t = e.target;
      if (t && t.closest && t.closest("input, textarea, select, [contenteditable], .table-wrap, pre, dialog, video, audio, .quiz")) return;
      if (html.scrollWidth > html.clientWidth + 1) return;
      var a = $("a[rel=" + rel + "]", nav);
      if (!a) return;
      e.preventDefault();
      location.href = a.href;
    });
  }

  /* "Ny" on the cards of pages dated after the reader's last visit: the
     day of the visit before this one (one per browser session), kept on
     the device for this site. A first visit marks nothing. */
  function setupNew() {
    if (!me || !me.src) return;
    var key = "vinn-last-visit:" + new URL("./", me.src).pathname;
    var since;
    try {
      since = window.sessionStorage.getItem("vinn-since:" + key);
      if (since === null) {
        since = storageGet(key) || "";
        window.sessionStorage.setItem("vinn-since:" + key, since);
        var d = new Date();
        var pad = function (n) { return (n < 10 ? "0" : "") + n; };
        storageSet(key, d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()));
      }
    } catch (e) { return; }
    if (!since) return;
    var word = me.getAttribute("data-i18n-new") || "New";
    $all(".card").forEach(function (card) {
      var time = $("time[datetime]", card);
      var kind = $(".card-kind", card);
      if (!time || !kind || time.getAttribute("datetime").slice(0, 10) <= since) return;
      var badge = doc.createElement("span");
      badge.className = "badge badge-new";
      badge.textContent = word;
      kind.insertBefore(doc.createTextNode(" "), kind.firstChild);
      kind.insertBefore(badge, kind.firstChild);
    });
  }

  /* A page made for printing (a whole course): its print button. */
  function setupPrint() {
    $all(".print-page").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }

  function init() {
    setupOffline();
    setupPrint();
    setupPaging();
    setupNew();
    fixFileLinks();
    setupTheme();
    setupNav();
    setupToc();
    setupChecklist();
    setupQuiz();
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
