// What a refresh must not overwrite (canvas, segment and profile pages): what someone is
// typing, open <details> and the checks panel, and newer state (a stale refresh is dropped by
// revision); and answers land in the element that exists now. Everything here enhances forms
// that work without JavaScript.
(function () {
  "use strict";

  // A refresh may have replaced the element a request was aimed at while it was in flight:
  // aim the answer at the element that carries that id now, not at the detached one.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (target && target.id && !document.body.contains(target)) {
      const current = document.getElementById(target.id);
      if (current) event.detail.target = current;
    }
  });

  // A field whose value differs from what the server sent holds someone's unsaved draft.
  function hasDraft(region) {
    const typed = Array.from(region.querySelectorAll("input[type=text], input[type=number], textarea"));
    const ticked = Array.from(region.querySelectorAll("input[type=checkbox], input[type=radio]"));
    const picked = Array.from(region.querySelectorAll("select"));
    return typed.some(function (field) { return field.value !== field.defaultValue; }) ||
      ticked.some(function (box) { return box.checked !== box.defaultChecked; }) ||
      picked.some(function (select) {
        const options = Array.from(select.options);
        const chosenByServer = Math.max(0, options.findIndex(function (o) { return o.defaultSelected; }));
        return select.selectedIndex !== chosenByServer;
      });
  }

  // An out-of-band refresh never overwrites what someone is typing: a region that holds an
  // open editor or the focused field stays as it is, unless the request came from inside it
  // (the user's own save or move).
  let swapSource = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    swapSource = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
  });
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const target = event.detail.target;
    if (!target || (swapSource && target.contains(swapSource))) return;
    if (swapSource && swapSource.closest && swapSource.closest(".note-add")) return; // an append
    const active = document.activeElement;
    const typing = active && target.contains(active) && active.matches("input, textarea, select");
    if (typing || hasDraft(target) || target.querySelector(".note--editing, .segment-card--editing, .entry--editing")) {
      event.detail.shouldSwap = false;
    }
  });

  // A refresh that left before one of this page's own writes was saved can land after the
  // write's answer: it would put the old state back. Responses say their revision; a refresh
  // older than the page's own last write (or than a fragment the server pushed, live.js) is
  // dropped, and live.js asked for everything again.
  const live = document.getElementById("live");
  if (live) {
    let ownRevision = 0;
    live.addEventListener("fragmentPushed", function (event) {
      swapSource = null; // no request of this page: nothing in it is the person's own
      if (event.detail.revision > ownRevision) ownRevision = event.detail.revision;
    });
    document.addEventListener("htmx:afterRequest", function (event) {
      const xhr = event.detail.xhr;
      if (!xhr || event.detail.elt === live) return;
      const stamped = Number(xhr.getResponseHeader("X-Canvas-Revision") || 0);
      if (stamped > ownRevision) ownRevision = stamped;
    });
    document.addEventListener("htmx:beforeSwap", function (event) {
      if (event.detail.elt !== live || !event.detail.xhr) return;
      const stamped = Number(event.detail.xhr.getResponseHeader("X-Canvas-Revision") || 0);
      if (stamped && stamped < ownRevision) {
        event.detail.shouldSwap = false;
        live.dispatchEvent(new CustomEvent("refreshAll"));
      }
    });
  }

  // Open <details> (with an id) stay open when a refresh replaces them: their state follows
  // the person's own clicks (toggle events), whatever the timing of refreshes.
  const openDetails = new Set();
  document.addEventListener("toggle", function (event) {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.id) return;
    if (details.open) openDetails.add(details.id); else openDetails.delete(details.id);
  }, true);
  // A click on a summary counts at once: a refresh may replace the <details> before its
  // toggle event is dispatched (and a detached element's events never reach the document).
  document.addEventListener("click", function (event) {
    const summary = event.target.closest && event.target.closest("details[id] > summary");
    if (!summary) return;
    const details = summary.parentElement;
    if (details.open) openDetails.delete(details.id); else openDetails.add(details.id);
  }, true);
  // Incoming fragments already carry the open state, so a refreshed panel never flickers shut.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const fragment = event.detail.fragment;
    if (!fragment || !fragment.querySelectorAll) return;
    fragment.querySelectorAll("details[id]").forEach(function (details) {
      if (openDetails.has(details.id)) details.setAttribute("open", "");
    });
  });
  document.addEventListener("htmx:afterSettle", function () {
    openDetails.forEach(function (id) {
      const details = document.getElementById(id);
      if (details && !details.open) details.open = true;
    });
  });

  // The checks panel stays open across its refreshes.
  let checksOpen = false;
  document.addEventListener("toggle", function (event) {
    if (event.target.id === "checks-panel") checksOpen = event.target.open;
  }, true);
  document.addEventListener("htmx:load", function (event) {
    const panel = event.target.id === "checks-panel" ? event.target : null;
    if (panel && checksOpen) panel.open = true;
  });
})();
