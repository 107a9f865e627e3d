/*
 * store.c - the SQLite store: opening and migrating, and adding documents in
 * batches (documents, mentions, events, actors, issues, stories, FTS).
 *
 * Why batches: a transaction per document would fsync hundreds of times a
 * second; one per run would lose everything on a kill.  A batch of
 * SR_STORE_BATCH documents holds everything those documents changed,
 * including the clusterer's state, so the store is always a state some
 * prefix of the input produced.
 *
 * Event counts are recounted from the mentions for every event a batch
 * touched (not incremented), so they are right whatever happened before.
 */
#include "store/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Schema migrations: migrations[i] takes a store from version i to i+1. */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "CREATE TABLE outlets(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE stories(id INTEGER PRIMARY KEY, title TEXT, created TEXT,"
    "  first_time INTEGER, last_time INTEGER, ndocs INTEGER NOT NULL DEFAULT 0,"
    "  centroid BLOB, merged_into INTEGER);"
    /* the body is last: reading the fingerprint columns must not walk its
     * overflow pages */
    "CREATE TABLE documents(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL UNIQUE,"
    "  simhash INTEGER NOT NULL, sh0 INTEGER, sh1 INTEGER, sh2 INTEGER, sh3 INTEGER,"
    "  sh4 INTEGER, sh5 INTEGER, copy_of INTEGER REFERENCES documents(id), story_id INTEGER,"
    "  outlet_id INTEGER NOT NULL REFERENCES outlets(id), day INTEGER NOT NULL DEFAULT 0,"
    "  published TEXT, path TEXT, record TEXT, url TEXT, title TEXT, added TEXT NOT NULL,"
    "  body TEXT NOT NULL);"
    "CREATE INDEX documents_sh0 ON documents(sh0);"
    "CREATE INDEX documents_sh1 ON documents(sh1);"
    "CREATE INDEX documents_sh2 ON documents(sh2);"
    "CREATE INDEX documents_sh3 ON documents(sh3);"
    "CREATE INDEX documents_sh4 ON documents(sh4);"
    "CREATE INDEX documents_sh5 ON documents(sh5);"
    "CREATE INDEX documents_story ON documents(story_id);"
    "CREATE TABLE events(id INTEGER PRIMARY KEY, day INTEGER NOT NULL, source TEXT NOT NULL,"
    "  target TEXT NOT NULL, cameo TEXT NOT NULL, root TEXT, quad INTEGER, goldstein REAL,"
    "  plover_event TEXT, plover_mode TEXT, num_mentions INTEGER NOT NULL DEFAULT 0,"
    "  num_articles INTEGER NOT NULL DEFAULT 0, num_sources INTEGER NOT NULL DEFAULT 0,"
    "  added TEXT NOT NULL, UNIQUE(day, source, target, cameo));"
    "CREATE TABLE mentions(id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id),"
    "  event_id INTEGER NOT NULL REFERENCES events(id), sentence INTEGER NOT NULL,"
    "  sentence_text TEXT, source TEXT NOT NULL, target TEXT NOT NULL, source_text TEXT,"
    "  target_text TEXT, source_known INTEGER, target_known INTEGER, cameo TEXT NOT NULL,"
    "  modality TEXT NOT NULL, verb_text TEXT, issues TEXT,"
    "  UNIQUE(doc_id, sentence, source, target, cameo, verb_text));"
    "CREATE INDEX mentions_event ON mentions(event_id);"
    "CREATE TABLE actors(code TEXT NOT NULL, text TEXT NOT NULL, known INTEGER NOT NULL,"
    "  mentions INTEGER NOT NULL DEFAULT 0, first_doc INTEGER, PRIMARY KEY(code, text));"
    "CREATE TABLE issues(doc_id INTEGER NOT NULL, code TEXT NOT NULL, PRIMARY KEY(doc_id, code));"
    "CREATE TABLE term_df(term INTEGER PRIMARY KEY, df INTEGER NOT NULL);"
    "CREATE VIRTUAL TABLE doc_fts USING fts5(title, body, content='documents', content_rowid='id');",
    /* 1 -> 2: what ingest looks up per document stops reading documents'
     * rows, which hold the bodies and so fall out of the page cache as the
     * store grows (at 10,000 pages these lookups were a tenth of ingest).
     * The fingerprint bands become covering indexes, newest first within a
     * band; a mention carries its outlet, so recounting an event's sources
     * reads mentions only. */
    "DROP INDEX documents_sh0; DROP INDEX documents_sh1; DROP INDEX documents_sh2;"
    "DROP INDEX documents_sh3; DROP INDEX documents_sh4; DROP INDEX documents_sh5;"
    "CREATE INDEX documents_sh0 ON documents(sh0, id, simhash, copy_of, story_id);"
    "CREATE INDEX documents_sh1 ON documents(sh1, id, simhash, copy_of, story_id);"
    "CREATE INDEX documents_sh2 ON documents(sh2, id, simhash, copy_of, story_id);"
    "CREATE INDEX documents_sh3 ON documents(sh3, id, simhash, copy_of, story_id);"
    "CREATE INDEX documents_sh4 ON documents(sh4, id, simhash, copy_of, story_id);"
    "CREATE INDEX documents_sh5 ON documents(sh5, id, simhash, copy_of, story_id);"
    "ALTER TABLE mentions ADD COLUMN outlet_id INTEGER REFERENCES outlets(id);"
    "UPDATE mentions SET outlet_id=(SELECT outlet_id FROM documents d WHERE d.id=mentions.doc_id);"
    "CREATE INDEX mentions_event_outlet ON mentions(event_id, outlet_id, doc_id);"
    "DROP INDEX mentions_event;"
    /* The search index cost ingest more than coding did: most of it went
     * to merging segments and to flushing pending terms more than once per
     * batch.  Merging 16 segments at a time (not 4, crisis at 64) and an
     * 8 MiB pending buffer (a batch's terms in one flush) cut FTS5's
     * instructions per document by 45%; searches read a few more segments. */
    "INSERT INTO doc_fts(doc_fts, rank) VALUES('automerge', 16);"
    "INSERT INTO doc_fts(doc_fts, rank) VALUES('crisismerge', 64);"
    "INSERT INTO doc_fts(doc_fts, rank) VALUES('hashsize', 8388608);",
    /* 2 -> 3: where events happen (sitrep/geo.h).  Each mention's three
     * places (role 0 ActionGeo, 1 Actor1Geo, 2 Actor2Geo) in a table of
     * their own, indexed for the country and distance filters; the actors'
     * GDELT names, whether a country was inferred from the place, and
     * whether the mention is in the document's lead (IsRootEvent). */
    "ALTER TABLE mentions ADD COLUMN source_name TEXT;"
    "ALTER TABLE mentions ADD COLUMN target_name TEXT;"
    "ALTER TABLE mentions ADD COLUMN source_inferred INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE mentions ADD COLUMN target_inferred INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE mentions ADD COLUMN lead INTEGER;"
    "CREATE TABLE IF NOT EXISTS mention_geo(mention_id INTEGER NOT NULL, role INTEGER NOT NULL,"
    "  type INTEGER NOT NULL, name TEXT, country TEXT, iso2 TEXT, fips TEXT, adm1 TEXT,"
    "  lat REAL, lon REAL, feature_id TEXT, confidence REAL, PRIMARY KEY(mention_id, role))"
    "  WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS mention_geo_country ON mention_geo(role, country, mention_id);"
    "CREATE INDEX IF NOT EXISTS mention_geo_lat ON mention_geo(role, lat, lon, mention_id);",
    /* 3 -> 4: an exact copy of a stored body from another outlet keeps
     * that outlet (it was dropped as "already stored", and a wire story
     * carried verbatim by two outlets showed one) */
    "CREATE TABLE IF NOT EXISTS doc_outlets(doc_id INTEGER NOT NULL REFERENCES documents(id),"
    "  outlet_id INTEGER NOT NULL REFERENCES outlets(id), url TEXT, path TEXT, record TEXT,"
    "  added TEXT NOT NULL, PRIMARY KEY(doc_id, outlet_id)) WITHOUT ROWID;",
    /* 4 -> 5: what `sitrep watch` follows (sources with their validators,
     * poll times and failures), every URL it has seen (pending until its
     * page is stored, so a restart resumes), and robots.txt per origin.
     * See src/store/watch_state.c. */
    "CREATE TABLE IF NOT EXISTS watch_sources(id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE,"
    "  name TEXT, poll_interval INTEGER NOT NULL DEFAULT 900, active INTEGER NOT NULL DEFAULT 1,"
    "  ord INTEGER NOT NULL DEFAULT 0, kind TEXT, etag TEXT, last_modified TEXT,"
    "  last_fetch INTEGER NOT NULL DEFAULT 0, last_status INTEGER NOT NULL DEFAULT 0,"
    "  last_new INTEGER NOT NULL DEFAULT 0, docs INTEGER NOT NULL DEFAULT 0,"
    "  polls INTEGER NOT NULL DEFAULT 0, not_modified INTEGER NOT NULL DEFAULT 0,"
    "  failures INTEGER NOT NULL DEFAULT 0, last_error TEXT, last_error_at INTEGER NOT NULL DEFAULT 0,"
    "  next_poll INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS watch_urls(id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE,"
    "  source_id INTEGER, state INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL,"
    "  settled INTEGER, doc_id INTEGER, attempts INTEGER NOT NULL DEFAULT 0, entry TEXT, note TEXT);"
    "CREATE INDEX IF NOT EXISTS watch_urls_pending ON watch_urls(id) WHERE state = 0;"
    "CREATE INDEX IF NOT EXISTS watch_urls_source ON watch_urls(source_id, state);"
    "CREATE TABLE IF NOT EXISTS watch_robots(origin TEXT PRIMARY KEY, fetched INTEGER NOT NULL,"
    "  status INTEGER NOT NULL, body BLOB) WITHOUT ROWID;",
    /* 5 -> 6: why each document is in its story, and what happened to
     * stories.  story_joins: how a document joined (opened, joined,
     * near-copy), with the clusterer's score, its parts and the nearest
     * earlier document, for `sitrep story --explain`.  story_changes: merges
     * (from_story now lives in into_story) and splits (documents moved from
     * from_story to the new into_story), so any id ever handed out still
     * leads to its documents. */
    "CREATE TABLE IF NOT EXISTS story_joins(doc_id INTEGER PRIMARY KEY, story_id INTEGER NOT NULL,"
    "  how TEXT NOT NULL, score REAL, profile REAL, link REAL, time_factor REAL,"
    "  nearest_doc INTEGER);"
    "CREATE TABLE IF NOT EXISTS story_changes(id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    "  from_story INTEGER NOT NULL, into_story INTEGER NOT NULL, doc_id INTEGER,"
    "  documents INTEGER, at TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS story_changes_from ON story_changes(from_story);",
    /* 6 -> 7: which coder coded each document, so `sitrep recode` can bring
     * a store up to date with new dictionaries or a new coder and resume
     * after a kill (store/recode.c).  coders names each coder once (its
     * stamp: sitrep's build and a hash of the dictionaries); doc_coder maps
     * a document to it, apart from the documents' rows so that asking never
     * walks a body's overflow pages; recode_state is the place of a recode
     * in progress.  Documents stored before this have no doc_coder row. */
    "CREATE TABLE IF NOT EXISTS coders(id INTEGER PRIMARY KEY, stamp TEXT NOT NULL UNIQUE,"
    "  first_used TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS doc_coder(doc_id INTEGER PRIMARY KEY, coder_id INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS recode_state(id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  coder_id INTEGER NOT NULL, since INTEGER NOT NULL, all_docs INTEGER NOT NULL,"
    "  last_doc INTEGER NOT NULL, started TEXT NOT NULL);",
    /* 7 -> 8: the live stories by last time.  The clusterer holds only the
     * stories near the newest document; a late document's stories are read
     * back by this range (bring_back), so that where batches and processes
     * end does not change which story a document joins. */
    "CREATE INDEX IF NOT EXISTS stories_last ON stories(last_time) WHERE merged_into IS NULL;",
};

