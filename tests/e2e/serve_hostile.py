"""serve_hostile.py: hostile requests against sitrep serve (serve_hostile.sh
starts the servers).  Each case must get its 4xx or be cut off; none may get
a 5xx or hang; afterwards the server still answers, its memory stayed
bounded, and the store is unchanged.  Prints a table of the cases and
"N passed, N failed".

Environment: SITREP_HOST, SITREP_PORT, SITREP_PID (the main server, started
with --timeout 2 and the default 512 connections), SITREP_RATE_PORT (a
server with --rate 5), SITREP_MEM_MB (allowed growth of resident memory)."""
import os
import re
import socket
import sys
import time
import urllib.parse

HOST = os.environ["SITREP_HOST"]
PORT = int(os.environ["SITREP_PORT"])
PID = int(os.environ["SITREP_PID"])
RATE_PORT = int(os.environ["SITREP_RATE_PORT"])
MEM_MB = int(os.environ.get("SITREP_MEM_MB", "64"))
TIMEOUT = 2  # the server's --timeout

rows = []
fivexx = []
passed = failed = 0


def record(case, want, got, ok):
    global passed, failed
    rows.append((case, want, got, ok))
    if ok:
        passed += 1
    else:
        failed += 1


def rss_kb(field="VmRSS"):
    for line in open("/proc/%d/status" % PID):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def exchange(data, port=PORT, timeout=8.0):
    """Send raw bytes, read until the server closes (or timeout).  Returns
    (list of statuses, raw bytes, closed_by_server)."""
    s = socket.create_connection((HOST, port), timeout=timeout)
    try:
        s.sendall(data)
    except OSError:
        pass
    buf = b""
    closed = False
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except OSError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        buf += chunk
    s.close()
    # a status line may follow the previous body directly (pipelining)
    statuses = [int(m.group(1)) for m in re.finditer(rb"HTTP/1\.[01] (\d{3}) ", buf)]
    for st in statuses:
        # 505 is the protocol's answer to "HTTP/2.0" in a request line
        # (libmicrohttpd's own), not a failure of the server
        if st >= 500 and st != 505:
            fivexx.append(st)
    return statuses, buf, closed


def req(target, method="GET", headers=None, body=b"", version="HTTP/1.1"):
    h = "%s %s %s\r\nHost: %s\r\nConnection: close\r\n" % (method, target, version, HOST)
    for k, v in (headers or {}).items():
        h += "%s: %s\r\n" % (k, v)
    return h.encode("latin-1") + b"\r\n" + body


def case(name, data, want, port=PORT):
    """want: a set of acceptable statuses; 'cut' in it allows a close without one."""
    statuses, buf, closed = exchange(data, port)
    got = statuses[0] if statuses else ("cut" if closed else "hang")
    ok = got in want
    record(name, "/".join(str(w) for w in sorted(want, key=str)), got, ok)
    return buf


def get_status(target, port=PORT):
    statuses, _, _ = exchange(req(target), port)
    return statuses[0] if statuses else None


rss0 = rss_kb()
docs0 = get_status("/api/health")

