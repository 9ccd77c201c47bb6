// martech-emulator dashboard: plain JS, no build step, no library. It reads the control plane
// (/_emulator/tenants, profiles, profile, profile/history, changes, requests) and polls twice a
// second: the live feed, and the state's generation, which changes whenever anything is written
// (a vendor request, deferred work, a seed), so the open tenant and profile refresh by themselves.
"use strict";

const POLL_MS = 500;
const PAGE = 25;
const FEED_FIRST = 8;    // live requests shown at first: "Recent changes" stays in view
const FEED_MORE = 20;    // each "Show more" adds this many
const FEED_MAX = 200;
const state = {
  vendor: null, tenant: null, q: "", offset: 0, key: null,
  generation: null, feedTop: 0, feedShown: FEED_FIRST, lastCells: new Map(), busy: false,
  vendors: new Map(),    // name -> {title, key_name, time_zone}, from /_emulator/tenants
};
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// -- the control token ---------------------------------------------------------------------------
// An emulator started with --control-token wants "Authorization: Bearer <token>" on every control
// request. The page takes it from its URL fragment (/_emulator/#token=…, never sent to the
// server, removed from the address bar at once) or from the form shown on the first 401, and
// keeps it in this tab's sessionStorage.
const TOKEN_KEY = "martech-emulator-control-token";
(function tokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has("token")) {
    sessionStorage.setItem(TOKEN_KEY, fragment.get("token"));
    history.replaceState(null, "", location.pathname + location.search);
  }
})();

function askForToken(message) {
  const form = $("token-form");
  if (!form.hidden) return;
  $("token-reason").textContent = message;
  form.hidden = false;
  $("token").focus();
}

async function api(path, options) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { ...((options && options.headers) || {}) };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { ...(options || {}), headers });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { error: text }; }
  if (response.status === 401) askForToken((body && body.error) || "this emulator needs its control token");
  if (!response.ok) throw new Error((body && body.error) || `${response.status} ${response.statusText}`);
  return body;
}

function post(path, body) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

function say(text, isError) {
  const box = $("message");
  box.textContent = text;
  box.className = isError ? "message error" : "message";
  box.hidden = false;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { box.hidden = true; }, isError ? 8000 : 4000);
}

const show = (value) => (value === null || value === undefined) ? "∅" :
  (typeof value === "string" ? (value === "" ? '""' : value) : JSON.stringify(value));
// Every time the dashboard writes is UTC, and says so; times inside a vendor's answer are the
// vendor's own (the detail panel names their zone).
const utc = (iso) => iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "";
const time = (iso) => iso ? new Date(iso).toISOString().slice(11, 19) + " UTC" : "";
const vendorTitle = (name) => (state.vendors.get(name) || {}).title || name;

function ahead(seconds) {
  const abs = Math.abs(seconds);
  const text = abs >= 86400 ? `${+(abs / 86400).toFixed(1)} d` : abs >= 3600 ? `${+(abs / 3600).toFixed(1)} h`
    : abs >= 60 ? `${+(abs / 60).toFixed(1)} min` : `${abs} s`;
  return `${text} ${seconds > 0 ? "ahead of" : "behind"} real time`;
}
const qs = (params) => new URLSearchParams(params).toString();

// -- tenants ------------------------------------------------------------------------------------
// every poll: the clock moves (and is frozen, advanced or resumed) without the state changing
function renderClock(clock) {
  $("clock").textContent = `emulator clock ${utc(clock.now)}`;
  const off = clock.mode === "frozen" ? "frozen" : clock.mode === "offset" ? ahead(clock.offset_seconds) : "";
  $("clock-state").textContent = off;
  $("clock-state").hidden = !off;
  $("resume").hidden = !off;
}

