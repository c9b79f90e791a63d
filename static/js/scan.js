/* RepairLab scanner: reads QR labels with the camera (BarcodeDetector, or the vendored jsQR), and codes typed by
 * hand or by a USB/Bluetooth scanner. Plain ES2017, no build step.
 *
 * Reusable part: window.RepairLabScanner
 *   RepairLabScanner.start(videoEl, onText, options) -> Promise; rejects with an Error whose .reason is one of
 *       "insecure", "unsupported", "denied", "notfound", "busy", "decoder", "other".
 *       onText(text) is called with each decoded QR text (the same text at most once per options.repeatDelay ms,
 *       1500 by default). options.jsqrSrc: URL of jsQR.js, loaded only when BarcodeDetector cannot read QR codes.
 *       options.fps: decodes per second (8).
 *   RepairLabScanner.stop()          stops the camera and the decoding loop.
 *   RepairLabScanner.running         true while the camera is on.
 *   RepairLabScanner.cameraProblem() the reason the camera cannot work at all here, or null.
 *   RepairLabScanner.parseCode(text) the canonical code (RBX-0042) in a typed code or a label URL, or null.
 *   RepairLabScanner.showMessage(element, baseClass, labels, text, kind) writes a status message; "error" and
 *       "info" get a bold word (labels.labelError / labels.labelNote) so colour is never the only signal.
 */
