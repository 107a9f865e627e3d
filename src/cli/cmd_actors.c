/* cmd_actors.c - `sitrep actors`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_actors(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'actors' is not implemented yet");
}
