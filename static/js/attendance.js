/* Session attendance: scan member cards one after the other with the phone's camera; each card read is sent with
 * fetch() and the page says who is marked present. Without JavaScript (or a camera) the form posts normally, and a
 * USB scanner types into the field. Uses window.RepairLabScanner (scan.js). */
(function () {
  "use strict";

  function init(root) {
    var data = root.dataset;
    var scanner = window.RepairLabScanner;
    var form = root.querySelector("form");
    var input = form.querySelector("input[name=card]");
    var message = root.querySelector("[data-message]");
    var box = root.querySelector("[data-camera]");
    var startButton = root.querySelector("[data-camera-start]");
    var stopButton = root.querySelector("[data-camera-stop]");
    var video = root.querySelector("[data-camera-video]");
    var count = document.querySelector("[data-present-count]");
    var busy = false;

    function say(text, kind) {
      scanner.showMessage(message, "attendance-message", data, text, kind);
    }

    function send(text) {
      if (busy) return;
      busy = true;
      var body = new FormData(form);
      body.set("card", text);
      fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json();
        })
        .then(function (result) {
          say(result.message, result.ok ? "success" : "error");
          if (result.ok && count && result.present_label) count.textContent = result.present_label;
        })
        .catch(function () {
          say(data.msgNetwork, "error");
        })
        .then(function () {
          busy = false;
        });
    }

    function stop(text) {
      scanner.stop();
      video.hidden = true;
      stopButton.hidden = true;
      startButton.hidden = false;
      if (text) say(text, "info");
    }

    if (scanner.cameraProblem()) return;
    box.hidden = false;
    startButton.addEventListener("click", function () {
      startButton.hidden = true;
      video.hidden = false;
      stopButton.hidden = false;
      say(data.msgRunning, "info");
      scanner.start(video, send, { jsqrSrc: data.jsqrSrc }).catch(function () {
        stop();
        say(data.msgCamera, "error");
      });
    });
    stopButton.addEventListener("click", function () {
      stop(data.msgStopped);
      input.focus();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && scanner.running) stop(data.msgStopped);
    });
  }

  document.querySelectorAll("[data-attendance-scan]").forEach(init);
})();
