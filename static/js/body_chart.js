/*
 * Body chart (assessments/body_map.py render_chart, {% body_chart %}): choose a zone by clicking it, or from the
 * keyboard; zoom into a part of the body.
 *
 *   <div data-body-chart data-body-chart-form="#form-pain-sites">
 *     <div class="body-chart" role="group">
 *       <div class="bc-zoom" role="toolbar"><button data-zoom="" aria-pressed="true">Whole body</button>
 *         <button data-zoom="ankle_foot" data-front="x y w h" data-back="x y w h" data-scale="6">…</button>…</div>
 *       <div class="bc-views"><div class="bc-view" data-view="front"><p class="bc-caption">…</p>
 *         <svg viewBox="…" data-viewbox="…"><polygon class="zone" data-zone="lumbar" data-side="right"
 *           data-label="Low back" data-area="trunk" role="button" tabindex="-1" …>…</svg></div>…</div>
 *     </div>
 *     <p data-body-chart-status aria-live="polite"></p>
 *   </div>
 *
 * Choosing a zone fills the zone and side fields of the form named by data-body-chart-form (fields named "zone" /
 * "side", or ending in them, e.g. "pain-zone"), marks that zone selected (one at a time), says so in the status line
 * and moves focus to the form's pain score field (name ending in "nprs"). First it dispatches a cancelable
 * "body-chart:choose" event on the chart ({detail: {zone, side, label}}): a script that takes the choice for something
 * else (static/js/zone_picker.js: a finding's referral zones) cancels it, and the pain-site form is left alone.
 *
 * Keyboard: the zones take one stop in the Tab order (roving tabindex: the zone with tabindex 0). The arrow keys move
 * to the nearest zone on screen in that direction, Home and End to the first and last; Enter or Space chooses. The
 * zoom buttons are one toolbar (one Tab stop, Left / Right between them).
 *
 * Zoom: an area's button shows that box of each view (data-front / data-back, SVG units) at data-scale CSS pixels per
 * unit or more, the scale at which its smallest zone is 24 x 24 px; as large as the box allows up to most of the
 * window's height, side by side when both fit. Zones outside the area are shown faintly and left out of the arrow
 * keys. The zoom is kept when htmx swaps the chart in again.
 *
 * One listener per event on the document, so charts swapped in by htmx work without re-initialising. No inline script
 * or style attribute: safe under a strict CSP (sizes are set through the CSSOM, which the policy allows).
 */
