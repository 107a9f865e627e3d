/*
 * sitrep/base.h - the few things every stage shares: error codes, a growable
 * byte buffer with a hard cap, skip reporting, and a fast non-cryptographic
 * hash.
 *
 * Ownership: an sr_buf owns its bytes; sr_buf_free() releases them and leaves
 * the buffer reusable.  Nothing here keeps global state except the skip
 * counter and the diagnostic sink, which the CLI sets once at start-up.
 *
 * Errors: functions that can fail return an sr_err (0 is success).  A bug in
 * the caller (NULL where a pointer is required) is not reported, it crashes.
 */
#ifndef SITREP_BASE_H
#define SITREP_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef enum sr_err {
    SR_OK = 0,
    SR_ENOMEM,   /* an allocation failed */
    SR_ETOOBIG,  /* input exceeded a documented cap */
    SR_EPARSE,   /* input is malformed */
    SR_EIO,      /* reading or writing a file failed (errno is set) */
    SR_EINVAL,   /* an argument or option is out of range */
    SR_EFORMAT,  /* input is not of a format this function reads */
} sr_err;

/* A short lower-case description ("input exceeds a size cap"). Never NULL. */
const char *sr_strerror(sr_err e);

/*
 * sr_buf: bytes plus a cap.  `max` is the most the buffer may ever hold; an
 * append past it fails with SR_ETOOBIG and leaves the buffer unchanged, so a
 * hostile input can never make us allocate without bound.  The contents are
 * always NUL-terminated (the NUL is not counted in len).
 */
typedef struct sr_buf {
    char *p;      /* owned; NULL until the first append */
    size_t len;   /* bytes in use */
    size_t cap;   /* bytes allocated */
    size_t max;   /* hard cap on len; 0 means SR_BUF_DEFAULT_MAX */
} sr_buf;

#define SR_BUF_DEFAULT_MAX ((size_t)256 << 20) /* 256 MiB */
#define SR_BUF_INIT(maxbytes) { NULL, 0, 0, (maxbytes) }

void   sr_buf_init(sr_buf *b, size_t max);
/* Room for n more bytes and a NUL, for a caller that writes into b->p
 * itself; SR_ETOOBIG past max. */
sr_err sr_buf_reserve(sr_buf *b, size_t n);
sr_err sr_buf_append(sr_buf *b, const void *p, size_t n);
sr_err sr_buf_puts(sr_buf *b, const char *s);
sr_err sr_buf_putc(sr_buf *b, char c);
sr_err sr_buf_printf(sr_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
sr_err sr_buf_vprintf(sr_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Append s as a JSON string literal, quotes included (invalid UTF-8 is
 * replaced by U+FFFD so the output is always valid JSON). */
sr_err sr_buf_json_str(sr_buf *b, const char *s, size_t n);
/* Append ,"key":"value" (value as a JSON string, or null when NULL): the
 * field every JSON Lines writer adds most. */
sr_err sr_buf_json_kv(sr_buf *b, const char *key, const char *value);
void   sr_buf_reset(sr_buf *b);            /* len = 0, memory kept */
void   sr_buf_free(sr_buf *b);             /* memory released, max kept */
/* Hand the bytes to the caller (who frees them); the buffer becomes empty. */
char  *sr_buf_detach(sr_buf *b, size_t *len);

/*
 * Reading whole files with a cap.  path "-" is stdin.  A file larger than
 * max fails with SR_ETOOBIG.  *out is NUL-terminated and owned by the caller.
 */
sr_err sr_read_file(const char *path, size_t max, char **out, size_t *len);

/*
 * Skip reporting, the git way: a recoverable problem with one input record is
 * reported as one line "sitrep: FILE[:RECORD]: reason" and the run goes on.
 * The count lets the CLI exit 1 ("done, but something was skipped").
 * record may be NULL.  Thread-safe.
 */
void   sr_skip(const char *file, const char *record, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A warning: reported like a skip but not counted (e.g. U+FFFD replaced). */
void   sr_warn(const char *file, const char *record, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t sr_skip_count(void);
void   sr_skip_count_reset(void);
/* Where diagnostics go (default: stderr).  A test may capture them. */
typedef void (*sr_diag_sink)(const char *line, void *ctx);
void   sr_set_diag_sink(sr_diag_sink fn, void *ctx);
/* Silence warnings (skips are still counted and reported). */
void   sr_set_quiet(int quiet);

/* 64-bit hash of n bytes (wyhash-style mixing; not for security). */
uint64_t sr_hash64(const void *p, size_t n, uint64_t seed);

/* Checked allocation helpers: return NULL on overflow or failure. */
void *sr_malloc_array(size_t n, size_t size);
void *sr_realloc_array(void *p, size_t n, size_t size);
/* Grow *arr (of *cap elements of size `size`) to hold at least `need`. */
sr_err sr_grow(void **arr, size_t *cap, size_t need, size_t size);

#endif
