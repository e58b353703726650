// Road Warrior's progressive enhancement: everything works without it; with it, changes arrive live.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const toasts = document.querySelector("[data-toasts]");

  // Sign-up: the browser's time zone, so times default to where the traveller is.
  for (const input of document.querySelectorAll("[data-browser-zone]")) {
    if (!input.value) input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }

  function toast(title, text) {
    if (!toasts) return;
    const box = document.createElement("div");
    box.className = "toast";
    const head = document.createElement("strong");
    head.textContent = title;            // textContent: notification text is never parsed as HTML
    const body = document.createElement("span");
    body.textContent = text || "";
    box.append(head, body);
    toasts.append(box);
    setTimeout(() => box.remove(), 12000);
  }

  function notifyBrowser(title, text) {
    if (!("Notification" in window) || Notification.permission !== "granted" || !document.hidden) return;
    try { new Notification(title, { body: text, icon: "/static/icons/icon-192.png" }); } catch (e) { /* mobile: SW only */ }
  }

  async function refreshLive() {
    // Re-read the page from the server and swap the live parts: one renderer, the server's.
    const live = document.querySelectorAll("[data-live]");
    if (!live.length) return;
    const answer = await fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (!answer.ok) return;
    const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
    const next = fresh.querySelectorAll("[data-live]");
    live.forEach((part, i) => { if (next[i]) part.replaceWith(next[i]); });
  }

  function setUnread(count) {
    for (const badge of document.querySelectorAll("[data-unread]")) {
      badge.textContent = count > 0 ? String(count) : "";
      badge.hidden = !(count > 0);
    }
  }

  async function loadUnread() {
    const answer = await fetch("/api/v1/notifications?limit=1", { credentials: "same-origin" });
    if (answer.ok) setUnread((await answer.json()).unread_count || 0);
  }

  if (document.querySelector("[data-unread]")) {
    loadUnread().catch(() => {});
    if ("EventSource" in window) {
      const stream = new EventSource("/api/v1/notifications/stream");
      stream.addEventListener("notification", (event) => {
        const item = JSON.parse(event.data);
        toast(item.title, item.summary);
        notifyBrowser(item.title, item.summary);
        loadUnread().catch(() => {});
        refreshLive().then(fillLastChecked).catch(() => {});
      });
    }
  }

  // Buttons that ask for the browser's notification permission (settings, the first toast).
  for (const button of document.querySelectorAll("[data-ask-notifications]")) {
    if (!("Notification" in window)) { button.hidden = true; continue; }
    button.addEventListener("click", () => Notification.requestPermission());
  }

  // Copy buttons (share links, calendar URLs) and the Web Share API where the browser has it.
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = button.dataset.copied || "✓";
    });
  }
  for (const button of document.querySelectorAll("[data-web-share]")) {
    if (!navigator.share) { button.hidden = true; continue; }
    button.hidden = false;
    button.addEventListener("click", () => navigator.share({ title: button.dataset.title, url: button.dataset.webShare }).catch(() => {}));
  }

  // Forms that ask before doing something that cannot be undone.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => { if (!confirm(form.dataset.confirm)) event.preventDefault(); });
  }

  // "Last checked": read per reservation after the first paint, from the worker that owns it (the trips
  // listing is served by the traveller's worker, which does not know it).
  async function fillLastChecked() {
    const lines = Array.from(document.querySelectorAll("[data-last-checked]")).slice(0, 40);
    const relative = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });
    await Promise.all(lines.map(async (line) => {
      const answer = await fetch("/api/v1/reservations/" + encodeURIComponent(line.dataset.lastChecked),
                                 { credentials: "same-origin", headers: { Accept: "application/json" } });
      const at = answer.ok ? (await answer.json()).tracking?.last_checked_at : null;
      if (!at) return;
      const minutes = Math.round((Date.parse(at) - Date.now()) / 60000);
      const when = Math.abs(minutes) < 60 ? relative.format(minutes, "minute") : relative.format(Math.round(minutes / 60), "hour");
      line.textContent = line.dataset.text.replace("%(when)s", when);
      line.hidden = false;
    }));
  }
  fillLastChecked().catch(() => {});
  // --- Settings and offline (web/notify/pages.py, web/offline.py, web/static/sw.js) ---
  const signedIn = Boolean(document.querySelector("[data-unread]"));

  // The offline note: the page is the service worker's copy (data-offline) or the network went away.
  function showOffline() {
    const note = document.querySelector("[data-offline-note]");
    if (note) note.hidden = !(document.documentElement.hasAttribute("data-offline") || !navigator.onLine);
  }
  showOffline();
  window.addEventListener("online", showOffline);
  window.addEventListener("offline", showOffline);

  // The dashboard lists trips soonest first: its first trip is the one kept for offline reading.
  async function keepNextTrip() {
    if (location.pathname !== "/" || !signedIn || document.documentElement.hasAttribute("data-offline")) return;
    const worker = (await navigator.serviceWorker.ready).active;
    const link = document.querySelector("[data-live] .trip h2 a[href^='/trips/']");
    if (worker) worker.postMessage({ kind: "next-trip", path: link ? link.getAttribute("href") : null });
  }

  // Signed out (the logout button, or any page seen signed out): no itinerary stays on this device.
  function forgetOfflineCopies() {
    if (navigator.serviceWorker?.controller) navigator.serviceWorker.controller.postMessage({ kind: "forget" });
    if ("caches" in window) caches.delete("rw-pages").catch(() => {});
  }
  for (const form of document.querySelectorAll('form[action="/logout"]')) {
    form.addEventListener("submit", forgetOfflineCopies);
  }

  function keyBytes(base64url) {
    const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }

  // "Enable notifications in this browser": permission, a Web Push subscription, and the API's device list.
  async function subscribePush(button) {
    const status = document.querySelector("[data-push-status]");
    try {
      if (await Notification.requestPermission() !== "granted") throw new Error("permission refused");
      const registration = await navigator.serviceWorker.ready;
      const key = (await (await fetch("/api/v1/notifications/vapid-public-key")).json()).public_key;
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      const answer = await fetch("/api/v1/me/devices", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ kind: "webpush", name: button.dataset.deviceName, subscription: subscription.toJSON() }),
      });
      if (!answer.ok) throw new Error("device refused: " + answer.status);
      location.reload();
    } catch (error) {
      if (status) status.textContent = button.dataset.failed;
    }
  }
  for (const button of document.querySelectorAll("[data-push-subscribe]")) {
    if (!("PushManager" in window && "serviceWorker" in navigator && "Notification" in window)) continue;
    button.hidden = false;
    button.addEventListener("click", () => subscribePush(button));
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
    if (signedIn) keepNextTrip().catch(() => {});
    else forgetOfflineCopies();
  }
  window.roadwarrior = { csrf, toast };
})();
