// Editors in place (canvas and profile pages): Enter saves and Esc cancels, leaving a note's
// field or picking its colour saves, Enter (or F2) on a focused card opens its editor and
// Delete removes a note, a conflict merges both texts into the draft, and add forms empty
// themselves after a success. Everything here enhances forms and links that work without
// JavaScript.
(function () {
  "use strict";

  const ajax = Canvas.ajax;

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
    // From the editor's own region: drafts.js then lets its answer replace the open editor.
    ajax("GET", form.dataset.escapeUrl, { target: target, swap: swap, source: form.parentElement });
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

  document.addEventListener("htmx:afterRequest", function (event) {
    // A failed request (422) leaves the form on screen: allow submitting again.
    const form = event.target.closest ? event.target.closest("form") : null;
    if (form) delete form.dataset.submitting;
    // Add forms that stay on screen: empty them after a success, ready for the next entry;
    // but never wipe what was typed there since it was sent, nor take the focus from a field
    // the person has moved on to (a quick typist is already in the next block).
    const added = event.target;
    if (!(added instanceof HTMLFormElement) || !added.hasAttribute("data-reset-on-success")) return;
    if (!event.detail.successful || event.detail.xhr.status !== 200) return;
    const first = added.querySelector("input[type=text], textarea");
    if (!first || first.value === sentText.get(added)) added.reset();
    const active = document.activeElement;
    if (first && (!active || active === document.body || added.contains(active))) first.focus();
  });
  const sentText = new WeakMap(); // an add form -> the text its request carries
  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-reset-on-success")) return;
    const first = form.querySelector("input[type=text], textarea");
    if (first) sentText.set(form, first.value);
  });

  // A focused card (an item of a sortable list, see reorder.js): Enter or F2 opens its editor;
  // Delete removes it where its list says how (data-delete-url, a URL template: common.js).
  document.addEventListener("keydown", function (event) {
    const card = event.target;
    if (!(card instanceof HTMLElement) || !card.matches("[data-sortable] > [tabindex]")) return;
    const list = card.parentElement;
    if (event.key === "Enter" || event.key === "F2") {
      event.preventDefault();
      openEditor(card);
    } else if ((event.key === "Delete" || event.key === "Backspace") && list.dataset.deleteUrl) {
      event.preventDefault();
      const next = card.nextElementSibling || card.previousElementSibling;
      const url = Canvas.fillUrl(list.dataset.deleteUrl, Canvas.objectId(card));
      // Sent from the list's parent, as moves are (reorder.js says why).
      ajax("POST", url, { values: {}, swap: "none", source: list.parentElement })
        .then(function () { if (next && next.isConnected) next.focus(); });
    }
  });

  // A card's edit link: with hx-get htmx opens the editor; a note's has no hx-* attributes
  // (a 450-note page renders faster without them), so its editor opens in place from here.
  function openEditor(card) {
    const link = card.querySelector(".note-open, .segment-edit, .entry-edit");
    if (!link) return;
    if (link.hasAttribute("hx-get")) htmx.trigger(link, "click");
    else ajax("GET", link.href, { target: card, swap: "outerHTML" });
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

  // A guest's note lists are the same for every guest (rendered once on the server): each
  // guest note's edit link names its guest; keep a guest's own links, drop the others'.
  function ownLinksOnly(root) {
    const board = document.getElementById("board");
    const me = board ? board.dataset.guestId : "";
    if (!me || !root.querySelectorAll) return;
    root.querySelectorAll(".note-open[data-by-guest]").forEach(function (link) {
      if (link.dataset.byGuest !== me) link.remove();
    });
  }
  htmx.onLoad(ownLinksOnly);
})();
