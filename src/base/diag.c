/*
 * diag.c - skip and warning reports (see sitrep/base.h).
 *
 * One line per problem, "sitrep: FILE[:RECORD]: reason", so a user can grep
 * the stderr of a long run and find the exact record.  The counter is what
 * turns "finished" into exit status 1.
 */
#include "sitrep/base.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t skip_count;
static sr_diag_sink sink_fn;
static void *sink_ctx;
static int quiet;

void sr_set_diag_sink(sr_diag_sink fn, void *ctx)
{
    pthread_mutex_lock(&diag_lock);
    sink_fn = fn;
    sink_ctx = ctx;
    pthread_mutex_unlock(&diag_lock);
}

void sr_set_quiet(int q) { quiet = q; }

static void emit(int counted, const char *file, const char *record,
                 const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static void emit(int counted, const char *file, const char *record,
                 const char *fmt, va_list ap)
{
    char line[1024];
    int n = snprintf(line, sizeof line, "sitrep: %s%s%s: ", file ? file : "-",
                     record ? ":" : "", record ? record : "");
    if (n < 0)
        n = 0;
    if ((size_t)n < sizeof line)
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    /* one line per report, whatever the reason text contained */
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    pthread_mutex_lock(&diag_lock);
    if (counted)
        skip_count++;
    if (counted || !quiet) {
        if (sink_fn)
            sink_fn(line, sink_ctx);
        else
            fprintf(stderr, "%s\n", line);
    }
    pthread_mutex_unlock(&diag_lock);
}

void sr_skip(const char *file, const char *record, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(1, file, record, fmt, ap);
    va_end(ap);
}

void sr_warn(const char *file, const char *record, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(0, file, record, fmt, ap);
    va_end(ap);
}

size_t sr_skip_count(void)
{
    pthread_mutex_lock(&diag_lock);
    size_t n = skip_count;
    pthread_mutex_unlock(&diag_lock);
    return n;
}

void sr_skip_count_reset(void)
{
    pthread_mutex_lock(&diag_lock);
    skip_count = 0;
    pthread_mutex_unlock(&diag_lock);
}
