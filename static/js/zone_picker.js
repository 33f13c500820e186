/*
 * Zone picker: a multiple select of zones (e.g. a finding's "Refers to", assessments.forms.ZonePickerSelect) becomes a
 * type-ahead with removable chips. Progressive enhancement: without this script the select works as it is.
 *
 *   <select multiple name="findings-referral_zones" data-zone-picker>…<option value="lateral_knee">Outer knee</option>…
 *
 * The select stays in the form (hidden) and stays the source of truth: a chip is a selected option, so the form posts
 * exactly the values it posted before (a page post, an htmx post, a form that comes back with its errors).
 *
 * - A text input takes the field's label, with a <datalist> of the zones' names. Enter (or choosing a suggestion, or
 *   the Add button) adds the zone named: its exact name, else the one zone whose name contains what was typed. An
 *   unknown or ambiguous name is said in the status line and nothing is added; Enter then never submits the form.
 *   Enter in an empty input submits the form as usual.
 * - Each chip has a remove button ("Remove Outer knee"); Backspace in the empty input removes the last chip.
 *   After a removal the focus goes to the next chip's button, else the input.
 * - Additions and removals are announced (aria-live).
 * - Another script may add a zone by dispatching "zone-picker:add" on the select with {detail: {zone: slug}}.
 * - Where the page has a body chart that can be clicked (static/js/body_chart.js), "Pick on the body chart" lends the
 *   chart to the picker: each zone clicked (or chosen with Enter) is added, clicked again removed (the chart's
 *   "body-chart:choose" event, cancelled so the pain-site form is left alone), the chosen zones shown picked. "Back to
 *   the finding" (or Escape on the chart) gives the chart back and returns to the field.
 *
 * Forms swapped in by htmx are enhanced on htmx:load. No inline script or style: safe under a strict CSP.
 */
