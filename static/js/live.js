// Live updates (canvas, segment and profile pages). The page holds an event stream (htmx's
// SSE extension on #live, templates/_live.html); events carry only ids and the canvas
// revision, and the page fetches what changed from the URLs #live carries. A page that was
// behind (it reconnected, or missed an event) refreshes everything. Also: who is here
// (presence beats), notes someone else is editing, and the stream the server closed. Pages
// work without it: they show the latest state when loaded.
(function () {
  "use strict";

  const live = document.getElementById("live");
  if (!live) return;
  const ajax = Canvas.ajax;

  let revision = Number(live.dataset.revision || 0);
  let pendingBlocks = null; // null: nothing pending; a Set; or "all"
  let timer = null;

  function refresh(blocks) {
    if (blocks === "all" || pendingBlocks === "all") pendingBlocks = "all";
    else {
      pendingBlocks = pendingBlocks || new Set();
      blocks.forEach(function (kind) { pendingBlocks.add(kind); });
    }
    if (timer) return;
    // Gather what arrives within a few milliseconds into one request.
    timer = setTimeout(function () {
      const wanted = pendingBlocks;
      pendingBlocks = null;
      timer = null;
      let url = live.dataset.refreshUrl;
      if (wanted !== "all" && wanted.size) url += "?" + new URLSearchParams({ blocks: Array.from(wanted).join(",") });
      ajax("GET", url, { swap: "none", source: live });
    }, 30);
  }
  // drafts.js dropped a stale refresh: everything again.
  live.addEventListener("refreshAll", function () { refresh("all"); });

  function refreshWorkshop() {
    if (!live.dataset.workshopUrl) return;
    ajax("GET", live.dataset.workshopUrl, { swap: "none", source: live });
  }

  function refreshPresence() {
    if (!live.dataset.presenceUrl) return;
    ajax("GET", live.dataset.presenceUrl, { target: "#presence-bar", swap: "outerHTML" });
  }

  live.addEventListener("htmx:sseMessage", function (event) {
    const type = event.detail.type;
    let data = {};
    try { data = JSON.parse(event.detail.data || "{}"); } catch (error) { data = {}; }
    if (type === "presence") return refreshPresence();
    if (type === "workshopEnded" && live.hasAttribute("data-guest")) return window.location.reload();
    if (type === "workshopChanged" || type === "workshopEnded") {
      refreshWorkshop();
      return refresh("all"); // voting and private writing change what the notes show
    }
    if (type === "resync") return refresh("all");
    if (type === "hello") {
      refreshPresence();
      if (data.revision > revision) refresh("all");
      revision = Math.max(revision, data.revision || 0);
      return;
    }
    const behind = data.revision > revision + 1;
    revision = Math.max(revision, data.revision || 0);
    if (behind) return refresh("all");
    if (data.tab && data.tab === live.dataset.tab) return; // this page made the change
    if (type === "notesChanged" && data.blocks) return refresh(data.blocks);
    refresh("all");
  });

  // Too many pages of this canvas open in this person's browsers: the server closed the
  // oldest one's stream (this page, sse-close="streamClosed"). It says so and stops announcing itself.
  let following = true;
  live.addEventListener("htmx:sseClose", function (event) {
    if (event.detail.type !== "message") return;
    following = false;
    Canvas.toast("This page no longer follows live changes: too many pages of this canvas are open. Reload it to follow again.", "error", { sticky: true });
  });

  // Presence: a sign of life now and then, and which note this page is editing.
  let editing = "";
  function beat() {
    if (!live.dataset.beatUrl || !following) return;
    const body = new FormData();
    body.append("tab", live.dataset.tab);
    body.append("editing", editing);
    fetch(live.dataset.beatUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": Canvas.csrfToken() },
    }).catch(function () {});
  }
  setInterval(beat, 20000);
  document.addEventListener("htmx:afterSettle", function () {
    const open = document.querySelector(".note--editing");
    const now = open ? Canvas.objectId(open) : "";
    if (now !== editing) { editing = now; beat(); }
    markBusyNotes();
  });

  // Notes someone else is editing get a marker with their name.
  function markBusyNotes() {
    document.querySelectorAll(".note--busy").forEach(function (note) {
      note.classList.remove("note--busy");
      const label = note.querySelector(".busy-label");
      if (label) label.remove();
    });
    document.querySelectorAll("#presence-bar .editing-markers li").forEach(function (marker) {
      const note = document.getElementById("note-" + marker.dataset.note);
      if (!note || note.classList.contains("note--editing")) return;
      note.classList.add("note--busy");
      const label = document.createElement("span");
      label.className = "busy-label";
      label.textContent = marker.textContent + " is editing";
      note.appendChild(label);
    });
  }
})();
