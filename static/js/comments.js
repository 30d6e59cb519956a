// Comment threads on the canvas page: a card's comments link opens its thread in the panel
// beside the board (Esc closes it and gives the focus back to the link), ?thread=note-12 in
// the address opens one (the inbox links there, #comment-40 scrolls to the comment), an open
// thread refreshes when someone else comments (live.js says so, keeping what is being typed),
// and @ in a comment offers the team's members. Without JavaScript the links open the
// thread's own page.
(function () {
  "use strict";

  const panel = document.getElementById("thread-panel");
  let opener = null; // the key of the thread whose link opened the panel ("note-12")

  function threadUrl(link) { return link.getAttribute("href"); }

  function open(url, key, then) {
    opener = key;
    fetchThread(url).then(function (html) {
      if (html === null) return;
      panel.innerHTML = html;
      htmx.process(panel);
      panel.hidden = false;
      const close = panel.querySelector("[data-thread-close]");
      if (close) close.hidden = false;
      if (then) then();
      else {
        const field = panel.querySelector(".comment-add textarea");
        if (field) field.focus();
      }
    });
  }

  function fetchThread(url) {
    return fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          Canvas.toast(response.status === 404 ? "That note is gone, or hidden for now." : "Could not open the comments.", "error");
          return null;
        }
        return response.text();
      })
      .catch(function () { return null; });
  }

  function close() {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    panel.innerHTML = "";
    const link = opener && document.getElementById("comments-" + opener);
    opener = null;
    if (link) link.focus();
    if (new URLSearchParams(location.search).has("thread")) history.replaceState(null, "", location.pathname);
  }

  if (panel) {
    document.addEventListener("click", function (event) {
      const link = event.target.closest && event.target.closest("a[data-thread]");
      if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
        event.preventDefault();
        open(threadUrl(link), link.dataset.thread);
        return;
      }
      if (event.target.closest && event.target.closest("[data-thread-close]")) close();
    });

    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !event.defaultPrevented) { event.preventDefault(); close(); }
    });

    // Someone else commented: refresh the open thread, keeping a draft and the focus.
    document.addEventListener("commentsChanged", function (event) {
      if (panel.hidden || event.detail.thread !== opener) return;
      const section = panel.querySelector(".thread");
      if (!section || section.querySelector(".comment .comment-form")) return; // an edit is open: later
      const link = document.getElementById("comments-" + opener);
      const url = link ? threadUrl(link) : null;
      if (!url) return;
      const field = section.querySelector(".comment-add textarea");
      const draft = field ? field.value : "";
      const focused = field && document.activeElement === field;
      fetchThread(url).then(function (html) {
        if (html === null || panel.hidden) return;
        panel.innerHTML = html;
        htmx.process(panel);
        panel.querySelector("[data-thread-close]").hidden = false;
        const again = panel.querySelector(".comment-add textarea");
        if (again) { again.value = draft; if (focused) again.focus(); }
      });
    });

    // The inbox links to ?thread=note-12#comment-40: open that thread, show that comment.
    const wanted = new URLSearchParams(location.search).get("thread");
    const link = wanted && document.getElementById("comments-" + wanted);
    if (link) {
      open(threadUrl(link), wanted, function () {
        const comment = location.hash && document.getElementById(location.hash.slice(1));
        if (comment) {
          comment.classList.add("comment--target");
          comment.setAttribute("tabindex", "-1");
          comment.scrollIntoView({ block: "nearest" });
          comment.focus();
        }
      });
    }
  }

  // After an answer replaced the thread, the focus goes back to its add field.
  document.addEventListener("htmx:afterSwap", function (event) {
    const thread = event.detail.target;
    if (!thread || !thread.classList || !thread.classList.contains("thread")) return;
    const fresh = document.getElementById(thread.id) || thread;
    const close = fresh.querySelector("[data-thread-close]");
    if (close && panel && panel.contains(fresh)) close.hidden = false;
    const editing = fresh.querySelector(".comment .comment-form textarea");
    const target = editing || fresh.querySelector(".comment-add textarea");
    if (target) target.focus();
  });

  // Ctrl+Enter (or Cmd+Enter) sends a comment; Enter alone starts a new line.
  document.addEventListener("keydown", function (event) {
    const field = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    if (!(field instanceof HTMLTextAreaElement) || !field.hasAttribute("data-mentions")) return;
    event.preventDefault();
    field.form.requestSubmit();
  });

  // @-completion: the team's usernames (fetched once per thread's URL), offered in a listbox
  // under the field; arrows choose, Enter or Tab takes, Esc closes the list only.
  const names = {};
  let list = null;
  let active = -1;

  function usernames(url) {
    if (!names[url]) {
      names[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { usernames: [] }; })
        .then(function (data) { return data.usernames || []; })
        .catch(function () { return []; });
    }
    return names[url];
  }

  function typedMention(field) {
    const before = field.value.slice(0, field.selectionStart);
    const match = /(^|[^\w@.])@([\w.+-]*)$/.exec(before);
    return match ? match[2] : null;
  }

  function closeList(field) {
    if (list) list.remove();
    list = null;
    active = -1;
    if (field) { field.removeAttribute("aria-activedescendant"); field.setAttribute("aria-expanded", "false"); }
  }

  function choose(field, name) {
    const at = field.selectionStart;
    const before = field.value.slice(0, at).replace(/@[\w.+-]*$/, "@" + name + " ");
    field.value = before + field.value.slice(at);
    field.selectionStart = field.selectionEnd = before.length;
    closeList(field);
    field.focus();
  }

  function showList(field, matches) {
    closeList(field);
    if (!matches.length) return;
    list = document.createElement("ul");
    list.className = "mention-list";
    list.id = field.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Team members");
    matches.forEach(function (name, index) {
      const option = document.createElement("li");
      option.id = list.id + "-" + index;
      option.setAttribute("role", "option");
      option.textContent = "@" + name;
      option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(field, name); });
      list.appendChild(option);
    });
    field.insertAdjacentElement("afterend", list);
    field.setAttribute("aria-controls", list.id);
    field.setAttribute("aria-expanded", "true");
    move(field, 0);
  }

  function move(field, index) {
    const options = list ? list.querySelectorAll("[role=option]") : [];
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
    field.setAttribute("aria-activedescendant", options[active].id);
  }

  document.addEventListener("input", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLTextAreaElement) || !field.hasAttribute("data-mentions")) return;
    const thread = field.closest("[data-mention-url]");
    const typed = thread ? typedMention(field) : null;
    if (typed === null) return closeList(field);
    field.setAttribute("aria-autocomplete", "list");
    usernames(thread.dataset.mentionUrl).then(function (all) {
      const lower = typed.toLowerCase();
      showList(field, all.filter(function (name) { return name.toLowerCase().startsWith(lower); }).slice(0, 8));
    });
  });

  document.addEventListener("keydown", function (event) {
    const field = event.target;
    if (!list || !(field instanceof HTMLTextAreaElement) || !field.hasAttribute("data-mentions")) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(field, active + (event.key === "ArrowDown" ? 1 : -1));
    } else if ((event.key === "Enter" && !event.ctrlKey && !event.metaKey) || event.key === "Tab") {
      const option = list.querySelectorAll("[role=option]")[active];
      if (!option) return;
      event.preventDefault();
      choose(field, option.textContent.slice(1));
    } else if (event.key === "Escape") {
      event.preventDefault(); // the list closes, not the panel
      closeList(field);
    }
  }, true);

  document.addEventListener("focusout", function (event) {
    if (list && event.target.hasAttribute && event.target.hasAttribute("data-mentions")) closeList(event.target);
  });
})();