(function () {
  "use strict";

  // Same rules as repairlab/inventory/codes.py normalise_code: case, spaces, a missing dash, O/I/L for 0/1.
  var CODE_RE = /^([A-Za-z]{2,5})[\s_-]*([0-9OoIiLl]{1,9})$/;
  var LABEL_PATH_RE = /\/q\/([^/?#\s]+)/i;

  function canonical(text) {
    var match = CODE_RE.exec(text.trim());
    if (!match) return null;
    var digits = match[2].toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
    var number = String(parseInt(digits, 10));
    while (number.length < 4) number = "0" + number;
    return match[1].toUpperCase() + "-" + number;
  }

  function parseCode(text) {
    text = String(text || "").trim();
    if (!text) return null;
    var direct = canonical(text);
    if (direct) return direct;
    // A label URL from any host (labels printed with an older address must still work): keep only the code.
    var path = text;
    try {
      path = new URL(text).pathname;
    } catch (e) {
      // Not an absolute URL ("repairlab.org/q/RBX-0042", "/q/RBX-0042"): look in the text itself.
    }
    var found = null;
    var re = new RegExp(LABEL_PATH_RE.source, "ig");
    var m;
    while ((m = re.exec(path)) !== null) found = m[1]; // the last /q/ segment, as the server does
    if (found === null) return null;
    try {
      found = decodeURIComponent(found);
    } catch (e) {
      return null;
    }
    return canonical(found);
  }

  // --- Camera and decoding loop ---------------------------------------------------------------------------------

  var MAX_SIDE = 640; // jsQR: downscale frames, it is much faster and still reads labels held close
  var state = {
    generation: 0,
    stream: null,
    video: null,
    timer: null,
    frame: null,
    busy: false,
    lastText: null,
    lastTime: 0,
  };
  var jsqrPromise = null;
  var nativeDetector = null;

  function cameraProblem() {
    if (window.isSecureContext === false) return "insecure";
    if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== "function") return "unsupported";
    return null;
  }

  function failure(reason, cause) {
    var error = new Error(reason);
    error.reason = reason;
    error.cause = cause;
    return error;
  }

  function reasonOf(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") return "denied";
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
      return "notfound";
    }
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") return "busy";
    return "other";
  }

  function loadJsqr(src) {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    if (!jsqrPromise) {
      jsqrPromise = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () {
          if (window.jsQR) resolve(window.jsQR);
          else reject(failure("decoder"));
        };
        script.onerror = function () {
          jsqrPromise = null; // let a later try load it again
          script.remove();
          reject(failure("decoder"));
        };
        document.head.appendChild(script);
      });
    }
    return jsqrPromise;
  }

  async function makeDecoder(options) {
    if ("BarcodeDetector" in window) {
      try {
        if (!nativeDetector) {
          var formats = await window.BarcodeDetector.getSupportedFormats();
          if (formats.indexOf("qr_code") !== -1) nativeDetector = new window.BarcodeDetector({ formats: ["qr_code"] });
        }
      } catch (e) {
        nativeDetector = null;
      }
      if (nativeDetector) {
        var detector = nativeDetector;
        return async function (video) {
          var codes = await detector.detect(video);
          return codes.length ? codes[0].rawValue : null;
        };
      }
    }
    if (!options.jsqrSrc) throw failure("decoder");
    var jsQR = await loadJsqr(options.jsqrSrc);
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return async function (video) {
      var w = video.videoWidth;
      var h = video.videoHeight;
      if (!w || !h) return null;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      var cw = Math.round(w * scale);
      var ch = Math.round(h * scale);
      if (canvas.width !== cw || canvas.height !== ch) {
        canvas.width = cw;
        canvas.height = ch;
      }
      context.drawImage(video, 0, 0, cw, ch);
      var image = context.getImageData(0, 0, cw, ch);
      var result = jsQR(image.data, cw, ch, { inversionAttempts: "dontInvert" });
      return result && result.data ? result.data : null;
    };
  }

  function clearTimers() {
    if (state.timer !== null) clearTimeout(state.timer);
    if (state.frame !== null) cancelAnimationFrame(state.frame);
    state.timer = null;
    state.frame = null;
  }

  function stopTracks(stream) {
    if (!stream) return;
    stream.getTracks().forEach(function (track) {
      track.stop();
    });
  }

  function stop() {
    state.generation += 1; // any start() still waiting for the camera gives up
    clearTimers();
    stopTracks(state.stream);
    if (state.video) {
      state.video.pause();
      state.video.srcObject = null;
    }
    state.stream = null;
    state.video = null;
    state.busy = false;
  }

  async function start(video, onText, options) {
    options = options || {};
    stop();
    var generation = state.generation;
    state.lastText = null;
    var problem = cameraProblem();
    if (problem) throw failure(problem);
    var repeatDelay = options.repeatDelay === undefined ? 1500 : options.repeatDelay;
    var interval = 1000 / (options.fps || 8);

    // Ask for the camera first: the permission prompt must follow the user's gesture as closely as possible.
    var stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      throw failure(reasonOf(error), error);
    }
    if (generation !== state.generation) {
      stopTracks(stream);
      throw failure("stopped");
    }
    state.stream = stream;
    state.video = video;
    video.setAttribute("playsinline", "");
    video.muted = true;
    video.srcObject = stream;
    var decode;
    try {
      await video.play();
      decode = await makeDecoder(options);
    } catch (error) {
      if (generation === state.generation) stop();
      throw error && error.reason ? error : failure("other", error);
    }
    if (generation !== state.generation) throw failure("stopped");

    function schedule() {
      state.timer = setTimeout(function () {
        state.timer = null;
        state.frame = requestAnimationFrame(tick); // no work while the page is hidden
      }, interval);
    }

    function tick() {
      state.frame = null;
      if (generation !== state.generation) return;
      if (state.busy || video.readyState < 2) {
        schedule();
        return;
      }
      state.busy = true;
      decode(video)
        .then(function (text) {
          if (generation !== state.generation || !text) return;
          var now = Date.now();
          if (text === state.lastText && now - state.lastTime < repeatDelay) return;
          state.lastText = text;
          state.lastTime = now;
          onText(text);
        })
        .catch(function () {
          // One bad frame (a detector hiccup) is not worth stopping for.
        })
        .then(function () {
          state.busy = false;
          if (generation === state.generation) schedule();
        });
    }

    tick();
  }

  // Words carry the meaning ("Error:"), colour only repeats it. labels: {labelError, labelNote} (a dataset).
  function showMessage(element, baseClass, labels, text, kind) {
    element.textContent = "";
    element.className = baseClass + (kind ? " flash flash-" + kind : "");
    if (!text) return;
    if (kind === "error" || kind === "info") {
      var strong = document.createElement("strong");
      strong.textContent = kind === "error" ? labels.labelError : labels.labelNote;
      element.appendChild(strong);
      element.appendChild(document.createTextNode(" "));
    }
    element.appendChild(document.createTextNode(text));
  }

  window.RepairLabScanner = {
    start: start,
    stop: stop,
    parseCode: parseCode,
    showMessage: showMessage,
    cameraProblem: cameraProblem,
    get running() {
      return state.stream !== null;
    },
  };

  // --- The /scan page ------------------------------------------------------------------------------------------

  function initScanPage(root) {
    var data = root.dataset;
    var cameraBox = root.querySelector("[data-scan-camera]");
    var startButton = root.querySelector("[data-scan-start]");
    var stopButton = root.querySelector("[data-scan-stop]");
    var viewport = root.querySelector("[data-scan-viewport]");
    var video = root.querySelector("[data-scan-video]");
    var message = root.querySelector("[data-scan-message]");
    var form = root.querySelector("[data-scan-form]");
    var input = root.querySelector("[data-scan-input]");
    var opening = false;

    function say(text, kind) {
      showMessage(message, "scan-message", data, text, kind);
    }

    function isTouchScreen() {
      return Boolean(window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
    }

    function showCamera(on) {
      startButton.hidden = on;
      viewport.hidden = !on;
      stopButton.hidden = !on;
    }

    function open(code) {
      opening = true;
      if (navigator.vibrate) {
        try {
          navigator.vibrate(80);
        } catch (e) {
          /* some browsers refuse without a recent gesture */
        }
      }
      say(data.msgOpening.replace("__CODE__", code), "success");
      window.location.assign(data.resolveBase + encodeURIComponent(code));
    }

    function cameraMessage(reason) {
      var key = "msg" + reason.charAt(0).toUpperCase() + reason.slice(1);
      return data[key] || data.msgOther;
    }

    function onText(text) {
      var code = parseCode(text);
      if (code) {
        stop();
        showCamera(false);
        open(code);
      } else {
        say(data.msgNotLabel, "error");
      }
    }

    async function startCamera() {
      opening = false;
      showCamera(true);
      say(data.msgStarting, "");
      try {
        await start(video, onText, { jsqrSrc: data.jsqrSrc });
        if (!opening) say(data.msgRunning, "");
      } catch (error) {
        var reason = (error && error.reason) || "other";
        if (reason === "stopped") return;
        showCamera(false);
        say(cameraMessage(reason), "error");
      }
    }

    function stopCamera(text) {
      stop();
      showCamera(false);
      if (text !== undefined) say(text, "");
    }

    // The camera never starts by itself: the permission prompt must follow a tap.
    cameraBox.hidden = false;
    var problem = cameraProblem();
    if (problem) {
      startButton.hidden = true;
      say(cameraMessage(problem), "info");
    }
    startButton.addEventListener("click", startCamera);
    stopButton.addEventListener("click", function () {
      stopCamera(data.msgStopped);
      startButton.focus();
    });

    // Release the camera as soon as the page is not looked at.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && window.RepairLabScanner.running) stopCamera(data.msgStopped);
    });
    window.addEventListener("pagehide", function () {
      stopCamera();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        // Back from the opened page (back/forward cache): show the page ready for the next scan.
        opening = false;
        showCamera(false);
        say("", "");
        input.value = "";
        if (!isTouchScreen()) input.focus();
      }
    });

    // Typed by hand, or typed by a USB/Bluetooth scanner (a code or a whole URL, then Enter).
    function submitText(text) {
      input.removeAttribute("aria-invalid");
      var value = String(text || "").trim();
      if (!value) {
        input.setAttribute("aria-invalid", "true");
        say(data.msgEmpty, "error");
        input.focus();
        return;
      }
      var code = parseCode(value);
      if (!code) {
        input.setAttribute("aria-invalid", "true");
        say(data.msgNotCode, "error");
        input.focus();
        return;
      }
      if (window.RepairLabScanner.running) stopCamera();
      open(code);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitText(input.value);
    });
    input.addEventListener("input", function () {
      if (input.getAttribute("aria-invalid")) {
        input.removeAttribute("aria-invalid");
        say("", "");
      }
    });

    // A scanner "types" very fast. When it types while the focus is elsewhere (a button), catch the burst.
    var burst = "";
    var burstStart = 0;
    var burstLast = 0;
    document.addEventListener(
      "keydown",
      function (event) {
        var target = event.target;
        if (target === input || (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)))) {
          burst = "";
          return;
        }
        if (event.ctrlKey || event.metaKey || event.altKey) return;
        var now = Date.now();
        if (event.key === "Enter") {
          var fast = burst.length >= 4 && (now - burstStart) / burst.length < 50; // people type 5+ times slower
          if (fast) {
            event.preventDefault();
            input.value = burst;
            submitText(burst);
          }
          burst = "";
          return;
        }
        if (event.key && event.key.length === 1) {
          if (now - burstLast > 150) {
            burst = "";
            burstStart = now;
          }
          burst += event.key;
          burstLast = now;
        }
      },
      true
    );

    // Desktop: put the cursor in the field so a USB scanner can type at once. Not on touch screens, where
    // focusing a field opens the on-screen keyboard over the page.
    if (!isTouchScreen()) input.focus();
  }

  function init() {
    var root = document.getElementById("scan-page");
    if (root) initScanPage(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
