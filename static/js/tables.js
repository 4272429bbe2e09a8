// Sortable tables (progressive enhancement): each column header of a table[data-sortable]
// becomes a button; pressing it sorts the rows by that column, again to reverse. Without
// JavaScript the server's order stands (it is meaningful: the strategy's order of measures).
// A cell may give its sort key in data-sort (e.g. a status's rank: worse first); otherwise the
// first number in its text, else its text. aria-sort on the header says the current order.
(function () {
  "use strict";

  function keyOf(cell) {
    if (!cell) {
      return { number: null, text: "" };
    }
    var given = cell.getAttribute("data-sort");
    var text = (given !== null ? given : cell.textContent).trim();
    var match = text.replace(/,/g, "").match(/-?\d+(\.\d+)?/);
    return { number: match ? parseFloat(match[0]) : null, text: text.toLowerCase() };
  }

  function compare(a, b) {
    if (a.number !== null && b.number !== null) {
      return a.number - b.number;
    }
    if (a.number !== null) {
      return -1; // values before "no value"
    }
    if (b.number !== null) {
      return 1;
    }
    return a.text.localeCompare(b.text);
  }

  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var descending = header.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, position) {
      row._position = position;
    });
    rows.sort(function (x, y) {
      var order = compare(keyOf(x.cells[index]), keyOf(y.cells[index]));
      return (descending ? -order : order) || x._position - y._position;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    table.querySelectorAll("thead th[aria-sort]").forEach(function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function enhance(table) {
    if (table._sortable || !table.tHead || !table.tBodies.length) {
      return;
    }
    table._sortable = true;
    var headers = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(headers, function (header, index) {
      // A button beside the header's own content (which may be a link): "Sort by <header>".
      var button = document.createElement("button");
      button.type = "button";
      button.className = "app-sort";
      var hidden = document.createElement("span");
      hidden.className = "nhsuk-u-visually-hidden";
      hidden.textContent = "Sort by " + header.textContent.trim();
      button.appendChild(hidden);
      header.appendChild(document.createTextNode(" "));
      header.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(table, index, header);
      });
    });
    var caption = table.caption;
    if (caption && !caption.querySelector(".app-sort-hint")) {
      var hint = document.createElement("span");
      hint.className = "nhsuk-u-visually-hidden app-sort-hint";
      hint.textContent = " (column headers sort the table)";
      caption.appendChild(hint);
    }
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("table[data-sortable]").forEach(enhance);
  }

  if (window.htmx) {
    window.htmx.onLoad(function (root) {
      if (root.querySelectorAll) {
        enhanceAll(root);
      }
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
})();
