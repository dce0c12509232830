/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader and keyboard users hear the problem first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }

  // Keep a background job's progress bar moving without reloading the page.
  var job = document.querySelector("[data-job-url]");
  if (job && window.fetch) {
    var bar = job.querySelector("progress");
    var pct = job.querySelector("[data-job-percent]");
    var label = job.querySelector("[data-job-label]");
    var labels = { queued: job.dataset.labelQueued, running: job.dataset.labelRunning,
                   done: job.dataset.labelDone, failed: job.dataset.labelFailed };
    var poll = function () {
      fetch(job.dataset.jobUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var value = Math.round(data.progress * 100);
          bar.value = value; pct.textContent = value;
          if (labels[data.state]) { label.textContent = labels[data.state]; }
          job.dataset.state = data.state;
          if (data.state === "done" || data.state === "failed") {
            var next = job.dataset.doneUrl;
            if (next && data.state === "done") { window.location.assign(next); }
            return;
          }
          window.setTimeout(poll, 700);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    if (job.dataset.state !== "done" && job.dataset.state !== "failed") { window.setTimeout(poll, 400); }
  }
})();
