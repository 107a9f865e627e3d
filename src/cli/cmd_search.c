/* cmd_search.c - `sitrep search`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_search(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'search' is not implemented yet");
}
