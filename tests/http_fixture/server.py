#!/usr/bin/env python3
"""tests/http_fixture/server.py: the HTTP server `sitrep watch` is tested against.

    server.py --reports FILE.jsonl --port-file PATH --log PATH [--lifetime SECS]
              [--pages N]

Listens on 127.0.0.1 (a random port, written to --port-file) and serves,
from the reports in FILE.jsonl (examples/reports.jsonl), one HTML article
page per report and feeds listing them: /feed.xml (RSS 2.0), /atom.xml,
/feed.json (JSON Feed 1.1, links with tracking parameters and fragments),
/sitemap.xml (a news sitemap).  Feeds answer conditional GETs with 304.

Each path prefix below is one way of misbehaving, so one server serves
every case at once:

  /flaky/...     500 for the first two requests to the path, then as usual
  /busy/...      429 with Retry-After: 1 for the first request, then as usual
  /slow/...      the body trickles out, one byte every 0.4 s
  /reset/...     headers and half the body, then the connection is reset
  /loop/a, /loop/b             redirect to each other
  /private/meta, /private/lan  redirect to 169.254.169.254 and 10.255.255.1
  /bomb/...      "Content-Encoding: gzip": 64 MiB of zeros in 64 KiB
  /endless/...   a chunked body that never ends (until the client stops)
  /pdf/...       the article with Content-Type: application/pdf
  /missing/...   404
  /changing/feed.xml  one more entry at every request (validators change)
  /bad/feed.xml  malformed XML
  /hidden/...    disallowed by /robots.txt

  /faults.xml    an RSS feed with one entry per misbehaving page above
  /bench/feedK.xml, /bench/pK.html   --pages N generated pages (benchmark)

  /many/feed.xml, /many/pK.html  --many N distinct articles, 20 ms each

Every request is logged to --log as "TIME HOST METHOD PATH STATUS
IF-NONE-MATCH"; the most requests ever in flight per Host header is kept in
LOG.max (one "HOST N" line each), so tests can check politeness.  The
server stops by itself after --lifetime seconds (default 300).
"""
import argparse, gzip, html, json, os, socket, struct, sys, threading, time, zlib
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--reports", required=True)
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--lifetime", type=float, default=300)
ap.add_argument("--pages", default="")
ap.add_argument("--many", type=int, default=0)
args = ap.parse_args()

reports = [json.loads(l) for l in open(args.reports, encoding="utf-8") if l.strip()]
LAST_MODIFIED = formatdate(1741000000, usegmt=True)
lock = threading.Lock()
counts = {}          # path -> requests seen
inflight = {}        # host -> now
maxflight = {}       # host -> most ever
logf = open(args.log, "a", buffering=1)

def bench_body(raw, k):
    # the benchmark's copies are made distinct the same way bench/make_corpus.py does
    import re
    if not k:
        return raw
    tag = b"Dispatch %d. " % k
    return re.sub(rb"<(?:p|li|td|h[1-6]|div|article|section)(?:\s[^>]*)?>",
                  lambda m: m.group(0) + tag, raw, flags=re.I)


bench_pages = []     # (title, text) for /bench/
if args.pages:
    d, n = args.pages.split(":")
    names = sorted(x for x in os.listdir(d) if x.endswith(".html.gz"))
    raw = [gzip.open(os.path.join(d, x)).read() for x in names]
    bench_pages = [(raw[i % len(raw)], i // len(raw)) for i in range(int(n))]
    # made once, so serving a page costs the server little next to the client
    bench_pages = [(None, None, bench_body(r, k)) for r, k in bench_pages]


def article(i, prefix=""):
    r = reports[i]
    paras = "".join("<p>%s</p>\n" % html.escape(p) for p in r["text"].split("\n\n"))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>%s</title>\n<meta property=\"og:site_name\" content=\"%s\">\n"
            "<meta property=\"article:published_time\" content=\"%s\">\n"
            "</head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\n"
            "<article><h1>%s</h1>\n%s</article>\n<footer>Copyright the outlet</footer>"
            "</body></html>\n" % (html.escape(r["title"]), html.escape(r["outlet"]),
                                  r["published"], html.escape(r["title"]), paras)).encode()


def rss(items, title="Fixture Wire"):
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
           '<title>%s</title><link>http://fixture/</link><description>t</description>' % title]
    for link, t, desc, date in items:
        out.append("<item><title>%s</title><link>%s</link><description>%s</description>"
                   "<pubDate>%s</pubDate><guid>%s</guid></item>"
                   % (html.escape(t), html.escape(link), html.escape(desc), date, html.escape(link)))
    out.append("</channel></rss>\n")
    return "".join(out).encode()


