// The guide editor's live preview: each Markdown field is sent (with the form's CSRF token) to the server's one
// renderer, which answers the sanitised HTML shown under the field. Without JavaScript the "Preview" button does
// the same through the form.
(function () {
  "use strict";
  var form = document.querySelector("form.guide-editor");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-preview-url");
  var token = form.getAttribute("data-csrf");

  function previewFor(field) {
    return form.querySelector('.md-preview[data-preview-for="' + field.id + '"]');
  }

  function refresh(field) {
    var box = previewFor(field);
    if (!box) return;
    var text = field.value;
    if (!text.trim()) {
      box.classList.add("is-empty");
      box.querySelector(".md-preview-body").innerHTML = "";
      return;
    }
    var body = new FormData();
    body.append("text", text);
    fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token, Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (field.value !== text) return; // typed on since: the next answer will come
        // The server's sanitised HTML (repairlab/guides/markdown.py): no script nor handler can be in it.
        box.querySelector(".md-preview-body").innerHTML = data.html || "";
        box.classList.toggle("is-empty", !data.html);
      })
      .catch(function () { /* the preview waits for the next keystroke */ });
  }

  form.querySelectorAll("textarea[data-markdown]").forEach(function (field) {
    var timer = null;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { refresh(field); }, 350);
    });
  });
})();
