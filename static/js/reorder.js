// Sortable lists (notes, customer segments, profile entries): drag and drop, and Alt+Up/Down on
// a focused item (Alt+Left/Right to the previous or next list where the list allows it). Each
// posts what the list's forms without JavaScript post: step=up|down|..., or position=N.
// A list declares itself with data attributes:
//   data-sortable               its children with an id are the items (`note-12` is note 12)
//   data-sort-move-url          where a move goes: a URL template (see fillUrl in common.js)
//   data-sort-group="notes"     items may be dragged to the other lists of the same group
//   data-sort-values="block=x"  form values (URL-encoded) a move into this list sends along
//   data-sort-sideways="a b"    the steps Alt+Left and Alt+Right post
//   data-sort-swap="outerHTML"  the answer replaces the list (otherwise it comes out of band)
// and data-sort-zone="notes" on an ancestor (a canvas block) takes drops for its list of that group.
// Everything here enhances forms that work without JavaScript.
(function () {
  "use strict";

  function move(item, values) {
    const list = item.closest("[data-sortable]");
    const url = Canvas.fillUrl(list.dataset.sortMoveUrl, Canvas.objectId(item));
    // Sent from the list's parent, which no refresh replaces (the list is): a move queued
    // behind another still goes out, and the answer's lists count as a refresh for drafts.js,
    // so that an editor open in them keeps its draft.
    const options = { values: values, swap: "none", source: list.parentElement };
    if (list.dataset.sortSwap) {
      options.target = "#" + list.id;
      options.swap = list.dataset.sortSwap;
    }
    return Canvas.ajax("POST", url, options).then(function () { focusItem(item.id); });
  }

  // The moved item keeps the keyboard focus; the server also names it after a move.
  function focusItem(id) {
    const item = document.getElementById(id);
    if (item) { item.focus(); item.scrollIntoView({ block: "nearest" }); }
  }
  document.body.addEventListener("noteFocus", function (event) { focusItem("note-" + event.detail.id); });
  document.body.addEventListener("segmentFocus", function (event) { focusItem("segment-" + event.detail.id); });

  document.addEventListener("keydown", function (event) {
    const item = event.target;
    if (!event.altKey || !(item instanceof HTMLElement) || !item.matches("[data-sortable] > [tabindex]")) return;
    const sideways = (item.parentElement.dataset.sortSideways || "").split(" ");
    const step = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: sideways[0], ArrowRight: sideways[1] }[event.key];
    if (!step) return;
    event.preventDefault();
    move(item, { step: step });
  });

  // Drag and drop: a marker shows where the item lands.
  let dragged = null; // { item, listId, group }
  const marker = document.createElement("li");
  marker.className = "drop-marker";
  marker.setAttribute("aria-hidden", "true");

  document.addEventListener("dragstart", function (event) {
    const item = event.target.closest && event.target.closest("[data-sortable] > [draggable=true]");
    if (!item) return;
    const list = item.parentElement;
    dragged = { item: item, listId: list.id, group: list.dataset.sortGroup };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.id);
    // app.css has one dragging style; a frame later, so that the drag image is not faded.
    requestAnimationFrame(function () { item.classList.add("note--dragging"); });
  });

  document.addEventListener("dragover", function (event) {
    const list = dragged && listUnder(event.target);
    if (!list) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const items = others(list);
    const before = items[landing(items, event.clientY)];
    if (before) list.insertBefore(marker, before); else list.appendChild(marker);
  });

  document.addEventListener("drop", function (event) {
    const list = dragged && listUnder(event.target);
    if (!list) return;
    event.preventDefault();
    marker.remove();
    const values = Object.fromEntries(new URLSearchParams(list.dataset.sortValues || ""));
    values.position = landing(others(list), event.clientY);
    move(dragged.item, values);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.item.classList.remove("note--dragging");
    dragged = null;
    marker.remove();
  });

  // The list a drop on `target` lands in: the list itself, or the one its zone holds.
  function listUnder(target) {
    const list = target.closest && target.closest("[data-sortable]");
    if (list && (list.id === dragged.listId || (dragged.group && list.dataset.sortGroup === dragged.group))) return list;
    const zone = dragged.group && target.closest && target.closest("[data-sort-zone='" + dragged.group + "']");
    return zone ? zone.querySelector("[data-sortable][data-sort-group='" + dragged.group + "']") : null;
  }

  // A list's items but the dragged one, and where among them a drop at height y lands.
  function others(list) {
    return Array.from(list.querySelectorAll(":scope > [id]")).filter(function (el) { return el !== dragged.item; });
  }
  function landing(items, y) {
    const index = items.findIndex(function (item) {
      const box = item.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
    return index === -1 ? items.length : index;
  }
})();