const char *sr_store_errmsg(const sr_store *st)
{
    return st->errmsg[0] ? st->errmsg : "";
}

/* The message for a failed call, naming the store.  A full disk (SQLite's
 * SQLITE_FULL, or a write that failed with ENOSPC/EDQUOT) is said in those
 * words: what a user must do about it is not in "database or disk is
 * full" or in the rollback error that used to follow it. */
static void fail_msg(sr_store *st, const char *what, const char *msg)
{
    int code = st->db ? sqlite3_errcode(st->db) : SQLITE_OK;
    int sys = st->db ? sqlite3_system_errno(st->db) : 0;
    const char *path = st->path ? st->path : "?";
    if (code == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT)
        snprintf(st->errmsg, sizeof st->errmsg,
                 "the disk is full: cannot write the store '%s' (%s); what was "
                 "committed before is kept", path, what);
    else if (code == SQLITE_READONLY)
        snprintf(st->errmsg, sizeof st->errmsg,
                 "the store '%s' cannot be written (%s): %s", path, what, msg);
    else
        snprintf(st->errmsg, sizeof st->errmsg, "store '%s': %s: %s", path, what, msg);
}

sr_err st_fail(sr_store *st, const char *what)
{
    fail_msg(st, what, sqlite3_errmsg(st->db));
    return SR_EIO;
}

static sr_err exec(sr_store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        char what[40];
        if (!strncmp(sql, "COMMIT", 6))
            snprintf(what, sizeof what, "committing a batch");
        else if (!strncmp(sql, "BEGIN", 5))
            snprintf(what, sizeof what, "starting a batch");
        else
            snprintf(what, sizeof what, "%.*s", (int)strcspn(sql, " ;("), sql);
        fail_msg(st, what, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return SR_EIO;
    }
    return SR_OK;
}

/* Undo the open transaction, if SQLite has not already (it rolls back by
 * itself on a full disk); never replaces the message of the error that
 * caused it. */
static void rollback(sr_store *st)
{
    if (st->db && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

sr_err st_prepare(sr_store *st, sqlite3_stmt **s, const char *sql)
{
    if (*s) {
        sqlite3_reset(*s);
        sqlite3_clear_bindings(*s);
        return SR_OK;
    }
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL) != SQLITE_OK)
        return st_fail(st, "prepare");
    return SR_OK;
}

static int64_t meta_get(sr_store *st, const char *key)
{
    sqlite3_stmt *s = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key=?", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return v;
}