# ---- paths ------------------------------------------------------------------------------
case("path traversal /../../etc/passwd", req("/../../../etc/passwd"), {400, 404})
case("path traversal under /assets/", req("/assets/../../../../etc/passwd"), {400, 404})
case("encoded traversal /assets/%2e%2e/%2e%2e/etc/passwd", req("/assets/%2e%2e/%2e%2e/etc/passwd"), {400, 404})
case("encoded slash /assets/..%2f..%2fsrc%2fserve%2fserver.c", req("/assets/..%2f..%2fsrc%2fserve%2fserver.c"), {400, 404})
case("double slash //etc/passwd", req("//etc/passwd"), {400, 404})
case("absolute-form target http://evil/", req("http://evil.example/api/health"), {400})
case("asterisk target", req("*"), {400})
case("%00 in the path", req("/api/health%00.json"), {400})
case("raw 0xff bytes in the path", b"GET /api/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {400})
# ---- encoding -----------------------------------------------------------------------------
case("%00 in a parameter", req("/api/search?q=radar%00drop"), {400})
case("broken escape %zz", req("/api/search?q=%zz"), {400})
case("truncated escape %4", req("/api/search?q=%4"), {400})
case("lone % at the end", req("/api/search?q=abc%"), {400})
case("invalid UTF-8 %C3%28", req("/api/search?q=%C3%28"), {400})
case("overlong UTF-8 %C0%AF", req("/api/search?q=%C0%AF"), {400})
case("control character %07", req("/api/stories?q=a%07b"), {400})
# ---- size -----------------------------------------------------------------------------------
case("100 KB query string", req("/api/search?q=" + "a" * 100000), {414, 431, "cut"})
case("9 KB target (over sitrep's 8 KiB)", req("/api/search?q=" + "a" * 9000), {414})
case("17 parameters", req("/api/stories?" + "&".join("p%d=1" % i for i in range(17))), {414})
case("40 KB header", req("/api/health", headers={"X-Big": "b" * 40000}), {413, 431, "cut"})
case("2,000 headers", req("/api/health", headers={"X-H%d" % i: "v" for i in range(2000)}), {413, 431, "cut"})
case("a GET with a body", req("/api/health", headers={"Content-Length": "5"}, body=b"hello"), {413})
case("chunked body", req("/api/health", headers={"Transfer-Encoding": "chunked"}, body=b"5\r\nhello\r\n0\r\n\r\n"), {413})
case("Expect: 100-continue with a body", req("/api/health", headers={"Expect": "100-continue", "Content-Length": "100000"}), {413, 417})
# ---- methods and protocol -----------------------------------------------------------------------
case("POST", req("/api/health", method="POST", headers={"Content-Length": "0"}), {405})
case("DELETE", req("/api/stories/1", method="DELETE"), {405})
case("PUT with a body", req("/api/stories/1", method="PUT", headers={"Content-Length": "2"}, body=b"{}"), {405, 413})
case("TRACE", req("/api/health", method="TRACE"), {405})
case("a garbage request line", b"GARBAGE\r\n\r\n", {400, "cut"})
case("HTTP/2.0 in the request line (505: version not supported)", req("/api/health", version="HTTP/2.0"), {400, 505, "cut"})
buf = case("HTTP/1.0, no Host", b"GET /api/health HTTP/1.0\r\n\r\n", {200})
st, buf, closed = exchange(b"GET /api/health HTTP/1.0\r\n\r\n")
record("HTTP/1.0 is answered and the connection closed", "200+close", "%s%s" % (st[0] if st else "-", "+close" if closed else ""), st == [200] and closed)
pipelined = (b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n" b"GET /api/stories?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n"
             b"GET /api/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
st, buf, closed = exchange(pipelined)
record("3 pipelined requests", "200,200,404", ",".join(map(str, st)), st == [200, 200, 404])
# ---- parameters -----------------------------------------------------------------------------------
for target in ("/api/stories?limit=-1", "/api/stories?limit=0", "/api/stories?limit=1001",
               "/api/stories?limit=99999999999999999999999", "/api/stories?limit=1e3", "/api/stories?limit=%2B5",
               "/api/stories?limit=", "/api/events?limit=0x10"):
    case("limit: " + urllib.parse.unquote(target.split("=", 1)[1] or "(empty)"), req(target), {400})
for target in ("/api/stories?since=2025-13-01", "/api/stories?since=2025-02-29", "/api/stories?since=0000-01-01",
               "/api/stories?since=2025-1-1", "/api/events?until=2025-04-31", "/api/network?since=2025-06-01&until=2025-01-01",
               "/api/events?since=20250101", "/api/dyads/TUR/IDN/timeline?since=tomorrow"):
    case("bad date: " + target.split("?", 1)[1], req(target), {400})
case("a cursor that is not base64", req("/api/stories?cursor=!!!!"), {400})
case("a cursor of another route", req("/api/stories?cursor=ZToxOjIwMjUwMzAz"), {400})
case("a forged cursor with a quote", req("/api/events?cursor=" + urllib.parse.quote("ZTox' OR 1=1")), {400})
case("story id of 30 digits", req("/api/stories/" + "9" * 30), {404})
case("story id -1", req("/api/stories/-1/brief"), {404})
case("story id 0", req("/api/stories/0"), {404})
case("an unknown parameter", req("/api/health?debug=1"), {400})
case("a parameter given twice", req("/api/stories?limit=1&limit=2"), {400})
case("a dyad code with a space", req("/api/dyads/T%20R/IDN/timeline"), {400})
case("a dyad code of 33 letters", req("/api/dyads/%s/IDN/timeline" % ("A" * 33)), {400})
case("root and code together", req("/api/events?root=04&code=042"), {400})
case("format=xml", req("/api/events?format=xml"), {400})
case("an empty search", req("/api/search?q="), {400})
case("a search 600 bytes long", req("/api/search?q=" + "a" * 600), {400})
case("a search cursor past 10,000 hits", req("/api/search?q=a&cursor=cToxMDAwMDo"), {400})

# SQL and FTS5 metacharacters in every parameter of every route: a 200
# (nothing special matched) or a 400 (refused), never a 5xx.
nasty = ["'", '"', "' OR '1'='1", "1; DROP TABLE documents; --", "%", "_", "\\", "*", "NEAR(a b)", "a:b",
         "^x", "AND", "(", ")", '"a" OR "b"', "x' UNION SELECT body FROM documents--", "-1", "0x7fffffff",
         "\u00e9t\u00e9", "TUR,IDN'--", "../..", "{}", "[]", "null"]
params = {
    "/api/stories": ["since", "until", "actor", "q", "limit", "cursor"],
    "/api/events": ["actor", "dyad", "root", "code", "since", "until", "modality", "story", "format", "limit", "cursor"],
    "/api/dyads/TUR/IDN/timeline": ["bucket", "since", "until"],
    "/api/network": ["since", "until", "min"],
    "/api/search": ["q", "limit", "cursor"],
}
sweep = {}
bad = []
for route, names in params.items():
    for name in names:
        for v in nasty:
            t = "%s?%s=%s" % (route, name, urllib.parse.quote(v, safe=""))
            if route == "/api/search" and name != "q":
                t += "&q=radar"
            st = get_status(t)
            sweep[st] = sweep.get(st, 0) + 1
            if st not in (200, 400):
                bad.append("%s -> %s" % (t, st))
for seg in nasty:
    # "AND" or "null" is a well-formed (if unknown) actor code: 200 with no
    # buckets; an encoded "../.." adds path segments: no such route, 404
    for t, ok in (("/api/stories/%s" % urllib.parse.quote(seg, safe=""), (404,)),
                  ("/api/dyads/%s/IDN/timeline" % urllib.parse.quote(seg, safe=""), (200, 400, 404))):
        st = get_status(t)
        sweep[st] = sweep.get(st, 0) + 1
        if st not in ok:
            bad.append("%s -> %s" % (t, st))
n = sum(sweep.values())
record("SQL/FTS metacharacters: %d values in each of %d parameters and 2 path segments (%d requests)"
       % (len(nasty), sum(len(v) for v in params.values()), n),
       "200/400/404", " ".join("%s:%d" % kv for kv in sorted(sweep.items(), key=str)), not bad)
for b in bad[:10]:
    print("  unexpected: " + b)

# ---- slow clients ------------------------------------------------------------------------------------
s = socket.create_connection((HOST, PORT), timeout=1)
start = time.time()
cut_after = None
for ch in b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n":
    try:
        s.send(bytes([ch]))
        s.settimeout(1.0)
        data = s.recv(4096)
        if data == b"":
            cut_after = time.time() - start
            break
        if data:
            break  # answered: that would be a failure
    except socket.timeout:
        continue
    except OSError:
        cut_after = time.time() - start
        break
s.close()
record("one byte a second: cut off", "cut < %ds" % (TIMEOUT + 2),
       "cut after %.1fs" % cut_after if cut_after else "not cut", cut_after is not None and cut_after < TIMEOUT + 2)

s = socket.create_connection((HOST, PORT), timeout=TIMEOUT + 3)
start = time.time()
try:
    data = s.recv(10)
except OSError:
    data = b""
idle = time.time() - start
s.close()
record("an idle connection", "closed after ~%ds" % TIMEOUT, "closed after %.1fs" % idle, data == b"" and idle < TIMEOUT + 2)

socks = []
for _ in range(1000):
    try:
        socks.append(socket.create_connection((HOST, PORT), timeout=2))
    except OSError:
        pass
time.sleep(0.3)
st_during, _, _ = exchange(req("/api/health"), timeout=4)
start = time.time()
closed = 0
deadline = start + TIMEOUT + 3
for sk in socks:
    sk.settimeout(max(0.05, deadline - time.time()))
    try:
        if sk.recv(10) == b"":
            closed += 1
    except OSError:
        closed += 1
    sk.close()
took = time.time() - start
st_after = get_status("/api/health")
record("1,000 idle connections: all closed by the server", "1000 closed", "%d closed in %.1fs" % (closed, took),
       closed == len(socks) == 1000)
record("  ... and then a request", "200", st_after, st_after == 200)
print("  (a request made while the 1,000 idle connections were open got %s; the server keeps 512 connections at most)"
      % (st_during[0] if st_during else "refused"))

# ---- rate limit and state after ----------------------------------------------------------------------
rs = [get_status("/api/health", RATE_PORT) for _ in range(30)]
record("30 quick requests at --rate 5", "some 429", "%d x 200, %d x 429" % (rs.count(200), rs.count(429)),
       rs.count(429) > 0 and rs.count(200) >= 5 and set(rs) <= {200, 429})
st, buf, _ = exchange(req("/api/health"), RATE_PORT)
record("  ... a 429 says when to retry", "Retry-After", "Retry-After" if b"Retry-After:" in buf else buf[:40],
       st == [429] and b"Retry-After:" in buf)

status_after = get_status("/api/health")
record("the server still answers", "200", status_after, status_after == 200 and docs0 == 200)
grow = (rss_kb("VmHWM") - rss0) // 1024
record("peak memory growth", "< %d MiB" % MEM_MB, "%d MiB" % grow, grow < MEM_MB)
record("no 5xx (bar the 505 above) in any answer", "none", ",".join(map(str, fivexx)) or "none", not fivexx)

w = max(len(r[0]) for r in rows)
print("| # | hostile request%s | expected | got | |" % (" " * (w - 15)))
for i, (name, want, got, ok) in enumerate(rows, 1):
    print("| %2d | %s | %s | %s | %s |" % (i, name.ljust(w), want, got, "ok" if ok else "FAIL"))
print("serve hostile: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
