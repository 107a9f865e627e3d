/* cmd_tokens.c - `sitrep tokens`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_tokens(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'tokens' is not implemented yet");
}
