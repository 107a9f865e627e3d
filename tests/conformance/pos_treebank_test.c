/*
 * pos_treebank_test.c - the shipped part-of-speech model against the UD
 * English Web Treebank in ../shared/data/treebank, as the coder would see
 * it: each sentence's text through sitrep's text pipeline, each sitrep token
 * whose span is exactly one treebank token compared with that token's XPOS
 * (the few that are not - "cannot", URLs - are counted apart).
 *
 * The shipped model is trained on these very files, so the figure is how
 * well it fits them (a regression bar: a broken model or a change in the
 * tokenizer shows here), not its accuracy on new text: that is measured by
 * `scripts/train-tagger --cross` (train on one file, test on the other) and
 * quoted in dict/pos/README.md.
 *
 * Also checked: the UPOS sr_pos_upos gives each tag is the one the treebank
 * gives it most often, verb tags apart (the treebank makes "is", "has",
 * "did" AUX, which a tag alone cannot tell: sitrep/syntax.h says so).
 *
 * Bars: >= 97% of the compared tokens; >= 93% of the treebank's tokens
 * compared (hyphenated compounds, which sitrep keeps whole and the treebank
 * splits, are most of the rest); every other tag seen >= 20 times maps to
 * its majority UPOS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/syntax.h"
#include "sitrep/text.h"

typedef struct udtok { uint32_t s, e; uint8_t tag, upos; } udtok;

static sr_upos upos_from(const char *s)
{
    for (int u = 0; u < SR_UPOS_COUNT; u++)
        if (strcmp(sr_upos_name((sr_upos)u), s) == 0)
            return (sr_upos)u;
    return SR_UPOS_COUNT;
}

typedef struct stats {
    size_t ud, compared, right;
    size_t upos[SR_POS_COUNT][SR_UPOS_COUNT];
} stats;

static void tag_sentence(const sr_tagger *tg, sr_tagstate *st, sr_textdoc *d, const char *text,
                         const udtok *t, size_t nt, stats *s)
{
    sr_text_opts o = { NULL, true, false };
    sr_textdoc_clear(d);
    if (sr_text_analyze(d, text, strlen(text), &o) != SR_OK)
        return;
    uint8_t tags[SR_TEXT_MAX_TOKENS];
    size_t j = 0;
    for (size_t si = 0; si < d->nsents; si++) {
        if (sr_tag_sentence(tg, st, d, si, tags) != SR_OK)
            continue;
        for (uint32_t k = 0; k < d->sents[si].tok_count; k++) {
            const sr_token *tk = &d->toks[d->sents[si].tok_first + k];
            while (j < nt && t[j].e <= tk->start)
                j++;
            if (j < nt && t[j].s == tk->start && t[j].e == tk->end) {
                s->compared++;
                s->right += tags[k] == t[j].tag;
            }
        }
    }
}

static int run_file(const char *path, const sr_tagger *tg, sr_tagstate *st, stats *s)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    static char line[65536];
    char *text = NULL;
    udtok t[1024];
    size_t nt = 0, pos = 0;
    int bad = 0;
    sr_textdoc d;
    memset(&d, 0, sizeof d);
    for (;;) {
        bool eof = !fgets(line, sizeof line, f);
        line[strcspn(line, "\r\n")] = '\0';
        if (eof || line[0] == '\0') {
            if (text && nt > 0 && !bad)
                tag_sentence(tg, st, &d, text, t, nt, s);
            free(text);
            text = NULL;
            nt = pos = 0;
            bad = 0;
            if (eof)
                break;
            continue;
        }
        if (strncmp(line, "# text = ", 9) == 0) {
            text = strdup(line + 9);
            continue;
        }
        if (line[0] == '#' || !text)
            continue;
        char *col[10];
        int nc = 0;
        char *save = NULL;
        for (char *p = strtok_r(line, "\t", &save); p && nc < 10; p = strtok_r(NULL, "\t", &save))
            col[nc++] = p;
        if (nc < 5 || strchr(col[0], '.'))
            continue;
        /* multiword tokens ("don't"): their surface is what the text has;
         * their parts are not compared */
        size_t len = strlen(col[1]);
        if (strchr(col[0], '-')) {
            char *hit = strstr(text + pos, col[1]);
            if (hit)
                pos = (size_t)(hit - text) + len;
            bad |= !hit;
            long a = strtol(col[0], NULL, 10), b = strtol(strchr(col[0], '-') + 1, NULL, 10);
            for (long k = a; k <= b && fgets(line, sizeof line, f); k++)
                s->ud++;
            continue;
        }
        s->ud++;
        sr_pos p = sr_pos_from_name(col[4], strlen(col[4]));
        sr_upos u = upos_from(col[3]);
        if (p < SR_POS_COUNT && u < SR_UPOS_COUNT)
            s->upos[p][u]++;
        char *hit = strstr(text + pos, col[1]);
        if (!hit || p == SR_POS_COUNT || nt >= 1024) {
            bad = 1;
            continue;
        }
        t[nt++] = (udtok){ (uint32_t)(hit - text), (uint32_t)(hit - text + len), (uint8_t)p, (uint8_t)u };
        pos = (size_t)(hit - text) + len;
    }
    free(text);
    sr_textdoc_free(&d);
    fclose(f);
    return 0;
}

