// stories.js - live stories: title, span, outlets, and how well their claims
// stand (corroborated / single-source / contradicted, from each story's
// brief, fetched as the cards show).  Filters live in the URL.

const PAGE = 50;
const BRIEF_PARALLEL = 4;

// Claim counts a badge shows: corroborated = said by two or more outlets,
// single-source = by one, contradicted = subjects the outlets disagree on.
export function support(brief) {
  let corroborated = 0, single = 0;
  for (const c of brief.claims || []) {
    if (c.single_source) single++; else corroborated++;
  }
  return { corroborated, single, contradicted: (brief.contradictions || []).length };
}

export function badges(app, s) {
  const { h } = app;
  return h('span', { class: 'badges' },
    h('span', { class: 'badge ok', title: 'claims two or more outlets make' }, `${s.corroborated} corroborated`),
    h('span', { class: 'badge single', title: 'claims only one outlet makes' }, `${s.single} single-source`),
    h('span', { class: s.contradicted ? 'badge bad' : 'badge none', title: 'subjects outlets disagree on' },
      `${s.contradicted} contradicted`));
}

export async function render(main, route, app) {
  const { h, api, link, span } = app;
  const q = route.query;
  const filters = {
    since: q.get('since') || '', until: q.get('until') || '',
    actor: q.get('actor') || '', q: q.get('q') || '',
  };
  const field = (name, label, type = 'text', extra = {}) =>
    h('label', {}, label, h('input', { name, type, value: filters[name], ...extra }));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter stories' },
    field('since', 'Since', 'date'), field('until', 'Until', 'date'),
    field('actor', 'Actor', 'text', { placeholder: 'TUR', size: 8, pattern: '[A-Za-z0-9]{1,32}' }),
    field('q', 'Words', 'search', { placeholder: 'radar' }),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if (data.actor) data.actor = data.actor.toUpperCase();
    location.hash = link('stories', [], data);
  });
  const list = h('ol', { class: 'stories', id: 'story-list' });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'More stories');
  main.append(h('h1', {}, 'Live stories'), form, list, more);

  let cursor = null;
  const queue = [];
  let active = 0;
  const pump = () => {
    while (active < BRIEF_PARALLEL && queue.length) {
      const job = queue.shift();
      active++;
      job().finally(() => { active--; pump(); });
    }
  };

  function card(s) {
    const badgeSlot = h('span', { class: 'badges pending' }, 'weighing claims…');
    const actors = (s.top_actors || '').split(',').filter(Boolean);
    const li = h('li', { class: 'story', dataset: { id: s.id } },
      h('h2', {}, h('a', { href: link('story', [s.id]) }, s.title || `Story ${s.id}`)),
      h('p', { class: 'meta' },
        h('span', {}, span(s.first_seen, s.last_seen)), ' · ',
        h('span', {}, `${s.documents} document${s.documents === 1 ? '' : 's'}`), ' · ',
        h('span', { title: s.outlet_names }, `${s.outlets} outlet${s.outlets === 1 ? '' : 's'}: ${s.outlet_names}`),
        ' · ', h('span', {}, `${s.events} events`)),
      h('p', { class: 'meta' }, badgeSlot,
        actors.length >= 2 ? [' · ', h('a', { href: link('dyad', actors.slice(0, 2)) }, `${actors[0]} – ${actors[1]} over time`)] : null));
    queue.push(async () => {
      try {
        const brief = await api(`/api/stories/${s.id}/brief`);
        badgeSlot.replaceWith(badges(app, support(brief)));
      } catch {
        badgeSlot.textContent = 'claims unavailable';
      }
    });
    pump();
    return li;
  }

  async function load(reset) {
    const params = { ...filters, limit: PAGE };
    if (!reset && cursor) params.cursor = cursor;
    const page = await api('/api/stories', params);
    if (reset) app.clear(list);
    for (const s of page.items) list.append(card(s));
    if (reset && page.items.length === 0) list.append(h('li', { class: 'empty' }, 'No stories match.'));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load(false).catch((e) => main.append(app.errorBox(e))));
  await load(true);
  return { refresh: () => load(true) };
}
