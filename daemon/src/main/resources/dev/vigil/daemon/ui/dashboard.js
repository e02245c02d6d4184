// Vigil's dashboard: one page, served by the daemon, reading the daemon's own JSON API. No
// framework, nothing fetched from elsewhere. Every value from the API is put on the page as text
// (textContent, SVG attributes), never as markup: agent ids and roles come from clients.
"use strict";
(() => {
  const POLL_MS = 2000;        // the page asks again this often
  const SERIES_MS = 10000;     // the sparklines' series are fetched again this often (an agent's page: every time)
  const SPARK_ROWS = 20;       // the most anomalous agents get sparklines
  const ROWS_MAX = 500;        // rows drawn in the agent table (the rest are counted)
  const SVGNS = "http://www.w3.org/2000/svg";
  const STATE_RANK = { alarmed: 2, suspect: 1, normal: 0 };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  async function getJson(path) {
    const r = await fetch(path, { cache: "no-store" });
    if (r.status === 404) return null;
    if (!r.ok) {
      let why = "";
      try { why = (await r.json()).error || ""; } catch (ignored) { /* not JSON */ }
      throw new Error(`${path}: HTTP ${r.status} ${why}`);
    }
    return r.json();
  }

  const fmt = {
    num(v, digits = 3) {
      if (v === null || v === undefined || Number.isNaN(v)) return "–";
      const a = Math.abs(v);
      if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
      return Number(v.toPrecision(digits)).toString();
    },
    time(us) {
      if (us === null || us === undefined || us < 0) return "–";
      return new Date(us / 1000).toISOString().replace("T", " ").slice(0, 19) + "Z";
    },
    duration(s) {
      if (s < 120) return `${Math.round(s)} s`;
      if (s < 7200) return `${Math.round(s / 60)} min`;
      if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
      return `${(s / 86400).toFixed(1)} d`;
    },
    short(id) { return id && id.length > 16 ? id.slice(0, 16) + "…" : id; },
  };

  function badge(text, kind) { return el("span", { class: `badge ${kind || text}`, text }); }

  function card(key, value, id) {
    return el("div", { class: "card", id }, el("div", { class: "k", text: key }), el("div", { class: "v", text: value }));
  }

  // ---- shared state ----------------------------------------------------------------------

  const series = new Map();  // "agent|range" -> {at, data}
  let featureNames = null;   // the schema's feature names, in order, from the first agent read
  let generation = 0;        // bumped by every navigation: a tick of an older one draws nothing
  let timer = null;

  // the agent's series over the range, fetched again when the copy held is older than maxAgeMs
  async function seriesOf(agent, range, maxAgeMs) {
    const key = `${agent}|${range}`;
    const held = series.get(key);
    if (held && Date.now() - held.at < maxAgeMs) return held.data;
    const data = await getJson(`/v1/agents/${encodeURIComponent(agent)}/series?from=${range}`);
    series.set(key, { at: Date.now(), data });
    return data;
  }

  function route() {
    const h = location.hash;
    if (h.startsWith("#/agent/")) return { view: "agent", id: decodeURIComponent(h.slice("#/agent/".length)) };
    return { view: "overview" };
  }

  function agentHref(id) { return "#/agent/" + encodeURIComponent(id); }

  // ---- header ----------------------------------------------------------------------------

  function renderHeader(status) {
    const peers = status.peers || [];
    const alive = peers.filter((p) => p.state === "alive").length;
    const accel = status.accel ? `${status.accel.backend}` : "?";
    $("node-line").textContent = `node ${status.node_id} · ${status.version} · up ${fmt.duration(status.uptime_s)} · `
      + `${alive}/${peers.length} peers alive · ${status.accepted ? "in the fleet" : "not accepted yet"} · accel ${accel}`;
    document.title = `Vigil · ${status.node_id}`;
  }

  // ---- overview --------------------------------------------------------------------------

  function standingConvictions(verdicts) {
    const m = new Map();
    for (const v of verdicts || []) {
      if (v.kind === "convict" && !v.released_by) m.set(v.agent, v);
    }
    return m;
  }

  function byAnomaly(a, b) {
    return (STATE_RANK[b.status] || 0) - (STATE_RANK[a.status] || 0)
      || (b.cusum || 0) - (a.cusum || 0)
      || (b.last_d2 ?? -1) - (a.last_d2 ?? -1)
      || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0);
  }

  async function renderOverview(status, g) {
    const [tree, agentList, verdictList] = await Promise.all([getJson("/v1/tree"), getJson("/v1/agents"), getJson("/v1/verdicts")]);
    const agents = (agentList ? agentList.agents : []).slice().sort(byAnomaly);
    const convicted = standingConvictions(verdictList ? verdictList.verdicts : []);
    if (!featureNames && agents.length > 0) {
      const d = await getJson(`/v1/agents/${encodeURIComponent(agents[0].agent)}`);
      if (d && d.baseline) featureNames = d.baseline.map((f) => f.feature);
    }
    const sparks = new Map();
    await Promise.all(agents.slice(0, SPARK_ROWS).map(async (a) => {
      try { sparks.set(a.agent, await seriesOf(a.agent, "-24h", SERIES_MS)); } catch (e) { /* drawn without */ }
    }));
    if (g !== generation) return;

    const d = status.detection || {};
    const cards = $("cards");
    cards.replaceChildren(
      card("agents", String(d.agents ?? agents.length), "card-agents"),
      card("suspect", String(d.suspect ?? 0), "card-suspect"),
      card("alarmed", String(d.alarmed ?? 0), "card-alarmed"),
      card("observations", String(d.observations ?? 0), "card-observations"),
      card("standing convictions", String(convicted.size), "card-convictions"),
      card("alerts firing", status.alerting && status.alerting.enabled ? String(status.alerting.firing) : "off", "card-alerts"));
    renderTree(tree);
    renderAgents(agents, convicted, sparks);
  }

  function renderTree(tree) {
    const box = $("tree");
    if (!tree || !tree.placed) {
      $("tree-summary").textContent = "not placed in the tree yet";
      box.replaceChildren();
      return;
    }
    const fb = tree.fleet_baseline;
    $("tree-summary").textContent = `depth ${tree.depth}, root ${fmt.short(tree.root_id)}${tree.root ? " (this node)" : ""}`
      + (fb ? `; the fleet baseline covers ${fb.nodes} node${fb.nodes === 1 ? "" : "s"}` : "");
    const levels = (tree.levels || []).slice().sort((a, b) => b.level - a.level);
    box.replaceChildren(...levels.map((lv) => {
      const members = lv.members || [];
      const alive = members.filter((m) => m.state === "alive").length;
      const share = members.length ? alive / members.length : 0;
      const bar = el("div", { class: "health", title: `${alive} of ${members.length} alive` });
      const fill = el("div");
      fill.style.width = `${Math.round(share * 100)}%`;
      bar.append(fill);
      return el("div", { class: "level", "data-level": String(lv.level) },
        el("div", { text: `level ${lv.level}: cluster of ${lv.size}, head ${fmt.short(lv.head_id)}, epoch ${lv.epoch}` }),
        el("div", { class: "muted small", text: `${alive}/${members.length} alive · ${lv.leaves} leaves · ${lv.agents} agents` }),
        bar,
        ...members.map((m) => el("div", { class: "member" + (m.self ? " self" : "") },
          badge(m.state, m.state), el("span", { text: fmt.short(m.node_id) }),
          m.head ? el("span", { class: "muted", text: "head" }) : null,
          m.self ? el("span", { text: "← this node" }) : null,
          m.rtt_ms !== null && m.rtt_ms !== undefined ? el("span", { class: "muted", text: `${fmt.num(m.rtt_ms)} ms` }) : null)));
    }));
  }

  function sparkline(data, i, name) {
    const w = 44, h = 18;
    const s = svg("svg", { width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: "img" });
    const title = svg("title");
    const pts = (data && data.points) || [];
    const values = pts.map((p) => (p.count > 0 && p.mean && p.mean[i] !== null ? p.mean[i] : null));
    const present = values.filter((v) => v !== null);
    title.textContent = `${name}: ${present.length ? fmt.num(present[present.length - 1]) : "no data"} (last 24 h)`;
    s.append(title);
    if (present.length < 2) return s;
    // from the first step that holds observations to the last: a young agent's line fills the box
    const first = values.findIndex((v) => v !== null);
    const last = values.length - 1 - values.slice().reverse().findIndex((v) => v !== null);
    const lo = Math.min(...present), hi = Math.max(...present), span = hi - lo || 1;
    let d = "", pen = false;
    values.forEach((v, k) => {
      if (v === null) { pen = false; return; }
      const x = ((k - first) / Math.max(1, last - first)) * (w - 2) + 1;
      const y = h - 2 - ((v - lo) / span) * (h - 4);
      d += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
      pen = true;
    });
    s.append(svg("path", { d, fill: "none", stroke: "#2b6cb0", "stroke-width": 1 }));
    return s;
  }

  function renderAgents(agents, convicted, sparks) {
    const filter = $("filter").value.trim().toLowerCase();
    const shown = agents.filter((a) => !filter || a.agent.toLowerCase().includes(filter) || (a.role || "").toLowerCase().includes(filter));
    const rows = shown.slice(0, ROWS_MAX).map((a) => {
      const v = convicted.get(a.agent);
      const sp = sparks.get(a.agent);
      const names = featureNames || [];
      return el("tr", { class: a.status, "data-agent": a.agent },
        el("td", {}, el("a", { href: agentHref(a.agent), class: "agent-link", text: a.agent })),
        el("td", { text: a.role || "–" }),
        el("td", {}, badge(a.status)),
        el("td", { class: "num", text: fmt.num(a.cusum) }),
        el("td", { class: "num", text: fmt.num(a.last_d2) }),
        el("td", {}, v ? badge("convicted", "convict") : el("span", { class: "muted", text: "–" })),
        el("td", {}, sp ? el("div", { class: "sparks" }, ...names.map((n, i) => sparkline(sp, i, n))) : null));
    });
    $("agents").tBodies[0].replaceChildren(...rows);
    $("agents-note").textContent = shown.length > ROWS_MAX ? `${shown.length - ROWS_MAX} more not shown: filter to find them`
      : agents.length === 0 ? "no agent has reported to this node yet" : "";
  }

  // ---- one agent -------------------------------------------------------------------------

  const RANGES = [["-24h", "last 24 hours"], ["-7d", "last 7 days"], ["-30d", "last 30 days"]];

  async function renderAgent(id, g) {
    const detail = await getJson(`/v1/agents/${encodeURIComponent(id)}`);
    if (g !== generation) return;
    if (!detail) {
      $("agent-title").textContent = `no agent '${id}' on this node`;
      for (const box of ["agent-cards", "verdict", "history", "baseline", "evidence"]) $(box).replaceChildren();
      return;
    }
    const fv = detail.fleet_verdict;
    const [certificate, ...histories] = await Promise.all([
      fv ? getJson(`/v1/verdicts/${encodeURIComponent(fv.id)}`) : Promise.resolve(null),
      ...RANGES.map(([r]) => (detail.summary ? seriesOf(id, r, 0).catch(() => null) : Promise.resolve(null)))]);
    if (g !== generation) return;

    const s = detail.summary;
    if (detail.baseline && !featureNames) featureNames = detail.baseline.map((f) => f.feature);
    const title = $("agent-title");
    title.replaceChildren(el("span", { text: id }), " ", s ? badge(s.status) : badge("not observed here", "released"));
    if (s) {
      $("agent-cards").replaceChildren(
        card("role", s.role || "–"), card("state since", fmt.time(s.status_since_micros)), card("CUSUM", fmt.num(s.cusum)),
        card("last D²", fmt.num(s.last_d2)), card("scored against", s.last_baseline || "–"),
        card("observations", String(s.observations)), card("kept out of baselines", String(s.excluded)),
        card("own baseline from", `${detail.baseline_observations} obs.`));
    } else {
      $("agent-cards").replaceChildren(el("p", { class: "muted", text: "this node does not observe the agent; the fleet's verdict reached it" }));
    }
    renderVerdict(fv, certificate);
    renderHistory(histories);
    renderBaseline(detail);
    renderEvidence(detail);
  }

  function renderVerdict(fv, certificate) {
    const box = $("verdict");
    if (!fv) {
      box.replaceChildren(el("p", { class: "muted", text: "no verdict: the agent's committee has not convicted it" }));
      return;
    }
    const released = !!fv.released_by;
    const rows = [
      ["verdict", badge(released ? "released" : fv.kind, released ? "released" : fv.kind)],
      ["certificate", el("span", { class: "mono", id: "verdict-id", text: fv.id })],
      ["checked here", certificate ? certificate.verification : "–"],
      ["posterior", fmt.num(fv.posterior, 6)], ["log-odds", fmt.num(fv.log_odds)],
      ["committee", `shard ${fv.shard}, epoch ${fv.epoch}, sequence ${fv.sequence}, f = ${fv.f}`],
      ["signers", String(fv.signers)], ["observers", (fv.observers || []).join(", ")],
      ["issued", fmt.time(fv.issued_at_micros)]];
    if (released) rows.push(["released by", String(fv.released_by)]);
    const dl = el("dl", { class: "kv" });
    for (const [k, v] of rows) dl.append(el("dt", { text: k }), el("dd", {}, v));
    const parts = [dl];
    if (certificate && certificate.certificate_base64) {
      parts.push(el("details", {}, el("summary", { text: "certificate (base64; `vigil verdicts verify` checks it offline)" }),
        el("p", { class: "mono small", text: certificate.certificate_base64 })));
    }
    box.replaceChildren(...parts);
  }

  function featureSelect() {
    const sel = $("feature");
    const names = featureNames || [];
    if (sel.options.length !== names.length) {
      sel.replaceChildren(...names.map((n, i) => el("option", { value: String(i), text: n })));
    }
    return Number(sel.value || 0);
  }

  function chart(data, i, label) {
    const w = Math.max(320, $("history").clientWidth - 4), h = 110, pad = 4;
    const wrap = el("div", { class: "chart" });
    if (!data) {
      wrap.append(el("div", { class: "label", text: `${label}: no data` }));
      return wrap;
    }
    const pts = data.points || [];
    const held = pts.filter((p) => p.count > 0 && p.mean && p.mean[i] !== null);
    const caption = el("div", { class: "label",
      text: `${label}: ${data.tier} tier, one point per ${fmt.duration(data.step_us / 1e6)}, ${held.length} of ${pts.length} points hold observations` });
    wrap.append(caption);
    const s = svg("svg", { width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: "img", "data-tier": data.tier });
    s.append(svg("rect", { x: 0, y: 0, width: w, height: h, fill: "#f7fafc" }));
    if (held.length > 0) {
      const lo = Math.min(...held.map((p) => p.mean[i] - (p.sd ? p.sd[i] || 0 : 0)));
      const hi = Math.max(...held.map((p) => p.mean[i] + (p.sd ? p.sd[i] || 0 : 0)));
      const span = hi - lo || 1;
      const x = (t) => pad + ((t - data.from_us) / Math.max(1, data.to_us - data.from_us)) * (w - 2 * pad);
      const y = (v) => h - pad - ((v - lo) / span) * (h - 2 * pad);
      for (const p of held) {
        const sd = p.sd ? p.sd[i] || 0 : 0;
        const cls = p.status || "normal";
        const colour = cls === "alarmed" ? "#c53030" : cls === "suspect" ? "#b7791f" : "#2b6cb0";
        s.append(svg("line", { x1: x(p.t_us), x2: x(p.t_us), y1: y(p.mean[i] - sd), y2: y(p.mean[i] + sd), stroke: "#cbd5e0" }));
        s.append(svg("circle", { cx: x(p.t_us), cy: y(p.mean[i]), r: 1.8, fill: colour }));
      }
      caption.append(`; from ${fmt.num(lo)} to ${fmt.num(hi)}`);
    }
    wrap.append(s);
    return wrap;
  }

  function renderHistory(histories) {
    const i = featureSelect();
    const name = (featureNames || [])[i] || `feature ${i}`;
    $("history").replaceChildren(
      el("p", { class: "muted small", text: `${name}: mean of each step with ± one standard deviation; red while alarmed, amber while suspect` }),
      ...histories.map((d, k) => chart(d, i, RANGES[k][1])));
  }

  function renderBaseline(detail) {
    const own = detail.baseline || [];
    const cohort = detail.cohort_baseline;
    const head = el("tr", {}, ...["feature", "own mean ± sd", cohort ? `${cohort.cohort} mean ± sd` : "cohort", "own mean, in cohort sds"]
      .map((t) => el("th", { text: t })));
    const rows = own.map((f, k) => {
      const c = cohort ? cohort.features[k] : null;
      const shift = c && c.sd > 0 ? (f.mean - c.mean) / c.sd : null;
      const bar = el("span", { class: "bar" + (shift !== null && shift < 0 ? " neg" : "") });
      bar.style.width = `${Math.min(120, Math.abs(shift || 0) * 20)}px`;
      return el("tr", {}, el("td", { text: `${f.feature} (${f.transform})` }),
        el("td", { class: "num", text: `${fmt.num(f.mean)} ± ${fmt.num(f.sd)}` }),
        el("td", { class: "num", text: c ? `${fmt.num(c.mean)} ± ${fmt.num(c.sd)}` : "–" }),
        el("td", {}, el("span", { text: shift === null ? "–" : `${fmt.num(shift, 2)} ` }), bar));
    });
    const note = cohort ? `${cohort.cohort}: ${cohort.observations} observations in this node's window; the agent's own baseline: `
      + `${detail.baseline_observations} observations${detail.baseline_ridged ? " (ridged: nearly singular)" : ""}`
      : "the agent has no role, or its cohort has no observations in the window";
    $("baseline").replaceChildren(el("p", { class: "muted small", text: note }),
      el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows)));
  }

  function evidenceTable(items) {
    const head = el("tr", {}, ...["time", "kind", "scored against", "D²", "LLR", "CUSUM", "features furthest out (z)"].map((t) => el("th", { text: t })));
    const rows = items.slice().reverse().map((e) => el("tr", {},
      el("td", { text: fmt.time(e.ts_micros) }), el("td", { text: e.kind }), el("td", { text: e.baseline || "–" }),
      el("td", { class: "num", text: fmt.num(e.d2) }), el("td", { class: "num", text: fmt.num(e.llr) }),
      el("td", { class: "num", text: fmt.num(e.cusum) }),
      el("td", { text: (e.top || []).map((t) => `${t.feature} ${fmt.num(t.z, 2)}`).join(", ") || "–" })));
    return el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows));
  }

  function renderEvidence(detail) {
    const parts = [];
    const transitions = detail.transitions || [];
    parts.push(el("h3", { class: "small", text: "changes of state" }));
    parts.push(transitions.length === 0 ? el("p", { class: "muted", text: "none: normal since first seen" })
      : el("ul", {}, ...transitions.map((t) => el("li", { text: `${fmt.time(t.ts_micros)}: ${t.from} → ${t.to} at CUSUM ${fmt.num(t.cusum)}` }))));
    if (detail.alarm_evidence && detail.alarm_evidence.length) {
      parts.push(el("h3", { class: "small", text: "what raised the alarm" }), evidenceTable(detail.alarm_evidence));
    }
    if (detail.evidence && detail.evidence.length) {
      parts.push(el("h3", { class: "small", text: "latest evidence" }), evidenceTable(detail.evidence));
    }
    $("evidence").replaceChildren(...parts);
  }

  // ---- the loop --------------------------------------------------------------------------

  function show(view) {
    $("overview").hidden = view !== "overview";
    $("agent").hidden = view !== "agent";
  }

  async function tick() {
    const g = generation;
    const r = route();
    show(r.view);
    try {
      const status = await getJson("/v1/status");
      if (g !== generation) return;
      renderHeader(status);
      if (r.view === "agent") await renderAgent(r.id, g);
      else await renderOverview(status, g);
      $("live").classList.remove("stale");
      $("error").hidden = true;
    } catch (e) {
      $("live").classList.add("stale");
      $("error").textContent = `the daemon did not answer: ${e.message}`;
      $("error").hidden = false;
    }
    if (g === generation) timer = setTimeout(tick, POLL_MS);
  }

  function navigate() {
    generation++;
    clearTimeout(timer);
    tick();
  }

  window.addEventListener("hashchange", navigate);
  document.addEventListener("DOMContentLoaded", () => {
    $("filter").addEventListener("input", navigate);
    $("feature").addEventListener("change", navigate);
    navigate();
  });
})();
