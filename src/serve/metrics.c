/*
 * metrics.c - what `sitrep serve` counts, in Prometheus' text format:
 * requests by route and status, a latency histogram by route, open
 * connections, connections cut for slowness, the response cache, and the
 * store's counts.  Counters are C11 atomics: workers never take a lock to
 * count, and a scrape reads them without stopping anyone.
 */
#include "serve/internal.h"

#include <stdatomic.h>
#include <string.h>

static const int statuses[] = {200, 304, 400, 401, 404, 405, 413, 414, 429, 500, 503};
#define NSTATUS (sizeof statuses / sizeof statuses[0])
/* latency bucket upper bounds, seconds */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                0.5, 1, 2.5, 10};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

static atomic_uint_fast64_t requests[ROUTE_COUNT][NSTATUS + 1];   /* +1: any other */
static atomic_uint_fast64_t latency[ROUTE_COUNT][NBOUNDS + 1];    /* +1: +Inf */
static atomic_uint_fast64_t latency_sum_us[ROUTE_COUNT];
static atomic_int_fast64_t open_connections;
static atomic_uint_fast64_t connections_total, connections_cut;

void metrics_observe(api_route route, int status, double seconds)
{
    if ((unsigned)route >= ROUTE_COUNT)
        route = ROUTE_NOT_FOUND;
    size_t s = NSTATUS;
    for (size_t i = 0; i < NSTATUS; i++)
        if (statuses[i] == status)
            s = i;
    atomic_fetch_add_explicit(&requests[route][s], 1, memory_order_relaxed);
    size_t b = NBOUNDS;
    for (size_t i = 0; i < NBOUNDS; i++)
        if (seconds <= bounds[i]) {
            b = i;
            break;
        }
    atomic_fetch_add_explicit(&latency[route][b], 1, memory_order_relaxed);
    if (seconds < 0)
        seconds = 0;
    atomic_fetch_add_explicit(&latency_sum_us[route], (uint_fast64_t)(seconds * 1e6),
                              memory_order_relaxed);
}

void metrics_connection(int delta)
{
    atomic_fetch_add_explicit(&open_connections, delta, memory_order_relaxed);
    if (delta > 0)
        atomic_fetch_add_explicit(&connections_total, 1, memory_order_relaxed);
}

void metrics_cut(void)
{
    atomic_fetch_add_explicit(&connections_cut, 1, memory_order_relaxed);
}

sr_err metrics_render(sr_store *st, api_cache *cache, sr_buf *b)
{
    sr_err e = sr_buf_puts(b,
        "# HELP sitrep_http_requests_total HTTP requests answered, by route and status.\n"
        "# TYPE sitrep_http_requests_total counter\n");
    for (int r = 0; r < ROUTE_COUNT && !e; r++)
        for (size_t s = 0; s <= NSTATUS && !e; s++) {
            uint64_t v = atomic_load_explicit(&requests[r][s], memory_order_relaxed);
            if (!v)
                continue;
            if (s < NSTATUS)
                e = sr_buf_printf(b, "sitrep_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                                  api_route_name((api_route)r), statuses[s], (unsigned long long)v);
            else
                e = sr_buf_printf(b, "sitrep_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                                  api_route_name((api_route)r), (unsigned long long)v);
        }
    if (!e)
        e = sr_buf_puts(b,
            "# HELP sitrep_http_request_duration_seconds Time from request line to last byte queued.\n"
            "# TYPE sitrep_http_request_duration_seconds histogram\n");
    for (int r = 0; r < ROUTE_COUNT && !e; r++) {
        uint64_t cum = 0, counts[NBOUNDS + 1];
        for (size_t i = 0; i <= NBOUNDS; i++)
            counts[i] = atomic_load_explicit(&latency[r][i], memory_order_relaxed);
        uint64_t total = 0;
        for (size_t i = 0; i <= NBOUNDS; i++)
            total += counts[i];
        if (!total)
            continue;
        const char *name = api_route_name((api_route)r);
        for (size_t i = 0; i < NBOUNDS && !e; i++) {
            cum += counts[i];
            e = sr_buf_printf(b, "sitrep_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                              name, bounds[i], (unsigned long long)cum);
        }
        if (!e)
            e = sr_buf_printf(b, "sitrep_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                                 "sitrep_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                                 "sitrep_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                              name, (unsigned long long)total, name,
                              (double)atomic_load_explicit(&latency_sum_us[r], memory_order_relaxed) / 1e6,
                              name, (unsigned long long)total);
    }
    uint64_t entries, bytes, hits, misses;
    api_cache_stats(cache, &entries, &bytes, &hits, &misses);
    if (!e)
        e = sr_buf_printf(b,
            "# HELP sitrep_http_connections_open Connections open now.\n"
            "# TYPE sitrep_http_connections_open gauge\n"
            "sitrep_http_connections_open %lld\n"
            "# HELP sitrep_http_connections_total Connections accepted.\n"
            "# TYPE sitrep_http_connections_total counter\n"
            "sitrep_http_connections_total %llu\n"
            "# HELP sitrep_http_connections_cut_total Connections closed because a request took too long to arrive.\n"
            "# TYPE sitrep_http_connections_cut_total counter\n"
            "sitrep_http_connections_cut_total %llu\n"
            "# HELP sitrep_cache_entries Answers held by the response cache.\n"
            "# TYPE sitrep_cache_entries gauge\n"
            "sitrep_cache_entries %llu\n"
            "# HELP sitrep_cache_bytes Bytes held by the response cache.\n"
            "# TYPE sitrep_cache_bytes gauge\n"
            "sitrep_cache_bytes %llu\n"
            "# HELP sitrep_cache_lookups_total Response cache lookups by result.\n"
            "# TYPE sitrep_cache_lookups_total counter\n"
            "sitrep_cache_lookups_total{result=\"hit\"} %llu\n"
            "sitrep_cache_lookups_total{result=\"miss\"} %llu\n",
            (long long)atomic_load_explicit(&open_connections, memory_order_relaxed),
            (unsigned long long)atomic_load_explicit(&connections_total, memory_order_relaxed),
            (unsigned long long)atomic_load_explicit(&connections_cut, memory_order_relaxed),
            (unsigned long long)entries, (unsigned long long)bytes,
            (unsigned long long)hits, (unsigned long long)misses);
    sr_store_counts c;
    if (!e && st && sr_store_get_counts(st, &c) == SR_OK)
        e = sr_buf_printf(b,
            "# HELP sitrep_store_rows Rows in the store, by kind.\n"
            "# TYPE sitrep_store_rows gauge\n"
            "sitrep_store_rows{kind=\"documents\"} %lld\n"
            "sitrep_store_rows{kind=\"mentions\"} %lld\n"
            "sitrep_store_rows{kind=\"events\"} %lld\n"
            "sitrep_store_rows{kind=\"stories\"} %lld\n"
            "sitrep_store_rows{kind=\"outlets\"} %lld\n",
            (long long)c.documents, (long long)c.mentions, (long long)c.events,
            (long long)c.stories, (long long)c.outlets);
    return e;
}
