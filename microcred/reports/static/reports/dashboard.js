/* The program dashboard's charts, drawn by Chart.js from the JSON each table's section
   carries (`json_script`): the same numbers as the table beside it, which is what screen
   readers and the CSV use (the canvas is aria-hidden). Series differ by colour and by
   marker or dash, not by colour alone. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var Chart = window.Chart;
  var style = window.getComputedStyle(document.documentElement);
  function token(name, fallback) {
    return (style.getPropertyValue(name) || "").trim() || fallback;
  }
  var colours = [token("--brand", "#0b5c6b"), token("--accent", "#9a4a06"), token("--ok", "#1e6b35")];
  var markers = ["circle", "rect", "triangle"];
  var dashes = [[], [6, 4], [2, 3]];
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.font.family = token("--font", "system-ui, sans-serif");
  Chart.defaults.color = token("--ink-2", "#3d4650");

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var line = spec.type === "line";
    var datasets = spec.datasets.map(function (set, i) {
      var colour = colours[i % colours.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: line ? 2 : 0,
        borderDash: line ? dashes[i % dashes.length] : [],
        pointStyle: markers[i % markers.length],
        pointRadius: line ? 4 : 0,
        tension: 0.2
      };
    });
    if (spec.horizontal) {
      // One band per row, tall enough for its bars and its label.
      var height = spec.labels.length * (datasets.length * 12 + 16) + 70;
      canvas.parentElement.style.height = Math.max(180, height) + "px";
    }
    var value = {
      beginAtZero: true,
      ticks: { precision: 0 },
      grid: { color: token("--line", "#d9d7cf") }
    };
    if (spec.percent) {
      value.max = 100;
      value.ticks.callback = function (v) { return v + " %"; };
    }
    var scales = spec.horizontal ? { x: value, y: { grid: { display: false } } } : { x: { grid: { display: false } }, y: value };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: !spec.horizontal,
        aspectRatio: 2,
        animation: still ? false : { duration: 300 },
        scales: scales,
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom", labels: { usePointStyle: true } }
        }
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
})();
