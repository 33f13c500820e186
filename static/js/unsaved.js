/* Nothing typed is lost without a warning, and a save says so.
 *
 * - A form with typed, unsent text marks itself dirty; leaving the page while one is dirty asks first
 *   (the browser's own "leave site?" prompt).
 * - A form that htmx sent successfully is clean again, and #save-status says "Saved at HH:MM".
 * - A request that failed (an inline error, a conflict, an ended session) leaves the form dirty: nothing is lost.
 * - After the session ended (401, notice in #session-notice), coming back to this tab asks the server whether the
 *   user signed in again (elsewhere); if so, the page takes the new CSRF token (signing in rotates it) and says
 *   "press Save again": the kept entry then saves.
 */
(function () {
  "use strict";
  var dirty = new Set();

  function formOf(el) {
    return el && el.closest ? el.closest("form") : null;
  }

  document.addEventListener("input", function (event) {
    var form = formOf(event.target);
    if (form && form.method.toLowerCase() === "post" && !form.hasAttribute("data-no-unsaved")) {
      dirty.add(form);
    }
  });

  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("hx-post")) {
      dirty.delete(event.target); // a full-page post leaves the page on purpose
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail;
    var form = formOf(detail.elt);
    var status = detail.xhr ? detail.xhr.status : 0;
    // 400/401/409 are swapped (inline errors, the session notice) but saved nothing: the form stays dirty.
    if (status < 200 || status >= 300 || !detail.requestConfig || detail.requestConfig.verb === "get") {
      return;
    }
    if (form) {
      dirty.delete(form);
    }
    dirty.forEach(function (f) {
      if (!f.isConnected) {
        dirty.delete(f); // swapped away with its panel after a save
      }
    });
    var cue = document.getElementById("save-status");
    if (cue) {
      var now = new Date();
      var time = String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
      cue.textContent = "Saved at " + time;
    }
  });

  var ended = false;

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 401) {
      ended = true;
    }
  });

  function checkSession() {
    var notice = document.getElementById("session-notice");
    if (!ended || !notice || document.visibilityState !== "visible") {
      return;
    }
    fetch(notice.getAttribute("data-session-url"), {credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (!state.signed_in) {
          return;
        }
        ended = false;
        var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
        headers["X-CSRFToken"] = state.csrf_token;
        document.body.setAttribute("hx-headers", JSON.stringify(headers));
        document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
          input.value = state.csrf_token;
        });
        notice.textContent = "You are signed in again. Press Save again: what you typed is still there.";
      })
      .catch(function () { /* still offline or signed out: the notice stays */ });
  }

  document.addEventListener("visibilitychange", checkSession);
  window.addEventListener("focus", checkSession);

  window.addEventListener("beforeunload", function (event) {
    dirty.forEach(function (f) {
      if (!f.isConnected) {
        dirty.delete(f);
      }
    });
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
