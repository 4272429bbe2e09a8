// Draws every chart on the page: an element with data-chart="<id>" names a json_script element
// (type="application/json") that holds a plotly figure, {"data": [...], "layout": {...}}.
// templates/includes/chart.html writes both. Runs inside htmx.onLoad, so fragments that htmx
// swaps in draw too; without htmx, on DOMContentLoaded. plotly.js (1 MB) is fetched only when a
// page has a chart: base.html gives its URL in this script's data-plotly-src attribute.
(function () {
  "use strict";

  var script = document.currentScript;
  var plotlySrc = script && script.getAttribute("data-plotly-src");
  var plotlyLoading = null;

  // No mode bar by default: its buttons would be focusable controls inside the chart's
  // role="img" container (axe: nested-interactive), and the table beside the chart already gives
  // the numbers. A figure can still ask for one with {"config": {"displayModeBar": true}}, if its
  // container is not role="img".
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    displayModeBar: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
    toImageButtonOptions: { format: "png", scale: 2 },
  };

  var FONT = { family: '"Frutiger W01", Arial, sans-serif', size: 14, color: "#212b32" };

  function loadPlotly() {
    if (window.Plotly) {
      return Promise.resolve(window.Plotly);
    }
    if (!plotlyLoading) {
      plotlyLoading = new Promise(function (resolve, reject) {
        if (!plotlySrc) {
          reject(new Error("charts.js: no data-plotly-src on its <script> and no window.Plotly"));
          return;
        }
        var tag = document.createElement("script");
        tag.src = plotlySrc;
        tag.async = true;
        tag.onload = function () {
          resolve(window.Plotly);
        };
        tag.onerror = function () {
          plotlyLoading = null;
          reject(new Error("charts.js: could not load " + plotlySrc));
        };
        document.head.appendChild(tag);
      });
    }
    return plotlyLoading;
  }

  function chartsIn(root) {
    var found = [];
    if (root.nodeType !== 1 && root !== document) {
      return found;
    }
    if (root.matches && root.matches("[data-chart]")) {
      found.push(root);
    }
    return found.concat(Array.prototype.slice.call(root.querySelectorAll("[data-chart]")));
  }

  function draw(Plotly, el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) {
      console.error("charts.js: no element #" + el.getAttribute("data-chart") + " for", el);
      return;
    }
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    // The page's typeface and text colour, unless the figure says otherwise.
    layout.font = Object.assign({}, FONT, layout.font || {});
    var config = Object.assign({}, CONFIG, figure.config || {});
    Plotly.newPlot(el, figure.data || [], layout, config).then(function () {
      el.classList.add("app-chart--drawn");
    });
  }

  function drawCharts(root) {
    var charts = chartsIn(root || document);
    if (!charts.length) {
      return;
    }
    loadPlotly().then(
      function (Plotly) {
        charts.forEach(function (el) {
          if (el.isConnected) {
            draw(Plotly, el);
          }
        });
      },
      function (error) {
        console.error(error);
      },
    );
  }

  window.StrategyTrackerCharts = { draw: drawCharts };

  if (window.htmx) {
    // htmx calls this for the whole body once it has loaded, then for each swapped-in fragment.
    window.htmx.onLoad(drawCharts);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawCharts(document);
    });
  } else {
    drawCharts(document);
  }
})();
