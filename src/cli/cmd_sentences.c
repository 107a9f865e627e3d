/* cmd_sentences.c - `sitrep sentences`: not built yet (see the issue tracker). */
#include "cli/cli.h"

int cmd_sentences(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fatal("'sentences' is not implemented yet");
}
