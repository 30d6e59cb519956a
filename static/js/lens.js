// The segment lens on the canvas page: a chip in #lens-bar dims every note not linked to its
// segment (a note's data-lens-refs lists its segments), without a reload; the address follows,
// so a reload shows the same. Without JavaScript the chips are links the server answers.
(function () {
  "use strict";

  const board = () => document.getElementById("board");

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
  // Refreshed notes and lens bars get the lens too.
  document.addEventListener("htmx:afterSettle", applyLens);
  document.addEventListener("htmx:oobAfterSwap", applyLens);
})();
