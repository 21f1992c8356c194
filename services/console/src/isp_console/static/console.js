// The console's only script of its own: no inline script anywhere (the CSP forbids it), so
// behaviour hangs on data- attributes, and every part is set up again after htmx swaps content.
(function () {
  "use strict";

  function each(root, selector, fn) {
    root.querySelectorAll(selector).forEach(fn);
  }

  // A select that submits its form when changed (language, filters).
  function autosubmit(root) {
    each(root, "select[data-autosubmit]", function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      el.addEventListener("change", function () {
        if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
      });
    });
  }

  // Forms that ask before they do something that cannot be undone.
  function confirmations(root) {
    each(root, "form[data-confirm]", function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  // The menu on a narrow screen.
  function navToggle(root) {
    each(root, ".nav-toggle", function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.addEventListener("click", function () {
        var nav = document.getElementById(button.getAttribute("aria-controls"));
        var open = button.getAttribute("aria-expanded") === "true";
        button.setAttribute("aria-expanded", open ? "false" : "true");
        if (nav) nav.classList.toggle("open", !open);
      });
    });
  }

  // <div class="chart" data-chart='{"labels": [...], "series": [{"label": "...", "values": [...]}], "kind": "bars|line", "unit": ""}'>
  // x values are labels (dates); the chart has a text table beside it for screen readers.
  var COLORS = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df"];
  function charts(root) {
    if (typeof uPlot === "undefined") return;
    each(root, "[data-chart]", function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      var spec;
      try { spec = JSON.parse(el.dataset.chart); } catch (e) { return; }
      var labels = spec.labels || [];
      var xs = labels.map(function (_, i) { return i; });
      var data = [xs];
      var series = [{ value: function (u, v) { return v == null ? "" : labels[v] || ""; } }];
      (spec.series || []).forEach(function (s, i) {
        data.push(s.values.map(function (v) { return v == null ? null : Number(v); }));
        var color = COLORS[i % COLORS.length];
        var entry = { label: s.label, stroke: color, width: 2 };
        if (spec.kind === "bars") {
          entry.fill = color + "99";
          entry.paths = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 60] }) : undefined;
        }
        series.push(entry);
      });
      var width = Math.max(280, el.clientWidth || 600);
      var opts = {
        width: width,
        height: Number(el.dataset.height || 240),
        series: series,
        scales: { x: { time: false } },
        axes: [
          { values: function (u, ticks) { return ticks.map(function (t) { return labels[t] || ""; }); } },
          { size: 70 },
        ],
        legend: { show: true },
      };
      el.textContent = "";
      var plot = new uPlot(opts, data, el);
      window.addEventListener("resize", function () {
        plot.setSize({ width: Math.max(280, el.clientWidth || 600), height: opts.height });
      });
    });
  }

  // <div class="map" data-map-url="/console/network/map.json" data-tiles="..." data-attribution="...">
  // Without a tile URL the markers stand on a plain background: no internet needed.
  function maps(root) {
    if (typeof L === "undefined") return;
    each(root, "[data-map-url]", function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      var map = L.map(el, { attributionControl: !!el.dataset.tiles });
      if (el.dataset.tiles) {
        L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
      }
      L.Icon.Default.imagePath = "/console/static/vendor/leaflet/images/";
      fetch(el.dataset.mapUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (points) {
          var bounds = [];
          points.forEach(function (p) {
            if (p.lat == null || p.lng == null) return;
            var marker = p.kind === "customer"
              ? L.circleMarker([p.lat, p.lng], { radius: 5, color: "#2da44e" })
              : L.circleMarker([p.lat, p.lng], { radius: 8, color: "#1f6feb" });
            var label = document.createElement("span");
            label.textContent = p.label || "";
            marker.bindPopup(label).addTo(map);
            bounds.push([p.lat, p.lng]);
          });
          if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
          else map.setView([-6.2, 106.8], 11);
        })
        .catch(function () { map.setView([-6.2, 106.8], 11); });
    });
  }

  function setUp(root) {
    autosubmit(root);
    confirmations(root);
    navToggle(root);
    charts(root);
    maps(root);
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function (event) { setUp(event.target); });
  // An htmx request the server answers with an error status still shows its words.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status >= 400 && status < 600) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
