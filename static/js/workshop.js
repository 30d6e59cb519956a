// The workshop bar on the canvas page (templates/canvases/workshops/bar.html): the countdown
// from its data-seconds-left and data-running, the signal when time is up, and "bring
// everyone here" (data-focus, a block). The bar itself, and its controls, work without
// JavaScript; this only makes the timer tick and the focused block stand out.
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

  setInterval(showTimer, 1000);
  readWorkshopBar();
  // The bar comes again out of band whenever the workshop changes.
  document.addEventListener("htmx:load", function (event) {
    if (event.target.id === "workshop-bar") readWorkshopBar();
  });
})();