static sr_err meta_set(sr_store *st, const char *key, int64_t v)
{
    sr_err e = st_prepare(st, &st->q_meta_set,
                          "INSERT INTO meta(key,value) VALUES(?,?) "
                          "ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    if (e)
        return e;
    sqlite3_bind_text(st->q_meta_set, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st->q_meta_set, 2, v);
    if (sqlite3_step(st->q_meta_set) != SQLITE_DONE)
        return st_fail(st, "meta");
    return SR_OK;
}

static sr_err migrate(sr_store *st)
{
    sqlite3_stmt *s = NULL;
    int version = 0;
    sr_err e = SR_OK;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "reading the schema version");
    if (sqlite3_step(s) == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    int target = (int)(sizeof migrations / sizeof migrations[0]);
    if (version > target) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "the store has schema version %d; this sitrep knows up to %d", version, target);
        return SR_EFORMAT;
    }
    if (version == target)
        return SR_OK;
    if (version == 0) {
        /* a file that has tables but no version is not ours */
        int tables = 0;
        if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            tables = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
        if (tables > 0) {
            snprintf(st->errmsg, sizeof st->errmsg, "not a sitrep store (it has other tables)");
            return SR_EFORMAT;
        }
    }
    if ((e = exec(st, "BEGIN IMMEDIATE")) != SR_OK)
        return e;
    for (int v = version; v < target && !e; v++) {
        e = exec(st, migrations[v]);
        if (!e) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
            e = exec(st, sql);
        }
    }
    if (e) {
        rollback(st);
        return e;
    }
    return exec(st, "COMMIT");
}

/* Restore the stories one statement's rows name (id, first_time, last_time,
 * ndocs, centroid), skipping any the clusterer holds: its copy is the
 * newer.  *n counts the rows, *first and *last are the first and the last
 * row's last_time. */
static sr_err restore_stories(sr_store *st, sqlite3_stmt *s, size_t *n, int64_t *first_last,
                              int64_t *last)
{
    sr_err e = SR_OK;
    int rc = SQLITE_DONE;
    while (!e && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        int64_t first = sqlite3_column_type(s, 1) == SQLITE_NULL ? SR_TIME_UNKNOWN
                                                                  : sqlite3_column_int64(s, 1);
        *last = sqlite3_column_type(s, 2) == SQLITE_NULL ? SR_TIME_UNKNOWN
                                                         : sqlite3_column_int64(s, 2);
        if (++*n == 1)
            *first_last = *last;
        if (sr_clusterer_has_story(st->cl, id))
            continue;
        e = sr_clusterer_restore_story(st->cl, id, first, *last,
                                       (uint32_t)sqlite3_column_int64(s, 3),
                                       sqlite3_column_blob(s, 4),
                                       (size_t)sqlite3_column_bytes(s, 4));
    }
    if (!e && rc != SQLITE_DONE)
        e = st_fail(st, "loading stories");
    return e;
}

static sr_err load_clusterer(sr_store *st)
{
    sqlite3_stmt *s = NULL;
    sr_err e = SR_OK;
    sr_clusterer_restore_counts(st->cl, (uint64_t)meta_get(st, "clustered_docs"),
                                meta_get(st, "next_story"));
    sr_clusterer_restore_seq(st->cl, (uint64_t)meta_get(st, "cluster_seq"));
    if (sqlite3_prepare_v2(st->db, "SELECT term, df FROM term_df", -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "loading term counts");
    while (!e && sqlite3_step(s) == SQLITE_ROW)
        e = sr_clusterer_restore_df(st->cl, (uint64_t)sqlite3_column_int64(s, 0),
                                    (uint32_t)sqlite3_column_int64(s, 1));
    sqlite3_finalize(s);
    if (e)
        return e;
    /* the stories a batch's end would have left in memory: those within
     * the window of the newest, at most max_active of them, the latest
     * first.  Undated stories are not: only their own batch could join
     * them (a near-copy's story is brought back by id). */
    const sr_cluster_opts *o = sr_clusterer_opts(st->cl);
    const char *sql =
        "SELECT id, first_time, last_time, ndocs, centroid FROM stories "
        "WHERE merged_into IS NULL AND last_time >= "
        "  (SELECT max(last_time) FROM stories WHERE merged_into IS NULL) - ?1 "
        "ORDER BY last_time DESC, id DESC LIMIT ?2";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "loading stories");
    sqlite3_bind_int64(s, 1, o->window);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)o->max_active);
    size_t n = 0;
    int64_t newest = SR_TIME_UNKNOWN, last = SR_TIME_UNKNOWN;
    e = restore_stories(st, s, &n, &newest, &last);
    sqlite3_finalize(s);
    /* what is in memory now: every story from the window's start on, or,
     * when the cap may have cut the list, every one after the last taken
     * (none dated stored: nothing can be missing) */
    if (!e && n > 0)
        sr_clusterer_restore_resident(st->cl, n >= o->max_active ? last + 1
                                                                 : newest - o->window);
    return e;
}

sr_err sr_store_set_cluster_opts(sr_store *st, const sr_cluster_opts *opts)
{
    if (st->readonly || st->in_batch)
        return SR_EINVAL;
    sr_clusterer *c = sr_clusterer_new(opts);
    if (!c)
        return SR_ENOMEM;
    sr_clusterer_free(st->cl);
    st->cl = c;
    return load_clusterer(st);
}

/* uri: what SQLite opens when it is not the path itself (a file: URI with
 * parameters), else NULL. */
static sr_err open_common(const char *path, const char *uri, int flags, sr_store **out)
{
    *out = NULL;
    sr_store *st = calloc(1, sizeof *st);
    if (!st)
        return SR_ENOMEM;
    sr_err e = SR_OK;
    struct stat sb;
    if (!(st->path = strdup(path))) {
        e = SR_ENOMEM;
        goto out;
    }
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        /* one message whichever command meets it (SQLite's differ) */
        snprintf(st->errmsg, sizeof st->errmsg, "cannot open the store '%s': %s", path,
                 S_ISDIR(sb.st_mode) ? "it is a directory, not a store file"
                                     : "it is not a regular file");
        e = SR_EIO;
        goto out;
    }
    if (sqlite3_open_v2(uri ? uri : path, &st->db, flags | (uri ? SQLITE_OPEN_URI : 0),
                        NULL) != SQLITE_OK) {
        snprintf(st->errmsg, sizeof st->errmsg, "cannot open the store '%s': %s", path,
                 st->db ? sqlite3_errmsg(st->db) : "out of memory");
        e = SR_EIO;
        goto out;
    }
    sqlite3_busy_timeout(st->db, 10000);
    st->readonly = !(flags & SQLITE_OPEN_READWRITE);
    if (!st->readonly) {
        /* WAL: readers never block the writer, and a commit is one append;
         * synchronous=NORMAL keeps every commit across a process kill (only
         * a power cut may lose the last ones) */
        /* a 32 MiB page cache: the near-copy and duplicate lookups touch
         * indexes all over a growing file, and re-reading pages from the OS
         * cost more than the coding at 10,000 documents; memory stays
         * bounded by it.  Checkpoints every 32 MiB of WAL rather than 4:
         * index and FTS pages rewritten by consecutive batches are copied
         * back once instead of many times. */
        if ((e = exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                          "PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;"
                          "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=8192")) != SR_OK)
            goto out;
        if ((e = migrate(st)) != SR_OK)
            goto out;
        st->cl = sr_clusterer_new(NULL);
        if (!st->cl) {
            e = SR_ENOMEM;
            goto out;
        }
        if ((e = load_clusterer(st)) != SR_OK)
            goto out;
    } else {
        sqlite3_stmt *s = NULL;
        int version = 0;
        if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            version = sqlite3_column_int(s, 0);
        else if (sqlite3_errcode(st->db) == SQLITE_NOTADB)
            snprintf(st->errmsg, sizeof st->errmsg, "'%s' is not a sitrep store (not an SQLite "
                     "database)", path), e = SR_EFORMAT;
        else
            e = st_fail(st, "reading the store");
        sqlite3_finalize(s);
        if (!e && version != SR_STORE_SCHEMA) {
            st->old_schema = version > 0 && version < SR_STORE_SCHEMA;
            if (version == 0)
                snprintf(st->errmsg, sizeof st->errmsg,
                         "'%s' is not a sitrep store (run sitrep ingest first)", path);
            else if (st->old_schema)
                snprintf(st->errmsg, sizeof st->errmsg,
                         "'%s' has schema version %d and cannot be written to migrate it "
                         "to %d (open it with sitrep ingest where it is writable)",
                         path, version, SR_STORE_SCHEMA);
            else
                snprintf(st->errmsg, sizeof st->errmsg,
                         "'%s' has schema version %d; this sitrep knows up to %d",
                         path, version, SR_STORE_SCHEMA);
            e = SR_EFORMAT;
        }
    }
