// Every page: a small shared namespace (window.Canvas: ajax, toast, csrfToken, fillUrl,
// objectId), toasts for failed requests, and copyable links that select themselves on focus
// or copy with a button.
// The page's own files (editing.js, reorder.js, live.js, ...) come after this one. Like them,
// it only enhances forms and links that work without JavaScript.
(function () {
  "use strict";

  // htmx.ajax rejects (with nothing) when a request is dropped or aborted, e.g. superseded by
  // a newer one: that is expected here, not an error to report.
  function ajax(verb, url, options) {
    return htmx.ajax(verb, url, options).catch(function () {});
  }

  // Toasts go away by themselves (unless sticky); errors say so to screen readers at once.
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

  // The token htmx sends with every request (base.html's hx-headers), for plain fetch().
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["x-csrftoken"]; } catch (e) { return ""; }
  }

  // A URL template is a `{% url %}` reversed with 0 as the item's id, e.g.
  // data-sort-move-url="/canvases/7/notes/0/move/". Real ids start at 1, so the last "/0/"
  // path segment can only be the placeholder: fillUrl puts the item's id there.
  function fillUrl(template, id) {
    const at = template.lastIndexOf("/0/");
    return template.slice(0, at + 1) + id + template.slice(at + 2);
  }

  // DOM ids end with the model's id (STYLE.md): `note-12`, `segment-3`, `entry-40`.
  function objectId(element) {
    return element.id.slice(element.id.lastIndexOf("-") + 1);
  }

  window.Canvas = { ajax: ajax, toast: toast, csrfToken: csrfToken, fillUrl: fillUrl, objectId: objectId };

  // Toasts sent by the server (a deletion's undo) go away by themselves too.
  htmx.onLoad(function (root) {
    const toasts = root.querySelectorAll ? root.querySelectorAll(".toast[data-autodismiss]") : [];
    toasts.forEach(function (item) { setTimeout(function () { item.remove(); }, 8000); });
  });

  // An undone deletion needs its toast no more.
  document.addEventListener("htmx:afterRequest", function (event) {
    const toastBox = event.target.closest ? event.target.closest(".toast") : null;
    if (toastBox && event.detail.successful) toastBox.remove();
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
  // A short plain-text 422 or 409 ("No dots left", a control's refusal) is a message, not a
  // fragment: htmx would swap it like a form (base.html's responseHandling); say it instead.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    if (!xhr || (xhr.status !== 422 && xhr.status !== 409)) return;
    const plain = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/plain");
    if (!plain || xhr.responseText.length >= 300) return;
    event.detail.shouldSwap = false;
    toast(xhr.responseText, "error");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("No connection to the server. Your change was not saved.", "error");
  });

  // Invitation and workshop links: select the whole link on focus, ready to copy. Here, not in
  // editing.js, because the team members page has one and loads nothing else.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  // Copy buttons (data-copy names the field to copy): the Clipboard API where the browser
  // allows it (a secure context), else the text is selected for Ctrl+C. Hidden without JS.
  function showCopyButtons(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("button[data-copy]").forEach(function (button) { button.hidden = false; });
  }
  htmx.onLoad(showCopyButtons);
  document.addEventListener("click", function (event) {
    const button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    const field = button ? document.getElementById(button.dataset.copy) : null;
    if (!field) return;
    const text = field.value !== undefined ? field.value : field.textContent;
    function selectIt() {
      field.focus();
      if (field.select) field.select(); else window.getSelection().selectAllChildren(field);
      toast("Selected: press Ctrl+C (⌘C) to copy.");
    }
    if (!navigator.clipboard || !window.isSecureContext) return selectIt();
    navigator.clipboard.writeText(text).then(function () { toast("Copied: " + text); }, selectIt);
  });
})();
