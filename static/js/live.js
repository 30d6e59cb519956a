// Live updates (canvas, segment and profile pages). The canvas's event stream (stream.js: one
// per browser, shared by its tabs; #live, templates/_live.html, carries its URL) brings ids and
// the canvas revision, and the page fetches what changed from the URLs #live carries, or swaps
// the fragment an event brings. A page that was behind (it reconnected, or missed an event)
// refreshes everything. Also: who is here (presence beats, per tab), notes someone else is
// editing, and the stream the server closed. Pages work without it: they show the latest
// state when loaded.
(function () {
  "use strict";

  const live = document.getElementById("live");
  if (!live) return;
  const ajax = Canvas.ajax;

  let revision = Number(live.dataset.revision || 0);
  let pendingBlocks = null; // null: nothing pending; a Set; or "all"
  let timer = null;
  let inFlight = false;

  // One refresh at a time; what is asked for meanwhile gathers into the next one (htmx's own
  // queue would keep only the last request, and lose the blocks of those it replaced).
  function refresh(blocks) {
    if (blocks === "all" || pendingBlocks === "all") pendingBlocks = "all";
    else {
      pendingBlocks = pendingBlocks || new Set();
      blocks.forEach(function (kind) { pendingBlocks.add(kind); });
    }
    schedule();
  }
  function schedule() {
    if (timer || inFlight || !pendingBlocks) return;
    // Gather what arrives within a few milliseconds into one request.
    timer = setTimeout(function () {
      const wanted = pendingBlocks;
      pendingBlocks = null;
      timer = null;
      let url = live.dataset.refreshUrl;
      if (wanted !== "all" && wanted.size) url += "?" + new URLSearchParams({ blocks: Array.from(wanted).join(",") });
      inFlight = true;
      ajax("GET", url, { swap: "none", source: live }).then(function () {
        inFlight = false;
        schedule();
      });
    }, 30);
  }
  // drafts.js dropped a stale refresh: everything again.
  live.addEventListener("refreshAll", function () { refresh("all"); });

  // The workshop bar's refreshes have a source of their own: requests from one element queue
  // behind each other and htmx keeps only the last one queued (the board refreshes from #live
  // must never be replaced); and not the bar itself, which its answer replaces (a request
  // queued on the old bar would never go).
  const workshopSource = document.createElement("span");
  workshopSource.hidden = true;
  live.appendChild(workshopSource);
  function refreshWorkshop() {
    if (!live.dataset.workshopUrl) return;
    ajax("GET", live.dataset.workshopUrl, { swap: "none", source: workshopSource });
  }

  // Who is here changes in bursts (a room of sixty joins within seconds): at most one fetch
  // of the presence bar a second, the last one after the burst.
  let presenceDue = null;
  let presenceAt = 0;
  function refreshPresence() {
    if (!live.dataset.presenceUrl || presenceDue) return;
    const wait = Math.max(0, presenceAt + 1000 - Date.now());
    presenceDue = setTimeout(function () {
      presenceDue = null;
      presenceAt = Date.now();
      ajax("GET", live.dataset.presenceUrl, { target: "#presence-bar", swap: "outerHTML" });
    }, wait);
  }

  // Every message of the stream, in every tab of this browser: the same code for the tab that
  // holds the stream and for those it hands the messages to.
  function handle(type, raw, id) {
    if (type === "streamClosed") return stopFollowing();
    if (type === "fragment") return swapFragment(raw, Number(id) || 0);
    let data = {};
    try { data = JSON.parse(raw || "{}"); } catch (error) { data = {}; }
    if (type === "presence") return refreshPresence();
    if (type === "workshopEnded" && live.hasAttribute("data-guest")) return window.location.reload();
    if (type === "workshopChanged" || type === "workshopEnded") {
      refreshWorkshop();
      // Voting and private writing change what the notes show; a timer does not (`notes`).
      if (follows(data.revision) && data.notes === false) return;
      return refresh("all");
    }
    if (type === "resync") return refresh("all");
    if (type === "hello") {
      refreshPresence();
      if (data.revision > revision) refresh("all");
      revision = Math.max(revision, data.revision || 0);
      return;
    }
    if (!follows(data.revision)) return refresh("all");
    if (data.tab && data.tab === live.dataset.tab) { ownRevision = data.revision; return; } // this page made the change
    // A note someone writes privately changes only their pages (and the facilitator's count).
    if (data.only && data.only !== live.dataset.writer) {
      if (document.querySelector("#workshop-bar[data-facilitator]")) refreshWorkshop();
      return;
    }
    // A comment: an open thread refreshes itself (comments.js); the badge comes with the lists.
    if (data.thread) document.dispatchEvent(new CustomEvent("commentsChanged", { detail: { thread: data.thread } }));
    if (type === "notesChanged" && data.pushed && takesPushes) return; // the fragment follows
    if (type === "notesChanged" && data.blocks) return refresh(data.blocks);
    refresh("all");
  }

  // The page follows the canvas revision; a gap means it missed an event.
  function follows(next) {
    const behind = next > revision + 1;
    revision = Math.max(revision, next || 0);
    return !behind;
  }

  // The note lists a change touched, pushed by the server after its event (the same for every
  // page of this page's kind), swapped out of band by htmx itself so that its events fire
  // (drafts.js keeps what someone is typing on htmx:oobBeforeSwap). Pages that show more
  // than their kind (the segment and profile pages, a facilitator's guest preview) have no
  // data-push and fetch their own; this page's own change is in place already.
  const takesPushes = live.hasAttribute("data-push");
  let ownRevision = 0;
  function swapFragment(html, eventRevision) {
    if (!takesPushes || (eventRevision && eventRevision === ownRevision)) return;
    live.dispatchEvent(new CustomEvent("fragmentPushed", { detail: { revision: eventRevision } }));
    htmx.swap(live, withoutDuplicates(html), { swapStyle: "none" });
    if (!follows(eventRevision)) refresh("all");
  }

  // A note card pushed to be appended may be on the page already (a whole-board refresh got
  // it first): the pushed card takes the place of the one there (or, if someone is editing
  // that one, stays out), never a second copy.
  function withoutDuplicates(html) {
    const parsed = document.createElement("template");
    parsed.innerHTML = html;
    let changed = false;
    parsed.content.querySelectorAll("[hx-swap-oob^='beforeend'] > [id]").forEach(function (card) {
      const there = document.getElementById(card.id);
      if (!there) return;
      if (there.classList.contains("note--editing")) { card.remove(); changed = true; }
      else there.remove();
    });
    return changed ? parsed.innerHTML : html;
  }

  // Too many pages of this canvas open in this person's browsers: the server closed the
  // oldest one's stream (this browser's). Every tab says so and stops announcing itself.
  let following = true;
  function stopFollowing() {
    following = false;
    Canvas.toast("This page no longer follows live changes: too many pages of this canvas are open. Reload it to follow again.", "error", { sticky: true });
  }

  const names = live.dataset.events.split(",").concat(["fragment", "streamClosed"]);
  const stream = Canvas.stream(live.dataset.eventsUrl, names, live.dataset.tab, handle);

  // Presence: a sign of life now and then, and which note this page is editing.
  let editing = "";
  function beat(leaving) {
    if (!live.dataset.beatUrl || !following) return;
    const body = new FormData();
    body.append("tab", live.dataset.tab);
    body.append("editing", editing);
    fetch(live.dataset.beatUrl, {
      method: "POST", body: body, credentials: "same-origin", keepalive: leaving === true,
      headers: { "X-CSRFToken": Canvas.csrfToken() },
    }).catch(function () {});
  }
  setInterval(beat, 20000);
  // A tab that shares another's stream has no stream whose end tells the server it left: as
  // it closes, it says it edits nothing, so that nobody keeps seeing its marker.
  window.addEventListener("pagehide", function () {
    if (editing && !stream.leading()) { editing = ""; beat(true); }
  });
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
