// The workshop bar on the canvas page (templates/canvases/workshops/bar.html): the countdown
// from its data-seconds-left and data-running, the signal when time is up, and "bring
// everyone here" (data-focus, a block), dots left, the guest preview and the lock. The bar
// itself, and its controls, work without JavaScript; this only makes the timer tick, the
// focused block stand out, spent "+ dot" buttons rest, and add fields follow the lock.
(function () {
  "use strict";

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
      unfocusBlocks();
      const block = document.getElementById("block-" + focus);
      if (block) {
        block.classList.add("block--focused");
        block.scrollIntoView({ behavior: "smooth", block: "center" });
      }
    } else if (!focus) {
      unfocusBlocks();
    }
    lastFocus = focus;
  }

  function unfocusBlocks() {
    document.querySelectorAll(".block--focused").forEach(function (el) { el.classList.remove("block--focused"); });
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

  // No dots left: the "+ dot" buttons (the vote form's own button; "−" has a formaction)
  // rest until a dot is taken back. The bar says how many are left (data-dots-left).
  function markDots() {
    const bar = document.getElementById("workshop-bar");
    const none = bar && bar.dataset.dotsLeft === "0";
    document.querySelectorAll(".vote-form button:not([formaction])").forEach(function (button) {
      button.disabled = none;
      button.title = none ? "No dots left: take one back (−) to move it" : "";
    });
  }

  // The facilitator's preview (?as=guest) looks and does not touch: the board is inert.
  function markPreview() {
    const bar = document.getElementById("workshop-bar");
    const board = document.getElementById("board");
    if (board) board.inert = Boolean(bar && bar.hasAttribute("data-preview"));
  }

  // A page opened while the canvas was locked has no add fields (the server leaves them out):
  // when the facilitator unlocks, they come back from a fresh copy of the page.
  let wasLocked = false;
  function followLock() {
    const bar = document.getElementById("workshop-bar");
    const locked = Boolean(bar && bar.hasAttribute("data-locked"));
    const missing = document.querySelector(".block") && !document.querySelector(".note-add");
    if (wasLocked && !locked && missing) restoreAddFields();
    wasLocked = locked;
  }
  function restoreAddFields() {
    fetch(window.location.pathname, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      const fresh = new DOMParser().parseFromString(html, "text/html");
      fresh.querySelectorAll("form.note-add").forEach(function (form) {
        const block = document.getElementById(form.id.replace("note-add-", "block-"));
        if (!block || document.getElementById(form.id)) return;
        const placed = document.adoptNode(form);
        block.appendChild(placed);
        htmx.process(placed);
      });
    }).catch(function () {});
  }

  function readRoom() { markDots(); markPreview(); followLock(); }

  setInterval(showTimer, 1000);
  readWorkshopBar();
  readRoom();
  // The bar comes again out of band whenever the workshop changes; note lists come with votes.
  document.addEventListener("htmx:load", function (event) {
    if (event.target.id === "workshop-bar") readWorkshopBar();
    readRoom();
  });
})();