function renderTenants(data) {
  const nav = $("tenants");
  nav.replaceChildren();
  for (const vendor of data.vendors) {
    state.vendors.set(vendor.name, { title: vendor.title, key_name: vendor.key_name, time_zone: vendor.time_zone });
    nav.append(el("h2", { title: vendor.title }, vendor.title || vendor.name));
    const list = el("ul");
    if (!vendor.tenants.length) list.append(el("li", { class: "empty" }, "no tenants"));
    for (const t of vendor.tenants) {
      const selected = vendor.name === state.vendor && t.tenant === state.tenant;
      list.append(el("li", {}, el("button", {
        type: "button", class: selected ? "selected" : "", "data-vendor": vendor.name, "data-tenant": t.tenant,
        onclick: () => selectTenant(vendor.name, t.tenant),
      }, el("span", {}, t.tenant), el("span", { class: "count" }, t.profiles.toLocaleString("en")))));
    }
    nav.append(list);
  }
  performance.mark("tenants-rendered"); // for bench/dashboard_scaling.py: the page's own clock
}

function selectTenant(vendor, tenant) {
  Object.assign(state, { vendor, tenant, q: "", offset: 0, key: null, lastCells: new Map() });
  $("search").value = "";
  $("search").disabled = false;
  $("reset-tenant").disabled = false;
  $("detail").hidden = true;
  // the rows on screen are another tenant's: a click on one before this tenant's page arrives
  // would open a profile of the wrong tenant
  $("profiles").tBodies[0].replaceChildren();
  for (const b of document.querySelectorAll("nav button")) {
    b.classList.toggle("selected", b.dataset.vendor === vendor && b.dataset.tenant === tenant);
  }
  refreshPage();
}

// -- what a tenant or a profile holds besides fields (a Campaign service's subscribers) ----------
function relatedSection(section) {
  const items = section.items.map((item) => typeof item === "string" ? el("li", {}, item)
    : el("li", {}, el("span", { class: "field" }, item.title),
        item.details.length ? el("ul", {}, ...item.details.map((d) => el("li", {}, d))) : ""));
  if (!items.length) items.push(el("li", { class: "empty" }, "none"));
  return el("section", {}, el("h3", {}, section.title), el("ul", {}, ...items));
}

async function refreshRelated() {
  if (!state.tenant) return;
  const asked = { vendor: state.vendor, tenant: state.tenant };
  let found;
  try {
    found = await api(`related?${qs(asked)}`);
  } catch (e) {
    return;
  }
  if (found.vendor !== state.vendor || found.tenant !== state.tenant) return; // stale
  $("related").replaceChildren(...found.sections.map(relatedSection));
}

// -- profiles table -----------------------------------------------------------------------------
async function refreshPage() {
  if (!state.tenant) return;
  refreshRelated();
  const asked = { vendor: state.vendor, tenant: state.tenant, q: state.q, offset: state.offset, limit: PAGE };
  let page;
  try {
    page = await api(`profiles?${qs(asked)}`);
  } catch (e) {
    // a page asked for before the tenant was reset or left is no news
    if (asked.vendor === state.vendor && asked.tenant === state.tenant) say(e.message, true);
    return;
  }
  if (page.vendor !== state.vendor || page.tenant !== state.tenant || page.q !== state.q) return; // stale
  $("tenant-title").textContent = `${page.tenant} · ${vendorTitle(page.vendor)}`;
  const table = $("profiles");
  table.tHead.replaceChildren(el("tr", {}, ...page.columns.map((c) => el("th", { scope: "col" }, c))));
  const rows = page.rows.map((row) => {
    const before = state.lastCells.get(row.key);
    const tr = el("tr", { "data-key": row.key, class: row.key === state.key ? "selected" : "",
                          onclick: () => selectProfile(row.key) });
    for (const c of page.columns) {
      const value = row.cells[c] ?? "";
      const changed = before && before[c] !== undefined && before[c] !== value;
      tr.append(el("td", { title: value, class: changed ? "changed" : "" }, value));
    }
    state.lastCells.set(row.key, row.cells);
    return tr;
  });
  if (!rows.length) {
    rows.push(el("tr", {}, el("td", { class: "empty", colspan: String(page.columns.length) },
      state.q ? "no profile matches" : "no profiles")));
  }
  table.tBodies[0].replaceChildren(...rows);
  const last = Math.min(page.offset + page.rows.length, page.total);
  $("page-info").textContent = page.total
    ? `${(page.offset + 1).toLocaleString("en")}–${last.toLocaleString("en")} of ${page.total.toLocaleString("en")}`
    : "0 profiles";
  $("prev").disabled = page.offset === 0;
  $("next").disabled = last >= page.total;
  performance.mark("profiles-rendered");
}