out:
    *out = st;   /* even on error, so the caller can read errmsg */
    return e;
}

sr_err sr_store_open(const char *path, sr_store **out)
{
    return open_common(path, NULL, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, out);
}

/* "file:" URI of path with ?immutable=1 (path's '%', '?' and '#' escaped). */
static char *immutable_uri(const char *path)
{
    sr_buf b = SR_BUF_INIT(16384);
    sr_err e = sr_buf_puts(&b, "file:");
    for (const char *p = path; *p && !e; p++)
        e = (*p == '%' || *p == '?' || *p == '#') ? sr_buf_printf(&b, "%%%02X", (unsigned char)*p)
                                                  : sr_buf_putc(&b, *p);
    if (!e)
        e = sr_buf_puts(&b, "?immutable=1");
    if (e) {
        sr_buf_free(&b);
        return NULL;
    }
    return sr_buf_detach(&b, NULL);
}

sr_err sr_store_open_readonly(const char *path, sr_store **out)
{
    sr_err e = open_common(path, NULL, SQLITE_OPEN_READONLY, out);
    if (e == SR_EIO && (*out)->db && sqlite3_errcode((*out)->db) == SQLITE_CANTOPEN) {
        /* A WAL store in a folder this user cannot write: SQLite needs to
         * make its -shm file there to read.  With no -wal file (every
         * change checkpointed, as sitrep leaves a store it closes) the
         * file alone is the whole store and can be read as immutable. */
        char wal[4096];
        struct stat sb;
        snprintf(wal, sizeof wal, "%s-wal", path);
        if (stat(wal, &sb) == 0 && sb.st_size > 0) {
            snprintf((*out)->errmsg, sizeof (*out)->errmsg,
                     "cannot read the store '%.150s': its folder cannot be written and it "
                     "has changes not yet merged from '%.150s' (run sitrep ingest where it "
                     "is writable, or copy the store and that file)", path, wal);
            return e;
        }
        char *uri = immutable_uri(path);
        if (!uri)
            return SR_ENOMEM;
        sr_store *ro = NULL;
        sr_err e2 = open_common(path, uri, SQLITE_OPEN_READONLY, &ro);
        free(uri);
        if (e2 == SR_OK) {
            sr_store_close(*out);
            *out = ro;
            return SR_OK;
        }
        sr_store_close(ro);
        return e;
    }
    if (e != SR_EFORMAT || !(*out)->old_schema)
        return e;
    /* a store an older sitrep wrote: migrate it forward (one transaction,
     * as ingest would) when the file can be written, then read it */
    sr_store *rw = NULL;
    if (open_common(path, NULL, SQLITE_OPEN_READWRITE, &rw) != SR_OK) {
        sr_store_close(rw);
        return e;    /* *out keeps the message saying why */
    }
    sr_store_close(rw);
    sr_store_close(*out);
    return open_common(path, NULL, SQLITE_OPEN_READONLY, out);
}

static void finalize_all(sr_store *st)
{
    sqlite3_stmt **all[] = {
        &st->q_has, &st->q_outlet_ins, &st->q_outlet_get, &st->q_body, &st->q_doc_ins,
        &st->q_fts_ins, &st->q_event_ins, &st->q_event_get, &st->q_mention_ins,
        &st->q_actor_ins, &st->q_issue_ins, &st->q_story_ins, &st->q_story_state,
        &st->q_story_merge, &st->q_doc_restory, &st->q_df, &st->q_event_count,
        &st->q_meta_set, &st->q_geo_ins, &st->q_story_change, &st->q_story_join,
        &st->q_doc_move, &st->q_stamp, &st->q_story_range, &st->q_story_one,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        sqlite3_finalize(*all[i]);
        *all[i] = NULL;
    }
    for (int b = 0; b < SR_SIMHASH_BANDS; b++) {
        sqlite3_finalize(st->q_near[b]);
        st->q_near[b] = NULL;
    }
}

sr_err sr_store_close(sr_store *st)
{
    if (!st)
        return SR_OK;
    sr_err e = SR_OK;
    if (st->in_batch)
        e = sr_store_commit(st);
    finalize_all(st);
    if (st->db && !st->readonly && !e)
        sqlite3_exec(st->db, "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close(st->db);
    sr_clusterer_free(st->cl);
    sr_story_terms_free(&st->terms);
    free(st->shingles);
    free(st->path);
    free(st->touched);
    free(st->actors);
    free(st);
    return e;
}

/* ---- adding documents --------------------------------------------------------- */

bool sr_store_has_body(sr_store *st, uint64_t hash)
{
    if (st_prepare(st, &st->q_has, "SELECT 1 FROM documents WHERE hash=?") != SR_OK)
        return false;
    sqlite3_bind_int64(st->q_has, 1, (sqlite3_int64)hash);
    bool found = sqlite3_step(st->q_has) == SQLITE_ROW;
    sqlite3_reset(st->q_has);
    return found;
}

static void now_stamp(char out[16])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y%m%d%H%M%S", &tm);
}

/* "2025-11-04..." -> 20251104, else 0; *secs the time (UTC) or unknown. */
static int parse_day(const char *iso, int64_t *secs)
{
    *secs = SR_TIME_UNKNOWN;
    if (!iso || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-')
        return 0;
    int y = 0, m = 0, d = 0;
    for (int i = 0; i < 4; i++) {
        if (iso[i] < '0' || iso[i] > '9')
            return 0;
        y = y * 10 + iso[i] - '0';
    }
    if (iso[5] < '0' || iso[5] > '9' || iso[6] < '0' || iso[6] > '9' ||
        iso[8] < '0' || iso[8] > '9' || iso[9] < '0' || iso[9] > '9')
        return 0;
    m = (iso[5] - '0') * 10 + iso[6] - '0';
    d = (iso[8] - '0') * 10 + iso[9] - '0';
    /* a page's "0001-01-01" is a placeholder, not a date */
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1800 || y > 2200)
        return 0;
    int hh = 0, mm = 0, ss = 0;
    if (strlen(iso) >= 19 && iso[10] == 'T') {
        hh = (iso[11] - '0') * 10 + iso[12] - '0';
        mm = (iso[14] - '0') * 10 + iso[15] - '0';
        ss = (iso[17] - '0') * 10 + iso[18] - '0';
    }
    /* days from civil (Howard Hinnant's algorithm) */
    int yy = y - (m <= 2);
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    unsigned yoe = (unsigned)(yy - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + (int64_t)doe - 719468;
    *secs = days * 86400 + hh * 3600 + mm * 60 + ss;
    return y * 10000 + m * 100 + d;
}

static sr_err outlet_id(sr_store *st, const char *name, int64_t *id)
{
    sr_err e = st_prepare(st, &st->q_outlet_ins, "INSERT OR IGNORE INTO outlets(name) VALUES(?)");
    if (e)
        return e;
    sqlite3_bind_text(st->q_outlet_ins, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st->q_outlet_ins) != SQLITE_DONE)
        return st_fail(st, "outlet");
    if ((e = st_prepare(st, &st->q_outlet_get, "SELECT id FROM outlets WHERE name=?")) != SR_OK)
        return e;
    sqlite3_bind_text(st->q_outlet_get, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st->q_outlet_get) != SQLITE_ROW)
        return st_fail(st, "outlet");
    *id = sqlite3_column_int64(st->q_outlet_get, 0);
    sqlite3_reset(st->q_outlet_get);
    return SR_OK;
}

