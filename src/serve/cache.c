/*
 * cache.c - finished responses by request target, for one store generation.
 *
 * Why: a dashboard asks the same few questions over and over (the story
 * list every few seconds, the same brief from every analyst), and the
 * store changes only when ingest commits a batch.  An answer is therefore
 * good until the store's generation (its newest document id) moves, and
 * can be sent from memory: the cached object is libmicrohttpd's response
 * itself, shared by every connection that sends it.
 *
 * libmicrohttpd counts a response's users but offers no call to add one, so
 * a hit is queued on the connection while the cache lock is held (queuing
 * only takes MHD's own reference; nothing is sent under the lock) and an
 * entry evicted meanwhile cannot be freed under a reader.
 *
 * Bounded: when a new answer would pass max_bytes, entries of older
 * generations go first, then everything.  A client making up distinct URLs
 * can only churn the cache, never grow it.
 */
#include "serve/internal.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 1024

typedef struct entry {
    struct entry *next;
    uint64_t hash;
    char *key;
    size_t keylen;
    int64_t gen;
    struct MHD_Response *plain, *gz;
    char etag[24];
    size_t bytes;
} entry;

struct api_cache {
    pthread_mutex_t lock;
    entry *buckets[NBUCKETS];
    size_t max_bytes, bytes, entries;
    uint64_t hits, misses;
};

api_cache *api_cache_new(size_t max_bytes)
{
    api_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    c->max_bytes = max_bytes;
    return c;
}

static void entry_free(entry *e)
{
    if (e->plain)
        MHD_destroy_response(e->plain);
    if (e->gz)
        MHD_destroy_response(e->gz);
    free(e->key);
    free(e);
}

/* Drop entries (all, or those not of generation keep_gen); lock held. */
static void drop(api_cache *c, bool all, int64_t keep_gen)
{
    for (size_t i = 0; i < NBUCKETS; i++) {
        entry **pp = &c->buckets[i];
        while (*pp) {
            entry *e = *pp;
            if (all || e->gen != keep_gen) {
                *pp = e->next;
                c->bytes -= e->bytes;
                c->entries--;
                entry_free(e);
            } else {
                pp = &e->next;
            }
        }
    }
}

void api_cache_free(api_cache *c)
{
    if (!c)
        return;
    drop(c, true, 0);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static entry *find(api_cache *c, uint64_t h, const char *key, size_t keylen)
{
    for (entry *e = c->buckets[h % NBUCKETS]; e; e = e->next)
        if (e->hash == h && e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
            return e;
    return NULL;
}

bool api_etag_matches(const char *inm, const char *etag)
{
    /* If-None-Match: "*" or a list of (possibly weak) entity tags */
    if (!inm)
        return false;
    size_t el = strlen(etag);
    const char *p = inm;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if ((size_t)(end - start) == el && memcmp(start, etag, el) == 0)
            return true;
    }
    return false;
}

int api_cache_queue(api_cache *c, struct MHD_Connection *conn, const char *key, size_t keylen,
                    int64_t gen, bool gzip, const char *if_none_match, char etag[24])
{
    if (!c || !c->max_bytes)
        return 0;
    uint64_t h = sr_hash64(key, keylen, 0x5e12e);
    int status = 0;
    pthread_mutex_lock(&c->lock);
    entry *e = find(c, h, key, keylen);
    if (e && e->gen == gen) {
        c->hits++;
        memcpy(etag, e->etag, 24);
        if (api_etag_matches(if_none_match, e->etag)) {
            status = 304;   /* the caller answers 304 itself */
        } else {
            struct MHD_Response *r = gzip && e->gz ? e->gz : e->plain;
            status = MHD_queue_response(conn, MHD_HTTP_OK, r) == MHD_YES ? 200 : -1;
        }
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->lock);
    return status;
}

void api_cache_put(api_cache *c, const char *key, size_t keylen, int64_t gen,
                   struct MHD_Response *plain, struct MHD_Response *gz, const char *etag,
                   size_t bytes)
{
    entry *n = NULL;
    if (!c || !c->max_bytes || bytes > c->max_bytes / 4 || !(n = calloc(1, sizeof *n)) ||
        !(n->key = malloc(keylen ? keylen : 1))) {
        free(n);
        if (plain) MHD_destroy_response(plain);
        if (gz) MHD_destroy_response(gz);
        return;
    }
    memcpy(n->key, key, keylen);
    n->keylen = keylen;
    n->hash = sr_hash64(key, keylen, 0x5e12e);
    n->gen = gen;
    n->plain = plain;
    n->gz = gz;
    n->bytes = bytes + keylen + sizeof *n;
    snprintf(n->etag, sizeof n->etag, "%s", etag);
    pthread_mutex_lock(&c->lock);
    entry **pp = &c->buckets[n->hash % NBUCKETS];
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->hash == n->hash && (*pp)->keylen == keylen && memcmp((*pp)->key, key, keylen) == 0) {
            entry *old = *pp;
            *pp = old->next;
            c->bytes -= old->bytes;
            c->entries--;
            entry_free(old);
            break;
        }
    if (c->bytes + n->bytes > c->max_bytes)
        drop(c, false, gen);
    if (c->bytes + n->bytes > c->max_bytes)
        drop(c, true, 0);
    entry **head = &c->buckets[n->hash % NBUCKETS];
    n->next = *head;
    *head = n;
    c->bytes += n->bytes;
    c->entries++;
    pthread_mutex_unlock(&c->lock);
}

void api_cache_stats(api_cache *c, uint64_t *entries, uint64_t *bytes, uint64_t *hits,
                     uint64_t *misses)
{
    *entries = *bytes = *hits = *misses = 0;
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    *entries = c->entries;
    *bytes = c->bytes;
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->lock);
}
