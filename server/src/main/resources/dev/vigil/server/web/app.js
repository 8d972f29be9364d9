'use strict';
// Vigil dashboard: plain JS, no CDN. The token stays in sessionStorage and goes only in the Authorization header.
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('vigil-token');
let current = null;
let lastChanges = -1;

async function api(path, opts = {}) {
  const res = await fetch(path, Object.assign({}, opts, {
    headers: Object.assign({ 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json' }, opts.headers || {})
  }));
  const body = await res.json();
  if (!res.ok) { throw new Error(body.error || res.status); }
  return body;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) { e.textContent = text; }
  if (cls) { e.className = cls; }
  return e;
}

function sev(s) { return el('span', s, 'sev sev-' + s); }

function show(section) {
  for (const id of ['signin', 'list', 'incident']) { $(id).hidden = id !== section; }
}

async function signIn(ev) {
  if (ev) { ev.preventDefault(); token = $('token').value.trim(); }
  try {
    const me = await api('/api/me');
    sessionStorage.setItem('vigil-token', token);
    $('who').textContent = me.name + ' (' + me.role + (me.tenant ? ', ' + me.tenant : '') + ')';
    route();
  } catch (e) {
    $('signin-error').textContent = 'Sign-in failed: ' + e.message;
    show('signin');
  }
}

async function loadList() {
  const page = await api('/api/incidents?limit=200');
  lastChanges = page.changes;
  const body = $('incidents').querySelector('tbody');
  body.replaceChildren();
  for (const i of page.items) {
    const tr = el('tr');
    tr.dataset.id = i.id;
    const s = el('td'); s.appendChild(sev(i.severity)); tr.appendChild(s);
    tr.appendChild(el('td', i.title, 'title'));
    tr.appendChild(el('td', i.status, 'status'));
    tr.appendChild(el('td', i.assignee || ''));
    tr.appendChild(el('td', i.updated));
    tr.addEventListener('click', () => { location.hash = '#incident/' + encodeURIComponent(i.id); });
    body.appendChild(tr);
  }
  show('list');
}

function chart(tenants) {
  const ns = 'http://www.w3.org/2000/svg';
  const rows = tenants.slice(0, 40);
  const max = Math.max(1, ...rows.map((t) => t.bytes_read));
  const h = 18 * rows.length + 10;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '760'); svg.setAttribute('height', String(h)); svg.setAttribute('id', 'bytes-chart');
  svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', 'bytes read per tenant');
  rows.forEach((t, n) => {
    const y = 5 + n * 18;
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', '0'); label.setAttribute('y', String(y + 12)); label.textContent = t.tenant;
    const bar = document.createElementNS(ns, 'rect');
    bar.setAttribute('class', 'bar'); bar.setAttribute('x', '220'); bar.setAttribute('y', String(y));
    bar.setAttribute('height', '14'); bar.setAttribute('width', String(Math.max(1, 440 * t.bytes_read / max)));
    const value = document.createElementNS(ns, 'text');
    value.setAttribute('x', String(225 + 440 * t.bytes_read / max)); value.setAttribute('y', String(y + 12));
    value.textContent = (t.bytes_read / 1e9).toFixed(2) + ' GB';
    svg.append(label, bar, value);
  });
  return svg;
}

async function loadIncident(id) {
  const inc = await api('/api/incidents/' + encodeURIComponent(id));
  current = inc;
  const d = inc.detail || {};
  $('inc-title').replaceChildren(sev(inc.severity), document.createTextNode(' ' + inc.title));
  $('inc-meta').textContent = 'Status: ' + inc.status + (inc.assignee ? ' · assigned to ' + inc.assignee : '')
    + ' · opened ' + inc.opened + ' · ' + (d.bytes_read || 0) + ' bytes read from ' + (d.tenants || []).length + ' tenants';
  $('inc-meta').dataset.status = inc.status;
  const tl = $('timeline');
  tl.replaceChildren();
  for (const st of d.kill_chain || []) {
    const li = el('li');
    li.appendChild(el('span', String(st.tactic), 'tactic'));
    li.appendChild(document.createTextNode(' ' + st.first_seen + ' → ' + st.last_seen + ' · ' + st.alerts + ' alert(s) '
      + (st.techniques || []).join(', ')));
    tl.appendChild(li);
  }
  $('chart').replaceChildren(chart(d.tenants || []));
  const ev = $('evidence').querySelector('tbody');
  ev.replaceChildren();
  for (const e of (d.evidence || []).slice(0, 300)) {
    const tr = el('tr');
    for (const v of [e.time, e.action, e.access_key_id, e.source_ip, e.bucket, (e.rules || []).join(', ')]) {
      tr.appendChild(el('td', v || ''));
    }
    ev.appendChild(tr);
  }
  show('incident');
}

async function act(kind) {
  const body = { comment: $('comment').value };
  if (kind === 'assign') { body.assignee = $('assignee').value; }
  try {
    await api('/api/incidents/' + encodeURIComponent(current.id) + '/' + kind, { method: 'POST', body: JSON.stringify(body) });
    $('action-result').textContent = kind + ': done';
    await loadIncident(current.id);
  } catch (e) {
    $('action-result').textContent = kind + ' failed: ' + e.message;
  }
}

function route() {
  const m = location.hash.match(/^#incident\/(.+)$/);
  (m ? loadIncident(decodeURIComponent(m[1])) : loadList()).catch((e) => { $('signin-error').textContent = e.message; });
}

// live updates: poll the change counter and refresh the list when detection changed something
setInterval(async () => {
  if (!token || $('list').hidden) { return; }
  try {
    const page = await api('/api/incidents?limit=1');
    if (page.changes !== lastChanges) { loadList(); }
  } catch (e) { /* shown on the next navigation */ }
}, 3000);

window.addEventListener('DOMContentLoaded', () => {
  $('signin-form').addEventListener('submit', signIn);
  $('back').addEventListener('click', (e) => { e.preventDefault(); location.hash = ''; });
  $('ack').addEventListener('click', () => act('acknowledge'));
  $('assign').addEventListener('click', () => act('assign'));
  $('close').addEventListener('click', () => act('close'));
  window.addEventListener('hashchange', route);
  if (token) { signIn(); } else { show('signin'); }
});