/* A stored document this body is a near-copy of (following copy_of to the
 * original), with its story: the fingerprint within SR_NEAR_COPY_BITS and
 * the shingles mostly shared.  Only the most recent candidates sharing a
 * band are looked at, so a flood of look-alike pages costs bounded time. */
static sr_err near_copy(sr_store *st, const sr_doc *d, uint64_t sh, int64_t *orig, int64_t *story)
{
    static const char *const sql[SR_SIMHASH_BANDS] = {
#define NEAR(n) "SELECT id, simhash, coalesce(copy_of, id), story_id FROM documents " \
                "WHERE sh" #n "=? ORDER BY id DESC LIMIT 32"
        NEAR(0), NEAR(1), NEAR(2), NEAR(3), NEAR(4), NEAR(5),
#undef NEAR
    };
    *orig = 0;
    *story = 0;
    int checked = 0;
    bool have_own = false;   /* the new document's shingles, built once */
    if (!st->shingles && !(st->shingles = malloc(2 * sizeof *st->shingles)))
        return SR_ENOMEM;
    for (int b = 0; b < SR_SIMHASH_BANDS && !*orig && checked < 8; b++) {
        sr_err e = st_prepare(st, &st->q_near[b], sql[b]);
        if (e)
            return e;
        sqlite3_stmt *q = st->q_near[b];
        sqlite3_bind_int(q, 1, (int)sr_simhash_band(sh, b));
        int rc;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            uint64_t other = (uint64_t)sqlite3_column_int64(q, 1);
            if (sr_simhash_distance(sh, other) > SR_NEAR_COPY_BITS)
                continue;
            /* a few full comparisons at most */
            if (++checked > 8)
                break;
            if ((e = st_prepare(st, &st->q_body, "SELECT body FROM documents WHERE id=?")))
                return e;
            sqlite3_bind_int64(st->q_body, 1, sqlite3_column_int64(q, 0));
            if (sqlite3_step(st->q_body) == SQLITE_ROW) {
                const char *body = (const char *)sqlite3_column_text(st->q_body, 0);
                size_t blen = (size_t)sqlite3_column_bytes(st->q_body, 0);
                if (body && !have_own) {
                    sr_shingle_set_build(&st->shingles[0], d->text, d->text_len);
                    have_own = true;
                }
                if (body)
                    sr_shingle_set_build(&st->shingles[1], body, blen);
                if (body && sr_shingle_set_containment(&st->shingles[0], &st->shingles[1]) >=
                                SR_NEAR_COPY_CONTAINMENT) {
                    *orig = sqlite3_column_int64(q, 2);
                    *story = sqlite3_column_int64(q, 3);
                }
            }
            sqlite3_reset(st->q_body);
            if (*orig)
                break;
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return st_fail(st, "near-copy lookup");
        sqlite3_reset(q);
    }
    return SR_OK;
}

sr_err st_touch_event(sr_store *st, int64_t id)
{
    for (size_t i = st->ntouched; i > 0 && i + 8 > st->ntouched; i--)
        if (st->touched[i - 1] == id)
            return SR_OK;   /* cheap check of the last few: most repeats are adjacent */
    if (sr_grow((void **)&st->touched, &st->captouched, st->ntouched + 1, sizeof *st->touched))
        return SR_ENOMEM;
    st->touched[st->ntouched++] = id;
    return SR_OK;
}

