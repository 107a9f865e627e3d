/*
 * cmd_serve.c - `sitrep serve`: the store over HTTP, a JSON API and the
 * dashboard (src/serve/, sitrep/serve.h), until SIGINT or SIGTERM.
 *
 * The first line on stdout is the URL it listens on (with the real port
 * when asked for port 0), so a script can start it and read where it is.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/store_common.h"
#include "sitrep/serve.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep serve [--db PATH] [--listen ADDR:PORT] [--token FILE] [--threads N]\n"
        "                    [--timeout SECONDS] [--max-connections N] [--rate N] [--cache-mb N]\n"
        "\n"
        "Serve the store read-only over HTTP: a JSON API under /api/ (health,\n"
        "stories, a story, its brief, events, dyad timelines, the actor network,\n"
        "search), Prometheus metrics at /metrics, and the dashboard at /.  It\n"
        "keeps serving while `sitrep ingest` adds to the same store.\n"
        "\n"
        "  --db PATH           the store (default: $SITREP_DB, else ./sitrep.db)\n"
        "  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080; [::1]:8080 for\n"
        "                      IPv6; port 0 picks a free one).  The URL is the first\n"
        "                      line on stdout.\n"
        "  --token FILE        require 'Authorization: Bearer TOKEN' (the file's first\n"
        "                      line, 16+ printable characters) on /api and /metrics;\n"
        "                      required when ADDR is not loopback\n"
        "  --threads N         worker threads, each with its own store connection\n"
        "                      (default: the number of cores, at least 2)\n"
        "  --timeout SECONDS   a request must arrive whole within this, and an idle\n"
        "                      connection is closed after it (default 10)\n"
        "  --max-connections N open connections at most (default 512)\n"
        "  --rate N            requests per second per client address, bursts of 2N\n"
        "                      (default: no limit); over it: 429\n"
        "  --cache-mb N        memory for cached answers (default 64; 0: no cache)\n"
        "\n"
        "See docs/serve.md for the routes and their parameters.\n");
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* "127.0.0.1:8080", "[::1]:8080" -> address and port. */
static bool parse_listen(const char *s, char *addr, size_t addrlen, unsigned *port)
{
    const char *colon;
    const char *a = s;
    size_t alen;
    if (*s == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return false;
        a = s + 1;
        alen = (size_t)(close - a);
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return false;
        alen = (size_t)(colon - s);
    }
    unsigned long p;
    if (alen == 0 || alen >= addrlen || !parse_uint(colon + 1, 65535, &p))
        return false;
    memcpy(addr, a, alen);
    addr[alen] = '\0';
    *port = (unsigned)p;
    return true;
}

/* The token: the file's first line, trimmed; 16..4096 printable ASCII. */
static int read_token(const char *path, char **out)
{
    char *data = NULL;
    size_t len = 0;
    if (sr_read_file(path, 8192, &data, &len) != SR_OK)
        return cli_usage_error("serve", "--token: cannot read '%s' (a file of at most 8 KiB)", path);
    size_t n = strcspn(data, "\r\n");
    while (n && (data[n - 1] == ' ' || data[n - 1] == '\t'))
        n--;
    data[n] = '\0';
    bool ok = n >= 16 && n <= 4096;
    for (size_t i = 0; i < n && ok; i++)
        ok = data[i] > 0x20 && data[i] < 0x7f;
    if (!ok) {
        free(data);
        return cli_usage_error("serve", "--token: '%s' must hold one line of 16 to 4096 printable "
                               "characters without spaces", path);
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && (sb.st_mode & 0044))
        fprintf(stderr, "sitrep serve: warning: %s can be read by other users\n", path);
    *out = data;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"listen", required_argument, NULL, 'l'},
        {"token", required_argument, NULL, 't'},
        {"threads", required_argument, NULL, 'j'},
        {"timeout", required_argument, NULL, 'T'},
        {"max-connections", required_argument, NULL, 'c'},
        {"rate", required_argument, NULL, 'r'},
        {"cache-mb", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    sr_serve_opts o = SR_SERVE_DEFAULTS;
    const char *db = NULL, *token_file = NULL;
    char addr[64] = "127.0.0.1";
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = cores < 2 ? 2 : cores > 16 ? 16 : (unsigned)cores;
    unsigned long v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:l:t:j:T:c:r:m:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'l':
            if (!parse_listen(optarg, addr, sizeof addr, &o.port))
                return cli_usage_error("serve", "--listen wants ADDR:PORT (127.0.0.1:8080, [::1]:0)");
            break;
        case 't': token_file = optarg; break;
        case 'j':
            if (!parse_uint(optarg, 64, &v) || v < 1)
                return cli_usage_error("serve", "--threads wants 1 to 64");
            o.threads = (unsigned)v;
            break;
        case 'T':
            if (!parse_uint(optarg, 3600, &v) || v < 1)
                return cli_usage_error("serve", "--timeout wants 1 to 3600 seconds");
            o.timeout = (unsigned)v;
            break;
        case 'c':
            if (!parse_uint(optarg, 100000, &v) || v < 1)
                return cli_usage_error("serve", "--max-connections wants 1 to 100000");
            o.max_connections = (unsigned)v;
            break;
        case 'r':
            if (!parse_uint(optarg, 1000000, &v))
                return cli_usage_error("serve", "--rate wants requests per second (0: no limit)");
            o.rate = (unsigned)v;
            break;
        case 'm':
            if (!parse_uint(optarg, 65536, &v))
                return cli_usage_error("serve", "--cache-mb wants 0 to 65536");
            o.cache_bytes = (size_t)v << 20;
            break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return cli_usage_error("serve", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    o.address = addr;
    if (!token_file && !sr_serve_is_loopback(addr))
        return cli_usage_error("serve", "listening on %s (beyond loopback) needs --token FILE", addr);
    char *token = NULL;
    if (token_file) {
        int rc = read_token(token_file, &token);
        if (rc)
            return rc;
        o.token = token;
    }
    o.db = store_path(db);
    if (access(o.db, R_OK) != 0) {
        free(token);
        return cli_fatal("no store at '%s' (run 'sitrep ingest' first, or give --db)", o.db);
    }

    /* the workers inherit a mask without these, so only sigwait sees them */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    sr_server *srv = NULL;
    char err[512];
    sr_err e = sr_serve_start(&o, &srv, err, sizeof err);
    free(token);
    if (e == SR_EINVAL)
        return cli_usage_error("serve", "%s", err);
    if (e)
        return cli_fatal("serve: %s", *err ? err : sr_strerror(e));
    bool v6 = strchr(addr, ':') != NULL;
    printf("http://%s%s%s:%u/\n", v6 ? "[" : "", addr, v6 ? "]" : "", sr_serve_port(srv));
    fflush(stdout);
    const char *why = NULL;
    bool dash = sr_serve_dashboard(&why);
    fprintf(stderr, "sitrep serve: store %s, %u threads%s; dashboard %s%s%s (Ctrl-C stops)\n",
            o.db, o.threads, o.token ? ", bearer token required" : "",
            dash ? "at /" : "not built (", dash ? "" : why, dash ? "" : ")");
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "sitrep serve: stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    sr_serve_stop(srv);
    return SR_EXIT_OK;
}
