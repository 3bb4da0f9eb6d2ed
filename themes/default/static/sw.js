/* vinn default theme: reading without a network. Registered by vinn.js
   where the site has [offline] enabled (the default) and is served over
   https or from this machine. Every request of the site goes to the
   network first, so a reader online always sees the site as published;
   what arrives is kept on the device. Without a network (or when it has
   not answered in a few seconds), a page read before comes from the
   device, and one never read gives offline.html, which lists the pages
   that are kept. */
"use strict";

var SCOPE = self.registration.scope;
var CACHE = "vinn-offline:" + SCOPE;
/* Pages, stylesheets, scripts and search index parts kept at most; the
   oldest go first. */
var LIMIT = 400;
/* How long a slow network is waited for before a kept copy is shown; once
   it has failed or hung, for the next QUIET ms (or until it answers) only
   SHORT, so a page's stylesheet and scripts do not each wait as long;
   the network's answer, when it comes, is kept either way. */
var PATIENCE = 4000;
var SHORT = 800;
var QUIET = 30000;
var downUntil = 0;
var OFFLINE = new URL("offline.html", SCOPE).href;
var FIRST = ["offline.html", "vinn.css", "vinn.js", "favicon.svg"].map(function (p) {
  return new URL(p, SCOPE).href;
});

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(FIRST); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function keep(request, response) {
  return caches.open(CACHE).then(function (cache) {
    /* A put replaces the old copy and goes last: the list is oldest first. */
    return cache.put(request, response)
      .then(function () { return cache.keys(); })
      .then(function (keys) {
        var extra = keys.length - LIMIT;
        var gone = [];
        for (var i = 0; i < keys.length && extra > 0; i++) {
          if (FIRST.indexOf(keys[i].url) >= 0) continue;
          gone.push(cache.delete(keys[i]));
          extra--;
        }
        return Promise.all(gone);
      });
  }).catch(function () { /* storage full or refused: reading goes on */ });
}

function kept(request) {
  var navigation = request.mode === "navigate";
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit || !navigation) return hit;
      /* A search page's ?q= or a link's query: the page itself. */
      return cache.match(request, { ignoreSearch: true });
    });
  });
}

/* Files larger than this (a video, a long PDF) are not kept. */
var LARGEST = 5 * 1024 * 1024;

function fromNetwork(request) {
  return fetch(request).then(function (response) {
    var size = Number(response.headers.get("Content-Length")) || 0;
    if (response.status === 200 && response.type === "basic" && size <= LARGEST) {
      keep(request, response.clone());
    }
    return response;
  });
}

/* The page that registered the worker came before it: vinn.js asks for it
   to be kept too. */
self.addEventListener("message", function (event) {
  var url = event.data && event.data.keep;
  if (typeof url !== "string" || url.indexOf(SCOPE) !== 0) return;
  event.waitUntil(fromNetwork(new Request(url)).catch(function () {}));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.href.indexOf(SCOPE) !== 0) return;
  if (url.pathname.indexOf("/__vinn/") >= 0) return;
  if ((request.headers.get("Accept") || "").indexOf("text/event-stream") >= 0) return;
  var network = fromNetwork(request);
  network.then(function () { downUntil = 0; }, function () { downUntil = Date.now() + QUIET; });
  var patience = Date.now() < downUntil ? SHORT : PATIENCE;
  var fallback = function () {
    return kept(request).then(function (hit) {
      if (hit) return hit;
      if (request.mode !== "navigate") return Response.error();
      return caches.match(OFFLINE).then(function (page) { return page || Response.error(); });
    });
  };
  var done = false;
  var answered = network.catch(fallback);
  answered.then(function () { done = true; }, function () { done = true; });
  /* A network that hangs (a lift, a tunnel): after PATIENCE a kept copy
     answers, and the network's answer, when it comes, is kept for next
     time. */
  var slow = new Promise(function (resolve) { setTimeout(resolve, patience); })
    .then(function () { return done ? null : kept(request); })
    .then(function (hit) {
      if (!hit) return answered;
      if (!done) downUntil = Date.now() + QUIET;
      return hit;
    });
  event.respondWith(Promise.race([answered, slow]));
});