// -- one profile ----------------------------------------------------------------------------------
function selectProfile(key) {
  state.key = key;
  for (const tr of document.querySelectorAll("#profiles tbody tr")) {
    tr.classList.toggle("selected", tr.dataset.key === key);
  }
  refreshDetail();
}

function changeItem(change, withTarget) {
  const req = change.request || {};
  const who = req.label + (req.status ? ` → ${req.status}` : "");
  const listed = change.action === "changed" ? change.changes : [];
  const fields = el("ul", {}, ...listed.map((c) => el("li", {},
    el("span", { class: "field" }, c.field), ": ",
    el("span", { class: "before" }, show(c.before)), " → ", el("span", { class: "after" }, show(c.after)))));
  const what = change.action === "changed" ? "changed" : `${change.action} (${change.changes.length} fields)`;
  const target = withTarget ? `${vendorTitle(change.vendor)} · ${change.tenant} · ${change.key} ${what}` : what;
  return el("li", { "data-seq": String(change.seq) },
    el("div", { class: "who" }, who),
    el("div", { class: "when" }, `${time(change.time)} · ${target}` +
      (req.journal_id ? ` · request #${req.journal_id}` : "")), fields);
}

// records that belong to the profile (Copernica's subprofiles), as the vendor lists them
function relatedTable(table) {
  const head = el("tr", {}, ...table.columns.map((c) => el("th", {}, c)));
  const rows = table.rows.map((r) => el("tr", { "data-key": r.key },
    ...table.columns.map((c) => el("td", {}, String(r.cells[c] ?? "")))));
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: String(table.columns.length) }, "none")));
  return el("div", { class: "related" }, el("h3", {}, table.title),
    el("table", { "data-testid": "related-table" }, el("thead", {}, head), el("tbody", {}, ...rows)));
}

async function refreshDetail() {
  if (!state.key) return;
  const asked = { vendor: state.vendor, tenant: state.tenant, key: state.key };
  let detail, history;
  try {
    [detail, history] = await Promise.all([api(`profile?${qs(asked)}`), api(`profile/history?${qs(asked)}`)]);
  } catch (e) {
    $("detail").hidden = true;
    return;
  }
  if (detail.key !== state.key || detail.tenant !== state.tenant || detail.vendor !== state.vendor) return;
  $("detail").hidden = false;
  $("detail-title").textContent = detail.title;
  $("detail-request").textContent = detail.request ? `${detail.request} → ${detail.status}` : "the stored document";
  $("detail-zone").textContent = `times as the vendor sends them: ${detail.time_zone}`;
  $("detail-document").textContent = typeof detail.document === "string"
    ? detail.document : JSON.stringify(detail.document, null, 2);
  $("detail-related").replaceChildren(...(detail.related || []).map((r) => r.rows ? relatedTable(r) : relatedSection(r)));
  const items = history.history.slice().reverse().map((c) => changeItem(c, false));
  if (!items.length) items.push(el("li", { class: "empty" }, "no recorded changes"));
  $("history").replaceChildren(...items);
}

