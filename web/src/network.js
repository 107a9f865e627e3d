// network.js - who deals with whom in a period: actors (countries) as
// nodes sized by their events, directed dyads as edges coloured by mean
// Goldstein score (Cytoscape.js).  An edge opens that dyad over time; a
// node, the stories it appears in.  The tables below give the same to the
// keyboard and to screen readers.

// Goldstein -10..+10 -> red .. grey .. green
function tone(g) {
  const t = Math.max(-1, Math.min(1, g / 10));
  if (t >= 0) return `rgb(${Math.round(140 - 110 * t)},${Math.round(140 + 10 * t)},${Math.round(140 - 20 * t)})`;
  return `rgb(${Math.round(140 + 70 * -t)},${Math.round(140 - 80 * -t)},${Math.round(140 - 80 * -t)})`;
}

export async function render(main, route, app) {
  const { h, api, link } = app;
  const q = route.query;
  const since = q.get('since') || '', until = q.get('until') || '', min = q.get('min') || '';
  const form = h('form', { class: 'filters', 'aria-label': 'Choose a period' },
    h('label', {}, 'Since', h('input', { name: 'since', type: 'date', value: since })),
    h('label', {}, 'Until', h('input', { name: 'until', type: 'date', value: until })),
    h('label', {}, 'Events per dyad, at least', h('input', { name: 'min', type: 'number', min: 1, value: min || 1, size: 4 })),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(form));
    location.hash = link('network', [], { since: f.since, until: f.until, min: f.min === '1' ? '' : f.min });
  });
  const graph = h('div', { class: 'graph', id: 'network-graph', role: 'img', 'aria-label': 'Actor network' });
  const tables = h('div', { class: 'tables' });
  main.append(h('h1', {}, 'Actor network'), form, graph, tables);
  let cy = null;

  async function draw() {
    const net = await api('/api/network', { since, until, min });
    if (cy) cy.destroy();
    graph.dataset.nodes = net.nodes.map((n) => n.id).join(',');
    graph.dataset.edges = String(net.edges.length);
    const most = Math.max(1, ...net.nodes.map((n) => n.events));
    const mostEdge = Math.max(1, ...net.edges.map((e) => e.events));
    cy = cytoscape({
      container: graph,
      elements: [
        ...net.nodes.map((n) => ({ data: { id: n.id, label: `${n.id} (${n.events})`, size: 24 + 40 * Math.sqrt(n.events / most) } })),
        ...net.edges.map((e) => ({ data: { id: `${e.source}>${e.target}`, source: e.source, target: e.target,
          width: 1.5 + 6 * (e.events / mostEdge), color: tone(e.goldstein_mean), events: e.events } })),
      ],
      style: [
        { selector: 'node', style: { label: 'data(label)', width: 'data(size)', height: 'data(size)',
          'background-color': '#1d3557', color: '#1b1b1b', 'font-size': 12, 'text-valign': 'bottom', 'text-margin-y': 4 } },
        { selector: 'edge', style: { width: 'data(width)', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', opacity: 0.85 } },
      ],
      layout: { name: net.nodes.length > 40 ? 'cose' : 'circle', animate: false },
      wheelSensitivity: 0.3,
    });
    cy.on('tap', 'edge', (ev) => { location.hash = link('dyad', [ev.target.data('source'), ev.target.data('target')]); });
    cy.on('tap', 'node', (ev) => { location.hash = link('stories', [], { actor: ev.target.id() }); });

    app.clear(tables);
    if (!net.nodes.length) {
      tables.append(h('p', { class: 'none' }, 'No dyads in that period.'));
      return;
    }
    tables.append(
      h('table', { class: 'edges' },
        h('caption', {}, `Dyads${net.truncated ? ' (the heaviest 500)' : ''}`),
        h('thead', {}, h('tr', {}, ['dyad', 'events', 'mentions', 'mean Goldstein'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, net.edges.map((e) => h('tr', {},
          h('td', {}, h('a', { href: link('dyad', [e.source, e.target]) }, `${e.source} → ${e.target}`)),
          h('td', {}, e.events), h('td', {}, e.mentions), h('td', {}, e.goldstein_mean.toFixed(2)))))),
      h('table', { class: 'nodes' },
        h('caption', {}, 'Actors'),
        h('thead', {}, h('tr', {}, ['actor', 'events'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, net.nodes.map((n) => h('tr', { dataset: { node: n.id } },
          h('td', {}, h('a', { href: link('stories', [], { actor: n.id }) }, n.id)), h('td', {}, n.events))))));
  }
  await draw();
  return {
    refresh: draw,
    dispose() { if (cy) cy.destroy(); },
    cy: () => cy,
  };
}
