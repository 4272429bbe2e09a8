/*
 * Ranking widget (progressive enhancement).
 *
 * Without JavaScript, residents rank priorities with a select each ([data-ranking-selects]).
 * With it, this turns them into an ordered list with "Move up" and "Move down" buttons: usable
 * by keyboard, focus stays on the button that was pressed, and an aria-live region announces
 * each move ("Healthier lives moved to position 2 of 4"). The hidden selects are kept in step,
 * so the same form posts the same fields either way. No inline styles: only the `hidden`
 * attribute and NHS.UK classes.
 */
(function () {
  "use strict";

  function text(el, value) {
    el.textContent = value;
    return el;
  }

  function make(tag, className) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    return el;
  }

  function enhance(root) {
    if (root.hasAttribute("data-ranking-enhanced")) return;
    var selectsBox = root.querySelector("[data-ranking-selects]");
    var status = root.querySelector("[data-ranking-status]");
    var hint = root.querySelector("[data-ranking-hint]");
    if (!selectsBox || !status) return;
    var rows = Array.prototype.slice.call(selectsBox.querySelectorAll("[data-ranking-row]"));
    var n = rows.length;
    if (n < 2) return;

    var items = rows.map(function (row, index) {
      return { title: row.getAttribute("data-title"), select: row.querySelector("select"), index: index };
    });

    // Start from the ranks already chosen, if they are a true ordering; otherwise as listed.
    var chosen = items.map(function (item) { return parseInt(item.select.value, 10); });
    var valid = chosen.every(function (rank) { return rank >= 1 && rank <= n; }) &&
      chosen.filter(function (rank, i) { return chosen.indexOf(rank) === i; }).length === n;
    var order = items.slice();
    if (valid) {
      order.sort(function (a, b) { return chosen[a.index] - chosen[b.index]; });
    }

    var list = make("ol", "nhsuk-list nhsuk-list--border");
    list.setAttribute("data-ranking-list", "");

    function button(label, item, direction) {
      var b = make("button", "nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0 nhsuk-u-margin-right-2");
      b.type = "button";
      b.setAttribute("data-move", direction);
      b.appendChild(document.createTextNode(label));
      b.appendChild(text(make("span", "nhsuk-u-visually-hidden"), ": " + item.title));
      b.addEventListener("click", function () { move(item, direction, b); });
      return b;
    }

    order.forEach(function (item) {
      var li = make("li", "nhsuk-u-padding-top-2 nhsuk-u-padding-bottom-2");
      li.setAttribute("data-ranking-item", "");
      item.li = li;
      item.position = make("span", "nhsuk-u-font-weight-bold");
      var title = make("p", "nhsuk-body nhsuk-u-margin-bottom-2");
      title.appendChild(item.position);
      title.appendChild(text(make("span", "nhsuk-u-font-weight-bold"), item.title));
      li.appendChild(title);
      var actions = make("div");
      item.up = button("Move up", item, "up");
      item.down = button("Move down", item, "down");
      actions.appendChild(item.up);
      actions.appendChild(item.down);
      li.appendChild(actions);
      list.appendChild(li);
    });

    function sync() {
      order.forEach(function (item, i) {
        item.select.value = String(i + 1);
        item.position.textContent = (i + 1) + ". ";
        // aria-disabled rather than disabled, so focus is never lost from a pressed button.
        item.up.setAttribute("aria-disabled", i === 0 ? "true" : "false");
        item.down.setAttribute("aria-disabled", i === n - 1 ? "true" : "false");
      });
    }

    function announce(message) {
      // Clear first so the same words twice in a row are still announced.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }

    function move(item, direction, pressed) {
      var from = order.indexOf(item);
      var to = direction === "up" ? from - 1 : from + 1;
      if (to < 0 || to >= n) {
        announce(item.title + " is already " + (to < 0 ? "first" : "last") + ", at position " + (from + 1) + " of " + n);
        pressed.focus();
        return;
      }
      order.splice(from, 1);
      order.splice(to, 0, item);
      var next = order[to + 1];
      list.insertBefore(item.li, next ? next.li : null);
      sync();
      pressed.focus();
      announce(item.title + " moved to position " + (to + 1) + " of " + n);
    }

    if (hint) {
      hint.textContent = "Use the Move up and Move down buttons to put the priorities in order, " +
        "the most important to you at the top.";
    }
    selectsBox.parentNode.insertBefore(list, selectsBox);
    selectsBox.hidden = true;
    root.setAttribute("data-ranking-enhanced", "");
    sync();
  }

  function init(scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll("[data-ranking]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