(function () {
  "use strict";

  var CHART = "[data-body-chart]";
  var FIGURE = ".body-chart";
  var ZONE = ".zone[role='button']";
  var ZOOM_BUTTON = ".bc-zoom-button[data-zoom]";
  var DIRECTIONS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
  var NOTE_PX = 12;
  var HEIGHT_SHARE = 0.8; // a zoomed view is no taller than this share of the window, unless its targets need it
  var zoomedAreas = {}; // figure id -> area key, to zoom a chart swapped in again as it was

  document.documentElement.classList.add("body-chart-js"); // shows the zoom buttons

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
    var claim = new CustomEvent("body-chart:choose", {
      bubbles: true,
      cancelable: true,
      detail: { zone: slug, side: side, label: label },
    });
    if (!chart.dispatchEvent(claim)) {
      makeTabStop(zone);
      return;
    }

    var selected = chart.querySelectorAll(".zone.selected");
    for (var i = 0; i < selected.length; i++) {
      if (selected[i] === zone) continue;
      selected[i].classList.remove("selected");
      // Back to what the server said: pressed when the zone is already charted as painful.
      selected[i].setAttribute("aria-pressed", selected[i].classList.contains("marked") ? "true" : "false");
    }
    zone.classList.add("selected");
    zone.setAttribute("aria-pressed", "true");
    makeTabStop(zone);

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

  // --- one tab stop, arrow keys between the zones ----------------------------------------------------------------

  function liveZones(figure) {
    var all = figure.querySelectorAll(ZONE);
    var live = [];
    for (var i = 0; i < all.length; i++) if (!all[i].classList.contains("bc-out")) live.push(all[i]);
    return live;
  }

  function makeTabStop(zone) {
    var figure = zone.closest(FIGURE);
    if (!figure) return;
    var stops = figure.querySelectorAll(ZONE + "[tabindex='0']");
    for (var i = 0; i < stops.length; i++) if (stops[i] !== zone) stops[i].setAttribute("tabindex", "-1");
    zone.setAttribute("tabindex", "0");
  }

  function centre(element) {
    var box = element.getBoundingClientRect();
    return [box.left + box.width / 2, box.top + box.height / 2];
  }

  // The nearest zone whose centre lies ahead in `direction`, a sideways step counting twice a step ahead.
  function neighbour(zones, from, direction) {
    var start = centre(from);
    var best = null;
    var bestScore = Infinity;
    for (var i = 0; i < zones.length; i++) {
      if (zones[i] === from) continue;
      var point = centre(zones[i]);
      var dx = point[0] - start[0];
      var dy = point[1] - start[1];
      var ahead = dx * direction[0] + dy * direction[1];
      if (ahead < 0.5) continue;
      var score = ahead + 2 * Math.abs(dx * direction[1] - dy * direction[0]);
      if (score < bestScore) {
        best = zones[i];
        bestScore = score;
      }
    }
    return best;
  }

  function moveFrom(zone, key) {
    var figure = zone.closest(FIGURE);
    if (!figure) return;
    var zones = liveZones(figure);
    if (!zones.length) return;
    var next = null;
    if (key === "Home") next = zones[0];
    else if (key === "End") next = zones[zones.length - 1];
    else next = neighbour(zones, zone, DIRECTIONS[key]);
    if (next) next.focus();
  }

  // The focused zone's outline, drawn again on top (CSS shows it only for keyboard focus).
  function ring(zone, on) {
    var svg = zone.ownerSVGElement;
    var group = svg && svg.querySelector(".bc-focus");
    if (!group) return;
    var lines = group.querySelectorAll("polygon");
    for (var i = 0; i < lines.length; i++) lines[i].setAttribute("points", zone.getAttribute("points"));
    group.classList.toggle("bc-focus-on", on);
  }

  function focusVisible(element) {
    try {
      return element.matches(":focus-visible");
    } catch (e) {
      return true; // an older browser: show it
    }
  }

  document.addEventListener("focusin", function (event) {
    var zone = zoneFrom(event.target);
    if (!zone) return;
    makeTabStop(zone);
    ring(zone, focusVisible(zone));
  });

  document.addEventListener("focusout", function (event) {
    var zone = zoneFrom(event.target);
    if (zone) ring(zone, false);
  });

  // --- zoom ----------------------------------------------------------------------------------------------------------

  function numbers(text) {
    return (text || "").split(" ").map(Number);
  }

  // Size the views for the figure's zoom (none: both views share the box, as the stylesheet lays them out).
  function layout(figure) {
    var area = figure.getAttribute("data-zoomed") || "";
    var button = area && figure.querySelector(ZOOM_BUTTON + '[data-zoom="' + area + '"]');
    var views = figure.querySelectorAll(".bc-view");
    var notes = figure.querySelectorAll(".bc-note");
    var i, svg;
    if (!button) {
      for (i = 0; i < views.length; i++) {
        svg = views[i].querySelector("svg");
        svg.style.width = "";
        svg.setAttribute("viewBox", svg.getAttribute("data-viewbox"));
      }
      for (i = 0; i < notes.length; i++) {
        notes[i].style.fontSize = "";
        notes[i].setAttribute("y", notes[i].getAttribute("data-y"));
      }
      return;
    }
    var row = figure.querySelector(".bc-views");
    var gap = parseFloat(window.getComputedStyle(row).columnGap) || 0;
    var frame = 0; // a zoomed view's border and padding round its drawing
    var style = window.getComputedStyle(views[0]);
    ["borderLeftWidth", "borderRightWidth", "paddingLeft", "paddingRight"].forEach(function (name) {
      frame += parseFloat(style[name]) || 0;
    });
    var room = row.clientWidth - frame;
    var scale = parseFloat(button.getAttribute("data-scale"));
    var boxes = [];
    var total = 0, widest = 0, tallest = 0;
    for (i = 0; i < views.length; i++) {
      var box = numbers(button.getAttribute("data-" + views[i].getAttribute("data-view")));
      boxes.push(box);
      total += box[2];
      widest = Math.max(widest, box[2]);
      tallest = Math.max(tallest, box[3]);
    }
    var cap = Math.max(scale, (HEIGHT_SHARE * window.innerHeight) / tallest);
    var sideBySide = (room - frame - gap - 2 * views.length) / total; // a pixel each for rounding up
    var stacked = (room - 2) / widest;
    var s = sideBySide >= scale ? Math.min(sideBySide, cap) : Math.max(scale, Math.min(stacked, cap));
    for (i = 0; i < views.length; i++) {
      svg = views[i].querySelector("svg");
      svg.setAttribute("viewBox", boxes[i].join(" "));
      svg.style.width = Math.ceil(boxes[i][2] * s) + "px";
    }
    // The "soles" note under the sole insets, when its area shows them: NOTE_PX high, at the bottom of the box.
    for (i = 0; i < notes.length; i++) {
      var own = numbers(button.getAttribute("data-" + notes[i].closest(".bc-view").getAttribute("data-view")));
      var shown = notes[i].getAttribute("data-area") === area;
      notes[i].style.fontSize = shown ? NOTE_PX / s + "px" : "";
      notes[i].setAttribute("y", shown ? own[1] + own[3] - 3 / s : notes[i].getAttribute("data-y"));
    }
  }

  function zoom(figure, area) {
    var buttons = figure.querySelectorAll(ZOOM_BUTTON);
    var found = "";
    for (var i = 0; i < buttons.length; i++) {
      var pressed = buttons[i].getAttribute("data-zoom") === area;
      buttons[i].setAttribute("aria-pressed", pressed ? "true" : "false");
      buttons[i].setAttribute("tabindex", pressed ? "0" : "-1"); // the toolbar's tab stop
      if (pressed) found = area;
    }
    figure.setAttribute("data-zoomed", found);
    figure.classList.toggle("bc-zoomed", found !== "");
    if (figure.id) zoomedAreas[figure.id] = found;
    var zones = figure.querySelectorAll(ZONE);
    for (var j = 0; j < zones.length; j++) {
      zones[j].classList.toggle("bc-out", found !== "" && zones[j].getAttribute("data-area") !== found);
    }
    layout(figure);
    // Keep the tab stop on a zone in view: the one chosen, else the first of the area.
    var stop = figure.querySelector(ZONE + "[tabindex='0']");
    if (stop && !stop.classList.contains("bc-out")) return;
    var selected = figure.querySelector(ZONE + ".selected:not(.bc-out)");
    var first = liveZones(figure)[0];
    if (selected || first) makeTabStop(selected || first);
  }

  function zoomButtonFrom(target) {
    if (!target || typeof target.closest !== "function") return null;
    var button = target.closest(ZOOM_BUTTON);
    return button && button.closest(FIGURE) ? button : null;
  }

  function moveInToolbar(button, key) {
    var buttons = Array.prototype.slice.call(button.closest(".bc-zoom").querySelectorAll(ZOOM_BUTTON));
    var at = buttons.indexOf(button);
    var next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0 }[key];
    if (key === "End") next = buttons.length - 1;
    if (next === undefined) return false;
    next = buttons[(next + buttons.length) % buttons.length];
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("tabindex", buttons[i] === next ? "0" : "-1");
    next.focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    var zone = zoneFrom(event.target);
    if (zone) {
      choose(zone);
      return;
    }
    var button = zoomButtonFrom(event.target);
    if (button) zoom(button.closest(FIGURE), button.getAttribute("data-zoom"));
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var zone = zoneFrom(event.target);
    if (zone) {
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault(); // Space would scroll the page
        if (!event.repeat) choose(zone);
      } else if (DIRECTIONS[event.key] || event.key === "Home" || event.key === "End") {
        event.preventDefault();
        moveFrom(zone, event.key);
      }
      return;
    }
    var button = zoomButtonFrom(event.target);
    if (button && moveInToolbar(button, event.key)) event.preventDefault();
  });

  // A chart swapped in by htmx (after a pain site was added) comes back zoomed as it was.
  document.addEventListener("htmx:load", function (event) {
    var root = event.target;
    if (!root || typeof root.querySelectorAll !== "function") return;
    var figures = root.matches && root.matches(FIGURE) ? [root] : root.querySelectorAll(FIGURE);
    for (var i = 0; i < figures.length; i++) {
      var area = figures[i].id && zoomedAreas[figures[i].id];
      if (area) zoom(figures[i], area);
    }
  });

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      var zoomed = document.querySelectorAll(FIGURE + ".bc-zoomed");
      for (var i = 0; i < zoomed.length; i++) layout(zoomed[i]);
    });
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

