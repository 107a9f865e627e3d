/* cmd_validate.c - `sitrep validate`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_validate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'validate' is not implemented yet");
}
