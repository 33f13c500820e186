/* Panels and charted rows edited in place (htmx), without losing the keyboard's place.
 *
 * - After a panel answers with errors (400) or a conflict (409), the focus goes to the first invalid field of the
 *   swapped-in panel (aria-invalid, set by Django on a field with errors), else to its error message: the
 *   practitioner corrects it there, nothing reloads.
 * - After any other swap, an element the server marked with data-focus-after-swap takes the focus: the row's Edit
 *   control after a save or Cancel, Undo after a removal; a row opened for editing puts it in its first field.
 * - Escape inside a row's edit form cancels it (its Cancel control: the row as charted comes back).
 *
 * On htmx:afterSettle, after htmx has wired up what it swapped in (a form sent before that would post a full page),
 * and after htmx's own focus restoring. No inline script (CSP).
 */
(function () {
  "use strict";

  var FIELD = "input:not([type='hidden']):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function focus(element) {
    if (element && typeof element.focus === "function") element.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    var settled = event.target;
    if (!detail.xhr || !settled || !settled.querySelector) return;
    var status = detail.xhr.status;
    if (status === 400 || status === 409) {
      var invalid = settled.querySelector("[aria-invalid='true']");
      var message = settled.querySelector(".errors[role='alert'], .field-error[role='alert']");
      if (invalid) {
        focus(invalid);
      } else if (message) {
        if (!message.hasAttribute("tabindex")) message.setAttribute("tabindex", "-1");
        focus(message);
      }
      return;
    }
    if (status !== 200) return;
    var marked = settled.querySelector("[data-focus-after-swap]");
    if (marked) {
      // a marked form (a panel's add form kept open after an add) gives the focus to its first field
      focus(marked.matches("form") ? marked.querySelector(FIELD) || marked : marked);
      return;
    }
    var editing = settled.querySelector("form[data-edit-form]");
    if (editing) focus(editing.querySelector(FIELD));
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target || !event.target.closest) return;
    var form = event.target.closest("form[data-edit-form]");
    var cancel = form && form.querySelector("[data-edit-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });
})();
