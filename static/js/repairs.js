/* RepairLab repairs: read a tool's label with the camera on the ticket's page (window.RepairLabScanner, from
 * scan.js), then send the code. Plain ES2017. Without JavaScript, or without a camera, the code is typed or read by
 * a USB scanner: the button stays hidden.
 */
(function () {
  "use strict";

  function init() {
    var form = document.querySelector("[data-tool-form]");
    var scanner = window.RepairLabScanner;
    if (!form || !scanner || scanner.cameraProblem()) return;
    var button = form.querySelector("[data-tool-camera]");
    var box = form.querySelector("[data-tool-camera-box]");
    var video = box.querySelector("video");
    var stop = box.querySelector("[data-tool-camera-stop]");
    var field = form.querySelector("input[name=code]");
    var message = form.querySelector("[data-tool-message]");

    function say(text, kind) {
      var labels = { labelError: form.dataset.labelError, labelNote: form.dataset.labelNote };
      scanner.showMessage(message, "desk-message", labels, text, kind);
    }

    function off() {
      scanner.stop();
      box.hidden = true;
      button.setAttribute("aria-expanded", "false");
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      off();
      box.hidden = false;
      button.setAttribute("aria-expanded", "true");
      say(form.dataset.msgRunning, "");
      scanner
        .start(
          video,
          function (text) {
            field.value = scanner.parseCode(text) || text;
            off();
            say(form.dataset.msgRead.replace("__CODE__", field.value), "success");
            form.requestSubmit();
          },
          { jsqrSrc: form.dataset.jsqrSrc }
        )
        .catch(function (error) {
          off();
          var reason = (error && error.reason) || "other";
          say(form.dataset["msg" + reason.charAt(0).toUpperCase() + reason.slice(1)] || form.dataset.msgOther, "error");
        });
    });
    stop.addEventListener("click", off);
    window.addEventListener("pagehide", off);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
