/* RepairLab, every page: after a refused form, move the focus to the list of errors (or the error message), so that
 * keyboard and screen-reader users start from it; its links lead to the fields. Plain ES2017. */
(function () {
  "use strict";

  function init() {
    var target = document.querySelector("[data-focus-on-load]");
    if (target) target.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
