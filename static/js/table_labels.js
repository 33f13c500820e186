/* A table of records in a narrow box (a phone; the visit page's charting column on a tablet): app.css and
 * visit_note.css show each row as a stacked block, one cell a line, and this script gives every data cell its
 * column's name (data-label, shown in front of the cell's content). It labels the page's tables when it loads and
 * every table htmx swaps in later. Without the script the rows still stack, unlabelled. Row headings stay as they
 * are (a heading line); a column whose heading is only for screen readers (e.g. "Actions") and a cell spanning
 * several columns get no label.
 */
(function () {
  "use strict";

  function columnNames(table) {
    var row = table.tHead && table.tHead.rows[0];
    if (!row) {
      return [];
    }
    var names = [];
    Array.prototype.forEach.call(row.cells, function (cell) {
      var hidden = cell.querySelector(".visually-hidden") && cell.textContent.trim() ===
        cell.querySelector(".visually-hidden").textContent.trim();
      for (var i = 0; i < cell.colSpan; i += 1) {
        names.push(hidden ? "" : cell.textContent.trim());
      }
    });
    return names;
  }

  function label(root) {
    var tables = [];
    if (root.matches && root.matches("table")) {
      tables = [root];
    } else if (root.querySelectorAll) {
      tables = root.querySelectorAll("table");
    }
    Array.prototype.forEach.call(tables, function (table) {
      var names = columnNames(table);
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (cell.tagName === "TD" && cell.colSpan === 1 && names[column] && !cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", names[column]);
            }
            column += cell.colSpan;
          });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    label(document);
  });
  document.addEventListener("htmx:load", function (event) {
    label(event.target);
  });
})();