/* The places of the mention just inserted. */
static sr_err add_mention_geo(sr_store *st, const sr_event_geo *g)
{
    int64_t mid = sqlite3_last_insert_rowid(st->db);
    const sr_place *pl[3] = { &g->action, &g->actor1, &g->actor2 };
    for (int role = 0; role < 3; role++) {
        const sr_place *p = pl[role];
        if (p->type == SR_GEO_NONE)
            continue;
        sr_err e = st_prepare(st, &st->q_geo_ins,
            "INSERT OR REPLACE INTO mention_geo(mention_id,role,type,name,country,iso2,fips,adm1,"
            "lat,lon,feature_id,confidence) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
        if (e)
            return e;
        sqlite3_stmt *s = st->q_geo_ins;
        sqlite3_bind_int64(s, 1, mid);
        sqlite3_bind_int(s, 2, role);
        sqlite3_bind_int(s, 3, p->type);
        sqlite3_bind_text(s, 4, p->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, p->iso3, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 6, p->iso2, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 7, p->fips, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 8, p->adm1, -1, SQLITE_STATIC);
        sqlite3_bind_double(s, 9, p->lat);
        sqlite3_bind_double(s, 10, p->lon);
        sqlite3_bind_text(s, 11, p->feature_id, -1, SQLITE_STATIC);
        sqlite3_bind_double(s, 12, p->confidence);
        if (sqlite3_step(s) != SQLITE_DONE)
            return st_fail(st, "mention place");
    }
    return SR_OK;
}

sr_err st_add_mention(sr_store *st, int64_t doc_id, int64_t outlet, int day,
                      const char *added, const sr_store_mention *sm)
{
    const sr_mention *m = sm->m;
    const char *target = m->has_target ? m->target.code : "";
    sr_err e = st_prepare(st, &st->q_event_ins,
        "INSERT INTO events(day,source,target,cameo,root,quad,goldstein,plover_event,"
        "plover_mode,added) VALUES(?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(day,source,target,cameo) DO NOTHING");
    if (e)
        return e;
    sqlite3_stmt *s = st->q_event_ins;
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_text(s, 2, m->source.code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, m->cameo, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, m->root, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 6, m->quad);
    sqlite3_bind_double(s, 7, m->goldstein);
    if (m->plover_event)
        sqlite3_bind_text(s, 8, m->plover_event, -1, SQLITE_STATIC);
    if (m->plover_mode)
        sqlite3_bind_text(s, 9, m->plover_mode, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 10, added, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        return st_fail(st, "event");
    int64_t event_id;
    if (sqlite3_changes(st->db) > 0) {
        event_id = sqlite3_last_insert_rowid(st->db);
    } else {
        if ((e = st_prepare(st, &st->q_event_get,
                "SELECT id FROM events WHERE day=? AND source=? AND target=? AND cameo=?")))
            return e;
        s = st->q_event_get;
        sqlite3_bind_int(s, 1, day);
        sqlite3_bind_text(s, 2, m->source.code, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, target, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, m->cameo, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_ROW)
            return st_fail(st, "event lookup");
        event_id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }
    if ((e = st_touch_event(st, event_id)))
        return e;
    if ((e = st_prepare(st, &st->q_mention_ins,
            "INSERT OR IGNORE INTO mentions(doc_id,event_id,sentence,sentence_text,source,target,"
            "source_text,target_text,source_known,target_known,cameo,modality,verb_text,issues,"
            "outlet_id,source_name,target_name,source_inferred,target_inferred,lead) "
            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")))
        return e;
    s = st->q_mention_ins;
    sqlite3_bind_int64(s, 1, doc_id);
    sqlite3_bind_int64(s, 2, event_id);
    sqlite3_bind_int(s, 3, (int)m->sentence);
    sqlite3_bind_text(s, 4, sm->sentence ? sm->sentence : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, m->source.code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, sm->source_text ? sm->source_text : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, sm->target_text ? sm->target_text : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 9, m->source.known);
    sqlite3_bind_int(s, 10, m->has_target ? m->target.known : 0);
    sqlite3_bind_text(s, 11, m->cameo, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 12, sr_modality_name(m->modality), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 13, sm->verb_text ? sm->verb_text : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 14, m->issues, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 15, outlet);
    if (sm->source_name)
        sqlite3_bind_text(s, 16, sm->source_name, -1, SQLITE_STATIC);
    if (sm->target_name && m->has_target)
        sqlite3_bind_text(s, 17, sm->target_name, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 18, sm->geo && sm->geo->source_inferred);
    sqlite3_bind_int(s, 19, sm->geo && sm->geo->target_inferred);
    if (sm->geo)
        sqlite3_bind_int(s, 20, sm->geo->in_lead);
    if (sqlite3_step(s) != SQLITE_DONE)
        return st_fail(st, "mention");
    /* a repeat of a stored mention adds no place and no actor sighting:
     * actors.mentions counts stored mentions, which recode can take back */
    bool inserted = sqlite3_changes(st->db) > 0;
    if (sm->geo && inserted && (e = add_mention_geo(st, sm->geo)))
        return e;

    /* actors seen, known and unknown */
    const sr_actor_ref *refs[2] = { inserted ? &m->source : NULL,
                                    inserted && m->has_target ? &m->target : NULL };
    const char *texts[2] = { sm->source_text, sm->target_text };
    for (int k = 0; k < 2; k++) {
        if (!refs[k] || !refs[k]->code[0])
            continue;
        if ((e = st_prepare(st, &st->q_actor_ins,
                "INSERT INTO actors(code,text,known,mentions,first_doc) VALUES(?,?,?,1,?) "
                "ON CONFLICT(code,text) DO UPDATE SET mentions=mentions+1")))
            return e;
        s = st->q_actor_ins;
        sqlite3_bind_text(s, 1, refs[k]->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, texts[k] ? texts[k] : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, refs[k]->known);
        sqlite3_bind_int64(s, 4, doc_id);
        if (sqlite3_step(s) != SQLITE_DONE)
            return st_fail(st, "actor");
    }
    /* issues, one row per document and code */
    const char *is = m->issues;
    while (*is) {
        const char *comma = strchr(is, ',');
        size_t n = comma ? (size_t)(comma - is) : strlen(is);
        if (n > 0) {
            if ((e = st_prepare(st, &st->q_issue_ins,
                    "INSERT OR IGNORE INTO issues(doc_id,code) VALUES(?,?)")))
                return e;
            sqlite3_bind_int64(st->q_issue_ins, 1, doc_id);
            sqlite3_bind_text(st->q_issue_ins, 2, is, (int)n, SQLITE_STATIC);
            if (sqlite3_step(st->q_issue_ins) != SQLITE_DONE)
                return st_fail(st, "issue");
        }
        is += n + (comma ? 1 : 0);
    }
    return SR_OK;
}

static sr_err merge_story(sr_store *st, int64_t from, int64_t into)
{
    sr_err e = st_prepare(st, &st->q_doc_restory, "UPDATE documents SET story_id=? WHERE story_id=?");
    if (e)
        return e;
    sqlite3_bind_int64(st->q_doc_restory, 1, into);
    sqlite3_bind_int64(st->q_doc_restory, 2, from);
    if (sqlite3_step(st->q_doc_restory) != SQLITE_DONE)
        return st_fail(st, "merging stories");
    if ((e = st_prepare(st, &st->q_story_merge,
            "UPDATE stories SET merged_into=?, centroid=NULL WHERE id=?")))
        return e;
    sqlite3_bind_int64(st->q_story_merge, 1, into);
    sqlite3_bind_int64(st->q_story_merge, 2, from);
    if (sqlite3_step(st->q_story_merge) != SQLITE_DONE)
        return st_fail(st, "merging stories");
    /* stories merged earlier into `from` follow it */
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE stories SET merged_into=%lld WHERE merged_into=%lld",
             (long long)into, (long long)from);
    return exec(st, sql);
}

/* A body already stored, arriving from another outlet: record that outlet
 * for the stored document (once). */
static sr_err other_outlet(sr_store *st, uint64_t hash, const sr_store_input *in,
                           const char *added, sr_store_added *res)
{
    sqlite3_stmt *s = NULL;
    int64_t doc = 0, doc_outlet = 0, oid;
    sr_err e;
    if (sqlite3_prepare_v2(st->db, "SELECT id, outlet_id FROM documents WHERE hash=?", -1, &s,
                           NULL) != SQLITE_OK)
        return st_fail(st, "copy lookup");
    sqlite3_bind_int64(s, 1, (sqlite3_int64)hash);
    if (sqlite3_step(s) == SQLITE_ROW) {
        doc = sqlite3_column_int64(s, 0);
        doc_outlet = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    if (!doc)
        return SR_OK;
    res->doc_id = doc;
    if ((e = outlet_id(st, in->outlet, &oid)))
        return e;
    if (oid == doc_outlet)
        return SR_OK;
    if (sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO doc_outlets(doc_id,outlet_id,url,path,"
                           "record,added) VALUES(?,?,?,?,?,?)", -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "copy outlet");
    sqlite3_bind_int64(s, 1, doc);
    sqlite3_bind_int64(s, 2, oid);
    sqlite3_bind_text(s, 3, in->doc->url, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, in->doc->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, in->doc->record, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, added, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
        e = st_fail(st, "copy outlet");
        sqlite3_finalize(s);
        return e;
    }
    res->new_outlet = sqlite3_changes(st->db) > 0;
    sqlite3_finalize(s);
    return SR_OK;
}

/* The id the next document gets: known before it is inserted, since the
 * clusterer keys its remembered documents by it.  Read once per batch,
 * inside the write transaction, so no other writer can take it. */
static sr_err next_doc_id(sr_store *st, int64_t *id)
{
    if (st->next_doc == 0) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) + 1 FROM documents", -1,
                               &s, NULL) != SQLITE_OK)
            return st_fail(st, "document ids");
        st->next_doc = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 1;
        sqlite3_finalize(s);
    }
    *id = st->next_doc;
    return SR_OK;
}

static sr_err story_change(sr_store *st, const char *kind, int64_t from, int64_t into,
                           int64_t doc_id, int64_t documents, const char *added)
{
    sr_err e = st_prepare(st, &st->q_story_change,
        "INSERT INTO story_changes(kind,from_story,into_story,doc_id,documents,at) "
        "VALUES(?,?,?,?,?,?)");
    if (e)
        return e;
    sqlite3_stmt *s = st->q_story_change;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, into);
    sqlite3_bind_int64(s, 4, doc_id);
    if (documents)
        sqlite3_bind_int64(s, 5, documents);
    sqlite3_bind_text(s, 6, added, -1, SQLITE_STATIC);
    return sqlite3_step(s) == SQLITE_DONE ? SR_OK : st_fail(st, "story change");
}

/* Why the document is in its story (sitrep story --explain reads it). */
static sr_err record_join(sr_store *st, int64_t doc_id, int64_t orig, const sr_cluster_result *cr)
{
    sr_err e = st_prepare(st, &st->q_story_join,
        "INSERT OR REPLACE INTO story_joins(doc_id,story_id,how,score,profile,link,time_factor,"
        "nearest_doc) VALUES(?,?,?,?,?,?,?,?)");
    if (e)
        return e;
    sqlite3_stmt *s = st->q_story_join;
    sqlite3_bind_int64(s, 1, doc_id);
    sqlite3_bind_int64(s, 2, cr->story);
    sqlite3_bind_text(s, 3, orig ? "near-copy" : cr->is_new ? "opened" : "joined", -1,
                      SQLITE_STATIC);
    if (!orig && !cr->is_new) {
        sqlite3_bind_double(s, 4, cr->score);
        sqlite3_bind_double(s, 5, cr->profile);
        sqlite3_bind_double(s, 6, cr->link);
        sqlite3_bind_double(s, 7, cr->time_factor);
        if (cr->nearest)
            sqlite3_bind_int64(s, 8, cr->nearest);
    } else if (orig) {
        sqlite3_bind_int64(s, 8, orig);
    }
    return sqlite3_step(s) == SQLITE_DONE ? SR_OK : st_fail(st, "story join");
}

/* A story became two: the documents the clusterer moved, and their
 * near-copies, go to the new story, which is named after the first of
 * them. */
static sr_err split_story(sr_store *st, const sr_cluster_result *cr, int64_t doc_id,
                          const char *added)
{
    sr_err e = SR_OK;
    int64_t first = 0;
    for (size_t i = 0; i < cr->nmoved && !e; i++) {
        if (!first || cr->moved[i] < first)
            first = cr->moved[i];
        if ((e = st_prepare(st, &st->q_doc_move,
                "UPDATE documents SET story_id=?1 WHERE (id=?2 OR copy_of=?2) AND story_id=?3")))
            break;
        sqlite3_bind_int64(st->q_doc_move, 1, cr->split_into);
        sqlite3_bind_int64(st->q_doc_move, 2, cr->moved[i]);
        sqlite3_bind_int64(st->q_doc_move, 3, cr->split_from);
        if (sqlite3_step(st->q_doc_move) != SQLITE_DONE)
            e = st_fail(st, "splitting a story");
    }
    if (e)
        return e;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
            "INSERT OR IGNORE INTO stories(id,title,created) SELECT ?1, coalesce(nullif(title,''),"
            " substr(replace(replace(body, char(10), ' '), char(9), ' '), 1, 120)), ?3"
            " FROM documents WHERE id=?2", -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "splitting a story");
    sqlite3_bind_int64(s, 1, cr->split_into);
    sqlite3_bind_int64(s, 2, first);
    sqlite3_bind_text(s, 3, added, -1, SQLITE_STATIC);
    e = sqlite3_step(s) == SQLITE_DONE ? SR_OK : st_fail(st, "splitting a story");
    sqlite3_finalize(s);
    if (!e)
        e = story_change(st, "split", cr->split_from, cr->split_into, doc_id,
                         (int64_t)cr->nmoved, added);
    return e;
}

