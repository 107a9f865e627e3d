/*
 * export.c - `sitrep watch --export DIR`: after each cycle, the events the
 * cycle first saw, the way GDELT 2.0 publishes every 15 minutes, so tools
 * that follow GDELT's update feed can follow sitrep's:
 *
 *   DIR/STAMP.export.CSV     the 61 GDELT 2.0 event columns, tab-separated
 *                            (GDELT zips this file; we leave it plain:
 *                            no zip writer is worth a dependency here)
 *   DIR/STAMP.events.jsonl   the same events as sitrep's JSON Lines
 *   DIR/lastupdate.txt       "SIZE SHA256 NAME" for both, GDELT's layout
 *                            with SHA-256 in place of MD5
 *
 * Every file is written under a temporary name in DIR, fsync'd and renamed,
 * lastupdate.txt last, so a follower never sees a half-written file or a
 * listing of files that are not there yet.  Which events are "first seen"
 * is decided by the caller (an id range, kept in the store so a killed
 * watch neither skips nor repeats a batch; see watch.c).
 */
#include "watch/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct out_ctx {
    sr_buf gdelt, jsonl;
    size_t n;
    sr_err e;
} out_ctx;

static int on_event(const sr_event_row *r, void *ctx)
{
    out_ctx *o = ctx;
    o->e = sr_event_write(r, SR_EVENTS_GDELT, &o->gdelt);
    if (!o->e)
        o->e = sr_event_write(r, SR_EVENTS_JSONL, &o->jsonl);
    o->n++;
    return o->e != SR_OK;
}

/* Write p[0..n) to dir/name atomically (temp name, fsync, rename). */
static sr_err write_atomic(const char *dir, const char *name, const char *p, size_t n,
                           char *err, size_t errlen)
{
    char tmp[4096], final[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(final, sizeof final, "%s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return SR_EIO;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(fd, p + done, n - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return SR_EIO;
        }
        done += (size_t)k;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, final) != 0) {
        snprintf(err, errlen, "%s: %s", final, strerror(errno));
        unlink(tmp);
        return SR_EIO;
    }
    return SR_OK;
}

sr_err sr_watch_export(sr_store *st, const char *dir, int64_t after, int64_t upto,
                       const char *stamp, size_t *nevents, char *err, size_t errlen)
{
    out_ctx o;
    memset(&o, 0, sizeof o);
    sr_buf_init(&o.gdelt, 0);
    sr_buf_init(&o.jsonl, 0);
    sr_buf list = SR_BUF_INIT(1 << 16);
    *nevents = 0;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return SR_EIO;
    }
    sr_event_filter f;
    memset(&f, 0, sizeof f);
    f.after_id = after;
    f.upto_id = upto;
    sr_err e = sr_store_events(st, &f, on_event, &o);
    if (!e)
        e = o.e;
    if (e) {
        snprintf(err, errlen, "export: %s", e == SR_EIO ? sr_store_errmsg(st) : sr_strerror(e));
        goto out;
    }
    char names[2][64];
    snprintf(names[0], sizeof names[0], "%s.export.CSV", stamp);
    snprintf(names[1], sizeof names[1], "%s.events.jsonl", stamp);
    const sr_buf *bufs[2] = { &o.gdelt, &o.jsonl };
    for (int i = 0; i < 2 && !e; i++) {
        char sha[65];
        const char *p = bufs[i]->p ? bufs[i]->p : "";
        watch_sha256_hex(p, bufs[i]->len, sha);
        e = write_atomic(dir, names[i], p, bufs[i]->len, err, errlen);
        if (!e)
            e = sr_buf_printf(&list, "%zu %s %s\n", bufs[i]->len, sha, names[i]);
    }
    if (!e)
        e = write_atomic(dir, "lastupdate.txt", list.p, list.len, err, errlen);
    if (!e)
        *nevents = o.n;
out:
    sr_buf_free(&o.gdelt);
    sr_buf_free(&o.jsonl);
    sr_buf_free(&list);
    return e;
}