(function () {
  "use strict";

  var SELECT = "select[multiple][data-zone-picker]";
  var CHART = "[data-body-chart]";
  var CHART_ZONE = ".zone[role='button']";
  var serial = 0;
  var picking = null; // the picker the body chart is lent to, with the chart: {picker, chart, done, status, said}

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function norm(text) {
    return (text || "").trim().toLowerCase().replace(/\s+/g, " ");
  }

  function Picker(select) {
    this.select = select;
    var id = select.id || "zone-picker-" + ++serial;
    var form = select.form;
    var label = form ? form.querySelector('label[for="' + id + '"]') : null;

    this.root = el("div", { class: "zone-picker" });
    this.chips = el("ul", { class: "zone-chips", id: id + "-chips" });
    this.input = el("input", {
      type: "text",
      id: id + "-input",
      list: id + "-options",
      autocomplete: "off",
      enterkeyhint: "enter",
      placeholder: "Type a zone, e.g. calf",
      "aria-describedby": id + "-hint " + id + "-status",
    });
    this.addButton = el("button", { type: "button", class: "zone-picker-add" }, "Add");
    this.datalist = el("datalist", { id: id + "-options" });
    this.status = el("p", { class: "zone-picker-status", id: id + "-status", "aria-live": "polite" });
    var hint = el("small", { class: "help", id: id + "-hint" }, "Press Enter or pick a suggestion to add a zone.");
    var entry = el("div", { class: "zone-picker-entry" });
    entry.appendChild(this.input);
    entry.appendChild(this.addButton);
    this.root.appendChild(this.chips);
    this.root.appendChild(entry);
    this.root.appendChild(this.datalist);
    this.root.appendChild(hint);
    if (document.querySelector(CHART + " " + CHART_ZONE)) {
      this.chartButton = el(
        "button",
        { type: "button", class: "link zone-picker-chart", "aria-pressed": "false" },
        "Pick on the body chart"
      );
      this.root.appendChild(this.chartButton);
    }
    this.root.appendChild(this.status);

    if (label) {
      label.setAttribute("for", this.input.id);
      this.chips.setAttribute("aria-label", label.textContent.trim() + ": chosen zones");
    } else {
      this.input.setAttribute("aria-label", "Add a zone");
      this.chips.setAttribute("aria-label", "Chosen zones");
    }
    select.hidden = true;
    select.setAttribute("tabindex", "-1");
    select.parentNode.insertBefore(this.root, select.nextSibling);
    select.setAttribute("data-zone-picker-ready", "");
    // The chips in the order the zones were chosen (those the page came with first, in the select's order).
    this.chosen = this.options()
      .filter(function (o) {
        return o.selected;
      })
      .map(function (o) {
        return o.value;
      });
    this.bind();
    this.render();
  }

  Picker.prototype.options = function () {
    return Array.prototype.slice.call(this.select.options);
  };

  Picker.prototype.optionFor = function (slug) {
    return this.options().filter(function (o) {
      return o.value === slug;
    })[0];
  };

  // The one option the typed text names: its exact name or value, else the only name containing it.
  Picker.prototype.match = function (typed) {
    var wanted = norm(typed);
    if (!wanted) return { option: null, count: 0 };
    var options = this.options();
    var exact = options.filter(function (o) {
      return norm(o.textContent) === wanted || o.value === wanted.replace(/ /g, "_");
    });
    if (exact.length) return { option: exact[0], count: 1 };
    var partial = options.filter(function (o) {
      return norm(o.textContent).indexOf(wanted) !== -1;
    });
    return { option: partial.length === 1 ? partial[0] : null, count: partial.length };
  };

  Picker.prototype.say = function (text) {
    this.status.textContent = text;
  };

  Picker.prototype.changed = function () {
    this.select.dispatchEvent(new Event("change", { bubbles: true }));
    this.select.dispatchEvent(new Event("input", { bubbles: true })); // the form has unsent changes (unsaved.js)
    this.render();
    if (picking && picking.picker === this) markPicked();
  };

  Picker.prototype.add = function (option) {
    var name = option.textContent.trim();
    if (option.selected) {
      this.say(name + " is already chosen.");
    } else {
      option.selected = true;
      this.chosen.push(option.value);
      this.changed();
      this.say(name + " added.");
    }
    this.input.value = "";
  };

  Picker.prototype.addTyped = function () {
    var typed = this.input.value.trim();
    if (!typed) return false;
    var found = this.match(typed);
    if (found.option) {
      this.add(found.option);
    } else if (found.count > 1) {
      this.say(found.count + " zones match “" + typed + "”: type more or pick one from the suggestions.");
    } else {
      this.say("No zone called “" + typed + "”: pick one from the suggestions.");
    }
    return true;
  };

  // Unchoose a zone; the focus goes to the chip that took its place (else the one before it, else the field).
  Picker.prototype.remove = function (slug, keepFocus) {
    var option = this.optionFor(slug);
    var at = this.chosen.indexOf(slug);
    if (!option || at === -1) return;
    option.selected = false;
    this.chosen.splice(at, 1);
    this.changed();
    this.say(option.textContent.trim() + " removed.");
    if (keepFocus) return;
    var left = this.chips.querySelectorAll("button");
    (left[Math.min(at, left.length - 1)] || this.input).focus();
  };

  Picker.prototype.render = function () {
    var picker = this;
    var chips = this.chips;
    var datalist = this.datalist;
    chips.textContent = "";
    datalist.textContent = "";
    this.options().forEach(function (option) {
      if (!option.selected) datalist.appendChild(el("option", { value: option.textContent.trim() }));
    });
    this.chosen.forEach(function (slug) {
      var name = picker.optionFor(slug).textContent.trim();
      var chip = el("li", { class: "zone-chip" });
      chip.appendChild(el("span", {}, name));
      chip.appendChild(
        el("button", { type: "button", class: "zone-chip-remove", "data-zone": slug, "aria-label": "Remove " + name }, "×")
      );
      chips.appendChild(chip);
    });
  };

  Picker.prototype.bind = function () {
    var picker = this;
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing) {
        if (picker.addTyped()) event.preventDefault(); // an empty input lets Enter submit the form
      } else if (event.key === "Backspace" && !picker.input.value) {
        var last = picker.chosen[picker.chosen.length - 1];
        if (last) {
          event.preventDefault();
          picker.remove(last, true);
        }
      }
    });
    // Choosing a suggestion replaces the whole text without a key press (no inputType, or a replacement).
    this.input.addEventListener("input", function (event) {
      var kind = event.inputType;
      if (kind && kind !== "insertReplacementText") return;
      var found = picker.match(picker.input.value);
      if (found.option && norm(found.option.textContent) === norm(picker.input.value)) picker.add(found.option);
    });
    this.addButton.addEventListener("click", function () {
      if (!picker.addTyped()) picker.say("Type a zone first.");
      picker.input.focus();
    });
    this.chips.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zone]");
      if (button) picker.remove(button.getAttribute("data-zone"));
    });
    if (this.chartButton) {
      this.chartButton.addEventListener("click", function () {
        if (picking && picking.picker === picker) stopPicking(true);
        else startPicking(picker);
      });
    }
    this.select.addEventListener("zone-picker:add", function (event) {
      var option = event.detail && picker.optionFor(event.detail.zone);
      if (option) picker.add(option);
    });
  };

  // --- the body chart lent to a picker ------------------------------------------------------------------------------

  function markPicked() {
    var zones = picking.chart.querySelectorAll(CHART_ZONE);
    var chosen = picking.picker.chosen;
    for (var i = 0; i < zones.length; i++) {
      zones[i].classList.toggle("picked", chosen.indexOf(zones[i].getAttribute("data-zone")) !== -1);
    }
  }

  function startPicking(picker) {
    if (picking) stopPicking(false);
    var chart = document.querySelector(CHART);
    if (!chart) return;
    var status = chart.querySelector("[data-body-chart-status]");
    var done = el("button", { type: "button", class: "zone-picker-done" }, "Back to the finding");
    done.addEventListener("click", function () {
      stopPicking(true);
    });
    (status || chart).insertAdjacentElement("afterend", done);
    picking = { picker: picker, chart: chart, done: done, status: status, said: status ? status.textContent : "" };
    chart.classList.add("zone-picking");
    picker.chartButton.setAttribute("aria-pressed", "true");
    if (status) status.textContent = "Choose the zones this finding refers to: each zone you choose is added.";
    markPicked();
    picker.say("Choose zones on the body chart, then “Back to the finding”.");
    var stop = chart.querySelector(CHART_ZONE + "[tabindex='0']") || chart.querySelector(CHART_ZONE);
    chart.scrollIntoView({ block: "start" });
    if (stop) stop.focus({ preventScroll: true });
  }

  function stopPicking(returnFocus) {
    if (!picking) return;
    var was = picking;
    picking = null;
    was.chart.classList.remove("zone-picking");
    var zones = was.chart.querySelectorAll(CHART_ZONE + ".picked");
    for (var i = 0; i < zones.length; i++) zones[i].classList.remove("picked");
    if (was.done.parentNode) was.done.parentNode.removeChild(was.done);
    if (was.status) was.status.textContent = was.said;
    if (was.picker.chartButton) was.picker.chartButton.setAttribute("aria-pressed", "false");
    if (returnFocus && was.picker.input.isConnected) {
      was.picker.input.scrollIntoView({ block: "center" });
      was.picker.input.focus({ preventScroll: true });
    }
  }

  document.addEventListener("body-chart:choose", function (event) {
    if (!picking) return;
    if (!picking.picker.select.isConnected || !picking.chart.isConnected) {
      stopPicking(false); // the form or the chart was swapped away
      return;
    }
    event.preventDefault(); // the chart is lent to the picker: leave the pain-site form alone
    var picker = picking.picker;
    var option = picker.optionFor(event.detail.zone);
    if (!option) return;
    if (option.selected) picker.remove(option.value, true);
    else picker.add(option);
    if (picking.status) picking.status.textContent = picker.status.textContent;
  });

  document.addEventListener("keydown", function (event) {
    if (picking && event.key === "Escape" && picking.chart.contains(event.target)) {
      event.preventDefault();
      stopPicking(true);
    }
  });

  function enhance(root) {
    if (!root || typeof root.querySelectorAll !== "function") return;
    var selects = root.matches && root.matches(SELECT) ? [root] : root.querySelectorAll(SELECT);
    for (var i = 0; i < selects.length; i++) {
      if (!selects[i].hasAttribute("data-zone-picker-ready")) new Picker(selects[i]);
    }
  }

  document.addEventListener("htmx:load", function (event) {
    if (picking && (!picking.picker.select.isConnected || !picking.chart.isConnected)) stopPicking(false);
    enhance(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhance(document);
    });
  } else {
    enhance(document);
  }
})();
