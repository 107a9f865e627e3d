// search.js - full-text search over the stored documents (SQLite FTS5:
// words, "a phrase", AND/OR/NOT, prefix*), each hit with its story and
// events.

// "...the [radar] transfer..." -> text with <mark> around the hits
function snippet(h, text) {
  const out = h('p', { class: 'snippet' });
  const parts = (text || '').split(/(\[[^\]]*\])/);
  for (const p of parts) {
    if (p.startsWith('[') && p.endsWith(']')) out.append(h('mark', {}, p.slice(1, -1)));
    else if (p) out.append(p);
  }
  return out;
}

export async function render(main, route, app) {
  const { h, api, link, when } = app;
  const q = route.query.get('q') || '';
  const input = h('input', { name: 'q', type: 'search', value: q, required: true, id: 'search-q',
    placeholder: 'radar, "joint exercise", frigate*' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Search documents' },
    h('label', { for: 'search-q' }, 'Search the documents '), input, h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = link('search', [], { q: input.value.trim() });
  });
  const results = h('ol', { class: 'hits', id: 'hits' });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'More hits');
  main.append(h('h1', {}, 'Search'), form, results, more);
  if (!q) {
    input.focus();
    return null;
  }
  let cursor = null;
  async function load(reset) {
    const params = { q, limit: 20 };
    if (!reset && cursor) params.cursor = cursor;
    const page = await api('/api/search', params);
    if (reset) app.clear(results);
    for (const hit of page.items) {
      results.append(h('li', { class: 'hit', dataset: { doc: hit.document } },
        h('h2', {}, h('a', { href: link('story', [hit.story]) }, hit.title || `document ${hit.document}`)),
        h('p', { class: 'meta' }, `${hit.outlet} · ${when(hit.published)} · story ${hit.story} · ${hit.events} events`,
          hit.event_codes ? ` (${hit.event_codes})` : '',
          hit.url && /^https?:\/\//.test(hit.url)
            ? [' · ', h('a', { href: hit.url, rel: 'noopener noreferrer', target: '_blank' }, 'the document')] : null),
        snippet(h, hit.snippet)));
    }
    if (reset && !page.items.length) results.append(h('li', { class: 'empty' }, `No document matches “${q}”.`));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load(false).catch((e) => main.append(app.errorBox(e))));
  await load(true);
  return { refresh: () => load(true) };
}
