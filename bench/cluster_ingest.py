#!/usr/bin/env python3
"""bench/cluster_ingest.py - the clustering figures through `sitrep ingest`.

  cluster_ingest.py jsonl FILE.csv OUT.jsonl   the aggregator's rows as
      documents: outlet = PUBLISHER, published = TIMESTAMP, title and text =
      TITLE, url = URL (the store has headlines only, as the bench does)
  cluster_ingest.py score FILE.csv STORE.db    pairwise and B-cubed P/R/F1
      of the stored documents' stories against the aggregator's story ids,
      for the whole file and for each half of the gold stories (sorted ids,
      alternately, as bench/cluster_eval.h splits them)

Rows whose headline another outlet already published word for word are
"already stored" by ingest (one body, one document); they are left out of
the score and counted.  Used by bench/run_cluster.sh.
"""
import collections, csv, datetime, json, sqlite3, sys


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r.get("STORY") and r.get("TITLE")]


def scores(pairs):
    """pairs: [(found, gold)] -> P, R, F1, B-cubed P, R, F1."""
    n = len(pairs)
    cont = collections.Counter(pairs)
    cs = collections.Counter(c for c, _ in pairs)
    gs = collections.Counter(g for _, g in pairs)
    tp = sum(v * (v - 1) / 2 for v in cont.values())
    pa = sum(v * (v - 1) / 2 for v in cs.values())
    pg = sum(v * (v - 1) / 2 for v in gs.values())
    p = tp / pa if pa else 0
    r = tp / pg if pg else 0
    bp = sum(v * v / cs[c] for (c, g), v in cont.items()) / n
    br = sum(v * v / gs[g] for (c, g), v in cont.items()) / n
    f = lambda a, b: 2 * a * b / (a + b) if a + b else 0
    return p, r, f(p, r), bp, br, f(bp, br), len(cs)


def mixed(pairs):
    """Stories holding more than one gold story at purity < 0.8 (sizes)."""
    by = collections.defaultdict(collections.Counter)
    for c, g in pairs:
        by[c][g] += 1
    return sorted((sum(v.values()) for v in by.values()
                   if len(v) > 1 and max(v.values()) < 0.8 * sum(v.values())), reverse=True)


def main():
    mode, csv_path, out = sys.argv[1:4]
    data = rows(csv_path)
    data.sort(key=lambda r: int(r["TIMESTAMP"]))
    if mode == "jsonl":
        with open(out, "w", encoding="utf-8") as f:
            for r in data:
                ts = datetime.datetime.fromtimestamp(int(r["TIMESTAMP"]) / 1000, datetime.timezone.utc)
                f.write(json.dumps({"url": r["URL"], "outlet": r["PUBLISHER"],
                                    "published": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                    "title": r["TITLE"], "text": r["TITLE"]}) + "\n")
        return
    db = sqlite3.connect(out)
    story_of = {}
    for url, story in db.execute("SELECT url, story_id FROM documents"):
        story_of.setdefault(url, story)
    golds = sorted({r["STORY"] for r in data})
    half = {g: i % 2 for i, g in enumerate(golds)}
    missing = sum(1 for r in data if r["URL"] not in story_of)
    for label, keep in (("whole", lambda g: True), ("half 0*", lambda g: half[g] == 0),
                        ("half 1*", lambda g: half[g] == 1)):
        pairs = [(story_of[r["URL"]], r["STORY"]) for r in data
                 if r["URL"] in story_of and keep(r["STORY"])]
        p, r_, f, bp, br, bf, k = scores(pairs)
        mx = mixed(pairs)
        print("cluster via ingest, %-6s %5d docs, %4d stories | pairwise P %.3f R %.3f F1 %.3f "
              "| B-cubed P %.3f R %.3f F1 %.3f | %d mixed%s" % (
                  label, len(pairs), k, p, r_, f, bp, br, bf, len(mx),
                  " (" + ", ".join(str(x) for x in mx[:8]) + " headlines)" if mx else ""))
    print("cluster via ingest: * the rows of each half of the gold stories within the one "
          "whole-file run")
    print("cluster via ingest: %d rows already stored word for word from another outlet, "
          "left out" % missing)


if __name__ == "__main__":
    main()
