/* cmd_events.c - `sitrep events`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_events(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'events' is not implemented yet");
}
