/* Respondent pages: chat updates in place, read aloud, character count, kiosk clearing.
   Every page works without this file; it only makes things nicer. */
(function () {
  "use strict";

  // ---- Character count: "You have N characters left" under a text box -----------------------
  function setupCounts(root) {
    root.querySelectorAll("[data-count-for]").forEach(function (note) {
      var box = document.getElementById(note.dataset.countFor);
      if (!box || box.dataset.counting) { return; }
      box.dataset.counting = "1";
      var max = parseInt(box.dataset.maxlength, 10);
      var update = function () {
        var left = max - box.value.length;
        var n = Math.abs(left);
        var template = left >= 0 ? (n === 1 ? note.dataset.leftOne : note.dataset.left)
                                 : (n === 1 ? note.dataset.overOne : note.dataset.over);
        note.textContent = template.replace("%N%", String(n));
        note.classList.toggle("over", left < 0);
      };
      box.addEventListener("input", update);
      if (box.value) { update(); }
    });
  }

  // ---- Read this to me: the browser's own speech synthesis, in the page language -------------
  function setupReadAloud(root) {
    if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") { return; }
    root.querySelectorAll("[data-read]").forEach(function (button) {
      button.hidden = false;
      if (button.dataset.reading) { return; }
      button.dataset.reading = "1";
      button.addEventListener("click", function () {
        var target = document.getElementById(button.dataset.read);
        if (!target) { return; }
        var parts = [];
        target.querySelectorAll("h1, legend, label, .hint, p:not(.visually-hidden), .choice-text, .quick-reply span").forEach(function (el) {
          if (el.closest("[hidden]") || el.classList.contains("char-count")) { return; }
          var text = el.textContent.replace(/\s+/g, " ").trim();
          if (text && parts.indexOf(text) === -1) { parts.push(text); }
        });
        window.speechSynthesis.cancel();
        var say = new window.SpeechSynthesisUtterance(parts.join(". "));
        say.lang = document.documentElement.lang || "en";
        say.rate = 0.9;
        window.speechSynthesis.speak(say);
      });
    });
  }

  // ---- Chat: send each turn with fetch and update the log in place ---------------------------
  // The log is a live region: only what is new or changed is added (and so read out); messages
  // that stay the same are left alone, and ones that went away (going back to change an answer)
  // are removed, which screen readers do not announce.
  function syncLog(log, theirs) {
    var wanted = {};
    theirs.querySelectorAll("[data-msg]").forEach(function (m) { wanted[m.dataset.msg] = m; });
    var mine = {};
    log.querySelectorAll("[data-msg]").forEach(function (m) {
      if (m.classList.contains("msg-current") || !wanted[m.dataset.msg]) { m.remove(); } else { mine[m.dataset.msg] = m; }
    });
    var prev = null;
    theirs.querySelectorAll("[data-msg]").forEach(function (m) {
      var have = mine[m.dataset.msg];
      if (have && have.className === m.className && have.innerHTML === m.innerHTML) { prev = have; return; }
      var node = document.importNode(m, true);
      if (have) { have.replaceWith(node); }
      else if (prev) { prev.after(node); }
      else { log.prepend(node); }
      prev = node;
    });
  }

  function setupChat() {
    var chat = document.querySelector("[data-chat]");
    if (!chat || !window.fetch || !window.DOMParser || !window.FormData) { return; }
    var busy = false;

    // Put the server's page for this turn in place of ours: the log, the notices and the answer form.
    function showTurn(res) {
      var doc = new DOMParser().parseFromString(res.html, "text/html");
      var newChat = doc.querySelector("[data-chat]");
      if (!newChat) { window.location.assign(res.url); return; }
      var log = document.getElementById("chat-log");
      syncLog(log, doc.getElementById("chat-log"));
      ["chat-notices", "chat-answer"].forEach(function (id) {
        var mine = document.getElementById(id), theirs = doc.getElementById(id);
        if (mine && theirs) { mine.replaceWith(document.importNode(theirs, true)); }
      });
      document.title = doc.title;
      if (res.url && res.url !== window.location.href) { window.history.replaceState(null, "", res.url); }
      var fresh = document.getElementById("chat-answer");
      setupCounts(fresh);
      setupReadAloud(fresh);
      // The new question in view, then focus on the answer to give (a reopened answer: the one given
      // before), or the problem to fix.
      var current = log.querySelector(".msg-current");
      if (current && current.scrollIntoView) { current.scrollIntoView({ block: "start" }); }
      var focus = document.querySelector("#chat-notices [data-autofocus]") ||
                  fresh.querySelector(".quick-chosen, input:checked") ||
                  fresh.querySelector("textarea, input[type=text], .quick-reply, select, input[type=radio], input[type=checkbox]");
      if (focus) {
        focus.focus({ preventScroll: true });
        if ((focus.tagName === "TEXTAREA" || focus.type === "text") && focus.value) {
          focus.setSelectionRange(focus.value.length, focus.value.length);
        }
      }
    }

    // The answer could not be sent with fetch (offline for a moment): send it the ordinary way, with
    // the button pressed, from the form that is still on the page.
    function sendPlainly(form, submitter) {
      if (submitter && submitter.name) {
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.appendChild(pressed);
      }
      HTMLFormElement.prototype.submit.call(form);
    }

    chat.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("#chat-form")) { return; }
      event.preventDefault();
      if (busy) { return; }  // a double tap sends once
      busy = true;
      var data = new FormData(form);
      var submitter = event.submitter;
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
      form.setAttribute("aria-busy", "true");
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                           headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.text().then(function (html) { return { url: r.url, html: html }; }); })
        .then(function (res) {
          try {
            showTurn(res);
          } catch (err) {
            // The answer was sent: never send it again, show the page the server answered with.
            window.location.assign(res.url || window.location.href);
            return;
          }
          busy = false;
        }, function () {
          sendPlainly(form, submitter);
        });
    });
  }

  // ---- Send answers once: a double click sends one request (the server is idempotent anyway) ---
  document.querySelectorAll("button[data-once]").forEach(function (button) {
    button.form && button.form.addEventListener("submit", function () {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  // ---- Kiosk: clear the answers in progress after a while without a touch ---------------------
  var kiosk = document.getElementById("kiosk-clear");
  if (kiosk) {
    var idle = parseInt(kiosk.dataset.idleSeconds, 10) * 1000;
    var timer = null;
    var reset = function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(function () { kiosk.submit(); }, idle);
    };
    ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
      document.addEventListener(name, reset, { passive: true });
    });
    reset();
  }

  setupCounts(document);
  setupReadAloud(document);
  setupChat();
})();
