// dashboard.mjs: drives Debian's chromium through playwright-core against a
// running `sitrep serve` (tests/browser/run.sh starts it).  Each check
// compares what the page shows with what the JSON API says, so the test
// follows the store rather than hard-coded numbers.  Prints "ok: ..." and
// "FAIL: ..." lines and "N passed, N failed"; exit 1 on any failure.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const env = (k) => { const v = process.env[k]; if (!v) throw new Error(`${k} not set`); return v; };
const base = env('SITREP_URL');
const shots = env('SITREP_SHOTS');
const require = createRequire(path.join(env('SITREP_NODE_MODULES'), 'x.js'));
const { chromium } = require('playwright-core');

let passed = 0, failed = 0;
const check = (cond, what) => {
  if (cond) { passed++; console.log(`ok: ${what}`); } else { failed++; console.log(`FAIL: ${what}`); }
};
const api = async (p) => {
  const r = await fetch(new URL(p, base));
  if (!r.ok) throw new Error(`${p}: HTTP ${r.status}`);
  return r.json();
};
const sameSet = (a, b) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

// a fresh profile each run (playwright passes it as --user-data-dir)
const context = await chromium.launchPersistentContext(env('SITREP_PROFILE'), {
  executablePath: env('SITREP_CHROMIUM'),
  headless: true,
  viewport: { width: 1280, height: 900 },
  // nothing leaves the machine: no background, sync or update traffic
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const errors = [];
const page = await context.newPage();
page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) errors.push(`off-site request: ${r.url()}`); });
page.setDefaultTimeout(15000);

async function open(hash) {
  await page.goto(new URL(`/${hash}`, base).href);
  await page.waitForSelector('body[data-ready="true"]');
}
async function shot(name, full = true) {
  await page.screenshot({ path: path.join(shots, name), fullPage: full });
  console.log(`screenshot: ${path.join(shots, name)}`);
}