def rfc822(iso):
    t = time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
    return formatdate(time.mktime(t) - time.timezone, usegmt=True)


def main_items(prefix=""):
    return [("%s/a/%d.html" % (prefix, i), r["title"], r["text"].split("\n\n")[0],
             rfc822(r["published"])) for i, r in enumerate(reports)]


FAULTS = [  # path of the page, the report it stands for
    ("/flaky/a/0.html", 0), ("/busy/a/1.html", 1), ("/slow/a/2.html", 2),
    ("/reset/a/3.html", 3), ("/loop/a", 4), ("/private/meta", 5), ("/private/lan", 6),
    ("/bomb/a/0.html", 0), ("/endless/a/1.html", 1), ("/pdf/a/2.html", 2),
    ("/missing/a/3.html", 3), ("/hidden/a/4.html", 4),
]

_bomb = None


def bomb():
    global _bomb
    if _bomb is None:
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = b"\0" * (1 << 20)
        _bomb = b"".join(c.compress(chunk) for _ in range(64)) + c.flush()
    return _bomb


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # headers and body go out in two writes: without this, Nagle and
        # delayed ACKs hold every response back 40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *a):
        pass

    def note(self, status):
        logf.write("%.3f %s GET %s %d %s\n" % (time.time(), self.headers.get("Host", "-"), self.path,
                                               status, self.headers.get("If-None-Match", "-")))

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", extra=()):
        self.note(status)
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def feed(self, body, ctype, etag):
        if self.headers.get("If-None-Match") == etag:
            self.note(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send(200, body, ctype, [("ETag", etag), ("Last-Modified", LAST_MODIFIED)])

    def do_GET(self):
        host = self.headers.get("Host", "-")
        with lock:
            inflight[host] = inflight.get(host, 0) + 1
            if inflight[host] > maxflight.get(host, 0):
                maxflight[host] = inflight[host]
                with open(args.log + ".max", "w") as m:
                    m.write("".join("%s %d\n" % kv for kv in sorted(maxflight.items())))
            n = counts[self.path] = counts.get(self.path, 0) + 1
        try:
            self.route(n)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with lock:
                inflight[host] -= 1

    def route(self, n):
        p = self.path
        if p == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /hidden/\n\nUser-agent: otherbot\n"
                                  b"Disallow: /\n", "text/plain")
        if p == "/feed.xml":
            return self.feed(rss(main_items()), "application/rss+xml", '"rss-1"')
        if p == "/atom.xml":
            es = "".join('<entry><title>%s</title><link href="/a/%d.html#top"/><id>a%d</id>'
                         '<updated>%s</updated><summary>%s</summary></entry>'
                         % (html.escape(r["title"]), i, i, r["published"],
                            html.escape(r["text"].split("\n\n")[0]))
                         for i, r in enumerate(reports))
            body = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                    '<title>Fixture Atom</title>%s</feed>' % es).encode()
            return self.feed(body, "application/atom+xml", '"atom-1"')
        if p == "/feed.json":
            items = [{"id": str(i), "url": "http://%s/a/%d.html?utm_source=x&utm_medium=rss#c"
                      % (self.headers["Host"], i), "title": r["title"],
                      "summary": r["text"].split("\n\n")[0], "date_published": r["published"]}
                     for i, r in enumerate(reports)]
            body = json.dumps({"version": "https://jsonfeed.org/version/1.1",
                               "title": "Fixture JSON", "items": items}).encode()
            return self.feed(body, "application/feed+json", '"json-1"')
        if p == "/sitemap.xml":
            us = "".join("<url><loc>http://%s/a/%d.html</loc><news:news><news:publication>"
                         "<news:name>Fixture News</news:name></news:publication>"
                         "<news:publication_date>%s</news:publication_date><news:title>%s"
                         "</news:title></news:news></url>" % (self.headers["Host"], i,
                                                              r["published"], html.escape(r["title"]))
                         for i, r in enumerate(reports))
            body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
                    ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">%s</urlset>' % us)
            return self.feed(body.encode(), "application/xml", '"sm-1"')
        if p == "/faults.xml":
            items = [(path, reports[i]["title"] + " (" + path + ")",
                      reports[i]["text"].split("\n\n")[0] + " Via " + path + ".",
                      rfc822(reports[i]["published"])) for path, i in FAULTS]
            return self.feed(rss(items, "Fault Wire"), "application/rss+xml", '"faults-1"')
        if p.startswith("/changing/feed.xml"):
            k = min(n, len(reports))
            return self.feed(rss(main_items()[:k]), "application/rss+xml", '"ch-%d"' % k)
        if p == "/bad/feed.xml":
            return self.send(200, b"<?xml version='1.0'?><rss><channel><title>Bad</title><item>"
                                  b"<title>x</title><link>/a/0.html</link></ite", "application/rss+xml")
        if p == "/flaky/feed.xml":
            if n <= 2:
                return self.send(500, b"oops", "text/plain")
            return self.feed(rss(main_items("/flaky")[:1]), "application/rss+xml", '"fl-1"')
        if p.startswith("/bench/"):
            return self.bench(p)
        if p.startswith("/many/"):
            return self.many(p)
        # pages, possibly behind a misbehaving prefix
        parts = p.split("/")
        kind = parts[1] if len(parts) > 2 and parts[1] != "a" else ""
        if kind == "loop":
            return self.send(302, b"", None, [("Location", "/loop/b" if p == "/loop/a" else "/loop/a")])
        if p == "/private/meta":
            return self.send(302, b"", None, [("Location", "http://169.254.169.254/latest/meta-data/")])
        if p == "/private/lan":
            return self.send(301, b"", None, [("Location", "http://10.255.255.1/a.html")])
        try:
            i = int(parts[-1].split(".")[0])
            page = article(i)
        except (ValueError, IndexError):
            return self.send(404, b"not here", "text/plain")
        if kind == "flaky" and n <= 2:
            return self.send(503, b"busy", "text/plain")
        if kind == "busy" and n <= 1:
            return self.send(429, b"slow down", "text/plain", [("Retry-After", "1")])
        if kind == "missing":
            return self.send(404, b"not here", "text/plain")
        if kind == "pdf":
            return self.send(200, b"%PDF-1.4 not really", "application/pdf")
        if kind == "slow":
            self.note(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            for b in page[:60]:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
                time.sleep(0.4)
            return
        if kind == "reset":
            self.note(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page[:len(page) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if kind == "bomb":
            return self.send(200, bomb(), "text/html", [("Content-Encoding", "gzip")])
        if kind == "endless":
            self.note(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"more " * 2000 + b"</p>\n"
            end = time.time() + 30     # bounded, whatever the client does
            while time.time() < end:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            return
        return self.send(200, page)

    def many(self, p):
        # --many N distinct articles (the reports, each copy with its own
        # number), served 20 ms slowly so a cycle lasts long enough to kill
        name = p[len("/many/"):]
        if name == "feed.xml":
            items = [("/many/p%d.html" % i, "%s (%d)" % (reports[i % len(reports)]["title"], i), "",
                      rfc822(reports[i % len(reports)]["published"])) for i in range(args.many)]
            return self.feed(rss(items, "Many"), "application/rss+xml", '"many"')
        try:
            i = int(name[1:].split(".")[0])
        except ValueError:
            return self.send(404, b"", "text/plain")
        if i >= args.many:
            return self.send(404, b"", "text/plain")
        time.sleep(0.02)
        page = article(i % len(reports)).replace(
            b"</article>", b"<p>Filed as dispatch number %d of the series.</p></article>" % i)
        return self.send(200, page)

    def bench(self, p):
        name = p[len("/bench/"):]
        per = 100
        if name.startswith("feed"):
            k = int(name[4:].split(".")[0])
            items = [("/bench/p%d.html" % i, "Bench page %d" % i, "", "Mon, 03 Mar 2025 09:00:00 GMT")
                     for i in range(k * per, min((k + 1) * per, len(bench_pages)))]
            return self.feed(rss(items, "Bench"), "application/rss+xml", '"b%d"' % k)
        i = int(name[1:].split(".")[0])
        return self.send(200, bench_pages[i][2], "text/html")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass    # clients that hang up (timeouts, caps) are what the tests do


srv = Server(("127.0.0.1", 0), H)
tmp = args.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(tmp, args.port_file)
threading.Timer(args.lifetime, srv.shutdown).start()
srv.serve_forever()
