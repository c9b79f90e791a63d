/* Project board: drag a card to another column, say why in a dialog, and post the same form as the move page.
   Without JavaScript (or on a phone) the cards' "previous stage" / "next stage" links do the same job. */
(function () {
  "use strict";

  // Back from a move: bring the moved card into view (on a phone its column may be far to the right) and give it
  // the focus, so that the next action starts from it.
  var moved = document.querySelector(".board-card[data-moved]");
  if (moved) {
    moved.setAttribute("tabindex", "-1");
    moved.scrollIntoView({ block: "center", inline: "center" });
    moved.focus({ preventScroll: true });
  }

  var board = document.getElementById("board");
  var dialog = document.getElementById("move-dialog");
  if (!board || !board.dataset.canMove || !dialog || typeof Sortable === "undefined" || !dialog.showModal) {
    return;
  }
  var form = document.getElementById("move-dialog-form");
  var note = form.elements.note;
  var submitButton = form.querySelector("button[type=submit]");
  // The card being moved, and where it came from, until the move is sent or cancelled.
  var pending = null;

  function setText(name, text) {
    form.querySelector("[data-field='" + name + "']").textContent = text;
  }

  function putBack() {
    if (!pending) {
      return;
    }
    var p = pending;
    pending = null;
    p.from.insertBefore(p.item, p.from.children[p.oldIndex] || null);
  }

  function ask(evt) {
    var card = evt.item;
    pending = { item: card, from: evt.from, oldIndex: evt.oldIndex };
    form.action = card.dataset.moveUrl;
    form.elements.stage.value = evt.to.dataset.stageId;
    form.elements.from_stage.value = card.dataset.stageId;
    setText("project", card.dataset.projectName);
    setText("from", evt.from.dataset.stageName);
    setText("to", evt.to.dataset.stageName);
    note.value = "";
    submitButton.disabled = false;
    dialog.showModal();
    note.focus();
  }

  board.querySelectorAll(".board-cards[data-stage-id]").forEach(function (list) {
    Sortable.create(list, {
      group: list.dataset.lane, // a card changes stage, never lane
      sort: false, // the order inside a column is the board's, not the mouse's
      draggable: ".board-card[data-move-url]",
      filter: "a, button",
      preventOnFilter: false,
      delay: 250,
      delayOnTouchOnly: true, // a phone scrolls with a swipe; a long press drags
      animation: 150,
      ghostClass: "board-card-ghost",
      onEnd: function (evt) {
        if (evt.from !== evt.to) {
          ask(evt);
        }
      },
    });
  });

  form.addEventListener("submit", function (evt) {
    if (!note.value.trim()) {
      evt.preventDefault();
      note.setCustomValidity(note.dataset.emptyMessage || "");
      note.reportValidity();
      return;
    }
    pending = null; // the page reloads with the answer: the card is where the server says
    submitButton.disabled = true;
  });
  note.addEventListener("input", function () {
    note.setCustomValidity("");
  });
  form.querySelector("[data-action='cancel']").addEventListener("click", function () {
    dialog.close();
  });
  // Escape, the cancel button, or any close without sending: the card goes back to its column.
  dialog.addEventListener("close", putBack);
})();
