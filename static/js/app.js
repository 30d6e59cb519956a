// What htmx cannot do on its own: Enter/Esc in editors, keyboard moves, drag and drop, toasts.
// Everything here enhances forms and links that already work without JavaScript.
(function () {
  "use strict";

  const board = () => document.getElementById("board");
  const notesUrl = () => (board() ? board().dataset.notesUrl : null);
  const noteId = (note) => note.id.slice("note-".length);

  // htmx.ajax rejects (with nothing) when a request is dropped or aborted, e.g. superseded by
  // a newer one: that is expected here, not an error to report.
  function ajax(verb, url, options) {
    return htmx.ajax(verb, url, options).catch(function () {});
  }

  function post(url, values) {
    return ajax("POST", url, { values: values, swap: "none", source: board() });
  }

  // Enter submits (Shift+Enter is a new line); Esc cancels an editor.
  document.addEventListener("keydown", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement)) return;
    const form = field.form;
    if (!form) return;
    if (event.key === "Enter" && !event.shiftKey && field.hasAttribute("data-enter-submits")) {
      event.preventDefault();
      if (event.isComposing) return;
      form.dataset.submitting = "1";
      form.requestSubmit();
    } else if (event.key === "Escape" && form.dataset.escapeUrl) {
      event.preventDefault();
      cancelEditor(form);
    }
  });

  function cancelEditor(form) {
    form.dataset.submitting = "1";
    const target = form.closest(".note--editing") || form;
    const swap = form.dataset.escapeSwap || "outerHTML";
    ajax("GET", form.dataset.escapeUrl, { target: target, swap: swap });
  }

  // Leaving a note's text field saves it, unless focus stays inside the same editor
  // (a colour swatch, a move button) or the text did not change.
  document.addEventListener("focusout", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLTextAreaElement) || !field.hasAttribute("data-save-on-leave")) return;
    const note = field.closest(".note--editing");
    if (!note || (event.relatedTarget && note.contains(event.relatedTarget))) return;
    const form = field.form;
    if (form.dataset.submitting) return;
    setTimeout(function () {
      if (!document.body.contains(form) || form.dataset.submitting) return;
      if (field.value !== field.defaultValue || colourChanged(form)) {
        form.dataset.submitting = "1";
        form.requestSubmit();
      }
    }, 0);
  });

  function colourChanged(form) {
    const checked = form.querySelector("input[name=colour]:checked");
    return checked && !checked.defaultChecked;
  }

  // Picking a colour in the editor saves at once.
  document.addEventListener("change", function (event) {
    const input = event.target;
    if (input.name === "colour" && input.closest(".note-editor")) {
      input.form.dataset.submitting = "1";
      input.form.requestSubmit();
    }
  });

  // A failed request (422) leaves the form on screen: allow submitting again.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.target.closest ? event.target.closest("form") : null;
    if (form) delete form.dataset.submitting;
    // An undone deletion needs its toast no more.
    const toastBox = event.target.closest ? event.target.closest(".toast") : null;
    if (toastBox && event.detail.successful) toastBox.remove();
  });

  // Keyboard on a focused note card.
  const STEP_KEYS = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "previous-block", ArrowRight: "next-block" };
  document.addEventListener("keydown", function (event) {
    const note = event.target;
    if (!(note instanceof HTMLElement) || !note.matches(".note[tabindex]")) return;
    const url = notesUrl() + noteId(note) + "/";
    if (event.key === "Enter" || event.key === "F2") {
      event.preventDefault();
      openEditor(note);
    } else if (event.altKey && STEP_KEYS[event.key]) {
      event.preventDefault();
      post(url + "move/", { step: STEP_KEYS[event.key] });
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      const next = note.nextElementSibling || note.previousElementSibling;
      post(url + "delete/", {}).then(function () { if (next && next.isConnected) next.focus(); });
    }
  });

  // The edit link of a note has no hx-* attributes (a 450-note page renders faster without
  // them): open the editor in place from here.
  function openEditor(note) {
    const link = note.querySelector(".note-open");
    if (link) ajax("GET", link.href, { target: note, swap: "outerHTML" });
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest(".note-open");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    openEditor(link.closest(".note"));
  });

  // Clicking a note's text opens it for editing.
  document.addEventListener("click", function (event) {
    const note = event.target.closest && event.target.closest(".note[tabindex]");
    if (!note || event.target.closest("a, button, form")) return;
    openEditor(note);
  });

  // After a move, the moved note keeps the keyboard focus.
  document.body.addEventListener("noteFocus", function (event) {
    const note = document.getElementById("note-" + event.detail.id);
    if (note) { note.focus(); note.scrollIntoView({ block: "nearest" }); }
  });

  // Drag and drop between and within blocks.
  let dragged = null;
  const marker = document.createElement("li");
  marker.className = "drop-marker";
  marker.setAttribute("aria-hidden", "true");

  document.addEventListener("dragstart", function (event) {
    const note = event.target.closest && event.target.closest(".note[draggable=true]");
    if (!note) return;
    dragged = note;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", noteId(note));
    requestAnimationFrame(function () { note.classList.add("note--dragging"); });
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    const list = listUnder(event.target);
    if (!list) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const before = cardAfter(list, event.clientY);
    if (before) list.insertBefore(marker, before); else list.appendChild(marker);
  });

  document.addEventListener("drop", function (event) {
    if (!dragged) return;
    const list = listUnder(event.target);
    if (!list) return;
    event.preventDefault();
    const cards = Array.from(list.children).filter(function (el) { return el.matches(".note") || el === marker; });
    const position = cards.filter(function (el) { return el !== dragged; }).indexOf(marker);
    const id = noteId(dragged);
    marker.remove();
    post(notesUrl() + id + "/move/", { block: list.dataset.block, position: Math.max(0, position) });
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("note--dragging");
    dragged = null;
    marker.remove();
  });

  function listUnder(target) {
    const block = target.closest && target.closest(".block");
    return block ? block.querySelector("ul.notes") : null;
  }

  function cardAfter(list, y) {
    const cards = Array.from(list.querySelectorAll(":scope > .note:not(.note--dragging)"));
    return cards.find(function (card) {
      const box = card.getBoundingClientRect();
      return y < box.top + box.height / 2;
    }) || null;
  }

  // Toasts go away by themselves; errors from the server show as a toast too.
  function toast(text, kind, options) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const item = document.createElement("div");
    item.className = "toast" + (kind ? " toast--" + kind : "");
    item.setAttribute("role", kind === "error" ? "alert" : "status");
    item.textContent = text;
    box.prepend(item);
    if (!(options && options.sticky)) setTimeout(function () { item.remove(); }, 6000);
  }

  htmx.onLoad(function (root) {
    const toasts = root.querySelectorAll ? root.querySelectorAll(".toast[data-autodismiss]") : [];
    toasts.forEach(function (item) { setTimeout(function () { item.remove(); }, 8000); });
  });

  document.addEventListener("htmx:responseError", function (event) {
    const xhr = event.detail.xhr;
    const status = xhr.status;
    const messages = {
      403: "Your role does not allow that.",
      404: "That is gone: someone may have deleted it. Reload to see the latest.",
      503: "The server is busy right now: try again in a few seconds. Your change was not saved.",
    };
    // Short plain-text answers (busy, locked, a refused action) say what happened themselves.
    const plain = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/plain");
    const said = plain && xhr.responseText.length < 300 ? xhr.responseText : "";
    toast(said || messages[status] || "Something went wrong (" + status + "). Your change was not saved.", "error");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("No connection to the server. Your change was not saved.", "error");
  });


  // Segments in the Customer Segments block: Alt+Up/Down changes priority, Enter edits.
  document.addEventListener("keydown", function (event) {
    const card = event.target;
    if (!(card instanceof HTMLElement) || !card.matches(".segment-card[tabindex]")) return;
    const id = card.id.slice("segment-".length);
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      segmentPost(id, { step: event.key === "ArrowUp" ? "up" : "down" });
    } else if (event.key === "Enter" && event.target === card) {
      event.preventDefault();
      const edit = card.querySelector(".segment-edit");
      if (edit) htmx.trigger(edit, "click");
    }
  });

  function segmentPost(id, values) {
    const url = board().dataset.notesUrl.replace(/notes\/$/, "segments/") + id + "/move/";
    return ajax("POST", url, { values: values, target: "#segment-list", swap: "outerHTML" });
  }

  document.body.addEventListener("segmentFocus", function (event) {
    const card = document.getElementById("segment-" + event.detail.id);
    if (card) card.focus();
  });

  // Dragging a segment changes its priority (only within the segment list).
  let draggedSegment = null;
  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".segment-card[draggable=true]");
    if (!card) return;
    draggedSegment = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });
  document.addEventListener("dragover", function (event) {
    if (!draggedSegment || !event.target.closest || !event.target.closest("#segment-list")) return;
    event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    if (!draggedSegment || !event.target.closest) return;
    const list = event.target.closest("#segment-list");
    if (!list) return;
    event.preventDefault();
    const cards = Array.from(list.querySelectorAll(":scope > .segment-card")).filter(function (c) { return c !== draggedSegment; });
    const after = cards.findIndex(function (c) {
      const box = c.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    segmentPost(draggedSegment.id.slice("segment-".length), { position: after === -1 ? cards.length : after });
  });
  document.addEventListener("dragend", function () { draggedSegment = null; });

  // The segment lens: dim every note not linked to the chosen segment, without a reload.
  function applyLens() {
    const b = board();
    if (!b) return;
    const lens = b.dataset.lens || "";
    b.querySelectorAll(".note[id^='note-']").forEach(function (note) {
      const linked = (note.dataset.lensRefs || "").split(" ");
      note.classList.toggle("note--dimmed", lens !== "" && linked.indexOf(lens) === -1);
    });
    document.querySelectorAll("#lens-bar [data-lens]").forEach(function (chip) {
      const active = chip.dataset.lens === lens;
      chip.classList.toggle("chip--active", active);
      chip.setAttribute("aria-pressed", active ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    const chip = event.target.closest && event.target.closest("#lens-bar [data-lens]");
    if (!chip || !board()) return;
    event.preventDefault();
    board().dataset.lens = chip.dataset.lens;
    history.replaceState(null, "", chip.href);
    applyLens();
  });
  document.addEventListener("htmx:afterSettle", applyLens);
  document.addEventListener("htmx:oobAfterSwap", applyLens);

  // An out-of-band refresh never overwrites what someone is typing: a region that holds an
  // open editor or the focused field stays as it is, unless the request came from inside it
  // (the user's own save or move).
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

  // Add forms that stay on screen: empty them after a success, ready for the next entry.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-reset-on-success")) return;
    if (!event.detail.successful || event.detail.xhr.status !== 200) return;
    form.reset();
    const first = form.querySelector("input[type=text], textarea");
    if (first) first.focus();
  });

  // Sortable lists (profile entries): Alt+Up/Down and drag and drop, Enter edits.
  function sortPost(item, values) {
    const list = item.closest("[data-sortable]");
    const url = list.dataset.moveBase + item.dataset.sortId + "/move/";
    return ajax("POST", url, { values: values, swap: "none", source: list }).then(function () {
      const again = document.getElementById(item.id);
      if (again) again.focus();
    });
  }
  document.addEventListener("keydown", function (event) {
    const item = event.target;
    if (!(item instanceof HTMLElement) || !item.matches("[data-sortable] > [data-sort-id][tabindex]")) return;
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      sortPost(item, { step: event.key === "ArrowUp" ? "up" : "down" });
    } else if (event.key === "Enter" && event.target === item) {
      event.preventDefault();
      const edit = item.querySelector("a[hx-get]");
      if (edit) htmx.trigger(edit, "click");
    }
  });
  let draggedItem = null;
  document.addEventListener("dragstart", function (event) {
    const item = event.target.closest && event.target.closest("[data-sortable] > [data-sort-id][draggable=true]");
    if (item) { draggedItem = item; event.dataTransfer.effectAllowed = "move"; event.dataTransfer.setData("text/plain", item.id); }
  });
  document.addEventListener("dragover", function (event) {
    if (draggedItem && event.target.closest && event.target.closest("[data-sortable]") === draggedItem.parentElement) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    if (!draggedItem || !event.target.closest) return;
    const list = event.target.closest("[data-sortable]");
    if (list !== draggedItem.parentElement) return;
    event.preventDefault();
    const others = Array.from(list.querySelectorAll(":scope > [data-sort-id]")).filter(function (el) { return el !== draggedItem; });
    const index = others.findIndex(function (el) {
      const box = el.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    sortPost(draggedItem, { position: index === -1 ? others.length : index });
  });
  document.addEventListener("dragend", function () { draggedItem = null; });


  // Live updates. The page holds an event stream (htmx SSE extension on #live); events carry
  // only ids and the canvas revision, and the page fetches what changed. A page that was
  // behind (it reconnected, or missed an event) refreshes everything.
  const live = document.getElementById("live");
  if (live) {
    let revision = Number(live.dataset.revision || 0);
    let pendingBlocks = null; // null: nothing pending; a Set; or "all"
    let timer = null;

    const refresh = function (blocks) {
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
        if (wanted !== "all" && wanted.size) url += "?blocks=" + Array.from(wanted).join(",");
        ajax("GET", url, { swap: "none", source: live });
      }, 30);
    };

    const refreshWorkshop = function () {
      if (!live.dataset.workshopUrl) return;
      ajax("GET", live.dataset.workshopUrl, { swap: "none", source: live });
    };

    const refreshPresence = function () {
      if (!live.dataset.presenceUrl) return;
      ajax("GET", live.dataset.presenceUrl, { target: "#presence-bar", swap: "outerHTML" });
    };

    // A refresh that left before one of this page's own writes was saved can land after the
    // write's answer: it would put the old state back. Responses say their revision; a refresh
    // older than the page's own last write is dropped and asked for again.
    let ownRevision = 0;
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
        refresh("all");
      }
    });

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
    // oldest one's stream (this page). It says so and stops announcing itself.
    let following = true;
    live.addEventListener("htmx:sseClose", function (event) {
      if (event.detail.type !== "message") return;
      following = false;
      toast("This page no longer follows live changes: too many pages of this canvas are open. Reload it to follow again.", "error", { sticky: true });
    });

    // Presence: a sign of life now and then, and which note this page is editing.
    let editing = "";
    const beat = function () {
      if (!live.dataset.beatUrl || !following) return;
      const body = new FormData();
      body.append("tab", live.dataset.tab);
      body.append("editing", editing);
      fetch(live.dataset.beatUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      }).catch(function () {});
    };
    const csrfToken = function () {
      try { return JSON.parse(document.body.getAttribute("hx-headers"))["x-csrftoken"]; } catch (e) { return ""; }
    };
    setInterval(beat, 20000);
    document.addEventListener("htmx:afterSettle", function () {
      const open = document.querySelector(".note--editing");
      const now = open ? open.id.slice("note-".length) : "";
      if (now !== editing) { editing = now; beat(); }
      markBusyNotes();
    });

    // Notes someone else is editing get a marker with their name.
    const markBusyNotes = function () {
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
    };
  }

  // Workshop: the countdown, the signal when time is up, and "bring everyone here".
  let timerStarted = 0;
  let timerSeconds = null;
  let timerRunning = false;
  let lastFocus = "";
  const timeUp = document.createElement("div");
  timeUp.className = "time-up";
  timeUp.setAttribute("role", "alert");

  function readWorkshopBar() {
    const bar = document.getElementById("workshop-bar");
    if (!bar) return;
    const left = bar.dataset.secondsLeft;
    timerSeconds = left === "" || left === undefined ? null : Number(left);
    timerRunning = bar.dataset.running === "1";
    timerStarted = Date.now();
    showTimer();
    const focus = bar.dataset.focus || "";
    if (focus && focus !== lastFocus) {
      document.querySelectorAll(".block--focused").forEach(function (el) { el.classList.remove("block--focused"); });
      const block = document.getElementById("block-" + focus);
      if (block) {
        block.classList.add("block--focused");
        block.scrollIntoView({ behavior: "smooth", block: "center" });
      }
    } else if (!focus) {
      document.querySelectorAll(".block--focused").forEach(function (el) { el.classList.remove("block--focused"); });
    }
    lastFocus = focus;
  }

  function showTimer() {
    const display = document.querySelector("#workshop-bar [data-timer]");
    if (!display || timerSeconds === null) return;
    const elapsed = timerRunning ? Math.floor((Date.now() - timerStarted) / 1000) : 0;
    const left = Math.max(0, timerSeconds - elapsed);
    display.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (timerRunning && left === 0 && !timeUp.isConnected) {
      timeUp.textContent = "Time's up!";
      document.body.appendChild(timeUp);
      setTimeout(function () { timeUp.remove(); }, 8000);
    }
  }
  setInterval(showTimer, 1000);
  readWorkshopBar();
  document.addEventListener("htmx:load", function (event) {
    if (event.target.id === "workshop-bar") readWorkshopBar();
  });

  // A conflict: put their text under mine in the draft, to merge by hand.
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-merge]");
    if (!button) return;
    const form = button.closest("form");
    const theirs = form.querySelector(".conflict-theirs");
    const draft = form.querySelector("textarea[name=text]");
    if (theirs && draft) {
      draft.value = draft.value + "\n" + theirs.textContent.trim();
      draft.focus();
    }
  });

  // Invitation links: select the whole link on focus, ready to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