/*
 * Carry forward: after a refused "Chart all ticked" (400/409) the panel comes back with the errors beside their rows;
 * the focus goes to the first field marked invalid (else to the message), so the practitioner corrects it at once.
 */
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    var settled = event.target;
    if (!detail.xhr || detail.xhr.status < 400 || !settled || settled.id !== "section-carry-forward") return;
    var target = settled.querySelector("[aria-invalid='true']") || settled.querySelector("#carry-error");
    if (target) {
      if (!target.hasAttribute("tabindex") && target.id === "carry-error") target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
})();

/*
 * New findings and muscle tests start on the side of the complaint (the pain sites section's data-complaint-side:
 * the main pain site's side, or the one side all pain sites share), shown in their Side field; only a Side still
 * blank is filled, so a side the practitioner chose, or one sent back with an error, is kept.
 */
(function () {
  "use strict";

  var SIDES = "#form-findings select[name='findings-side'], #form-muscle-tests select[name='muscle-tests-side']";

  function fillSides() {
    var holder = document.querySelector("[data-complaint-side]");
    var side = holder ? holder.getAttribute("data-complaint-side") : "";
    if (!side) return;
    var selects = document.querySelectorAll(SIDES);
    for (var i = 0; i < selects.length; i++) {
      if (!selects[i].value && selects[i].querySelector("option[value='" + side + "']")) selects[i].value = side;
    }
  }

  document.addEventListener("DOMContentLoaded", fillSides);
  document.addEventListener("htmx:afterSettle", fillSides);
})();
