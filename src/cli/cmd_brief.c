/* cmd_brief.c - `sitrep brief`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_brief(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'brief' is not implemented yet");
}
