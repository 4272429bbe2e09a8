// Draws every chart on the page: an element with data-chart="<id>" names a json_script element
// (type="application/json") that holds a plotly figure, {"data": [...], "layout": {...}}.
// templates/includes/chart.html writes both. Runs inside htmx.onLoad, so fragments that htmx
// swaps in draw too; without htmx, on DOMContentLoaded. plotly.js (1 MB) is fetched only when a
// page has a chart: base.html gives its URL in this script's data-plotly-src attribute.
(function () {
  "use strict";

  var script = document.currentScript;
  var plotlySrc = script && script.getAttribute("data-plotly-src");
  var plotlyCss = script && script.getAttribute("data-plotly-css");
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
      // plotly.js adds its rules in a <style> (blocked by the CSP) unless this element is present.
      if (plotlyCss && !document.getElementById("plotly.js-style-global")) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.id = "plotly.js-style-global";
        link.className = "no-inline-styles";
        link.href = plotlyCss;
        document.head.appendChild(link);
      }
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

  function draw(Plotly, el, given) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source && !given) {
      console.error("charts.js: no element #" + el.getAttribute("data-chart") + " for", el);
      return;
    }
    var figure = given || JSON.parse(source.textContent);
    var layout = figure.layout || {};
    // The page's typeface and text colour, unless the figure says otherwise.
    layout.font = Object.assign({}, FONT, layout.font || {});
    var config = Object.assign({}, CONFIG, figure.config || {});
    Plotly.newPlot(el, figure.data || [], layout, config).then(function () {
      el.classList.add("app-chart--drawn");
    });
  }

  // --- Server-drawn charts (data-chart-lazy): the SVG is already on the page; plotly.js loads
  // only when the reader asks to explore the chart. The SVG can be downloaded as SVG or PNG.

  function button(text, onClick) {
    var el = document.createElement("button");
    el.type = "button";
    el.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small";
    el.textContent = text;
    el.addEventListener("click", onClick);
    return el;
  }

  function shownSvg(el) {
    var all = el.querySelectorAll(".app-svg svg");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getBoundingClientRect().width > 0) {
        return all[i];
      }
    }
    return all[all.length - 1];
  }

  function save(href, filename) {
    var link = document.createElement("a");
    link.href = href;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function svgText(el) {
    var svg = shownSvg(el).cloneNode(true);
    svg.removeAttribute("aria-hidden");
    svg.setAttribute("style", "background:#fff");
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg.outerHTML;
  }

  function downloadSvg(el) {
    var blob = new Blob([svgText(el)], { type: "image/svg+xml" });
    var url = URL.createObjectURL(blob);
    save(url, el.getAttribute("data-chart-name") + ".svg");
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
  }

  function downloadPng(el) {
    var svg = shownSvg(el);
    var scale = 2;
    var width = svg.viewBox.baseVal.width;
    var height = svg.viewBox.baseVal.height;
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = width * scale;
      canvas.height = height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        var url = URL.createObjectURL(blob);
        save(url, el.getAttribute("data-chart-name") + ".png");
        setTimeout(function () {
          URL.revokeObjectURL(url);
        }, 1000);
      });
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText(el));
  }

  function figureOf(el) {
    if (!el._figure) {
      el._figure = JSON.parse(document.getElementById(el.getAttribute("data-chart")).textContent);
    }
    return el._figure;
  }

  function explore(el, trigger) {
    trigger.disabled = true;
    loadPlotly().then(function (Plotly) {
      el.classList.add("app-chart--drawn"); // hides the SVG and gives plotly a height first
      draw(Plotly, el, figureOf(el));
      trigger.remove();
    }, function (error) {
      trigger.disabled = false;
      console.error(error);
    });
  }

  function addActions(el) {
    if (el.nextElementSibling && el.nextElementSibling.classList.contains("app-chart-actions")) {
      return;
    }
    var actions = document.createElement("div");
    actions.className = "app-chart-actions";
    var exploreButton = button("Explore the chart", function () {
      explore(el, exploreButton);
    });
    actions.appendChild(exploreButton);
    actions.appendChild(button("Download SVG", function () {
      downloadSvg(el);
    }));
    actions.appendChild(button("Download PNG", function () {
      downloadPng(el);
    }));
    el.parentNode.insertBefore(actions, el.nextSibling);
  }

  function drawCharts(root) {
    root = root || document;
    if (root.nodeType !== 1 && root !== document) {
      return;
    }
    var charts = chartsIn(root).filter(function (el) {
      if (el.hasAttribute("data-chart-lazy")) {
        addActions(el);
        return false;
      }
      return true;
    });
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

  // Printing: every <details> prints open (its summary alone says little on paper), and is
  // closed again afterwards. (Charts print as their wide SVG drawing: site.css.)
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) {
      details.open = false;
    });
    openedForPrint = [];
  });

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
