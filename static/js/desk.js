/* RepairLab lending desk: find a talent by name or e-mail (an ARIA combobox over /lending/desk/talents), and read
 * the item's label or the member card with the camera (window.RepairLabScanner, from scan.js). Plain ES2017.
 * Without JavaScript the form still works with typed or USB-scanned codes: both parts stay hidden.
 */
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var DELAY_MS = 200; // wait for a pause in typing before asking the server

  function initSearch(form, say) {
    var box = form.querySelector("[data-talent-search]");
    var input = form.querySelector("[data-talent-input]");
    var list = form.querySelector("[data-talent-results]");
    var chosen = form.querySelector("[data-talent-chosen]");
    var chosenText = form.querySelector("[data-talent-chosen-text]");
    var cardLink = form.querySelector("[data-talent-card]");
    var clear = form.querySelector("[data-talent-clear]");
    var hidden = form.querySelector("input[name=talent_id]");
    var card = form.querySelector("input[name=card]");
    if (!box || !input || !list || !hidden) return;
    box.hidden = false;

    var timer = null;
    var controller = null;
    var found = [];
    var active = -1;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      found = [];
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(talent) {
      // A search still on its way must not reopen the list over the chosen person.
      clearTimeout(timer);
      if (controller) controller.abort();
      hidden.value = String(talent.id);
      if (card) card.value = ""; // the card would win over the talent found: the desk chose this person
      chosenText.textContent = form.dataset.msgChosen.replace("__NAME__", talent.name + " (" + talent.email + ")");
      cardLink.href = talent.card_url;
      chosen.hidden = false;
      input.value = talent.name;
      close();
      say("", ""); // the chosen panel (a live region) says it
    }

    function show(talents) {
      close();
      found = talents;
      if (!talents.length) {
        say(form.dataset.msgNone, "info");
        return;
      }
      talents.forEach(function (talent, i) {
        var option = document.createElement("li");
        option.id = "talent-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.talentId = String(talent.id);
        var name = document.createElement("strong");
        name.textContent = talent.name;
        var email = document.createElement("span");
        email.textContent = talent.email;
        option.appendChild(name);
        option.appendChild(email);
        // mousedown, not click: the input keeps the focus (and its blur does not close the list first).
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(talent);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      say(form.dataset.msgFound.replace("__NUM__", String(talents.length)), "");
    }

    function search() {
      var text = input.value.trim();
      if (controller) controller.abort();
      if (text.length < MIN_CHARS) {
        close();
        return;
      }
      controller = new AbortController();
      var url = form.dataset.searchUrl + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(show)
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          close();
          say(form.dataset.msgFailed, "error");
        });
    }

    input.addEventListener("input", function () {
      hidden.value = ""; // typing again un-chooses
      chosen.hidden = true;
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && found.length) {
        event.preventDefault();
        highlight((active + 1) % found.length);
      } else if (event.key === "ArrowUp" && found.length) {
        event.preventDefault();
        highlight(active <= 0 ? found.length - 1 : active - 1);
      } else if (event.key === "Enter" && !list.hidden) {
        event.preventDefault(); // never submit the loan from the search field
        if (active >= 0) choose(found[active]);
        else if (found.length === 1) choose(found[0]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
    clear.addEventListener("click", function () {
      hidden.value = "";
      chosen.hidden = true;
      input.value = "";
      input.focus();
    });
    if (card) {
      card.addEventListener("input", function () {
        if (card.value.trim()) {
          hidden.value = "";
          chosen.hidden = true;
        }
      });
    }
  }

  function initCamera(form, say) {
    var scanner = window.RepairLabScanner;
    var buttons = form.querySelectorAll("[data-desk-camera]");
    var box = form.querySelector("[data-desk-camera-box]");
    if (!scanner || !box || !buttons.length || scanner.cameraProblem()) return; // typed codes only
    var video = box.querySelector("video");
    var stop = box.querySelector("[data-desk-camera-stop]");
    var target = null;

    function off() {
      scanner.stop();
      box.hidden = true;
      buttons.forEach(function (b) {
        b.setAttribute("aria-expanded", "false");
      });
    }

    function onText(text) {
      if (!target) return;
      var field = form.querySelector("input[name=" + target + "]");
      // The item field takes a code; the card field takes the card's whole text, which the server reads.
      var value = target === "item_code" ? scanner.parseCode(text) || text : text;
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      off();
      say(form.dataset.msgRead.replace("__CODE__", value), "success");
      field.focus();
    }

    buttons.forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        off();
        target = button.dataset.deskCamera;
        box.hidden = false;
        button.setAttribute("aria-expanded", "true");
        say(form.dataset.msgRunning, "");
        scanner.start(video, onText, { jsqrSrc: form.dataset.jsqrSrc }).catch(function (error) {
          off();
          var reason = (error && error.reason) || "other";
          say(form.dataset["msg" + reason.charAt(0).toUpperCase() + reason.slice(1)] || form.dataset.msgOther, "error");
        });
      });
    });
    stop.addEventListener("click", off);
    window.addEventListener("pagehide", off);
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) off();
    });
  }

  function init() {
    var form = document.getElementById("desk-lend");
    if (!form) return;
    var message = form.querySelector("[data-desk-message]");
    var scanner = window.RepairLabScanner;
    function say(text, kind) {
      var labels = { labelError: form.dataset.labelError, labelNote: form.dataset.labelNote };
      if (scanner) scanner.showMessage(message, "desk-message", labels, text, kind);
      else message.textContent = text;
    }
    initSearch(form, say);
    initCamera(form, say);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
