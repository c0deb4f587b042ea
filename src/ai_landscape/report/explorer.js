// The model explorer of the report page (report/explorer.py writes the data block).
// Columnar data in, a virtual table out: only the rows in view are in the DOM, so 100,000
// models scroll, sort and filter without a framework or anything fetched from the network.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("explorer-data").textContent);
  const n = data.rows;
  const cols = data.columns;
  const numeric = new Set(data.numeric);
  const SEARCHED = ["model_id", "name", "organizations", "country_codes", "license_id",
    "weights_access", "sources", "hf_repo_ids", "openrouter_ids", "family"];
  const FILTERS = { "filter-access": "weights_access", "filter-openness": "openness",
    "filter-group": "country_group", "filter-scale": "large_scale" };
  const DERIVED = new Set(["organization", "country", "country_group"]);
  const BUFFER = 15;

  function value(name, i) {
    const c = cols[name];
    if (!c) return null;
    if (c.dict) { const k = c.codes[i]; return k < 0 ? null : c.dict[k]; }
    const v = c.values[i];
    return v === undefined ? null : v;
  }

  function human(v) {
    if (v === null) return "";
    const units = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];
    for (const [scale, unit] of units) {
      if (Math.abs(v) >= scale) return Number((v / scale).toPrecision(3)) + unit;
    }
    return String(Number(v.toPrecision(3)));
  }

  function shown(name, i) {
    const v = value(name, i);
    if (v === null) return "";
    if (name === "training_compute_flop") return v.toExponential(1).replace("e+", "e");
    if (numeric.has(name)) return human(v);
    return String(v);
  }

  const hay = new Array(n);
  for (let i = 0; i < n; i++) {
    let s = "";
    for (const c of SEARCHED) { const v = value(c, i); if (v !== null) s += " " + v; }
    hay[i] = s.toLowerCase();
  }

  // Sort keys: numbers as a Float64Array (NaN: missing), dictionary columns as the rank of
  // their text (-1: missing), other text lower-cased (null: missing). Orders are cached.
  const keys = {};
  function sortKey(name) {
    if (keys[name]) return keys[name];
    const c = cols[name];
    let k;
    if (numeric.has(name)) {
      k = new Float64Array(n);
      for (let i = 0; i < n; i++) { const v = c.values[i]; k[i] = v === null ? NaN : v; }
    } else if (c.dict) {
      const ranked = c.dict.map((v, code) => [String(v).toLowerCase(), code]).sort(
        (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const rank = new Int32Array(c.dict.length);
      ranked.forEach(([, code], r) => { rank[code] = r; });
      k = new Float64Array(n);
      for (let i = 0; i < n; i++) { const code = c.codes[i]; k[i] = code < 0 ? NaN : rank[code]; }
    } else {
      k = new Array(n);
      for (let i = 0; i < n; i++) { const v = c.values[i]; k[i] = v === null ? null : String(v).toLowerCase(); }
    }
    keys[name] = k;
    return k;
  }

  const state = { query: "", filters: {}, sortCol: "release_date", sortDir: -1 };
  const orders = {};
  let sorted = null;
  let view = [];
  let openIndex = -1;

  function sortRows() {
    const cache = state.sortCol + "/" + state.sortDir;
    if (orders[cache]) { sorted = orders[cache]; return; }
    const k = sortKey(state.sortCol);
    const dir = state.sortDir;
    const idx = new Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort(function (a, b) {
      const x = k[a], y = k[b];
      const xm = x === null || x !== x, ym = y === null || y !== y;
      if (xm || ym) return xm === ym ? a - b : (xm ? 1 : -1); // missing values last, always
      return x < y ? -dir : x > y ? dir : a - b;
    });
    sorted = orders[cache] = Int32Array.from(idx);
  }

  function filterRows() {
    const tokens = state.query.toLowerCase().split(/\s+/).filter(Boolean);
    const active = []; // [array, wanted]: codes and a code for dictionary columns
    for (const [name, wanted] of Object.entries(state.filters)) {
      if (wanted === "") continue;
      const c = cols[name];
      active.push(c.dict ? [c.codes, c.dict.indexOf(wanted)] : [c.values, wanted]);
    }
    const out = [];
    outer: for (let j = 0; j < n; j++) {
      const i = sorted[j];
      for (let f = 0; f < active.length; f++) if (active[f][0][i] !== active[f][1]) continue outer;
      for (let t = 0; t < tokens.length; t++) if (hay[i].indexOf(tokens[t]) < 0) continue outer;
      out.push(i);
    }
    view = out;
    document.getElementById("explorer-count").textContent =
      "Showing " + view.length.toLocaleString("en") + " of " + n.toLocaleString("en") + " models";
    scroller.scrollTop = 0;
    draw();
  }

  const scroller = document.getElementById("explorer-scroll");
  const table = document.getElementById("explorer-table");
  const tbody = table.tBodies[0];
  let rowHeight = 26;

  function headers() {
    const tr = table.tHead.rows[0];
    for (const [name, label] of data.shown) {
      const th = document.createElement("th");
      th.textContent = label;
      th.dataset.col = name;
      th.tabIndex = 0;
      th.scope = "col";
      tr.appendChild(th);
    }
    markSort();
  }

  function markSort() {
    for (const th of table.tHead.rows[0].cells) {
      const on = th.dataset.col === state.sortCol;
      th.setAttribute("aria-sort", on ? (state.sortDir > 0 ? "ascending" : "descending") : "none");
    }
  }

  function spacer(height) {
    const tr = document.createElement("tr");
    tr.className = "spacer";
    tr.style.height = height + "px";
    return tr;
  }

  function draw() {
    const first = Math.max(0, Math.floor(scroller.scrollTop / rowHeight) - BUFFER);
    const visible = Math.ceil(scroller.clientHeight / rowHeight) + 2 * BUFFER;
    const last = Math.min(view.length, first + visible);
    const frag = document.createDocumentFragment();
    frag.appendChild(spacer(first * rowHeight));
    for (let j = first; j < last; j++) {
      const i = view[j];
      const tr = document.createElement("tr");
      tr.className = "model" + (i === openIndex ? " open" : "");
      tr.tabIndex = 0;
      tr.dataset.index = i;
      tr.dataset.id = value("model_id", i);
      for (const [name] of data.shown) {
        const td = document.createElement("td");
        td.textContent = shown(name, i);
        if (numeric.has(name)) td.className = "num";
        td.title = td.textContent;
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    frag.appendChild(spacer((view.length - last) * rowHeight));
    tbody.replaceChildren(frag);
    const sample = tbody.querySelector("tr.model");
    if (sample && sample.getBoundingClientRect().height > 0) {
      const h = sample.getBoundingClientRect().height;
      if (Math.abs(h - rowHeight) > 0.5) { rowHeight = h; draw(); }
    }
  }

  function cellRow(tr, texts, klass) {
    texts.forEach(function (text, k) {
      const td = document.createElement(k === 0 ? "th" : "td");
      td.textContent = text === null || text === undefined ? "" : String(text);
      if (klass && k === texts.length - 1) td.className = klass;
      tr.appendChild(td);
    });
  }

  function listTable(header, rows, klass) {
    const t = document.createElement("table");
    cellRow(t.insertRow(), header);
    for (const r of rows) cellRow(t.insertRow(), r, klass);
    return t;
  }

  function provenance(field, i) {
    const p = data.provenance[field];
    if (!p || p.codes[i] < 0) return "";
    const row = p.rows[i];
    return p.dict[p.codes[i]] + (row === null ? "" : "#row=" + row);
  }

  function openDetail(i) {
    openIndex = i;
    const box = document.getElementById("explorer-detail");
    box.replaceChildren();
    const h = document.createElement("h3");
    h.id = "explorer-detail-title";
    h.textContent = value("name", i) + " (" + value("model_id", i) + ")";
    box.appendChild(h);
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () { box.hidden = true; openIndex = -1; draw(); });
    box.appendChild(close);
    const fields = [];
    for (const name of Object.keys(cols)) {
      if (DERIVED.has(name)) continue;
      fields.push([name, value(name, i), provenance(name, i)]);
    }
    const ft = listTable(["field", "value", "source record"], fields, "source");
    ft.id = "explorer-fields";
    box.appendChild(ft);
    const conflicts = data.conflicts[String(i)] || [];
    const ch = document.createElement("h4");
    ch.textContent = "Where its sources disagree (" + conflicts.length + ")";
    box.appendChild(ch);
    if (conflicts.length) box.appendChild(listTable(["field", "source", "value", "chosen"], conflicts));
    const events = data.history[String(i)] || [];
    const hh = document.createElement("h4");
    hh.textContent = "History (" + events.length + " changes; first seen " + (value("first_seen", i) || "?") + ")";
    box.appendChild(hh);
    const ht = listTable(["detected", "change", "field", "old", "new"], events);
    ht.id = "explorer-history";
    if (events.length) box.appendChild(ht);
    box.hidden = false;
    draw();
    box.scrollIntoView({ block: "nearest" });
  }

  function fillSelect(id, name) {
    const select = document.getElementById(id);
    const seen = new Set();
    for (let i = 0; i < n; i++) { const v = value(name, i); if (v !== null) seen.add(v); }
    for (const v of Array.from(seen).sort()) {
      const o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      select.appendChild(o);
    }
    select.addEventListener("change", function () { state.filters[name] = select.value; filterRows(); });
  }

  let pending = 0;
  document.getElementById("explorer-search").addEventListener("input", function (e) {
    clearTimeout(pending);
    pending = setTimeout(function () { state.query = e.target.value; filterRows(); }, 120);
  });
  document.getElementById("explorer-reset").addEventListener("click", function () {
    state.query = "";
    state.filters = {};
    document.getElementById("explorer-search").value = "";
    for (const id of Object.keys(FILTERS)) document.getElementById(id).value = "";
    filterRows();
  });
  table.tHead.addEventListener("click", function (e) {
    const th = e.target.closest("th");
    if (!th) return;
    if (state.sortCol === th.dataset.col) state.sortDir = -state.sortDir;
    else { state.sortCol = th.dataset.col; state.sortDir = numeric.has(th.dataset.col) || th.dataset.col === "release_date" ? -1 : 1; }
    markSort();
    sortRows();
    filterRows();
  });
  tbody.addEventListener("click", function (e) {
    const tr = e.target.closest("tr.model");
    if (tr) openDetail(Number(tr.dataset.index));
  });
  tbody.addEventListener("keydown", function (e) {
    const tr = e.target.closest("tr.model");
    if (tr && e.key === "Enter") openDetail(Number(tr.dataset.index));
  });
  let ticking = false;
  scroller.addEventListener("scroll", function () {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(function () { ticking = false; draw(); });
  });

  headers();
  for (const [id, name] of Object.entries(FILTERS)) fillSelect(id, name);
  sortRows();
  filterRows();
  const wanted = decodeURIComponent(location.hash.replace(/^#model=/, ""));
  if (location.hash.startsWith("#model=")) {
    for (let i = 0; i < n; i++) if (value("model_id", i) === wanted) { openDetail(i); break; }
  }
  document.getElementById("explorer").dataset.ready = "true";
})();
