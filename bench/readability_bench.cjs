// bench/readability_bench.cjs - the reference users know, timed on the same
// pages as bench_extract: Mozilla's Readability.js on jsdom (no scripts run,
// nothing fetched), one page after another on one core.
//
// usage: node readability_bench.cjs NODE_MODULES_DIR SCRAPINGHUB_DIR [OUT.json]
// Prints "readability.js speed: N pages/s per core (CPU time)"; with OUT it
// also writes the predictions in the benchmark's output format.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [mods, dir, out] = process.argv.slice(2);
const { JSDOM, VirtualConsole } = require(path.join(mods, 'jsdom'));
const { Readability } = require(path.join(mods, '@mozilla/readability'));

const truth = JSON.parse(fs.readFileSync(path.join(dir, 'ground-truth.json'), 'utf8'));
const pages = Object.keys(truth).map((id) => ({
  id,
  url: truth[id].url || 'http://example.com/',
  html: zlib.gunzipSync(fs.readFileSync(path.join(dir, 'html', id + '.html.gz'))).toString('utf8'),
}));
const quiet = new VirtualConsole();   // pages' CSS/JS errors are not ours
const preds = {};
let failed = 0;
const t0 = process.cpuUsage();
for (const p of pages) {
  try {
    const dom = new JSDOM(p.html, { url: p.url, virtualConsole: quiet });
    const art = new Readability(dom.window.document).parse();
    preds[p.id] = { articleBody: art && art.textContent ? art.textContent : '' };
    dom.window.close();
  } catch (e) {
    failed++;
    preds[p.id] = { articleBody: '' };
  }
}
const t = process.cpuUsage(t0);
const secs = (t.user + t.system) / 1e6;
console.log(`readability.js speed: ${(pages.length / secs).toFixed(1)} pages/s per core ` +
            `(CPU time, ${pages.length} pages, ${failed} failed)`);
if (out) fs.writeFileSync(out, JSON.stringify(preds));
