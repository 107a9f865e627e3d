/* cmd_code.c - `sitrep code`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_code(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'code' is not implemented yet");
}
