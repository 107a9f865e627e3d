/*
 * store_common.c - store location and opening for the store commands.
 */
#include "cli/store_common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

const char *store_path(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("SITREP_DB");
    return env && *env ? env : "sitrep.db";
}

int store_open_read(const char *path, sr_store **st)
{
    *st = NULL;
    if (access(path, R_OK) != 0)
        return cli_fatal("no store at '%s' (run 'sitrep ingest' first, or give --db)", path);
    sr_store *s = NULL;
    sr_err e = sr_store_open_readonly(path, &s);
    if (e) {
        int rc = cli_fatal("%s", s ? sr_store_errmsg(s) : sr_strerror(e));
        sr_store_close(s);
        return rc;
    }
    *st = s;
    return 0;
}

int store_valid_date(const char *s)
{
    return cli_valid_date(s);
}
