// gcmap graph view: talks to /api/v1 with the same API keys; never draws a whole org.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const fromHash = new URLSearchParams(location.hash.slice(1));
  const state = { key: fromHash.get("key") || sessionStorage.getItem("gcmapKey") || "",
                  mapping: params.get("mapping") || "", node: params.get("node") || "",
                  failed: (params.get("fail") || "").split(",").filter(Boolean), whatif: null,
                  expanded: new Set(), findings: [], last: null };
  const FAN_IN = 20;  // more leaf neighbours of one type than this are drawn as one node
  let cy = null;
  if (window.cytoscapeDagre) cytoscape.use(window.cytoscapeDagre);

  // What things are: a shape per family of types, a colour per type (stable across views).
  const FAMILY = {
    flow: "round-rectangle", ivr: "round-rectangle", schedule: "round-rectangle",
    schedule_group: "round-rectangle", prompt: "round-rectangle", emergency_group: "round-rectangle",
    data_table: "round-rectangle", queue: "hexagon", skill: "hexagon", skill_group: "hexagon",
    wrapup_code: "hexagon", language: "hexagon", email_route: "hexagon", email_domain: "hexagon",
    script: "hexagon", web_deployment: "hexagon", user: "ellipse", group: "ellipse", team: "ellipse",
    location: "ellipse", division: "ellipse", site: "rectangle", edge: "rectangle",
    edge_group: "rectangle", trunk: "rectangle", trunk_base: "rectangle", outbound_route: "rectangle",
    did: "rectangle", did_pool: "rectangle", phone: "rectangle", phone_base: "rectangle",
    integration: "tag", data_action: "tag", credential: "tag", organization: "star" };
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                   "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39"];
  function colour(type) {
    let h = 0;
    for (const c of type) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return PALETTE[h % PALETTE.length];
  }
  const shape = (type) => FAMILY[type] || "ellipse";

  async function api(path, body) {
    const init = { headers: { Authorization: "Bearer " + state.key } };
    if (body !== undefined) {
      init.method = "POST"; init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    const r = await fetch("/api/v1" + path, init);
    const answer = await r.json();
    if (!r.ok) throw new Error(answer.error ? answer.error.message : r.statusText);
    return answer;
  }
  function setStatus(text, data) {
    $("status").textContent = text;
    for (const [k, v] of Object.entries(data || {})) $("status").dataset[k] = v;
  }
  function li(html, cls, onclick) {
    const el = document.createElement("li");
    el.innerHTML = html; if (cls) el.className = cls; el.onclick = onclick; return el;
  }
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));

  const STYLE = [
    { selector: "node", style: { label: "data(label)", "font-size": 9, "background-color": "data(colour)",
                                 shape: "data(shape)", width: 16, height: 16, "text-valign": "bottom" } },
    { selector: "node.flagged", style: { "border-width": 2, "border-color": "#e90" } },
    { selector: "node.focus", style: { width: 26, height: 26, "border-width": 3, "border-color": "#1d3557" } },
    { selector: "node.collapsed", style: { width: 30, height: 30, "font-weight": "bold" } },
    { selector: "node.picked", style: { "border-width": 3, "border-color": "#d00" } },
    { selector: "edge", style: { width: 1, "line-color": "#bbb", "target-arrow-shape": "triangle",
                                 "target-arrow-color": "#bbb", "curve-style": "bezier", "font-size": 8 } },
    { selector: "edge.failover", style: { "line-style": "dashed" } },
    { selector: "edge.cycle", style: { width: 3, "line-color": "#d00", "target-arrow-color": "#d00" } },
    { selector: "edge.hover", style: { label: "data(field)", "text-background-color": "#fff",
                                       "text-background-opacity": 1 } },
    { selector: "node.failed", style: { "background-color": "#d00", shape: "diamond" } },
    { selector: "node.down", style: { "border-width": 3, "border-color": "#d00" } },
    { selector: "node.degraded", style: { "border-width": 3, "border-color": "#e90" } },
  ];

  function decorate(elements) {
    for (const e of elements) {
      if (e.group === "nodes" && !e.data.colour) {
        e.data.colour = colour(e.data.type); e.data.shape = shape(e.data.type);
      }
    }
    return elements;
  }
  function layout(name, extra) {
    const dagre = window.cytoscapeDagre ? { name: "dagre", rankDir: "TB", nodeSep: 12, rankSep: 50 } : null;
    if (name === "circle") return { name: "circle" };
    return Object.assign(dagre || { name: "breadthfirst", directed: true }, extra || {});
  }
  function draw(elements, lay) {
    if (cy) cy.destroy();
    cy = cytoscape({ container: $("graph"), elements: decorate(elements), wheelSensitivity: 0.3,
                     style: STYLE, layout: lay });
    window.gcmapCy = cy;  // for tests and the browser console
    cy.on("mouseover", "edge", (e) => e.target.addClass("hover"));
    cy.on("mouseout", "edge", (e) => e.target.removeClass("hover"));
    legend();
    markWhatif();
  }
  function legend() {
    const types = [...new Set(cy.nodes().map((n) => n.data("type")).filter(Boolean))].sort();
    $("legend").innerHTML = types.map((t) =>
      `<span class="sw" data-type="${esc(t)}"><i style="background:${colour(t)}"></i>${esc(t)} <small>${shape(t)}</small></span>`).join("");
  }

  async function loadMappings() {
    const [list, orgs] = await Promise.all([api("/mappings?status=succeeded&limit=50"), api("/orgs")]);
    const orgName = Object.fromEntries(orgs.items.map((o) => [o.id, o.name]));
    // Grouped by org, so switching org is choosing one of its mappings.
    const byOrg = {};
    for (const m of list.items) (byOrg[m.org] = byOrg[m.org] || []).push(m);
    const order = [...orgs.items.map((o) => o.id).filter((id) => byOrg[id]),
                   ...Object.keys(byOrg).filter((id) => !(id in orgName))];
    $("mapping").innerHTML = order.map((org) => [org, byOrg[org]]).map(([org, ms]) =>
      `<optgroup label="${esc(orgName[org] || org)}">` + ms.map((m) =>
        `<option value="${m.id}">${m.id} · ${m.summary ? m.summary.nodes + " objects" : ""}</option>`).join("") +
      "</optgroup>").join("");
    $("status").dataset.orgs = Object.keys(byOrg).length;
    if (!state.mapping && list.items.length) state.mapping = list.items[0].id;
    $("mapping").value = state.mapping;
    await loadFindings();
  }

  // The org at a glance: types sized by how many objects they hold, references between types.
  async function overview() {
    const r = await api(`/mappings/${state.mapping}/overview`);
    const els = r.types.map((t) => {
      const bad = (t.findings.error || 0) + (t.findings.warning || 0);
      return { group: "nodes", data: { id: "type:" + t.type, type: t.type, count: t.count,
               label: `${t.type} (${t.count})` + (bad ? ` · ${bad} findings` : "") },
               classes: bad ? "flagged" : "" };
    });
    for (const l of r.links) {
      els.push({ group: "edges", data: { id: `${l.from}>${l.to}`, source: "type:" + l.from,
                 target: "type:" + l.to, field: `${l.count} references` } });
    }
    draw(els, layout("dagre", { rankDir: "LR" }));
    cy.nodes().forEach((n) => { const s = 14 + 8 * Math.log10(1 + n.data("count")); n.style({ width: s, height: s }); });
    cy.on("tap", "node", (e) => { const t = e.target.data("type"); $("q").value = "type:" + t; search("type:" + t); });
    setStatus(`overview: ${r.types.length} types, ${r.links.length} kinds of reference`,
              { view: "overview", nodes: r.types.length, edges: r.links.length });
  }

  // Findings grouped by severity and rule, with counts, filterable; picking one draws it.
  async function loadFindings() {
    const f = await api(`/mappings/${state.mapping}/findings?limit=5000`);
    state.findings = f.items;
    renderFindings();
  }
  function renderFindings() {
    const needle = ($("ffilter").value || "").toLowerCase();
    const ul = $("findings"); ul.innerHTML = "";
    const groups = {};
    for (const x of state.findings) {
      if (needle && !(x.rule + " " + x.message).toLowerCase().includes(needle)) continue;
      const g = `${x.severity}\u0000${x.rule}`;
      (groups[g] = groups[g] || []).push(x);
    }
    const rank = { error: 0, warning: 1, info: 2 };
    const keys = Object.keys(groups).sort((a, b) => {
      const [sa, ra] = a.split("\u0000"), [sb, rb] = b.split("\u0000");
      return rank[sa] - rank[sb] || groups[b].length - groups[a].length || ra.localeCompare(rb);
    });
    for (const g of keys) {
      const [sev, rule] = g.split("\u0000");
      const head = li(`<span class="t">${esc(sev)}</span><b>${esc(rule)}</b> (${groups[g].length})`, sev + " rule");
      const inner = document.createElement("ul"); inner.hidden = true;
      head.onclick = () => { inner.hidden = !inner.hidden; };
      for (const x of groups[g].slice(0, 200)) {
        const item = li(esc(x.message.slice(0, 110)), "finding", (ev) => { ev.stopPropagation(); drawFinding(x); });
        inner.appendChild(item);
      }
      head.appendChild(inner);
      ul.appendChild(head);
    }
    $("status").dataset.findingGroups = keys.length;
  }
  async function drawFinding(f) {
    const ev = f.evidence || {};
    const keys = [...new Set([...(ev.path || []), ...(ev.chain || []), ...f.nodes])].slice(0, 300);
    if (!keys.length) { setStatus(f.message, { view: "finding", nodes: 0 }); return; }
    const r = await api(`/mappings/${state.mapping}/subgraph?keys=${encodeURIComponent(keys.join(","))}`);
    const ring = f.rule === "cycle";
    draw(r.elements, ring ? layout("circle") : layout("dagre", { rankDir: ev.chain ? "LR" : "TB" }));
    cy.nodes().addClass("picked");
    cy.on("tap", "node", (e) => show(e.target.id()));
    setStatus(`${f.rule}: ${cy.nodes().length} objects` + (ring ? " in a ring" : ""),
              { view: "finding", rule: f.rule, nodes: cy.nodes().length, edges: cy.edges().length });
  }

  async function search(q) {
    const ul = $("results"); ul.innerHTML = "";
    if (!q) return;
    let type = null;
    if (q.startsWith("type:")) { type = q.slice(5); q = ""; }
    const r = await api(`/mappings/${state.mapping}/nodes?q=${encodeURIComponent(q)}` +
                        (type ? `&type=${encodeURIComponent(type)}` : ""));
    for (const n of r.items) {
      ul.appendChild(li(`<span class="t">${esc(n.type)}</span>${esc(n.name || n.key)}`, "", () => show(n.key)));
    }
    setStatus(`${r.items.length} of ${r.total} match(es) shown`, { results: r.total });
  }

  // Direct neighbours of one type past FAN_IN become one node ("287 users"), their references
  // re-pointed at it; a click expands it.
  function collapse(elements, focus) {
    const nodes = elements.filter((e) => e.group === "nodes");
    const edges = elements.filter((e) => e.group === "edges");
    const typeOf = Object.fromEntries(nodes.map((n) => [n.data.id, n.data.type]));
    const near = {};
    for (const e of edges) {
      const other = e.data.source === focus ? e.data.target : e.data.target === focus ? e.data.source : null;
      const t = other && typeOf[other];
      if (!t || state.expanded.has(t)) continue;
      (near[t] = near[t] || new Set()).add(other);
    }
    const into = {};
    let hidden = 0;
    const extra = [];
    for (const [t, ids] of Object.entries(near)) {
      if (ids.size <= FAN_IN) continue;
      const id = "collapsed:" + t;
      ids.forEach((k) => { into[k] = id; });
      hidden += ids.size - 1;
      extra.push({ group: "nodes", data: { id, type: t, label: `${ids.size} ${t}s`, collapsedType: t },
                   classes: "collapsed" });
    }
    if (!extra.length) return { elements, hidden: 0 };
    const seen = new Set();
    const moved = [];
    for (const e of edges) {
      const source = into[e.data.source] || e.data.source, target = into[e.data.target] || e.data.target;
      const k = source + ">" + target;
      if (source === target || seen.has(k)) continue;
      seen.add(k);
      moved.push({ group: "edges", data: Object.assign({}, e.data, { id: "m" + moved.length, source, target }),
                   classes: e.classes });
    }
    return { elements: nodes.filter((n) => !into[n.data.id]).concat(extra, moved), hidden };
  }

  async function show(key) {
    state.node = key;
    const r = await api(`/mappings/${state.mapping}/neighbourhood?node=${encodeURIComponent(key)}` +
                        `&depth=${$("depth").value}&direction=${$("direction").value}`);
    state.last = r;
    const c = collapse(r.elements, key);
    draw(c.elements, layout("dagre"));
    cy.getElementById(key).addClass("focus");
    cy.on("tap", "node", (e) => {
      const t = e.target.data("collapsedType");
      if (t) { state.expanded.add(t); show(key); return; }
      details(e.target.id(), r);
    });
    details(key, r);
    const nodes = r.elements.filter((e) => e.group === "nodes").length;
    const edges = r.elements.filter((e) => e.group === "edges");
    const hot = edges.filter((e) => (e.classes || "").includes("cycle")).length;
    const drawn = cy.nodes().length;
    const cut = r.truncated || c.hidden;
    setStatus(`${nodes} objects, ${edges.length} references` + (hot ? `, ${hot} on a cycle` : "") +
              (cut ? ` (${drawn} of ${r.total} shown` + (c.hidden ? `, ${c.hidden + cy.$("node.collapsed").length} collapsed)` : ")") : ""),
              { view: "neighbourhood", nodes: nodes, edges: edges.length, cycleEdges: hot, node: key,
                shown: drawn, total: r.total, collapsed: cy.$("node.collapsed").length });
  }
  function details(key, r) {
    const el = cy && cy.getElementById(key);
    const fields = cy ? cy.edges(`[source = "${key}"]`).map((e) => `${e.data("field")} → ${e.data("target")}`) : [];
    const mine = r.findings.filter((f) => f.nodes.includes(key));
    const attrs = r.attributes[key] || {};
    $("details").innerHTML = `<b>${esc(el && el.length ? el.data("label") : key)}</b><br><code>${esc(key)}</code>` +
      `<h4>Attributes</h4><pre>${esc(Object.entries(attrs).map(([k, v]) => k + ": " + JSON.stringify(v)).join("\n"))}</pre>` +
      `<h4>References</h4><pre>${esc(fields.join("\n") || "none")}</pre>` +
      `<h4>Findings (${mine.length})</h4>` +
      mine.map((f) => `<p class="${f.severity}"><b>${esc(f.rule)}</b> ${esc(f.message)}</p>`).join("") +
      `<p><button id="failit">${state.failed.includes(key) ? "Restore" : "Fail"} this object (what-if)</button></p>`;
    $("failit").onclick = () => {
      state.failed = state.failed.includes(key) ? state.failed.filter((k) => k !== key)
                                                : [...state.failed, key];
      whatif();
    };
  }

  // What-if: the objects marked failed, and the entry points that go down or degrade.
  async function whatif() {
    const ul = $("whatif"); ul.innerHTML = "";
    state.whatif = null;
    if (!state.failed.length) { $("whatifsum").textContent = "mark objects as failed"; markWhatif(); return; }
    const r = await api(`/mappings/${state.mapping}/whatif`, { fail: state.failed });
    state.whatif = r;
    const s = r.summary;
    $("whatifsum").textContent = `${state.failed.length} failed: ${s.down} down, ${s.degraded} degraded, ` +
      `${s.unchanged} of ${s.entryPoints} unchanged`;
    for (const e of r.entryPoints) {
      ul.appendChild(li(`<span class="t">${esc(e.before)} → ${esc(e.after)}</span>${esc(e.name || e.key)}`,
                        e.after === "down" ? "error" : e.after === "degraded" ? "warning" : "info",
                        () => show(e.key)));
    }
    markWhatif();
    setStatus($("status").textContent, { whatifDown: s.down, whatifDegraded: s.degraded,
                                          failed: state.failed.length });
  }
  function markWhatif() {
    if (!cy) return;
    cy.nodes().removeClass("failed down degraded");
    for (const k of state.failed) cy.getElementById(k).addClass("failed");
    for (const e of (state.whatif ? state.whatif.entryPoints : [])) {
      if (e.after !== "ok") cy.getElementById(e.key).addClass(e.after);
    }
  }

  $("key").value = state.key;
  $("key").onchange = () => { state.key = $("key").value; sessionStorage.setItem("gcmapKey", state.key); start(); };
  $("mapping").onchange = async () => { state.mapping = $("mapping").value; state.node = "";
                                        await loadFindings(); await overview(); };
  $("q").onkeydown = (e) => { if (e.key === "Enter") search($("q").value); };
  $("ffilter").oninput = renderFindings;
  $("depth").value = params.get("depth") || "2";
  $("direction").value = params.get("direction") || "both";
  // Changing depth or direction redraws the neighbourhood at once.
  $("depth").onchange = $("direction").onchange = () => { if (state.node) show(state.node); };
  $("home").onclick = () => { state.node = ""; overview(); };

  async function start() {
    if (!state.key) { setStatus("enter an API key with mappings:read"); return; }
    try {
      await loadMappings();
      if (params.get("q")) { $("q").value = params.get("q"); await search(params.get("q")); }
      if (state.node) await show(state.node);
      else if (state.mapping) await overview();
      if (state.failed.length) await whatif();
    } catch (err) { setStatus("error: " + err.message, { error: err.message }); }
  }
  start();
})();
