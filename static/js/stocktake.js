/* Stock-take page: send each typed or scanned code with fetch() and update the found, missing and unexpected
 * lists live. Without JavaScript the same form posts normally. Uses window.RepairLabScanner (scan.js). */
(function () {
  "use strict";

  function init(root) {
    var data = root.dataset;
    var form = root.querySelector("[data-scan-form]");
    var input = form.querySelector("input[name=code]");
    var message = root.querySelector("[data-message]");
    var cameraBox = root.querySelector("[data-camera]");
    var startButton = root.querySelector("[data-camera-start]");
    var stopButton = root.querySelector("[data-camera-stop]");
    var viewport = root.querySelector("[data-camera-viewport]");
    var video = root.querySelector("[data-camera-video]");
    var scanner = window.RepairLabScanner;

    function say(text, kind) {
      scanner.showMessage(message, "stocktake-message", data, text, kind);
    }

    function list(name) {
      return root.querySelector('[data-list="' + name + '"]');
    }

    function findRow(code) {
      var rows = root.querySelectorAll("[data-list] li");
      for (var i = 0; i < rows.length; i++) if (rows[i].dataset.code === code) return rows[i];
      return null;
    }

    function place(result) {
      if (result.kind !== "found" && result.kind !== "unexpected") return;
      var row = findRow(result.code);
      if (!row) {
        row = document.createElement("li");
        row.dataset.code = result.code;
        var strong = document.createElement("strong");
        strong.textContent = result.code;
        row.appendChild(strong);
        row.appendChild(document.createTextNode(" " + result.name));
      }
      list(result.kind).appendChild(row);
    }

    function showCounts(counts) {
      Object.keys(counts || {}).forEach(function (name) {
        root.querySelectorAll('[data-count="' + name + '"]').forEach(function (el) {
          el.textContent = String(counts[name]);
        });
      });
    }

    var KINDS = { found: "success", unexpected: "info", already: "info" };

    async function send(text) {
      var code = (scanner && scanner.parseCode(text)) || text.trim();
      if (!code) return;
      say(data.msgSending.replace("__CODE__", code), "");
      var response;
      try {
        response = await fetch(data.scanUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": data.csrf },
          body: JSON.stringify({ code: code }),
        });
      } catch (e) {
        say(data.msgNetwork, "error");
        return;
      }
      var result;
      try {
        result = await response.json();
      } catch (e) {
        say(data.msgNetwork, "error");
        return;
      }
      say(result.message || result.detail || data.msgNetwork, KINDS[result.kind] || "error");
      place(result);
      showCounts(result.counts);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value;
      input.value = "";
      send(text);
      input.focus();
    });

    // Phones: no keyboard popping up over the camera button; desktops keep the autofocus for USB scanners.
    if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) input.blur();

    if (!scanner || scanner.cameraProblem()) return;
    cameraBox.hidden = false;

    function showCamera(on) {
      viewport.hidden = !on;
      stopButton.hidden = !on;
      startButton.hidden = on;
    }

    startButton.addEventListener("click", async function () {
      showCamera(true);
      say(data.msgStarting, "");
      try {
        // Continuous mode: the same label is read again only after two seconds.
        await scanner.start(video, send, { jsqrSrc: data.jsqrSrc, repeatDelay: 2000 });
        say(data.msgRunning, "");
      } catch (error) {
        if (error && error.reason === "stopped") return;
        showCamera(false);
        say(data.msgCamera, "error");
      }
    });
    stopButton.addEventListener("click", function () {
      scanner.stop();
      showCamera(false);
      say(data.msgStopped, "");
      startButton.focus();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && scanner.running) {
        scanner.stop();
        showCamera(false);
      }
    });
  }

  function boot() {
    var root = document.getElementById("stocktake-page");
    if (root) init(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
