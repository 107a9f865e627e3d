// dyad.js - a bilateral relationship over time: mean Goldstein score per
// bucket in each direction (uPlot), cooperation against conflict by
// QuadClass below it, and the events under a bucket when its point (or its
// row in the table, for the keyboard) is chosen.

const QUADS = ['verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];

function dayAfter(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// the last day of a bucket that starts on `start`
export function bucketEnd(start, bucket) {
  if (bucket === 'day') return start;
  if (bucket === 'week') return dayAfter(start, 6);
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return d.toISOString().slice(0, 10);
}

export async function render(main, route, app) {
  const { h, api, link, when } = app;
  const [a = '', b = ''] = route.parts;
  const bucket = ['day', 'week', 'month'].includes(route.query.get('bucket')) ? route.query.get('bucket') : 'week';
  const since = route.query.get('since') || '', until = route.query.get('until') || '';

  const actors = h('datalist', { id: 'actors' });
  const form = h('form', { class: 'filters', 'aria-label': 'Choose a dyad' },
    h('label', {}, 'Actor A', h('input', { name: 'a', value: a, list: 'actors', required: true, size: 8, pattern: '[A-Za-z0-9]{1,32}' })),
    h('label', {}, 'Actor B', h('input', { name: 'b', value: b, list: 'actors', required: true, size: 8, pattern: '[A-Za-z0-9]{1,32}' })),
    h('label', {}, 'By', h('select', { name: 'bucket' },
      ['day', 'week', 'month'].map((k) => h('option', { value: k, selected: k === bucket }, k)))),
    h('label', {}, 'Since', h('input', { name: 'since', type: 'date', value: since })),
    h('label', {}, 'Until', h('input', { name: 'until', type: 'date', value: until })),
    h('button', { type: 'submit' }, 'Show'), actors);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(form));
    location.hash = link('dyad', [f.a.toUpperCase(), f.b.toUpperCase()], { bucket: f.bucket, since: f.since, until: f.until });
  });
  main.append(h('h1', {}, a && b ? `${a} – ${b} over time` : 'A dyad over time'), form);
  api('/api/network').then((net) => {
    for (const n of net.nodes) actors.append(h('option', { value: n.id }));
  }).catch(() => {});
  if (!a || !b) {
    main.append(h('p', { class: 'hint' }, 'Pick two actors (country codes such as TUR and IDN), or open one from a story or the network.'));
    return null;
  }

  const charts = h('div', { class: 'charts' });
  const gChart = h('div', { class: 'chart', id: 'goldstein-chart', role: 'img',
    'aria-label': `Mean Goldstein score per ${bucket}, ${a} to ${b} and ${b} to ${a}` });
  const qChart = h('div', { class: 'chart', id: 'quad-chart', role: 'img',
    'aria-label': `Cooperation and conflict events per ${bucket}` });
  charts.append(h('h2', {}, 'Goldstein score (−10 conflict … +10 cooperation)'), gChart,
    h('h2', {}, 'Cooperation (up) and conflict (down), events by QuadClass'), qChart);
  const table = h('table', { class: 'buckets' });
  const events = h('section', { class: 'bucket-events', 'aria-live': 'polite' });
  main.append(charts, h('h2', {}, `By ${bucket}`), table, events);

  let plots = [];
  let resize = null;

  async function showEvents(bk) {
    const end = bucketEnd(bk.start, bucket);
    app.clear(events);
    events.append(h('h2', { id: 'events-title', tabindex: '-1' }, `Events ${when(bk.start, false)}${end !== bk.start ? ' – ' + when(end, false) : ''}`));
    const [ab, ba] = await Promise.all([
      api('/api/events', { dyad: `${a},${b}`, since: bk.start, until: end, limit: 1000 }),
      api('/api/events', { dyad: `${b},${a}`, since: bk.start, until: end, limit: 1000 }),
    ]);
    const rows = [...ab.items, ...ba.items].sort((x, y) => x.day - y.day || x.id - y.id);
    const list = h('ol', { class: 'event-list' }, rows.map((e) => h('li', {},
      h('span', { class: 'code' }, `${e.source} → ${e.target} ${e.cameo}`),
      h('span', { class: e.goldstein < 0 ? 'g neg' : 'g pos' }, ` ${e.goldstein > 0 ? '+' : ''}${e.goldstein}`),
      h('span', { class: 'meta' }, ` ${e.modality} · ${e.outlet} · `,
        e.story ? h('a', { href: link('story', [e.story]) }, 'story') : null),
      h('p', { class: 'sentence' }, e.sentence || ''))));
    events.append(rows.length ? list : h('p', {}, 'No events.'));
    document.getElementById('events-title').focus({ preventScroll: false });
  }

  async function draw() {
    const t = await api(`/api/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}/timeline`, { bucket, since, until });
    for (const p of plots) p.destroy();
    plots = [];
    app.clear(table);
    const xs = t.buckets.map((k) => Date.parse(`${k.start}T00:00:00Z`) / 1000);
    const mean = (f) => (f.events ? f.goldstein_mean : null);
    gChart.dataset.points = String(xs.length);
    qChart.dataset.points = String(xs.length);
    if (!xs.length) {
      charts.hidden = true;
      table.replaceWith(h('p', { class: 'none', id: 'no-events' }, `No events between ${a} and ${b}${since || until ? ' in that period' : ''}.`));
      return;
    }
    const width = () => Math.max(280, Math.min(charts.clientWidth || 900, 1200));
    const pick = (u) => {
      const i = u.cursor.idx;
      if (i !== null && i !== undefined) showEvents(t.buckets[i]);
    };
    const common = {
      width: width(), height: 240,
      scales: { x: { time: true } },
      cursor: { points: { size: 10 } },
      hooks: { ready: [(u) => u.over.addEventListener('click', () => pick(u))] },
    };
    plots.push(new uPlot({
      ...common,
      scales: { ...common.scales, y: { range: [-10, 10] } },
      series: [{},
        { label: `${a} → ${b}`, stroke: '#1d7874', width: 2, points: { show: true, size: 7 }, spanGaps: true },
        { label: `${b} → ${a}`, stroke: '#c8553d', width: 2, dash: [6, 4], points: { show: true, size: 7 }, spanGaps: true }],
      axes: [{}, { label: 'mean Goldstein' }],
    }, [xs, t.buckets.map((k) => mean(k.a_to_b)), t.buckets.map((k) => mean(k.b_to_a))], gChart));
    const coop = t.buckets.map((k) => k.a_to_b.quad[0] + k.a_to_b.quad[1] + k.b_to_a.quad[0] + k.b_to_a.quad[1]);
    const conf = t.buckets.map((k) => -(k.a_to_b.quad[2] + k.a_to_b.quad[3] + k.b_to_a.quad[2] + k.b_to_a.quad[3]));
    const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 48] }) : undefined;
    plots.push(new uPlot({
      ...common,
      series: [{},
        { label: 'cooperation events', stroke: '#1d7874', fill: 'rgba(29,120,116,0.45)', paths: bars, points: { show: false } },
        { label: 'conflict events', stroke: '#c8553d', fill: 'rgba(200,85,61,0.45)', paths: bars, points: { show: false } }],
      axes: [{}, { label: 'events' }],
    }, [xs, coop, conf], qChart));
    resize = () => { for (const p of plots) p.setSize({ width: width(), height: 240 }); };
    window.addEventListener('resize', resize);

    table.append(h('caption', {}, `Per ${bucket}, both directions; choose a row to list its events`),
      h('thead', {}, h('tr', {}, ['start', `${a}→${b} events`, 'Goldstein', `${b}→${a} events`, 'Goldstein',
        ...QUADS.map((q) => q), `outlets ${a}→${b} / ${b}→${a}`, ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, t.buckets.map((k) => h('tr', {},
        h('td', {}, k.start),
        h('td', {}, k.a_to_b.events), h('td', {}, k.a_to_b.events ? k.a_to_b.goldstein_mean.toFixed(2) : '–'),
        h('td', {}, k.b_to_a.events), h('td', {}, k.b_to_a.events ? k.b_to_a.goldstein_mean.toFixed(2) : '–'),
        [0, 1, 2, 3].map((q) => h('td', {}, k.a_to_b.quad[q] + k.b_to_a.quad[q])),
        h('td', {}, `${k.a_to_b.outlets} / ${k.b_to_a.outlets}`),
        h('td', {}, h('button', { type: 'button', onclick: () => showEvents(k) }, 'events'))))));
  }
  await draw();
  return {
    refresh: draw,
    dispose() {
      for (const p of plots) p.destroy();
      if (resize) window.removeEventListener('resize', resize);
    },
  };
}
