/* casemine report: filter and sort every table.data; highlight the span named in the URL. */
(function () {
  "use strict";

  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    var numeric = a !== "" && b !== "" && !isNaN(x) && !isNaN(y) && isFinite(a) && isFinite(b);
    if (numeric) return x - y;
    if (a === "") return b === "" ? 0 : 1;
    if (b === "") return -1;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function enhance(table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var rows = Array.prototype.slice.call(body.rows);
    var tools = document.createElement("div");
    tools.className = "table-tools";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "filter";
    input.placeholder = "Filter rows (all words must match)";
    input.setAttribute("aria-label", "Filter " + (table.id || "table"));
    var count = document.createElement("span");
    count.className = "rowcount";
    tools.appendChild(input);
    tools.appendChild(count);
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    table.parentNode.insertBefore(tools, table);
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);

    function update() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " rows";
    }
    input.addEventListener("input", update);
    update();

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.title = "Sort";
      th.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        rows.sort(function (a, b) { return dir * compare(cellValue(a, i), cellValue(b, i)); });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function showTarget() {
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
    var id = decodeURIComponent(location.hash.slice(1));
    var m = /^(?:s|row-)(\d+)$/.exec(id);
    if (!m) return;
    document.querySelectorAll('.box[data-span="' + m[1] + '"]').forEach(function (el) { el.classList.add("active"); });
    var row = document.getElementById("row-" + m[1]);
    if (row) row.classList.add("active");
  }

  /* evidence.html#filter=kind:outcome|subject:X|object:Y shows the rows whose columns are
     exactly these (the rows behind a count); #q=words fills the filter box */
  function filterFromHash() {
    var hash = location.hash.slice(1);
    var table = document.querySelector("table.data");
    if (!table || !/^(filter|q)=/.test(hash)) return;
    var input = table.closest(".table-wrap").previousElementSibling.querySelector("input");
    if (hash.indexOf("q=") === 0) {
      input.value = decodeURIComponent(hash.slice(2));
      input.dispatchEvent(new Event("input"));
      return;
    }
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
    var wanted = hash.slice(7).split("|").map(function (kv) {
      var i = kv.indexOf(":");
      return [heads.indexOf(decodeURIComponent(kv.slice(0, i))), decodeURIComponent(kv.slice(i + 1))];
    });
    var shown = 0, rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var ok = wanted.every(function (w) { return w[0] >= 0 && cellValue(row, w[0]) === w[1]; });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    input.placeholder = "Showing " + shown + " rows: " + wanted.map(function (w) { return w[1]; }).join(", ");
    input.nextElementSibling.textContent = shown + " of " + rows.length + " rows";
  }

  document.querySelectorAll("table.data").forEach(enhance);
  window.addEventListener("hashchange", function () { showTarget(); filterFromHash(); });
  showTarget();
  filterFromHash();
})();
