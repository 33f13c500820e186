/*
 * Body chart (assessments/body_map.py, {% body_chart %}): choose a zone by clicking it, or by Enter / Space on it.
 *
 *   <div data-body-chart data-body-chart-form="#form-pain-sites">
 *     <svg ...><polygon class="zone" data-zone="lumbar" data-side="right" data-label="Low back" role="button" ...>
 *     <p data-body-chart-status aria-live="polite"></p>
 *   </div>
 *
 * Choosing a zone fills the zone and side fields of the form named by data-body-chart-form (fields named "zone" /
 * "side", or ending in them, e.g. "pain-zone"), marks that zone selected (one at a time), says so in the status line
 * and moves focus to the form's pain score field (name ending in "nprs"). One listener on the document, so charts
 * swapped in by htmx work without re-initialising. No inline script or style: safe under a strict CSP.
 */
(function () {
  "use strict";

  var CHART = "[data-body-chart]";
  var ZONE = ".zone[role='button']";

  function zoneFrom(target) {
    if (!target || typeof target.closest !== "function") return null;
    var zone = target.closest(ZONE);
    return zone && zone.closest(CHART) ? zone : null;
  }

  function findForm(chart) {
    var selector = chart.getAttribute("data-body-chart-form");
    if (!selector) return null;
    try {
      return document.querySelector(selector);
    } catch (e) {
      return null; // not a valid selector
    }
  }

  function findField(form, name) {
    return (
      form.querySelector('[name="' + name + '"]') ||
      form.querySelector('[name$="-' + name + '"]') ||
      form.querySelector('[name$="_' + name + '"]') ||
      form.querySelector('[name$="' + name + '"]')
    );
  }

  function setField(field, value) {
    if (!field) return;
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function choose(zone) {
    var chart = zone.closest(CHART);
    var slug = zone.getAttribute("data-zone");
    var side = zone.getAttribute("data-side") === "midline" ? "midline" : zone.getAttribute("data-side");
    var label = zone.getAttribute("data-label") || slug;

    var selected = chart.querySelectorAll(".zone.selected");
    for (var i = 0; i < selected.length; i++) {
      if (selected[i] === zone) continue;
      selected[i].classList.remove("selected");
      // Back to what the server said: pressed when the zone is already charted as painful.
      selected[i].setAttribute("aria-pressed", selected[i].classList.contains("marked") ? "true" : "false");
    }
    zone.classList.add("selected");
    zone.setAttribute("aria-pressed", "true");

    var status = chart.querySelector("[data-body-chart-status]");
    if (status) status.textContent = "Selected: " + label + ", " + side;

    var form = findForm(chart);
    if (!form) return;
    setField(findField(form, "zone"), slug);
    setField(findField(form, "side"), side);
    var score = form.querySelector('[name$="nprs"]');
    if (score && typeof score.focus === "function") {
      score.focus();
      if (typeof score.select === "function") score.select();
    }
  }

  document.addEventListener("click", function (event) {
    var zone = zoneFrom(event.target);
    if (zone) choose(zone);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " " && event.key !== "Spacebar") return;
    var zone = zoneFrom(event.target);
    if (!zone) return;
    event.preventDefault(); // Space would scroll the page
    if (!event.repeat) choose(zone);
  });
})();

/*
 * Charting forms on the visit page: after htmx has added an entry, put the focus in the first field of the fresh form
 * (form.chart-form, e.g. the muscle of the next finding), or on the first open red-flag screen after recording one, so
 * the practitioner can chart the next entry from the keyboard instead of tabbing back from the top of the page. After
 * an error (4xx) htmx keeps the focus where it was, on the field being corrected.
 *
 * On htmx:afterSettle, not earlier: htmx wires up swapped-in forms only when the swap settles, and a form submitted
 * before that (a quick Enter) would be posted as a full page load.
 */
(function () {
  "use strict";

  var FIELD = "input:not([type='hidden']):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function focusFirst(container) {
    var field = container && container.querySelector(FIELD);
    if (field && typeof field.focus === "function") field.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    var settled = event.target;
    var form = detail.requestConfig && detail.requestConfig.elt;
    if (!detail.xhr || detail.xhr.status !== 200 || !form || !form.matches || !settled || !settled.querySelector) return;
    if (form.matches("form.chart-form[id]")) {
      var fresh = document.getElementById(form.id);
      if (fresh && settled.contains(fresh)) focusFirst(fresh);
    } else if (form.matches("form.screen-form") && settled.id === "section-screening") {
      focusFirst(settled.querySelector("form.screen-form:not(.another-side)")); // not one folded away in <details>
    }
  });
})();
