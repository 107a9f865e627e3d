// app.js - the dashboard's shell: hash routes (every view has a URL to
// share), the API client (bearer token when the server asks for one), a
// small DOM helper, and the live refresh: /api/health is polled (a 304 when
// nothing changed) and the open view redraws when the store's generation
// moves.
//
// Views are modules exporting render(main, route, app) that may return
// { refresh, dispose }.  A map view (events with places, Leaflet) plugs in
// the same way: one module, one entry in VIEWS, one link in index.html.

import * as stories from './stories.js';
import * as story from './story.js';
import * as dyad from './dyad.js';
import * as network from './network.js';
import * as search from './search.js';

const VIEWS = { stories, story, dyad, network, search };
const POLL_MS = 5000;
const TOKEN_KEY = 'sitrep.token';

// ---- DOM ------------------------------------------------------------------

// h('a', {href: '#/x', class: 'c'}, 'text', child...): never parses HTML,
// so text from the store cannot become markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// "2025-03-03T09:10:00Z" -> "3 Mar 2025 09:10" (UTC, as the store keeps it)
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function when(iso, withTime = true) {
  if (!iso) return '?';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso);
  if (!m) return iso;
  const d = `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] || m[2]} ${m[1]}`;
  return withTime && m[4] ? `${d} ${m[4]}:${m[5]}` : d;
}

export function span(first, last) {
  if (!first && !last) return 'undated';
  if (first && last && first.slice(0, 10) === last.slice(0, 10)) return when(first, false);
  return `${when(first, false)} – ${when(last, false)}`;
}

// ---- routes -----------------------------------------------------------------

// "#/dyad/TUR/IDN?bucket=week" -> {view: 'dyad', parts: ['TUR','IDN'], query: URLSearchParams}
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#\/?/, '');
  const [path, qs] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const view = parts.shift() || 'stories';
  return { view, parts, query: new URLSearchParams(qs || '') };
}

export function link(view, parts = [], query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const p = [view, ...parts.map(encodeURIComponent)].join('/');
  const qs = q.toString();
  return `#/${p}${qs ? '?' + qs : ''}`;
}

// ---- API ------------------------------------------------------------------------

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const qs = q.toString();
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path + (qs ? '?' + qs : ''), { headers });
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  if (!res.ok) {
    if (res.status === 401) askToken();
    throw new ApiError(res.status, (body && body.error) || `HTTP ${res.status}`);
  }
  return body;
}

function askToken() {
  if (document.getElementById('token-form')) return;
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true });
  const form = h('form', { id: 'token-form', class: 'panel token' },
    h('h2', {}, 'This server needs a token'),
    h('p', {}, 'Paste the bearer token it was started with (kept for this tab only).'),
    h('label', { for: 'token' }, 'Token '), input, ' ', h('button', { type: 'submit' }, 'Use it'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    form.remove();
    route();
  });
  document.getElementById('main').prepend(form);
  input.focus();
}

export function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, `Could not load: ${err.message || err}`);
}

// ---- the shell ------------------------------------------------------------------

const state = { current: null, generation: null, seq: 0 };
const statusEl = () => document.getElementById('status');

function setStatus(text) {
  const el = statusEl();
  if (el) el.textContent = text;
}

async function route() {
  const r = parseHash(location.hash);
  const view = VIEWS[r.view] ? r.view : 'stories';
  for (const a of document.querySelectorAll('nav a[data-view]')) {
    const on = a.dataset.view === view || (view === 'story' && a.dataset.view === 'stories');
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (state.current && state.current.dispose) state.current.dispose();
  state.current = null;
  const main = clear(document.getElementById('main'));
  const seq = ++state.seq;
  document.body.dataset.view = view;
  document.body.dataset.ready = 'false';
  try {
    const handle = await VIEWS[view].render(main, r, { h, api, link, when, span, clear, errorBox });
    if (seq !== state.seq) { if (handle && handle.dispose) handle.dispose(); return; }
    state.current = handle || null;
  } catch (err) {
    if (seq === state.seq) main.append(errorBox(err));
  }
  if (seq === state.seq) document.body.dataset.ready = 'true';
}

async function poll() {
  try {
    const health = await api('/api/health');
    const gen = health.generation;
    if (state.generation !== null && gen !== state.generation) {
      setStatus(`${health.documents} documents · updated ${new Date().toLocaleTimeString()}`);
      if (state.current && state.current.refresh) await state.current.refresh();
    } else if (state.generation === null) {
      setStatus(`${health.documents} documents · ${health.stories} stories`);
    }
    state.generation = gen;
  } catch (err) {
    setStatus(err.status === 401 ? 'token needed' : 'server unreachable');
  }
}

window.addEventListener('hashchange', () => {
  route();
  document.getElementById('main').focus({ preventScroll: true });
});
route();
poll();
setInterval(poll, POLL_MS);