int main(void)
{
    const char *shared = getenv("SITREP_SHARED");
    const char *dict = getenv("SITREP_DICT");
    char dev[4096], test[4096], model[4096];
    snprintf(dev, sizeof dev, "%s/data/treebank/en_ewt-ud-dev.conllu", shared ? shared : "../shared");
    snprintf(test, sizeof test, "%s/data/treebank/en_ewt-ud-test.conllu", shared ? shared : "../shared");
    snprintf(model, sizeof model, "%s/%s", dict ? dict : "dict", SR_TAGGER_MODEL_FILE);
    FILE *probe = fopen(dev, "r");
    if (!probe) {
        printf("skipped: ../shared not found (no %s)\n", dev);
        return 77;
    }
    fclose(probe);
    sr_err e;
    sr_tagger_err msg;
    sr_tagger *tg = sr_tagger_load_ex(model, &e, &msg);
    if (!tg) {
        printf("FAIL: %s\n0 passed, 1 failed\n", msg.msg);
        return 1;
    }
    sr_tagstate *st = sr_tagstate_new(tg);
    stats *s = calloc(1, sizeof *s);
    if (!st || !s || run_file(dev, tg, st, s) != 0 || run_file(test, tg, st, s) != 0) {
        printf("FAIL: cannot read the treebank\n0 passed, 1 failed\n");
        return 1;
    }
    int pass = 0, fail = 0;
    double acc = 100.0 * (double)s->right / (double)(s->compared ? s->compared : 1);
    double cov = 100.0 * (double)s->compared / (double)(s->ud ? s->ud : 1);
    printf("UD EWT dev+test: %zu treebank tokens, %zu compared (%.1f%%), %.2f%% tagged as the treebank\n"
           "(the shipped model is trained on these files: this is its fit, not held-out accuracy)\n",
           s->ud, s->compared, cov, acc);
    if (acc >= 97.0) pass++; else { printf("FAIL: accuracy %.2f%% < 97%%\n", acc); fail++; }
    if (cov >= 93.0) pass++; else { printf("FAIL: only %.1f%% of tokens compared\n", cov); fail++; }
    int upos_bad = 0;
    for (int p = 0; p < SR_POS_COUNT; p++) {
        size_t tot = 0, best = 0;
        int bu = 0;
        for (int u = 0; u < SR_UPOS_COUNT; u++) {
            tot += s->upos[p][u];
            if (s->upos[p][u] > best) {
                best = s->upos[p][u];
                bu = u;
            }
        }
        if (tot >= 20 && !sr_pos_is_verb((uint8_t)p) && (sr_upos)bu != sr_pos_upos((sr_pos)p)) {
            printf("FAIL: %s maps to %s, the treebank gives it %s most (%zu of %zu)\n",
                   sr_pos_name((sr_pos)p), sr_upos_name(sr_pos_upos((sr_pos)p)), sr_upos_name((sr_upos)bu),
                   best, tot);
            upos_bad++;
        }
    }
    if (upos_bad) fail++; else pass++;
    printf("%d passed, %d failed\n", pass, fail);
    free(s);
    sr_tagstate_free(st);
    sr_tagger_free(tg);
    return fail ? 1 : 0;
}
