/* cmd_extract.c - `sitrep extract`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_extract(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'extract' is not implemented yet");
}