// -- live feed and recent changes ------------------------------------------------------------------
function renderFeed(entries) {
  const top = entries.length ? entries[entries.length - 1].id : 0;
  const more = $("feed-more");
  more.hidden = entries.length < state.feedShown || state.feedShown >= FEED_MAX;
  if (top === state.feedTop && entries.length === $("feed").children.length) return;
  const previous = state.feedTop;
  state.feedTop = top;
  $("feed").replaceChildren(...entries.slice().reverse().map((e) => el("li", {
    class: previous && e.id > previous ? "new" : "", "data-id": String(e.id) },
    el("span", { class: "method" }, e.method),
    el("span", { class: "path", title: e.path }, e.path),
    el("span", { class: `status-${String(e.status)[0]}` }, e.status),
    el("span", { class: "meta" }, `#${e.id} · ${time(e.time)} · ${vendorTitle(e.vendor)}${e.tenant ? " · " + e.tenant : ""}` +
      (e.note ? ` · ${e.note}` : "")))));
}

async function refreshChanges() {
  const data = await api(`changes?${qs({ limit: 15 })}`);
  const items = data.changes.slice().reverse().map((c) => changeItem(c, true));
  if (!items.length) items.push(el("li", { class: "empty" }, "no changes yet"));
  $("changes").replaceChildren(...items);
}

async function poll() {
  if (state.busy) return;
  state.busy = true;
  try {
    const [tenants, feed] = await Promise.all([api("tenants"), api(`requests?limit=${state.feedShown}`)]);
    renderClock(tenants.clock);
    const changed = tenants.generation !== state.generation;
    if (changed) {
      state.generation = tenants.generation;
      renderTenants(tenants);  // first: the feed and the changes name vendors by these titles
    }
    renderFeed(feed.requests);
    if (changed) await Promise.all([refreshPage(), refreshDetail(), refreshChanges()]);
  } catch (e) {
    // the emulator restarting: keep polling quietly
  } finally {
    state.busy = false;
  }
}

// -- buttons ------------------------------------------------------------------------------------
function wire() {
  let timer;
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("token").value = "";
    $("token-form").hidden = true;
    state.generation = null;
    poll();
  });
  $("search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.q = $("search").value.trim(); state.offset = 0; refreshPage(); }, 250);
  });
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); refreshPage(); });
  $("next").addEventListener("click", () => { state.offset += PAGE; refreshPage(); });
  $("feed-more").addEventListener("click", () => {
    state.feedShown = Math.min(FEED_MAX, state.feedShown + FEED_MORE);
    poll();
  });
  $("resume").addEventListener("click", async () => {
    try {
      const clock = await post("clock", { resume: true });
      say(`Clock back to real time: ${utc(clock.now)}`);
      state.generation = null;
      poll();
    } catch (e) { say(e.message, true); }
  });
  $("advance").addEventListener("click", async () => {
    const seconds = Number($("advance-seconds").value);
    try {
      const clock = await post("clock", { advance: seconds });
      say(`Clock advanced by ${seconds} s: now ${utc(clock.now)}`);
      state.generation = null;
    } catch (e) { say(e.message, true); }
  });
  $("reset-tenant").addEventListener("click", async () => {
    if (!state.tenant || !confirm(`Forget everything of ${state.vendor} tenant “${state.tenant}”?`)) return;
    try {
      await post("reset", { vendor: state.vendor, tenant: state.tenant });
      say(`Reset ${state.vendor} tenant ${state.tenant}`);
      Object.assign(state, { tenant: null, key: null });
      $("tenant-title").textContent = "Pick a tenant";
      $("profiles").tHead.replaceChildren();
      $("profiles").tBodies[0].replaceChildren();
      $("detail").hidden = true;
      $("reset-tenant").disabled = true;
      $("search").disabled = true;
    } catch (e) { say(e.message, true); }
  });
  $("fixtures-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    try {
      const document = JSON.parse(await file.text());
      const result = await post("seed", document);
      say(`Loaded ${file.name}: ${result.seeded.join(", ") || "nothing"}`);
    } catch (e) { say(`${file.name}: ${e.message}`, true); }
    event.target.value = "";
  });
  $("export").addEventListener("click", async () => {
    try {
      const data = await api("state");
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const link = el("a", { href: URL.createObjectURL(blob), download: "martech-emulator-state.json" });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (e) { say(e.message, true); }
  });
}

wire();
poll();
setInterval(poll, POLL_MS);
