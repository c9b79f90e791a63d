/* Questionnaires: a "Listen" button reads the question (and its answers) aloud with the browser's own speech
 * synthesis, in the page's language; no external service. The button stays hidden where the browser has no speech
 * synthesis. Everything else works without JavaScript (each answer is sent with its form). */
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;

  function textOf(button) {
    var parts = [];
    var main = document.querySelector(button.dataset.speak);
    if (main) parts.push(main.textContent.trim());
    if (button.dataset.speakOptions) {
      document.querySelectorAll(button.dataset.speakOptions).forEach(function (option) {
        parts.push(option.textContent.trim());
      });
    }
    // A full stop between the parts: the voice pauses between the question and each answer.
    return parts.filter(Boolean).join(". ");
  }

  document.querySelectorAll("button[data-speak]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      synth.cancel(); // a second press starts again instead of queueing
      var utterance = new window.SpeechSynthesisUtterance(textOf(button));
      utterance.lang = button.dataset.lang || document.documentElement.lang || "fr-FR";
      utterance.rate = 0.9; // a little slower than the default: for people who are not confident readers
      button.setAttribute("aria-pressed", "true");
      utterance.onend = utterance.onerror = function () {
        button.setAttribute("aria-pressed", "false");
      };
      synth.speak(utterance);
    });
  });
})();