try {
  // ---- stories ------------------------------------------------------------------
  const stories = (await api('/api/stories')).items;
  await open('#/stories');
  await page.waitForFunction(() => !document.querySelector('.badges.pending'));
  const titles = await page.$$eval('#story-list li.story h2 a', (as) => as.map((a) => a.textContent));
  check(sameSet(titles, stories.map((s) => s.title)) && titles.length === 3,
    `stories view lists the ${stories.length} example stories (${titles.length} shown)`);
  const contested = [];
  for (const s of stories) {
    const b = await api(`/api/stories/${s.id}/brief`);
    if (b.contradictions.length) contested.push({ s, b });
  }
  check(contested.length > 0, 'the example corpus has a story with a contradiction');
  const { s: cs, b: cb } = contested[0];
  const badge = await page.$eval(`li.story[data-id="${cs.id}"] .badge.bad`, (e) => e.textContent);
  check(badge === `${cb.contradictions.length} contradicted`, `story ${cs.id} is badged "${badge}"`);
  await shot('01-stories.png');

  // keyboard: Tab from the top of the page to the contested story's link, Enter opens it
  await page.focus('body');
  let reached = false;
  for (let i = 0; i < 60 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate((t) => document.activeElement && document.activeElement.textContent === t, cs.title);
  }
  check(reached, 'the story link is reachable with Tab');
  if (reached) {
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash === `#/story/${id}` && document.body.dataset.ready === 'true', cs.id);
  } else {
    await open(`#/story/${cs.id}`);
  }

  // ---- a story's brief --------------------------------------------------------------
  await page.waitForSelector('.contradiction');
  const detail = await api(`/api/stories/${cs.id}`);
  const sections = await page.$$eval('.contradiction', (els) => els.map((e) => ({
    subject: e.querySelector('h3').textContent,
    values: [...e.querySelectorAll('.side .value')].map((v) => v.textContent),
  })));
  check(sections.length === cb.contradictions.length, `story view shows ${cb.contradictions.length} contradictions side by side`);
  for (const k of cb.contradictions) {
    const shown = sections.find((x) => x.subject === k.subject);
    check(shown && sameSet(shown.values, k.values.map((v) => v.value)),
      `contradiction "${k.subject}": ${k.values.map((v) => v.value).join(' vs ')}`);
  }
  const claims = await page.$$eval('.claims > li', (els) => els.length);
  check(claims === cb.claims.length, `all ${cb.claims.length} claims shown`);
  const said = await page.$$eval('.claims .support li', (els) => els.map((e) => e.textContent));
  check(said.some((t) => /asserts$/.test(t)) && said.some((t) => /reports$|hedges$|expects$/.test(t)),
    'claims say who asserts and who reports, hedges or expects them');
  const links = await page.$$eval('.quote a.doc-link', (as) => as.map((a) => a.getAttribute('href')));
  const urls = new Set(detail.documents.map((d) => d.url));
  check(links.length > 0 && links.every((u) => urls.has(u)), `${links.length} quotes link to their documents`);
  await shot('02-story.png');

  // ---- search -------------------------------------------------------------------------
  const hits = (await api('/api/search?q=radar')).items;
  await open('#/search?q=radar');
  const shownHits = await page.$$eval('#hits li.hit h2 a', (as) => as.map((a) => a.textContent));
  check(hits.length > 0 && sameSet(shownHits, hits.map((x) => x.title)),
    `search "radar" finds ${hits.length} documents (${shownHits.join(' | ')})`);
  const marks = await page.$$eval('#hits mark', (ms) => ms.length);
  const marked = hits.reduce((n, x) => n + ((x.snippet || '').match(/\[[^\]]*\]/g) || []).length, 0);
  check(marked > 0 && marks === marked, `search marks the ${marked} matched words of the snippets`);
  await shot('05-search.png');

  // ---- network ------------------------------------------------------------------------
  const net = await api('/api/network');
  await open('#/network');
  await page.waitForSelector('#network-graph canvas');
  const nodes = (await page.$eval('#network-graph', (g) => g.dataset.nodes)).split(',');
  const rows = await page.$$eval('table.nodes tbody tr', (rs) => rs.map((r) => r.dataset.node));
  check(sameSet(nodes, net.nodes.map((n) => n.id)) && sameSet(rows, nodes),
    `network shows the ${net.nodes.length} actors (${nodes.join(',')})`);
  await shot('04-network.png');

  // ---- live refresh while sitrep ingest writes ---------------------------------------
  await open('#/stories');
  const before = await page.$$eval('#story-list li.story', (els) => els.length);
  const known = new Set((await api('/api/stories')).items.map((x) => x.id));
  const ing = spawnSync(env('SITREP'), ['ingest', '-q', '--db', env('SITREP_DB'), env('SITREP_MORE')], { encoding: 'utf8' });
  check(ing.status === 0, `sitrep ingest added documents while the page was open (exit ${ing.status})`);
  const newest = (await api('/api/stories')).items.find((x) => !known.has(x.id));
  check(newest !== undefined, 'the ingest opened a new story');
  let appeared = true;
  try {
    await page.waitForFunction((t) => [...document.querySelectorAll('#story-list li.story h2 a')].some((a) => a.textContent === t),
      newest.title, { timeout: 15000 });
  } catch { appeared = false; }
  const after = await page.$$eval('#story-list li.story', (els) => els.length);
  check(appeared && after > before, `the stories view refreshed by itself: "${newest.title}" appeared (${before} -> ${after} stories)`);
  await page.waitForFunction(() => !document.querySelector('.badges.pending'));
  await shot('06-stories-after-ingest.png');

  // ---- dyad -----------------------------------------------------------------------------
  const tl = await api('/api/dyads/TUR/IDN/timeline?bucket=week');
  await open('#/dyad/TUR/IDN?bucket=week');
  await page.waitForSelector('#goldstein-chart canvas');
  const points = Number(await page.$eval('#goldstein-chart', (c) => c.dataset.points));
  const tableRows = await page.$$eval('table.buckets tbody tr', (rs) => rs.length);
  check(tl.buckets.length > 1 && points === tl.buckets.length && tableRows === tl.buckets.length,
    `dyad TUR-IDN by week: ${points} points drawn, ${tl.buckets.length} buckets in the API`);
  // click the point of the busiest bucket
  let pick = 0;
  tl.buckets.forEach((k, i) => {
    const n = (x) => x.a_to_b.events + x.b_to_a.events;
    if (n(k) > n(tl.buckets[pick])) pick = i;
  });
  const bk = tl.buckets[pick];
  const box = await page.$eval('#goldstein-chart .u-over', (o) => { const r = o.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  const xs = tl.buckets.map((k) => Date.parse(`${k.start}T00:00:00Z`));
  const frac = xs.length > 1 ? (xs[pick] - xs[0]) / (xs[xs.length - 1] - xs[0]) : 0.5;
  await page.mouse.move(box.x + frac * box.w, box.y + box.h / 2);
  await page.mouse.click(box.x + frac * box.w, box.y + box.h / 2);
  await page.waitForSelector('.bucket-events .event-list li, .bucket-events p');
  const end = new Date(Date.parse(`${bk.start}T00:00:00Z`) + 6 * 864e5).toISOString().slice(0, 10);
  const evAB = (await api(`/api/events?dyad=TUR,IDN&since=${bk.start}&until=${end}`)).items;
  const evBA = (await api(`/api/events?dyad=IDN,TUR&since=${bk.start}&until=${end}`)).items;
  const listed = await page.$$eval('.bucket-events .event-list li', (ls) => ls.length);
  check(listed === evAB.length + evBA.length && listed > 0,
    `clicking the ${bk.start} point lists its ${listed} events (API: ${evAB.length + evBA.length})`);
  await shot('03-dyad.png');

  // ---- a phone ----------------------------------------------------------------------------
  await page.setViewportSize({ width: 390, height: 844 });
  await open('#/stories');
  await page.waitForFunction(() => !document.querySelector('.badges.pending'));
  let wide = await page.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 391, `stories fit a 390 px phone screen (page is ${wide} px wide)`);
  await shot('07-phone-stories.png');
  await open(`#/story/${cs.id}`);
  wide = await page.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 391, `a brief fits a 390 px phone screen (page is ${wide} px wide)`);
  await shot('08-phone-story.png');
} catch (err) {
  failed++;
  console.log(`FAIL: ${err.stack || err}`);
} finally {
  await context.close();
}
check(errors.length === 0, `no console errors, page errors or off-site requests${errors.length ? ': ' + errors.join(' | ') : ''}`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
