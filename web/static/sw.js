// Road Warrior's service worker: the app shell from its cache, and the dashboard and the next trip's page
// network-first, so the next trip's itinerary opens without a network. Nothing else personal is kept.
"use strict";
const VERSION = "/* VERSION */";          // written in by the route serving /sw.js (web/offline.py)
const SHELL = [/* SHELL */];              // the hashed URLs of app.css, app.js and the icons
const SHELL_CACHE = "rw-shell-" + VERSION;
const PAGES_CACHE = "rw-pages";
const NEXT_TRIP = "/__next-trip";          // where the next trip's path is remembered: a worker's memory is not
const KEPT = /^\/(trips\/[A-Za-z0-9_-]+)?$/;   // the only pages ever kept: the dashboard and a trip

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith("rw-shell-") && n !== SHELL_CACHE)
      .map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate" && KEPT.test(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  }
});

async function networkFirst(request, path) {
  try {
    const response = await fetch(request);
    if (keepable(response) && (path === "/" || path === await nextTrip())) {
      await (await caches.open(PAGES_CACHE)).put(path, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await (await caches.open(PAGES_CACHE)).match(path);
    if (!cached) throw offline;
    return markedOffline(cached);
  }
}

function keepable(response) {
  // A signed-out visit is redirected to the login page: that is never kept in the traveller's place.
  return response.ok && !response.redirected && response.type === "basic";
}

async function markedOffline(cached) {
  // The page shows its "Offline — last updated" note when its root element carries data-offline (app.js).
  const html = (await cached.text()).replace("<html ", "<html data-offline ");
  const headers = new Headers(cached.headers);
  headers.delete("Content-Length");   // the body grew by the marker
  return new Response(html, { status: 200, headers });
}

async function nextTrip() {
  const hit = await (await caches.open(PAGES_CACHE)).match(NEXT_TRIP);
  return hit ? hit.text() : null;
}

async function keepNextTrip(path) {
  const cache = await caches.open(PAGES_CACHE);
  const before = await nextTrip();
  if (before && before !== path) await cache.delete(before);
  if (!path || !KEPT.test(path) || path === "/") return cache.delete(NEXT_TRIP);
  await cache.put(NEXT_TRIP, new Response(path));
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (keepable(response)) await cache.put(path, response);
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.kind === "next-trip") event.waitUntil(keepNextTrip(message.path).catch(() => {}));
  if (message.kind === "forget") event.waitUntil(caches.delete(PAGES_CACHE));
});

self.addEventListener("push", (event) => {
  let item = {};
  try { item = event.data ? event.data.json() : {}; } catch (e) { /* not ours: show the bare title */ }
  event.waitUntil(self.registration.showNotification(item.title || "Road Warrior", {
    body: item.body || "", tag: item.tag, lang: item.lang, data: item.data || {},
    icon: SHELL.find((u) => u.includes("icon-192")) }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const id = (event.notification.data || {}).reservation_id;
  const target = id ? "/reservations/" + encodeURIComponent(id) : "/notifications";
  event.waitUntil(self.clients.openWindow(target));
});
