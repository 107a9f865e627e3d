"""serve_api.py: the checks of serve_api.sh (see there).  Environment:
SITREP (binary), SITREP_SRC, SITREP_URL, SITREP_TOKEN_URL, SITREP_TOKEN_FILE,
SITREP_DB, SITREP_TMP; SITREP_UPDATE_GOLDEN=1 rewrites the golden files."""
import gzip
import http.client
import json
import os
import subprocess
import sys
import urllib.parse

SITREP = os.environ["SITREP"]
SRC = os.environ["SITREP_SRC"]
DB = os.environ["SITREP_DB"]
URL = urllib.parse.urlparse(os.environ["SITREP_URL"])
TOKEN_URL = urllib.parse.urlparse(os.environ["SITREP_TOKEN_URL"])
TOKEN = open(os.environ["SITREP_TOKEN_FILE"]).read().strip()
GOLDEN = os.path.join(SRC, "tests", "e2e", "serve_golden")
UPDATE = os.environ.get("SITREP_UPDATE_GOLDEN") == "1"

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
        print("ok: " + what)
    else:
        failed += 1
        print("FAIL: " + what)


class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def get(path, headers=None, method="GET", url=URL):
    c = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    c.request(method, path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    out = Resp(r.status, {k.lower(): v for k, v in r.getheaders()}, body)
    c.close()
    return out


def cli(*args):
    return subprocess.run([SITREP, *args, "--db", DB], check=True, capture_output=True).stdout


def golden(name, doc):
    """Compare doc (parsed JSON, volatile fields masked) with serve_golden/NAME.json."""
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    path = os.path.join(GOLDEN, name + ".json")
    if UPDATE:
        os.makedirs(GOLDEN, exist_ok=True)
        open(path, "w").write(text)
        print("updated: " + path)
        return
    want = open(path).read() if os.path.exists(path) else None
    check(want == text, "golden %s.json%s" % (name, "" if want is not None else " (missing: run with SITREP_UPDATE_GOLDEN=1)"))
    if want is not None and want != text:
        import difflib
        sys.stdout.writelines(list(difflib.unified_diff(want.splitlines(True), text.splitlines(True), "want", "got"))[:40])


# ---- every route against its golden JSON --------------------------------------------
health = get("/api/health")
check(health.status == 200 and health.headers.get("content-type") == "application/json", "health: 200 application/json")
h = health.json()
check(h["version"] == subprocess.run([SITREP, "--version"], capture_output=True, text=True).stdout.split()[1],
      "health: the version is sitrep --version's")
check(len(h["last_ingest"] or "") == 20, "health: last ingest time %s" % h["last_ingest"])
h["last_ingest"] = "<time>"
h["version"] = "<version>"
h["dashboard"] = "<built or not>"
golden("health", h)

routes = {
    "stories": "/api/stories",
    "stories_actor": "/api/stories?actor=tur",
    "stories_q": "/api/stories?q=radar",
    "stories_since": "/api/stories?since=2025-05-01&until=2025-05-31",
    "stories_page": "/api/stories?limit=1",
    "story": "/api/stories/1",
    "brief": "/api/stories/1/brief",
    "events": "/api/events?limit=4",
    "events_filtered": "/api/events?dyad=JPN,PHL&modality=asserted",
    "dyad_week": "/api/dyads/TUR/IDN/timeline",
    "dyad_day": "/api/dyads/jpn/phl/timeline?bucket=day&since=2025-05-01",
    "network": "/api/network",
    "network_min": "/api/network?min=3&until=2025-05-31",
    "search": "/api/search?q=radar",
    "search_phrase": "/api/search?q=%22joint+exercise%22",
}
bodies = {}
for name, path in routes.items():
    r = get(path)
    check(r.status == 200, "%s: GET %s -> %d" % (name, path, r.status))
    bodies[name] = r
    golden(name, r.json())

# ---- equal to the CLI -------------------------------------------------------------------
check(bodies["brief"].body == cli("brief", "--format", "json", "1"),
      "brief route == sitrep brief --format json, byte for byte")
cli_stories = [json.loads(l) for l in cli("stories", "--format", "jsonl").splitlines()]
check(bodies["stories"].json()["items"] == cli_stories, "stories route items == sitrep stories --format jsonl")
cli_search = [json.loads(l) for l in cli("search", "--format", "jsonl", "radar").splitlines()]
check(bodies["search"].json()["items"] == cli_search, "search route items == sitrep search --format jsonl")
cli_dyad = [json.loads(l) for l in cli("dyad", "--format", "jsonl", "TUR", "IDN").splitlines()]
check(bodies["dyad_week"].json()["buckets"] == cli_dyad, "dyad route buckets == sitrep dyad --format jsonl")
for fmt, ctype in (("jsonl", "application/x-ndjson"), ("csv", "text/csv; charset=utf-8"),
                   ("gdelt", "text/tab-separated-values; charset=utf-8")):
    r = get("/api/events?format=" + fmt)
    check(r.status == 200 and r.body == cli("events", "--format", fmt) and r.headers["content-type"] == ctype,
          "events format=%s streams what sitrep events --format %s prints (%d bytes, %s)" % (fmt, fmt, len(r.body), ctype))
r = get("/api/events?format=gdelt&actor=TUR", {"Accept-Encoding": "gzip"})
check(r.headers.get("content-encoding") == "gzip" and gzip.decompress(r.body) == cli("events", "--format", "gdelt", "--actor", "TUR"),
      "a gzip stream inflates to the CLI's export")

# ---- paging: every row exactly once ------------------------------------------------------
def walk(path, limit):
    seen, cursor, pages = [], None, 0
    while True:
        sep = "&" if "?" in path else "?"
        p = "%s%slimit=%d" % (path, sep, limit) + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
        body = get(p).json()
        pages += 1
        seen += body["items"]
        cursor = body["next_cursor"]
        if not cursor or pages > 1000:
            return seen, pages

all_events = [json.loads(l) for l in cli("events", "--format", "jsonl").splitlines()]
for limit in (1, 2, 5, 1000):
    got, pages = walk("/api/events", limit)
    check([e["id"] for e in got] == [e["id"] for e in all_events],
          "events limit=%d: %d pages give all %d events once, in order" % (limit, pages, len(all_events)))
got, pages = walk("/api/events?actor=IDN", 2)
want = [json.loads(l)["id"] for l in cli("events", "--format", "jsonl", "--actor", "IDN").splitlines()]
check([e["id"] for e in got] == want, "events actor=IDN limit=2: %d pages, every row once" % pages)
got, pages = walk("/api/stories", 1)
check([s["id"] for s in got] == [s["id"] for s in cli_stories], "stories limit=1: %d pages, every story once" % pages)
got, pages = walk("/api/search?q=the", 1)
want = [json.loads(l)["document"] for l in cli("search", "--format", "jsonl", "--limit", "100", "the").splitlines()]
check([x["document"] for x in got] == want and len(want) > 1, "search limit=1: %d pages, every hit once" % pages)

# ---- ETag / 304, gzip, HEAD ----------------------------------------------------------------
for path in ("/api/health", "/api/stories", "/api/stories/2/brief", "/", "/assets/app.js"):
    r1 = get(path)
    etag = r1.headers.get("etag")
    r2 = get(path, {"If-None-Match": etag or '"none"'})
    check(etag and r2.status == 304 and r2.body == b"" and r2.headers.get("etag") == etag,
          "%s: ETag %s, If-None-Match -> 304 without a body" % (path, etag))
    r3 = get(path, {"If-None-Match": '"0000000000000000"'})
    check(r3.status == 200 and r3.body == r1.body, "%s: another ETag -> 200 and the body" % path)
r = get("/api/stories", {"Accept-Encoding": "gzip, deflate"})
check(r.headers.get("content-encoding") == "gzip" and gzip.decompress(r.body) == bodies["stories"].body
      and "accept-encoding" in r.headers.get("vary", "").lower(), "gzip when asked (Vary: Accept-Encoding)")
r = get("/api/stories", {"Accept-Encoding": "gzip;q=0"})
check("content-encoding" not in r.headers and r.body == bodies["stories"].body, "no gzip for gzip;q=0")
r = get("/api/stories", method="HEAD")
check(r.status == 200 and r.body == b"" and int(r.headers.get("content-length", "0")) == len(bodies["stories"].body),
      "HEAD: the headers of GET, no body")

# ---- metrics -----------------------------------------------------------------------------------
m = get("/metrics")
text = m.body.decode()
check(m.status == 200 and m.headers["content-type"].startswith("text/plain; version=0.0.4"), "metrics: Prometheus text")
check('sitrep_http_requests_total{route="stories",status="200"}' in text
      and 'sitrep_http_requests_total{route="health",status="304"}' in text,
      "metrics: requests by route and status")
check('sitrep_http_request_duration_seconds_bucket{route="brief",le="+Inf"}' in text, "metrics: a latency histogram")
check('sitrep_store_rows{kind="documents"} %d' % h["documents"] in text, "metrics: the store's counts")

# ---- the dashboard's files -------------------------------------------------------------------
r = get("/")
check(r.status == 200 and r.headers["content-type"].startswith("text/html")
      and "default-src 'none'" in r.headers.get("content-security-policy", ""), "/: the dashboard, with a strict CSP")
if h["dashboard"]:
    for asset in ("/assets/app.js", "/assets/vendor/uPlot.iife.min.js", "/assets/vendor/cytoscape.min.js"):
        r = get(asset)
        check(r.status == 200 and r.headers["content-type"].startswith("text/javascript"), "%s served from the binary" % asset)

# ---- errors are JSON ------------------------------------------------------------------------------
for path, status in (("/api/stories/999", 404), ("/api/stories/999/brief", 404), ("/api/nope", 404),
                     ("/api/stories?limit=5000", 400), ("/api/events?format=csv&limit=3", 400),
                     ("/api/stories?q=%22unterminated", 400), ("/api/dyads/TUR/IDN/timeline?bucket=year", 400)):
    r = get(path)
    ok = r.status == status and r.headers.get("content-type") == "application/json"
    try:
        ok = ok and isinstance(r.json()["error"], str)
    except (ValueError, KeyError):
        ok = False
    check(ok, "%s -> %d {\"error\": %s}" % (path, r.status, r.body[:80].decode(errors="replace")))

# ---- the bearer token --------------------------------------------------------------------------------
r = get("/api/health", url=TOKEN_URL)
check(r.status == 401 and r.headers.get("www-authenticate", "").startswith("Bearer"), "token: none -> 401 with WWW-Authenticate")
r = get("/api/health", {"Authorization": "Bearer " + TOKEN[:-1] + "x"}, url=TOKEN_URL)
check(r.status == 401, "token: a wrong one -> 401")
r = get("/metrics", url=TOKEN_URL)
check(r.status == 401, "token: /metrics needs it too")
r = get("/api/health", {"Authorization": "Bearer " + TOKEN}, url=TOKEN_URL)
check(r.status == 200 and r.json()["documents"] == h["documents"], "token: the right one -> 200")
r = get("/", url=TOKEN_URL)
check(r.status == 200, "token: the dashboard's own page needs none (it asks for the token)")

# ---- the store gone: 503, then back: 200 -------------------------------------------------------
moving = urllib.parse.urlparse(os.environ["SITREP_MOVING_URL"])
mdb = os.environ["SITREP_MOVING_DB"]
os.rename(mdb, mdb + ".away")
r = get("/api/health", url=moving)
check(r.status == 503 and r.headers.get("retry-after") and "error" in r.json(),
      "the store missing: 503 with Retry-After (%s)" % r.body[:60].decode(errors="replace"))
os.rename(mdb + ".away", mdb)
r = get("/api/health", url=moving)
check(r.status == 200 and r.json()["documents"] == h["documents"], "the store back: 200")

# ---- sitrep dyad -------------------------------------------------------------------------------------------
out = subprocess.run([SITREP, "dyad", "--db", DB, "--format", "csv", "--bucket", "day", "JPN", "PHL"], capture_output=True, text=True)
lines = out.stdout.splitlines()
check(out.returncode == 0 and lines[0].startswith("start,direction,events") and len(lines) == 1 + 2 * len(bodies["dyad_day"].json()["buckets"]),
      "sitrep dyad --format csv: a line per bucket and direction")
out = subprocess.run([SITREP, "dyad", "--db", DB, "TUR", "IDN"], capture_output=True, text=True)
check(out.returncode == 0 and "TUR>IDN" in out.stdout and "IDN>TUR" in out.stdout, "sitrep dyad (text): both directions")
out = subprocess.run([SITREP, "dyad", "--db", DB, "--format", "jsonl", "tur", "idn"], capture_output=True)
check(out.returncode == 0 and [json.loads(l) for l in out.stdout.splitlines()] == cli_dyad, "sitrep dyad tur idn: codes in any case")
for args in (["TUR"], ["T-R", "IDN"], ["--bucket", "year", "TUR", "IDN"], ["--since", "2025-3-1", "TUR", "IDN"]):
    rc = subprocess.run([SITREP, "dyad", "--db", DB, *args], capture_output=True).returncode
    check(rc == 2, "sitrep dyad %s: usage error (exit %d)" % (" ".join(args), rc))

print("serve api: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