/* Before a document at secs is clustered: the stored stories it could be
 * compared with that have left the clusterer's memory (it is dated before
 * the newest by more than the window), and its original's story if it is
 * a near-copy.  Without them a late report of last week's story would
 * open a story of its own, or a near-copy bring its story back empty, only
 * because a batch ended or the process restarted in between. */
static sr_err bring_back(sr_store *st, int64_t secs, int64_t force_story)
{
    int64_t from, to, first_to, last;
    size_t n = 0;
    sr_err e = SR_OK;
    if (sr_clusterer_missing(st->cl, secs, &from, &to, &first_to)) {
        if ((e = st_prepare(st, &st->q_story_range,
                "SELECT id, first_time, last_time, ndocs, centroid FROM stories "
                "WHERE merged_into IS NULL AND last_time >= ?1 AND last_time < ?2 "
                "AND first_time <= ?3")))
            return e;
        sqlite3_bind_int64(st->q_story_range, 1, from);
        sqlite3_bind_int64(st->q_story_range, 2, to);
        sqlite3_bind_int64(st->q_story_range, 3, first_to);
        e = restore_stories(st, st->q_story_range, &n, &last, &last);
        sqlite3_reset(st->q_story_range);
        if (e)
            return e;
    }
    if (force_story > 0 && !sr_clusterer_has_story(st->cl, force_story)) {
        if ((e = st_prepare(st, &st->q_story_one,
                "SELECT id, first_time, last_time, ndocs, centroid FROM stories "
                "WHERE id = ? AND merged_into IS NULL AND centroid IS NOT NULL")))
            return e;
        sqlite3_bind_int64(st->q_story_one, 1, force_story);
        e = restore_stories(st, st->q_story_one, &n, &last, &last);
        sqlite3_reset(st->q_story_one);
    }
    return e;
}

