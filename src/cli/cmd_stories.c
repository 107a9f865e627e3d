/* cmd_stories.c - `sitrep stories`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_stories(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'stories' is not implemented yet");
}
