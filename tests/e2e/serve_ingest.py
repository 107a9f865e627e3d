"""serve_ingest.py: clients read from sitrep serve while sitrep ingest adds
SITREP_N documents to its store (see serve_ingest.sh)."""
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

URL = urllib.parse.urlparse(os.environ["SITREP_URL"])
N = int(os.environ["SITREP_N"])
passed = failed = 0


def check(cond, what):
    global passed, failed
    passed, failed = (passed + 1, failed) if cond else (passed, failed + 1)
    print(("ok: " if cond else "FAIL: ") + what)


def get(conn, path):
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, r.read()


before = json.loads(get(http.client.HTTPConnection(URL.hostname, URL.port), "/api/health")[1])
known = {s["id"] for s in json.loads(get(http.client.HTTPConnection(URL.hostname, URL.port), "/api/stories")[1])["items"]}
stop = threading.Event()
problems, counts, answers = [], [], [0]
paths = ["/api/health", "/api/stories?limit=5", "/api/stories/1/brief", "/api/events?format=jsonl&actor=TUR",
         "/api/network", "/api/dyads/TUR/IDN/timeline", "/api/search?q=officials"]


def client(k):
    conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=30)
    i = k
    while not stop.is_set():
        path = paths[i % len(paths)]
        i += 1
        try:
            status, body = get(conn, path)
        except Exception as e:  # a dropped connection is a failure here
            problems.append("%s: %r" % (path, e))
            conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=30)
            continue
        answers[0] += 1
        if status != 200:
            problems.append("%s: %d %s" % (path, status, body[:100]))
            continue
        try:
            if "format=jsonl" in path:
                for line in body.decode().splitlines():
                    json.loads(line)
            else:
                doc = json.loads(body)
                if path == "/api/health":
                    counts.append((doc["documents"], doc["events"], doc["stories"]))
        except ValueError as e:
            problems.append("%s: a broken answer (%s)" % (path, e))


threads = [threading.Thread(target=client, args=(k,)) for k in range(3)]
for t in threads:
    t.start()
time.sleep(0.2)
start = time.time()
ing = subprocess.run([os.environ["SITREP"], "ingest", "-q", "--db", os.environ["SITREP_DB"], os.environ["SITREP_MORE"]],
                     capture_output=True, text=True)
took = time.time() - start
time.sleep(0.3)
stop.set()
for t in threads:
    t.join()

check(ing.returncode == 0, "sitrep ingest of %d documents while being read: exit %d in %.1fs" % (N, ing.returncode, took))
check(not problems, "%d answers during the ingest, every one a whole 200%s" % (answers[0], "" if not problems else ": " + "; ".join(problems[:5])))
docs = [c[0] for c in counts]
check(docs == sorted(docs), "the document count only grew (%d health answers)" % len(docs))
middle = sorted({d for d in docs if before["documents"] < d < before["documents"] + N})
print("  intermediate document counts seen while ingest ran: %s" % (middle[:12] or "none (ingest was quicker than a poll)"))
conn = http.client.HTTPConnection(URL.hostname, URL.port)
after = json.loads(get(conn, "/api/health")[1])
check(after["documents"] == before["documents"] + N, "health: %d -> %d documents, no restart" % (before["documents"], after["documents"]))
new = [s for s in json.loads(get(conn, "/api/stories")[1])["items"] if s["id"] not in known]
check(len(new) > 0, "the new story appears: %s" % (", ".join('"%s"' % s["title"] for s in new[:3])))
if new:
    status, body = get(conn, "/api/stories/%d/brief" % new[0]["id"])
    check(status == 200 and json.loads(body)["story"]["documents"] == new[0]["documents"], "and its brief is served")
print("serve while ingesting: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