sr_err sr_store_add(sr_store *st, const sr_store_input *in, sr_store_added *res)
{
    const sr_doc *d = in->doc;
    memset(res, 0, sizeof *res);
    uint64_t hash = in->body_hash ? in->body_hash : sr_body_hash(d->text, d->text_len);
    sr_err e = SR_OK;
    if (st->readonly)
        return SR_EINVAL;
    if (!st->in_batch) {
        if ((e = exec(st, "BEGIN IMMEDIATE")) != SR_OK)
            return e;
        st->in_batch = true;
        st->batch_docs = 0;
        st->next_doc = 0;
    }
    char added[16];
    now_stamp(added);
    if (sr_store_has_body(st, hash)) {
        res->duplicate = true;
        return other_outlet(st, hash, in, added, res);
    }
    int64_t secs;
    int day = parse_day(d->published, &secs);
    int64_t oid;
    if ((e = outlet_id(st, in->outlet, &oid)))
        return e;
    uint64_t sh = sr_simhash(d->text, d->text_len);
    int64_t orig = 0, orig_story = 0;
    if ((e = near_copy(st, d, sh, &orig, &orig_story)))
        return e;

    /* the story: terms from the title, the lead and the coded events; the
     * document's id is its key in the clusterer (splits name what moved) */
    int64_t doc_id;
    if ((e = next_doc_id(st, &doc_id)))
        return e;
    if ((e = sr_story_terms_build(&st->terms, d->title, d->text, d->text_len, NULL, 0)))
        return e;
    for (size_t i = 0; i < in->nms; i++) {
        if ((e = sr_story_terms_add_events(&st->terms, in->ms[i].m, 1)))
            return e;
        /* below country level: countries already come with the actors */
        const sr_event_geo *g = in->ms[i].geo;
        if (g && g->action.type != SR_GEO_NONE && g->action.adm1[0] &&
            (e = sr_story_terms_add_place(&st->terms, g->action.feature_id)))
            return e;
    }
    sr_cluster_result cr;
    if ((e = bring_back(st, secs, orig ? orig_story : 0)) ||
        (e = sr_clusterer_add(st->cl, &st->terms, secs, doc_id, orig ? orig_story : 0, &cr)))
        return e;
    for (size_t i = 0; i < cr.nmerged; i++)
        if ((e = merge_story(st, cr.merged[i], cr.story)) ||
            (e = story_change(st, "merge", cr.merged[i], cr.story, doc_id, 0, added)))
            return e;
    if ((e = st_prepare(st, &st->q_story_ins,
            "INSERT OR IGNORE INTO stories(id,title,created) VALUES(?,?,?)")))
        return e;
    {
        /* a story is named after its first document's headline, or the
         * start of its text */
        char fallback[121];
        const char *title = d->title && *d->title ? d->title : NULL;
        if (!title) {
            size_t n = d->text_len < 120 ? d->text_len : 120;
            while (n > 0 && n < d->text_len && (d->text[n] & 0xC0) == 0x80)
                n--;   /* do not cut a UTF-8 sequence */
            memcpy(fallback, d->text, n);
            fallback[n] = '\0';
            for (size_t k = 0; k < n; k++)
                if (fallback[k] == '\n' || fallback[k] == '\r' || fallback[k] == '\t')
                    fallback[k] = ' ';
            title = fallback;
        }
        sqlite3_bind_int64(st->q_story_ins, 1, cr.story);
        sqlite3_bind_text(st->q_story_ins, 2, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st->q_story_ins, 3, added, -1, SQLITE_STATIC);
        if (sqlite3_step(st->q_story_ins) != SQLITE_DONE)
            return st_fail(st, "story");
    }

    if ((e = st_prepare(st, &st->q_doc_ins,
            "INSERT INTO documents(hash,path,record,url,outlet_id,published,day,title,body,"
            "simhash,sh0,sh1,sh2,sh3,sh4,sh5,copy_of,story_id,added,id) "
            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")))
        return e;
    sqlite3_stmt *s = st->q_doc_ins;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)hash);
    /* a local file's absolute path: the GDELT export's SOURCEURL is then a
     * file:// URL that means the same from any directory */
    char *abs = d->path && strcmp(d->path, "-") != 0 ? realpath(d->path, NULL) : NULL;
    sqlite3_bind_text(s, 2, abs ? abs : d->path, -1, SQLITE_TRANSIENT);
    free(abs);
    if (d->record)
        sqlite3_bind_text(s, 3, d->record, -1, SQLITE_STATIC);
    if (d->url)
        sqlite3_bind_text(s, 4, d->url, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, oid);
    if (d->published)
        sqlite3_bind_text(s, 6, d->published, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 7, day);
    if (d->title)
        sqlite3_bind_text(s, 8, d->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, d->text, (int)d->text_len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 10, (sqlite3_int64)sh);
    for (int b = 0; b < SR_SIMHASH_BANDS; b++)
        sqlite3_bind_int(s, 11 + b, (int)sr_simhash_band(sh, b));
    if (orig)
        sqlite3_bind_int64(s, 17, orig);
    sqlite3_bind_int64(s, 18, cr.story);
    sqlite3_bind_text(s, 19, added, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 20, doc_id);
    if (sqlite3_step(s) != SQLITE_DONE)
        return st_fail(st, "document");
    st->next_doc = doc_id + 1;
    if ((e = record_join(st, doc_id, orig, &cr)) ||
        (cr.split_into && (e = split_story(st, &cr, doc_id, added))) ||
        (st->coder_id && (e = st_stamp_doc(st, doc_id))))
        return e;
    if ((e = st_prepare(st, &st->q_fts_ins, "INSERT INTO doc_fts(rowid,title,body) VALUES(?,?,?)")))
        return e;
    sqlite3_bind_int64(st->q_fts_ins, 1, doc_id);
    if (d->title)
        sqlite3_bind_text(st->q_fts_ins, 2, d->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st->q_fts_ins, 3, d->text, (int)d->text_len, SQLITE_STATIC);
    if (sqlite3_step(st->q_fts_ins) != SQLITE_DONE)
        return st_fail(st, "search index");

    for (size_t i = 0; i < in->nms; i++)
        if ((e = st_add_mention(st, doc_id, oid, day, added, &in->ms[i])))
            return e;

    res->doc_id = doc_id;
    res->story = cr.story;
    res->copy_of = orig;
    res->new_story = cr.is_new;
    st->last_story = cr.story;
    if (++st->batch_docs >= SR_STORE_BATCH)
        e = sr_store_commit(st);
    return e;
}

static int flush_df(uint64_t term, int32_t delta, void *ctx)
{
    sr_store *st = ctx;
    if (st_prepare(st, &st->q_df,
            "INSERT INTO term_df(term,df) VALUES(?,?) ON CONFLICT(term) DO UPDATE SET df=df+excluded.df"))
        return SR_EIO;
    sqlite3_bind_int64(st->q_df, 1, (sqlite3_int64)term);
    sqlite3_bind_int(st->q_df, 2, delta);
    return sqlite3_step(st->q_df) == SQLITE_DONE ? 0 : (st_fail(st, "term counts"), SR_EIO);
}

static int flush_story(int64_t id, int64_t first, int64_t last, uint32_t ndocs,
                       const void *blob, size_t len, void *ctx)
{
    sr_store *st = ctx;
    if (st_prepare(st, &st->q_story_state,
            "UPDATE stories SET first_time=?, last_time=?, ndocs=?, centroid=? WHERE id=?"))
        return SR_EIO;
    sqlite3_stmt *s = st->q_story_state;
    if (first != SR_TIME_UNKNOWN)
        sqlite3_bind_int64(s, 1, first);
    if (last != SR_TIME_UNKNOWN)
        sqlite3_bind_int64(s, 2, last);
    sqlite3_bind_int64(s, 3, ndocs);
    sqlite3_bind_blob(s, 4, blob, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, id);
    return sqlite3_step(s) == SQLITE_DONE ? 0 : (st_fail(st, "story state"), SR_EIO);
}

sr_err st_recount_events(sr_store *st)
{
    sr_err e = SR_OK;
    /* events touched by this batch: recount from the mentions */
    for (size_t i = 0; i < st->ntouched && !e; i++) {
        if ((e = st_prepare(st, &st->q_event_count,
                "UPDATE events SET num_mentions=(SELECT count(*) FROM mentions WHERE event_id=?1),"
                " num_articles=(SELECT count(DISTINCT doc_id) FROM mentions WHERE event_id=?1),"
                " num_sources=(SELECT count(DISTINCT outlet_id) FROM mentions WHERE event_id=?1)"
                " WHERE id=?1")))
            break;
        sqlite3_bind_int64(st->q_event_count, 1, st->touched[i]);
        if (sqlite3_step(st->q_event_count) != SQLITE_DONE)
            e = st_fail(st, "event counts");
    }
    if (!e)
        st->ntouched = 0;
    return e;
}

sr_err sr_store_commit(sr_store *st)
{
    if (!st->in_batch)
        return SR_OK;
    sr_err e = st_recount_events(st);
    if (!e) {
        int rc = sr_clusterer_flush_df(st->cl, flush_df, st);
        if (!rc)
            rc = sr_clusterer_flush_stories(st->cl, flush_story, st);
        if (rc)
            e = rc == SR_ENOMEM ? SR_ENOMEM : SR_EIO;
    }
    if (!e)
        e = meta_set(st, "clustered_docs", (int64_t)sr_clusterer_ndocs(st->cl));
    if (!e)
        e = meta_set(st, "next_story", sr_clusterer_next_id(st->cl));
    if (!e)
        e = meta_set(st, "cluster_seq", (int64_t)sr_clusterer_seq(st->cl));
    if (!e)
        e = exec(st, "COMMIT");
    if (e)
        rollback(st);
    st->in_batch = false;
    st->ntouched = 0;
    st->batch_docs = 0;
    return e;
}

void sr_store_rollback(sr_store *st)
{
    if (st->in_batch)
        rollback(st);
    st->in_batch = false;
    st->ntouched = 0;
    st->batch_docs = 0;
}
