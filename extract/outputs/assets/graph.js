/* casemine report: the interactive citation graph (Cytoscape.js, bundled in assets/). */
(function () {
  "use strict";
  var container = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!container || !source || typeof cytoscape !== "function") return;
  var data = JSON.parse(source.textContent);
  var palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                 "#7f7f7f", "#bcbd22", "#17becf"];
  var years = data.nodes.map(function (n) { return n.data.year; }).filter(function (y) { return y; });
  var lo = Math.min.apply(null, years), hi = Math.max.apply(null, years);
  var components = new Set(data.nodes.map(function (n) { return n.data.component; })).size;

  function colourOf(node, mode) {
    if (mode === "year") {
      var y = node.data.year;
      if (!y) return "#cccccc";
      var t = hi > lo ? (y - lo) / (hi - lo) : 1;
      return "hsl(" + Math.round(220 - 200 * t) + ", 70%, 50%)";
    }
    if (components === 1) return node.data.kind === "document" ? palette[1] : palette[0];
    return palette[(node.data.component - 1) % palette.length];
  }

  function legend(mode) {
    var el = document.getElementById("graph-legend");
    if (mode === "year") el.textContent = years.length ? "blue " + lo + " → red " + hi + "; grey: year unknown" : "";
    else el.textContent = components === 1 ? "one component: orange reports, blue works"
      : components + " components, one colour each";
  }

  function paint(mode) {
    data.nodes.forEach(function (n) { n.data.colour = colourOf(n, mode); });
  }
  paint("component");
  legend("component");

  var cy = cytoscape({
    container: container,
    elements: data.nodes.concat(data.edges),
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.1,
    maxZoom: 6,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)",
        "width": "mapData(cited, 0, 10, 14, 60)", "height": "mapData(cited, 0, 10, 14, 60)",
        "label": "", "font-size": 10, "text-valign": "top", "text-margin-y": -3,
        "border-width": 1, "border-color": "#333" } },
      { selector: "node[kind = 'document']", style: { "shape": "round-rectangle", "label": "data(label)" } },
      { selector: "node[cited > 1]", style: { "label": "data(label)" } },
      { selector: "edge", style: { "width": "mapData(weight, 1, 10, 0.8, 4)", "line-color": "#b0b8c1",
        "target-arrow-color": "#b0b8c1", "target-arrow-shape": "triangle", "curve-style": "bezier",
        "arrow-scale": 0.7 } },
      { selector: ".faded", style: { "opacity": 0.15 } },
      { selector: ".hit", style: { "border-width": 4, "border-color": "#d32f2f", "label": "data(label)" } }
    ]
  });

  var info = document.getElementById("graph-info");
  cy.on("tap", "node", function (evt) {
    var d = evt.target.data();
    info.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = d.label;
    info.appendChild(strong);
    info.appendChild(document.createTextNode(
      (d.title ? " — " + d.title : "") + (d.year ? " (" + d.year + ")" : "") +
      " · cited by " + d.cited + " report(s) of the corpus · component " + d.component + " "));
    if (d.href) {
      var a = document.createElement("a");
      a.href = d.href;
      a.textContent = "open report";
      info.appendChild(a);
    }
    cy.elements().addClass("faded");
    evt.target.closedNeighborhood().removeClass("faded");
  });
  cy.on("tap", function (evt) { if (evt.target === cy) cy.elements().removeClass("faded"); });
  cy.on("dbltap", "node", function (evt) { if (evt.target.data("href")) location.href = evt.target.data("href"); });

  document.getElementById("graph-colour").addEventListener("change", function (e) {
    cy.nodes().forEach(function (n) { n.data("colour", colourOf({ data: n.data() }, e.target.value)); });
    legend(e.target.value);
  });
  document.getElementById("graph-find").addEventListener("input", function (e) {
    var q = e.target.value.toLowerCase().trim();
    cy.nodes().removeClass("hit");
    if (!q) return;
    cy.nodes().filter(function (n) {
      return ((n.data("label") || "") + " " + (n.data("title") || "")).toLowerCase().indexOf(q) >= 0;
    }).addClass("hit");
  });
  document.getElementById("graph-fit").addEventListener("click", function () { cy.fit(undefined, 30); });
  window.casemineGraph = cy;
})();
