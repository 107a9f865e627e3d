/*
 * coder_fuzz.c - libFuzzer target for the event coder: arbitrary bytes are
 * analysed as a document and coded with a small in-memory dictionary set
 * (actors, agents, verb patterns with synsets, alternatives and paired
 * codes) written at start-up, so coding never depends on files outside the
 * fuzzer.  Every mention's spans must lie inside the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/code.h"
#include "sitrep/dict.h"
#include "sitrep/text.h"

static sr_lexicon *lex;
static sr_dictset *ds;
static sr_coder *coder;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    char dir[] = "/tmp/sitrep-coder-fuzz-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    char p[4][128];
    snprintf(p[0], sizeof p[0], "%s/f.actors.txt", dir);
    snprintf(p[1], sizeof p[1], "%s/f.agents.txt", dir);
    snprintf(p[2], sizeof p[2], "%s/f.verbpatterns.txt", dir);
    snprintf(p[3], sizeof p[3], "%s/f.discards.txt", dir);
    write_file(p[0], "PAKISTAN [PAK]\n+PAKISTANI\nLIBYA [LBY]\n+LIBYAN\n"
                     "ASIM_MUNIR [PAKSPY 181025-190616] [PAKMIL >221129]\n"
                     "THE_SHIRE [FRO/BIL/SAM]\n");
    write_file(p[1], "ARMY_CHIEF [~MIL]\nFIELD_MARSHAL [~MIL]\nGENERAL [~MIL]\n"
                     "!PERSON! = MAN, MEN\nCONGRESS!PERSON! [~LEG]\n");
    write_file(p[2], "&TIES\n+DEFENCE\n+MILITARY\n\n--- MEET [040] ---\n"
                     "MEET {MEETS MET MEETING}\n- * WITH + [040]\n- $ * { TALKS | TIES } + [046:046]\n"
                     "--- VISIT [042:043] ---\nVISIT\n- * &TIES_TIES WITH + [0312]\n"
                     "--- DEAL [062] ---\nDEFENCE_+DEAL\n");
    write_file(p[3], "FOOTBALL\n+CRICKET MATCH\n");
    lex = sr_lexicon_new();
    ds = sr_dictset_new(lex);
    sr_set_quiet(1);
    for (int i = 0; i < 4; i++) {
        sr_dictset_load_file(ds, p[i], SR_DICT_AUTO);
        unlink(p[i]);
    }
    rmdir(dir);
    if (sr_dictset_freeze(ds) != SR_OK)
        abort();
    coder = sr_coder_new(ds);
    if (!coder)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!coder)
        setup();
    if (size > (1 << 16))
        return 0;
    sr_textdoc td;
    memset(&td, 0, sizeof td);
    sr_mentions ms = {0};
    sr_text_opts o = { .lex = lex };
    if (sr_text_analyze(&td, (const char *)data, size, &o) == SR_OK) {
        sr_code_doc(coder, &td, size > 0 && data[0] & 1 ? "2020-01-01" : NULL, &ms);
        for (size_t i = 0; i < ms.n; i++) {
            const sr_mention *m = &ms.v[i];
            if (m->verb_end > size || m->source.end > size || m->verb_start > m->verb_end ||
                (m->has_target && m->target.end > size))
                abort();
        }
    }
    sr_mentions_free(&ms);
    sr_textdoc_free(&td);
    return 0;
}
