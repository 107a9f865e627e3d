/*
 * dict_fuzz.c - libFuzzer target for the dictionary readers (actors, agents,
 * verb patterns, discards, issues; both the TABARI and the PETRARCH dialect)
 * and the CAMEO codebook loader.
 *
 * The first input byte picks the reader: a actors, g agents, v verbs,
 * d discards, i issues, c codebook, o TABARI .options, w word list; upper
 * case (A G V D I) picks the TABARI
 * dialect, which the readers tell from the file name (.actors, .agents,
 * .verbs: stems and ';' comments).  Any other byte picks one by its value.
 * The rest is the file.  The readers take paths, so the input is written to
 * a file in a private folder made once with mkdtemp and reused every run.
 *
 * After loading, the set is frozen and asked for a few lookups so the
 * structures the reader built are walked too.  Diagnostics are counted, not
 * printed: a malformed entry is expected, a crash or leak is the bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/codebook.h"
#include "sitrep/dict.h"
#include "sitrep/text.h"

static char dir[64];

static void quiet(const char *line, void *ctx)
{
    (void)line;
    (void)ctx;
}

static void cleanup(void)
{
    static const char *const names[] = {
        "f.actors", "f.actors.txt", "f.agents", "f.agents.txt", "f.verbs",
        "verbpatterns.txt", "discards.txt", "IssueCoding.txt", "codebook.tsv",
        "f.options", "prepositions.txt",
    };
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

static int setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/sitrep_dict_fuzz_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    atexit(cleanup);
    sr_set_diag_sink(quiet, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (setup() != 0)
            abort();
        ready = 1;
    }
    if (size < 1)
        return 0;
    int sel = data[0];
    static const char letters[] = "agvdicow";
    const char *l = memchr(letters, sel | 0x20, 8);
    int kind = l ? (int)(l - letters) : sel % 8;
    int tabari = l ? (sel & 0x20) == 0 : (sel / 8) & 1;

    const char *name;
    sr_dict_kind k = SR_DICT_AUTO;
    switch (kind) {
    case 0: name = tabari ? "f.actors" : "f.actors.txt"; k = SR_DICT_ACTORS; break;
    case 1: name = tabari ? "f.agents" : "f.agents.txt"; k = SR_DICT_AGENTS; break;
    case 2: name = tabari ? "f.verbs" : "verbpatterns.txt"; k = SR_DICT_VERBS; break;
    case 3: name = "discards.txt"; k = SR_DICT_DISCARDS; break;
    case 4: name = "IssueCoding.txt"; k = SR_DICT_ISSUES; break;
    case 6: name = "f.options"; k = SR_DICT_OPTIONS; break;
    case 7: name = "prepositions.txt"; k = SR_DICT_WORDS; break;
    default: name = "codebook.tsv"; break;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
        abort();
    fclose(f);

    if (kind == 5) {
        sr_err e;
        sr_codebook *cb = sr_codebook_load(path, &e);
        if (cb) {
            /* every row must be findable under its own code */
            for (size_t i = 0; i < sr_codebook_size(cb); i++) {
                const sr_cameo_entry *en = sr_codebook_at(cb, i);
                if (sr_codebook_find(cb, en->code, 0) != en)
                    abort();
            }
            (void)sr_codebook_lookup(cb, "0421", NULL);
        }
        sr_codebook_free(cb);
        return 0;
    }

    sr_lexicon *lex = sr_lexicon_new();
    sr_dictset *ds = lex ? sr_dictset_new(lex) : NULL;
    if (!ds)
        abort();
    sr_err e = sr_dictset_load_file(ds, path, k);
    if (e != SR_OK && e != SR_ENOMEM && e != SR_ETOOBIG)
        abort();   /* the file exists and the kind is given: nothing else fits */
    /* the ledger: a reader never drops a line without a report */
    sr_dict_stats ls;
    sr_dictset_stats(ds, &ls);
    if (e == SR_OK && ls.lines_unread)
        abort();
    if (kind == 6) {
        /* options lines one at a time, as a suite record gives them */
        char line[256];
        size_t n = size - 1 < sizeof line - 1 ? size - 1 : sizeof line - 1;
        memcpy(line, data + 1, n);
        line[n] = '\0';
        (void)sr_dictset_option_line(ds, line, "fuzz", 1);
    }
    if (sr_dictset_freeze(ds) == SR_OK) {
        char code[SR_DICT_MAX_CODE + 1];
        (void)sr_dictset_actor_code(ds, "Pakistan", "2015-06-01", code);
        (void)sr_dictset_actor_code(ds, "the United Nations", NULL, code);
        (void)sr_dictset_agent_code(ds, "army chief", code);
        sr_dict_stats st;
        sr_dictset_stats(ds, &st);
    }
    sr_dictset_free(ds);
    sr_lexicon_free(lex);
    return 0;
}
