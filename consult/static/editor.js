/* Question editor: update each English text's readability note as the planner types.
   Without JavaScript the note is shown when the question is saved; this only refreshes it sooner. */
(function () {
  "use strict";
  var token = document.querySelector("input[name=csrf_token]");
  if (!token || !window.fetch || !window.URLSearchParams) { return; }
  document.querySelectorAll("[data-readability-url]").forEach(function (box) {
    var note = document.getElementById(box.dataset.readabilityNote);
    var timer = null;
    var last = box.value;
    if (!note) { return; }
    box.addEventListener("input", function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(function () {
        if (box.value === last) { return; }
        last = box.value;
        var body = new URLSearchParams();
        body.append("csrf_token", token.value);
        body.append("text", box.value);
        fetch(box.dataset.readabilityUrl, { method: "POST", body: body, credentials: "same-origin",
                                            headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (res) {
            if (!res) { return; }
            note.textContent = res.message;
            note.classList.toggle("readability-miss", res.ok === false);
          }, function () { /* offline for a moment: the note is refreshed on save */ });
      }, 400);
    });
  });
})();
