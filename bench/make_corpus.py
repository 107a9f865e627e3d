#!/usr/bin/env python3
"""bench/make_corpus.py PAGES_DIR N OUT.warc.gz

Writes N distinct HTML documents as a gzipped WARC (one gzip member per
record, as crawlers write them) from the scrapinghub pages (*.html.gz),
repeated: copy k of a page has "Dispatch k." put at the start of every
paragraph, list item, table cell, heading and div, so its article text (and body hash) differs from every other
copy while it stays the same kind of page.  Used by bench/run_store.sh.
"""
import gzip, io, os, re, sys

pages_dir, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pages = []
for name in sorted(os.listdir(pages_dir)):
    if name.endswith(".html.gz"):
        with gzip.open(os.path.join(pages_dir, name), "rb") as f:
            pages.append((name[:-8], f.read()))
if not pages:
    sys.exit("no pages in " + pages_dir)
para = re.compile(rb"<(?:p|li|td|h[1-6]|div|article|section)(?:\s[^>]*)?>", re.I)
with open(out, "wb") as w:
    for i in range(n):
        name, html = pages[i % len(pages)]
        k = i // len(pages)
        tag = b"Dispatch %d. " % k
        body = para.sub(lambda m: m.group(0) + tag, html) if k else html
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n"
                % len(body)) + body
        uri = "https://bench.example/%s/%d" % (name[:16], k)
        head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\n"
                "WARC-Date: 2025-01-%02dT00:00:00Z\r\nWARC-Record-ID: <urn:uuid:%08d-0000-0000-0000-000000000000>\r\n"
                "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
                % (uri, 1 + k % 28, i, len(http))).encode()
        w.write(gzip.compress(head + http + b"\r\n\r\n", compresslevel=1))
