// gcmap graph view: talks to /api/v1 with the same API keys; never draws a whole org.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const fromHash = new URLSearchParams(location.hash.slice(1));
  const state = { key: fromHash.get("key") || sessionStorage.getItem("gcmapKey") || "",
                  mapping: params.get("mapping") || "", node: params.get("node") || "",
                  failed: (params.get("fail") || "").split(",").filter(Boolean), whatif: null };
  let cy = null;

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
  async function loadFindings() {
    const ul = $("findings"); ul.innerHTML = "";
    for (const rule of ["cycle", "failover", "dangling-reference"]) {
      const f = await api(`/mappings/${state.mapping}/findings?rule=${rule}`);
      for (const x of f.items.slice(0, 40)) {
        ul.appendChild(li(`<span class="t">${esc(x.rule)}</span>${esc(x.message.slice(0, 90))}`,
                          x.severity, () => show(x.nodes[0])));
      }
    }
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
    setStatus(`${r.total} match(es)`, { results: r.total });
  }
  async function show(key) {
    state.node = key;
    const r = await api(`/mappings/${state.mapping}/neighbourhood?node=${encodeURIComponent(key)}` +
                        `&depth=${$("depth").value}&direction=${$("direction").value}`);
    if (cy) cy.destroy();
    cy = cytoscape({
      container: $("graph"), elements: r.elements, wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 9, "background-color": "#8aa",
                                     width: 14, height: 14, "text-valign": "bottom" } },
        { selector: "node.flagged", style: { "background-color": "#e90" } },
        { selector: `node[id = "${key}"]`, style: { "background-color": "#1d3557", width: 22, height: 22 } },
        { selector: "edge", style: { width: 1, "line-color": "#bbb", "target-arrow-shape": "triangle",
                                     "target-arrow-color": "#bbb", "curve-style": "bezier" } },
        { selector: "edge.failover", style: { "line-style": "dashed" } },
        { selector: "edge.cycle", style: { width: 3, "line-color": "#d00", "target-arrow-color": "#d00" } },
        { selector: "node.failed", style: { "background-color": "#d00", shape: "diamond" } },
        { selector: "node.down", style: { "border-width": 3, "border-color": "#d00" } },
        { selector: "node.degraded", style: { "border-width": 3, "border-color": "#e90" } },
      ],
      layout: { name: "breadthfirst", directed: true, roots: `[id = "${key}"]`, spacingFactor: 1.1 },
    });
    cy.on("tap", "node", (e) => details(e.target.id(), r));
    markWhatif();
    details(key, r);
    const nodes = r.elements.filter((e) => e.group === "nodes").length;
    const edges = r.elements.filter((e) => e.group === "edges");
    const hot = edges.filter((e) => (e.classes || "").includes("cycle")).length;
    setStatus(`${nodes} objects, ${edges.length} references` + (hot ? `, ${hot} on a cycle` : "") +
              (r.truncated ? " (truncated)" : ""),
              { nodes: nodes, edges: edges.length, cycleEdges: hot, node: key });
  }
  function details(key, r) {
    const el = cy && cy.getElementById(key);
    const fields = cy ? cy.edges(`[source = "${key}"]`).map((e) => `${e.data("field")} → ${e.data("target")}`) : [];
    const mine = r.findings.filter((f) => f.nodes.includes(key));
    const attrs = r.attributes[key] || {};
    $("details").innerHTML = `<b>${esc(el ? el.data("label") : key)}</b><br><code>${esc(key)}</code>` +
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
  $("mapping").onchange = () => { state.mapping = $("mapping").value; loadFindings(); };
  $("q").onkeydown = (e) => { if (e.key === "Enter") search($("q").value); };
  $("depth").value = params.get("depth") || "2";
  $("direction").value = params.get("direction") || "both";

  async function start() {
    if (!state.key) { setStatus("enter an API key with mappings:read"); return; }
    try {
      await loadMappings();
      if (params.get("q")) { $("q").value = params.get("q"); await search(params.get("q")); }
      if (state.node) await show(state.node);
      if (state.failed.length) await whatif();
    } catch (err) { setStatus("error: " + err.message, { error: err.message }); }
  }
  start();
})();
