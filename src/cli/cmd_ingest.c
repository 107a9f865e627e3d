/* cmd_ingest.c - `sitrep ingest`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_ingest(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'ingest' is not implemented yet");
}
