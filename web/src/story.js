// story.js - one story's brief: each claim with who asserts, reports or
// hedges it, contradictions side by side, every quote linked to the
// document it is from, and the story's documents.

import { support, badges } from './stories.js';

// how an outlet said it, as a verb
const SAID = {
  asserted: 'asserts', reported: 'reports', hedged: 'hedges', future: 'expects', negated: 'denies',
};

export async function render(main, route, app) {
  const { h, api, link, span, when } = app;
  const id = route.parts[0];
  if (!/^\d+$/.test(id || '')) {
    main.append(h('h1', {}, 'Story'), h('p', { class: 'error' }, 'A story link names its number: #/story/3'));
    return null;
  }
  const body = h('div', { class: 'story-view' });
  main.append(body);

  async function draw() {
    const [detail, brief] = await Promise.all([api(`/api/stories/${id}`), api(`/api/stories/${id}/brief`)]);
    app.clear(body);
    const docs = new Map(detail.documents.map((d) => [d.id, d]));
    const quoteDoc = new Map(detail.quotes.map((q) => [q.text, q.document]));
    const s = detail.story;

    const quote = (text) => {
      const docId = quoteDoc.get(text);
      const d = docId ? docs.get(docId) : null;
      // the quote links to its document (in a new tab); without a web
      // address, to the document's entry below
      const label = d ? `${d.outlet}, ${when(d.published)}` : '';
      const to = d && d.url && /^https?:\/\//.test(d.url)
        ? h('a', { href: d.url, rel: 'noopener noreferrer', target: '_blank', class: 'doc-link', dataset: { doc: d.id } }, label)
        : d ? h('button', { type: 'button', class: 'link doc-link', dataset: { doc: d.id },
          onclick: () => document.getElementById(`doc-${d.id}`).scrollIntoView() }, label) : null;
      return h('blockquote', { class: 'quote' }, h('p', {}, text), to ? h('footer', {}, '— ', to) : null);
    };

    const claims = h('ol', { class: 'claims' });
    for (const c of brief.claims) {
      const who = h('ul', { class: 'support', 'aria-label': 'who says it' });
      for (const o of c.support) {
        who.append(h('li', { class: `mod ${o.modality}` },
          h('span', { class: 'outlet' }, o.outlet), ' ', h('span', { class: 'said' }, SAID[o.modality] || o.modality)));
      }
      claims.append(h('li', { class: `claim ${c.single_source ? 'single' : 'corroborated'}`, dataset: { kind: c.kind } },
        h('div', { class: 'claim-head' },
          h('span', { class: 'kind' }, c.kind),
          h('span', { class: 'text' }, c.text),
          h('span', { class: c.single_source ? 'badge single' : 'badge ok' },
            c.single_source ? 'single source' : `${c.reports} independent reports`)),
        who, c.example ? quote(c.example) : null));
    }

    const contradictions = h('div', { class: 'contradictions' });
    for (const k of brief.contradictions) {
      contradictions.append(h('section', { class: 'contradiction', 'aria-label': k.subject },
        h('h3', {}, k.subject),
        h('div', { class: 'sides' }, k.values.map((v) =>
          h('div', { class: 'side' }, h('p', { class: 'value' }, v.value),
            h('p', { class: 'who' }, v.outlets.join(', ')))))));
    }

    const doclist = h('ol', { class: 'documents' }, detail.documents.map((d) =>
      h('li', { id: `doc-${d.id}` },
        d.url && /^https?:\/\//.test(d.url)
          ? h('a', { href: d.url, rel: 'noopener noreferrer', target: '_blank' }, d.title || d.url)
          : h('span', {}, d.title || d.url || `document ${d.id}`),
        h('span', { class: 'meta' }, ` — ${d.outlet}, ${when(d.published)}`,
          d.copy_of ? ` (near-copy of document ${d.copy_of}, counted once)` : ''))));

    const actors = (s.top_actors || '').split(',').filter(Boolean);
    body.append(
      h('p', { class: 'crumb' }, h('a', { href: link('stories') }, '← Live stories')),
      h('h1', {}, s.title || `Story ${s.id}`),
      h('p', { class: 'meta' }, span(s.first_seen, s.last_seen), ' · ',
        `${brief.story.documents} documents (${brief.story.independent_reports} independent)`, ' · ',
        `${brief.outlets.length} outlets: ${brief.outlets.join(', ')}`),
      h('p', { class: 'meta' }, badges(app, support(brief)),
        actors.length >= 2 ? [' · ', h('a', { href: link('dyad', actors.slice(0, 2)) }, `${actors[0]} – ${actors[1]} over time`)] : null),
      h('h2', {}, 'Contradictions'),
      brief.contradictions.length ? contradictions : h('p', { class: 'none' }, 'The outlets agree on every subject they share.'),
      h('h2', {}, 'Claims'), h('p', { class: 'hint' }, 'Corroborated claims first; each with the outlets behind it and how firmly each said it.'),
      claims,
      h('h2', {}, 'Documents'), doclist);
  }
  await draw();
  return { refresh: draw };
}
