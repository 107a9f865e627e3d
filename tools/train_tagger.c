/*
 * train_tagger.c - makes the part-of-speech model sitrep ships
 * (dict/pos/en-ewt.model) from UD English Web Treebank CoNLL-U files and the
 * WordNet 3.0 database, and measures it.
 *
 *   train_tagger --wordnet DIR [--out MODEL] [--cross] [--epochs N]
 *                TREEBANK.conllu...
 *
 * What it does:
 *   1. the lexicon: every single-word WordNet lemma with its parts of speech
 *      (proper when WordNet writes it capitalized), the part of speech its
 *      senses are tagged with most in WordNet's sense counts, and the
 *      irregular forms of its exception lists;
 *   2. the training sentences: each treebank sentence's text goes through
 *      sitrep's own text pipeline, and each sitrep token takes the tag of
 *      the treebank token(s) under it (the head one when a sitrep token
 *      spans several: "well-known", "cannot"), so the model learns from the
 *      tokens, flags and folded forms it will see at run time; a quarter of
 *      the sentences are also learned in title case and a few in capitals
 *      (headlines);
 *   3. a greedy averaged perceptron over the features of src/syntax/
 *      features.c, epochs in a fixed shuffled order (the output is the same
 *      on every run), weights scaled to int16;
 *   4. --cross: trains on each file and tests on the others (the runtime
 *      tagger, loaded from the written model, does the tagging), printing
 *      accuracy overall, on words the training part never saw, on title-
 *      cased test sentences, and the confusions among verb and noun tags.
 *
 * Not part of the sitrep binary: scripts/train-tagger runs it.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/syntax.h"
#include "sitrep/text.h"
#include "syntax/internal.h"


static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "train_tagger: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xcalloc(size_t n, size_t s)
{
    void *p = calloc(n ? n : 1, s);
    if (!p)
        die("%s", "out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("%s", "out of memory");
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xcalloc(n + 1, 1);
    memcpy(p, s, n);
    return p;
}

/* ---- WordNet ---------------------------------------------------------------- */

/* A simple string -> bits map for building the lexicon (strings kept, so the
 * entries can be checked and counted). */
typedef struct wmap {
    char **k;
    uint32_t *v;
    size_t cap, n;
} wmap;

static uint32_t *wmap_get(wmap *m, const char *s, size_t n, bool add)
{
    if (add && (m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 4096;
        char **nk = xcalloc(nc, sizeof *nk);
        uint32_t *nv = xcalloc(nc, sizeof *nv);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->k[i])
                continue;
            size_t j = sr_hash64(m->k[i], strlen(m->k[i]), 7) & (nc - 1);
            while (nk[j])
                j = (j + 1) & (nc - 1);
            nk[j] = m->k[i];
            nv[j] = m->v[i];
        }
        free(m->k);
        free(m->v);
        m->k = nk;
        m->v = nv;
        m->cap = nc;
    }
    if (!m->cap)
        return NULL;
    size_t j = sr_hash64(s, n, 7) & (m->cap - 1);
    while (m->k[j]) {
        if (strlen(m->k[j]) == n && memcmp(m->k[j], s, n) == 0)
            return &m->v[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (!add)
        return NULL;
    m->k[j] = xstrndup(s, n);
    m->n++;
    return &m->v[j];
}

static void wmap_free(wmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->k[i]);
    free(m->k);
    free(m->v);
}

static FILE *wn_open(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open WordNet file %s", path);
    return f;
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Lemmas of index.POS, their bits, and which part of speech the tagged
 * sense counts (cntlist.rev) favour. */
static void wn_load(const char *dir, wmap *lex)
{
    static const struct { const char *file; uint32_t bit; } idx[] = {
        { "index.noun", 0 }, { "index.verb", TG_LX_VB },
        { "index.adj", TG_LX_JJ }, { "index.adv", TG_LX_RB },
    };
    char line[65536];
    /* common vs proper nouns, from how data.noun writes each word */
    wmap ncase = {0};
    FILE *f = wn_open(dir, "data.noun");
    while (fgets(line, sizeof line, f)) {
        if (line[0] == ' ')
            continue;                       /* licence header */
        char *save = NULL;
        strtok_r(line, " ", &save);         /* offset */
        strtok_r(NULL, " ", &save);         /* lex file */
        strtok_r(NULL, " ", &save);         /* synset type */
        char *cnt = strtok_r(NULL, " ", &save);
        if (!cnt)
            continue;
        long w = strtol(cnt, NULL, 16);
        for (long i = 0; i < w; i++) {
            char *word = strtok_r(NULL, " ", &save);
            strtok_r(NULL, " ", &save);     /* lex id */
            if (!word || strchr(word, '_'))
                continue;
            bool proper = isupper((unsigned char)word[0]);
            lower(word);
            *wmap_get(&ncase, word, strlen(word), true) |= proper ? TG_LX_NNP : TG_LX_NN;
        }
    }
    fclose(f);
    for (size_t p = 0; p < 4; p++) {
        f = wn_open(dir, idx[p].file);
        while (fgets(line, sizeof line, f)) {
            if (line[0] == ' ')
                continue;
            char *sp = strchr(line, ' ');
            if (!sp || memchr(line, '_', (size_t)(sp - line)))
                continue;
            *sp = '\0';
            uint32_t bits = idx[p].bit;
            if (p == 0) {
                uint32_t *c = wmap_get(&ncase, line, strlen(line), false);
                bits = c ? *c : TG_LX_NN;
            }
            *wmap_get(lex, line, strlen(line), true) |= bits;
        }
        fclose(f);
    }
    wmap_free(&ncase);
    /* sense counts: lemma%type:... number count */
    wmap cnt[4] = {{0}};
    f = wn_open(dir, "cntlist.rev");
    while (fgets(line, sizeof line, f)) {
        char *pct = strchr(line, '%');
        char *sp = strchr(line, ' ');
        if (!pct || !sp || pct > sp || strchr(line, '_'))
            continue;
        int type = pct[1] - '0';
        char *sp2 = strchr(sp + 1, ' ');
        long c = sp2 ? strtol(sp2 + 1, NULL, 10) : 0;
        int k = type == 1 ? 0 : type == 2 ? 1 : (type == 3 || type == 5) ? 2 : type == 4 ? 3 : -1;
        if (k < 0 || c <= 0)
            continue;
        *pct = '\0';
        lower(line);
        *wmap_get(&cnt[k], line, strlen(line), true) += (uint32_t)c;
    }
    fclose(f);
    for (size_t i = 0; i < lex->cap; i++) {
        if (!lex->k[i])
            continue;
        uint32_t c[4];
        for (int k = 0; k < 4; k++) {
            uint32_t *v = wmap_get(&cnt[k], lex->k[i], strlen(lex->k[i]), false);
            c[k] = v ? *v : 0;
        }
        uint32_t a = c[2] + c[3];
        if (c[0] > c[1] && c[0] > a)
            lex->v[i] |= TG_LX_DOMN;
        else if (c[1] > c[0] && c[1] > a)
            lex->v[i] |= TG_LX_DOMV;
        else if (a > c[0] && a > c[1])
            lex->v[i] |= TG_LX_DOMA;
    }
    for (int k = 0; k < 4; k++)
        wmap_free(&cnt[k]);
    /* irregular forms */
    static const char *const exc[] = { "noun.exc", "verb.exc", "adj.exc", "adv.exc" };
    for (int p = 0; p < 4; p++) {
        f = wn_open(dir, exc[p]);
        while (fgets(line, sizeof line, f)) {
            char *sp = strchr(line, ' ');
            if (!sp || memchr(line, '_', (size_t)(sp - line)))
                continue;
            *sp = '\0';
            size_t n = strlen(line);
            char *lemma = sp + 1;
            lemma[strcspn(lemma, " \n")] = '\0';
            if (strcmp(line, lemma) == 0)
                continue;
            uint32_t bits = TG_LX_IRREG;
            if (p == 0) {
                bits |= TG_LX_NNS;
            } else if (p == 1) {
                if (n > 4 && strcmp(line + n - 3, "ing") == 0)
                    bits |= TG_LX_VBG;
                else if (line[n - 1] == 's' && lemma[strlen(lemma) - 1] != 's')
                    bits |= TG_LX_VBZ;
                else
                    bits |= TG_LX_VPAST;
            } else {
                bool sup = (n > 3 && strcmp(line + n - 3, "est") == 0) || strcmp(line, "best") == 0 ||
                           strcmp(line, "worst") == 0 || strcmp(line, "most") == 0 ||
                           strcmp(line, "least") == 0;
                bits |= sup ? TG_LX_JJS : TG_LX_JJR;
            }
            *wmap_get(lex, line, n, true) |= bits;
        }
        fclose(f);
    }
}

/* ---- the treebank --------------------------------------------------------- */

typedef struct ud_tok {
    char *form;
    uint8_t tag;
    int head;          /* 0: root */
    uint32_t s, e;     /* byte span in the sentence text */
} ud_tok;

typedef struct tsent {            /* one training / test sentence */
    sr_token *toks;
    size_t n;
    char *fold;                   /* the folded forms the tokens point into */
    uint8_t *gold;
    uint8_t aug;                  /* 0 as written, 1 title case, 2 capitals */
} tsent;

typedef struct corpus {
    tsent *s;
    size_t n, cap;
    size_t ud_sents, dropped, merged, split, tokens;
} corpus;

static void corpus_add(corpus *c, tsent s)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->s = xrealloc(c->s, c->cap * sizeof *c->s);
    }
    c->s[c->n++] = s;
}

/* Find each UD token's span in text; false when they do not line up. */
static bool place_tokens(const char *text, ud_tok *t, size_t nt, const int *mw_end,
                         char **mw_form)
{
    size_t pos = 0, len = strlen(text);
    for (size_t i = 0; i < nt;) {
        const char *surf = mw_form[i] ? mw_form[i] : t[i].form;
        size_t sl = strlen(surf);
        while (pos < len && isspace((unsigned char)text[pos]))
            pos++;
        if (pos + sl > len || memcmp(text + pos, surf, sl) != 0)
            return false;
        size_t last = mw_form[i] ? (size_t)mw_end[i] : i;
        size_t cur = pos, stop = pos + sl;
        for (size_t j = i; j <= last; j++) {
            /* the parts of a multiword token ("don't" = do + n't) share its
             * surface: each takes its own length, the last what is left */
            size_t rest = stop - cur, fl = strlen(t[j].form);
            if (j == last || fl > rest)
                fl = rest;
            else if (fl == rest && rest > 1)
                fl = rest - 1;
            t[j].s = (uint32_t)cur;
            t[j].e = (uint32_t)(cur + fl);
            cur += fl;
        }
        pos += sl;
        i = last + 1;
    }
    return true;
}

static void title_case(char *s, bool caps)
{
    bool at_word = true;
    for (char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (caps) {
            *p = (char)toupper(c);
            continue;
        }
        if (at_word && islower(c)) {
            /* leave short function words as a headline does */
            size_t k = 0;
            while (isalpha((unsigned char)p[k]))
                k++;
            static const char *const fw[] = { "a", "an", "the", "of", "in", "on", "at", "to",
                                              "for", "and", "or", "by", "as", "with" };
            bool skip = false;
            for (size_t f = 0; f < sizeof fw / sizeof fw[0] && p != s; f++)
                if (strlen(fw[f]) == k && strncmp(p, fw[f], k) == 0)
                    skip = true;
            if (!skip)
                *p = (char)toupper(c);
        }
        at_word = !(isalnum(c) || c == '\'' || c == '-');
    }
}

/* Run one UD sentence through sitrep's tokenizer and tag its tokens. */
static void add_sentence(corpus *c, const char *text, ud_tok *t, size_t nt, uint8_t aug)
{
    sr_textdoc d;
    memset(&d, 0, sizeof d);
    sr_text_opts o = { NULL, true, false };
    if (sr_text_analyze(&d, text, strlen(text), &o) != SR_OK) {
        c->dropped++;
        sr_textdoc_free(&d);
        return;
    }
    for (size_t si = 0; si < d.nsents; si++) {
        const sr_sentence *se = &d.sents[si];
        if (se->tok_count == 0)
            continue;
        tsent ts = { xcalloc(se->tok_count, sizeof(sr_token)), se->tok_count,
                     xstrndup(d.fold, d.fold_len), xcalloc(se->tok_count, 1), aug };
        bool ok = true;
        for (uint32_t k = 0; k < se->tok_count && ok; k++) {
            const sr_token *tk = &d.toks[se->tok_first + k];
            ts.toks[k] = *tk;
            /* UD tokens under this one: the head among them gives the tag */
            int best = -1, cover = 0;
            for (size_t j = 0; j < nt; j++) {
                if (t[j].e <= tk->start || t[j].s >= tk->end)
                    continue;
                cover++;
                bool head_out = t[j].head == 0 || t[t[j].head - 1].e <= tk->start ||
                                t[t[j].head - 1].s >= tk->end;
                if (best < 0 || (head_out && !(t[best].head == 0 || t[t[best].head - 1].e <= tk->start ||
                                               t[t[best].head - 1].s >= tk->end)))
                    best = (int)j;
                if (aug == 0 && (t[j].s < tk->start || t[j].e > tk->end))
                    c->split++;
            }
            if (best < 0) {
                ok = false;
                break;
            }
            if (cover > 1 && aug == 0)
                c->merged++;
            ts.gold[k] = t[best].tag;
        }
        if (!ok) {
            c->dropped++;
            free(ts.toks);
            free(ts.fold);
            free(ts.gold);
            continue;
        }
        if (aug == 0)
            c->tokens += ts.n;
        corpus_add(c, ts);
    }
    sr_textdoc_free(&d);
}

static void read_conllu(const char *path, corpus *c, bool augment)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s", path);
    char line[65536];
    char *text = NULL;
    ud_tok t[1024];
    int mw_end[1024];
    char *mw_form[1024];
    size_t nt = 0;
    memset(mw_form, 0, sizeof mw_form);
    size_t nsent = 0;
    for (;;) {
        bool eof = !fgets(line, sizeof line, f);
        line[strcspn(line, "\r\n")] = '\0';
        if (eof || line[0] == '\0') {
            if (nt > 0 && text) {
                c->ud_sents++;
                if (place_tokens(text, t, nt, mw_end, mw_form)) {
                    add_sentence(c, text, t, nt, 0);
                    if (augment && nsent % 4 == 1) {
                        char *tt = xstrndup(text, strlen(text));
                        title_case(tt, nsent % 16 == 5);
                        add_sentence(c, tt, t, nt, nsent % 16 == 5 ? 2 : 1);
                        free(tt);
                    }
                } else {
                    c->dropped++;
                }
                nsent++;
            }
            for (size_t i = 0; i < nt; i++) {
                free(t[i].form);
                free(mw_form[i]);
                mw_form[i] = NULL;
            }
            nt = 0;
            free(text);
            text = NULL;
            if (eof)
                break;
            continue;
        }
        if (strncmp(line, "# text = ", 9) == 0) {
            free(text);
            text = xstrndup(line + 9, strlen(line + 9));
            continue;
        }
        if (line[0] == '#')
            continue;
        char *col[10];
        char *save = NULL;
        int nc = 0;
        for (char *p = strtok_r(line, "\t", &save); p && nc < 10; p = strtok_r(NULL, "\t", &save))
            col[nc++] = p;
        if (nc < 8 || strchr(col[0], '.'))
            continue;                        /* empty nodes (8.1) */
        if (nt >= 1000)
            continue;
        char *dash = strchr(col[0], '-');
        if (dash) {
            long a = strtol(col[0], NULL, 10), b = strtol(dash + 1, NULL, 10);
            if (a == (long)nt + 1 && b > a && b <= 1000) {
                mw_form[nt] = xstrndup(col[1], strlen(col[1]));
                mw_end[nt] = (int)(b - 1);
            }
            continue;
        }
        sr_pos p = sr_pos_from_name(col[4], strlen(col[4]));
        if (p == SR_POS_COUNT)
            die("unknown tag %s", col[4]);
        t[nt] = (ud_tok){ xstrndup(col[1], strlen(col[1])), (uint8_t)p,
                          (int)strtol(col[6], NULL, 10), 0, 0 };
        if (t[nt].head < 0 || t[nt].head > 1000)
            t[nt].head = 0;
        nt++;
    }
    free(text);
    fclose(f);
}

/* ---- news-style check: the PETRARCH unit-test parse trees ------------------
 * 284 news-style sentences with Penn Treebank parse trees (MIT licence), the
 * trees made by a parser: agreement with their tags is a second, held-out
 * measure in the news domain the coder reads (no sentence of them is ever
 * trained on). */

static void xml_unescape(char *s)
{
    static const struct { const char *e; char c; } ent[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
    };
    char *w = s;
    for (char *r = s; *r;) {
        size_t k = 0;
        for (; k < sizeof ent / sizeof ent[0]; k++)
            if (strncmp(r, ent[k].e, strlen(ent[k].e)) == 0)
                break;
        if (k < sizeof ent / sizeof ent[0]) {
            *w++ = ent[k].c;
            r += strlen(ent[k].e);
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

/* The surface a tree leaf stands for. */
static const char *leaf_surface(const char *w)
{
    if (strcmp(w, "-LRB-") == 0 || strcmp(w, "-LCB-") == 0)
        return "(";
    if (strcmp(w, "-RRB-") == 0 || strcmp(w, "-RCB-") == 0)
        return ")";
    if (strcmp(w, "``") == 0 || strcmp(w, "''") == 0)
        return "\"";
    return w;
}

static void read_petrarch(const char *path, corpus *c)
{
    char *buf = NULL;
    size_t len = 0;
    if (sr_read_file(path, (size_t)64 << 20, &buf, &len) != SR_OK)
        die("cannot read %s", path);
    for (char *p = buf; (p = strstr(p, "<Text>")) != NULL;) {
        char *te = strstr(p, "</Text>");
        char *ps = te ? strstr(te, "<Parse>") : NULL;
        char *pe = ps ? strstr(ps, "</Parse>") : NULL;
        char *next = strstr(p + 6, "<Text>");
        if (!te || !ps || !pe || (next && ps > next)) {
            p += 6;
            continue;
        }
        char *text = xstrndup(p + 6, (size_t)(te - p - 6));
        xml_unescape(text);
        for (char *q = text; *q; q++)
            if (*q == '\n' || *q == '\r' || *q == '\t')
                *q = ' ';
        /* leaves: "(TAG word)" */
        ud_tok t[1024];
        size_t nt = 0;
        char cat[8192];
        size_t cl = 0;
        bool ok = true;
        for (char *q = ps; q < pe && nt < 1024; q++) {
            if (*q != '(')
                continue;
            char *sp = q + 1;
            while (sp < pe && *sp != ' ' && *sp != '(' && *sp != ')')
                sp++;
            if (sp >= pe || *sp != ' ')
                continue;
            char *w = sp + 1;
            char *we = w;
            while (we < pe && *we != ')' && *we != '(' && *we != ' ')
                we++;
            if (we >= pe || *we != ')' || we == w)
                continue;
            char tag[16];
            size_t tl = (size_t)(sp - q - 1);
            if (tl == 0 || tl >= sizeof tag)
                continue;
            memcpy(tag, q + 1, tl);
            tag[tl] = '\0';
            sr_pos pos = sr_pos_from_name(tag, tl);
            if (pos == SR_POS_COUNT) {
                ok = false;          /* a tag EWT does not use */
                break;
            }
            char *word = xstrndup(w, (size_t)(we - w));
            xml_unescape(word);
            const char *surf = leaf_surface(word);
            size_t sl = strlen(surf);
            if (cl + sl >= sizeof cat) {
                ok = false;
                free(word);
                break;
            }
            t[nt] = (ud_tok){ word, (uint8_t)pos, 0, (uint32_t)cl, (uint32_t)(cl + sl) };
            memcpy(cat + cl, surf, sl);
            cl += sl;
            nt++;
        }
        /* sitrep's tokens, placed on the same space-free character string */
        sr_textdoc d;
        memset(&d, 0, sizeof d);
        sr_text_opts o = { NULL, true, false };
        c->ud_sents++;
        if (ok && sr_text_analyze(&d, text, strlen(text), &o) == SR_OK) {
            for (size_t si = 0; si < d.nsents && ok; si++) {
                const sr_sentence *se = &d.sents[si];
                tsent ts = { xcalloc(se->tok_count ? se->tok_count : 1, sizeof(sr_token)), se->tok_count,
                             xstrndup(d.fold, d.fold_len), xcalloc(se->tok_count ? se->tok_count : 1, 1), 0 };
                static size_t pos = 0;
                if (si == 0)
                    pos = 0;
                for (uint32_t k = 0; k < se->tok_count && ok; k++) {
                    const sr_token *tk = &d.toks[se->tok_first + k];
                    ts.toks[k] = *tk;
                    size_t s0 = pos;
                    for (uint32_t b = tk->start; b < tk->end; b++)
                        if (text[b] != ' ') {
                            if (pos >= cl || cat[pos] != text[b])
                                ok = false;
                            pos++;
                        }
                    /* the leaf under the token's last character */
                    int best = -1;
                    for (size_t j = 0; j < nt; j++)
                        if (t[j].s < pos && t[j].e >= pos && pos > s0)
                            best = (int)j;
                    if (best < 0)
                        ok = false;
                    else
                        ts.gold[k] = t[best].tag;
                }
                if (ok && ts.n > 0) {
                    c->tokens += ts.n;
                    corpus_add(c, ts);
                } else {
                    free(ts.toks);
                    free(ts.fold);
                    free(ts.gold);
                }
            }
        }
        if (!ok)
            c->dropped++;
        sr_textdoc_free(&d);
        for (size_t j = 0; j < nt; j++)
            free(t[j].form);
        free(text);
        p = pe;
    }
    free(buf);
}

static void corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->s[i].toks);
        free(c->s[i].fold);
        free(c->s[i].gold);
    }
    free(c->s);
    memset(c, 0, sizeof *c);
}

/* ---- the perceptron -------------------------------------------------------- */

typedef struct percep {
    uint64_t *keys;        /* open addressing: key -> index+1 in idx */
    uint32_t *idx;
    size_t    cap, n;
    float    *w;           /* [n][TG_NT] */
    double   *tot;         /* running sums for the average */
    uint32_t *ts;          /* when each weight last changed */
    size_t    wcap;
    uint32_t  now;
} percep;

static uint32_t feat_index(percep *p, uint64_t key)
{
    if ((p->n + 1) * 2 > p->cap) {
        size_t nc = p->cap ? p->cap * 2 : (1u << 16);
        uint64_t *nk = xcalloc(nc, sizeof *nk);
        uint32_t *ni = xcalloc(nc, sizeof *ni);
        for (size_t i = 0; i < p->cap; i++) {
            if (!p->keys[i])
                continue;
            size_t j = p->keys[i] & (nc - 1);
            while (nk[j])
                j = (j + 1) & (nc - 1);
            nk[j] = p->keys[i];
            ni[j] = p->idx[i];
        }
        free(p->keys);
        free(p->idx);
        p->keys = nk;
        p->idx = ni;
        p->cap = nc;
    }
    size_t j = key & (p->cap - 1);
    while (p->keys[j]) {
        if (p->keys[j] == key)
            return p->idx[j];
        j = (j + 1) & (p->cap - 1);
    }
    if (p->n == p->wcap) {
        p->wcap = p->wcap ? p->wcap * 2 : (1u << 16);
        p->w = xrealloc(p->w, p->wcap * TG_NT * sizeof *p->w);
        p->tot = xrealloc(p->tot, p->wcap * TG_NT * sizeof *p->tot);
        p->ts = xrealloc(p->ts, p->wcap * TG_NT * sizeof *p->ts);
    }
    memset(p->w + p->n * TG_NT, 0, TG_NT * sizeof *p->w);
    memset(p->tot + p->n * TG_NT, 0, TG_NT * sizeof *p->tot);
    memset(p->ts + p->n * TG_NT, 0, TG_NT * sizeof *p->ts);
    p->keys[j] = key;
    p->idx[j] = (uint32_t)p->n;
    return (uint32_t)p->n++;
}

static void percep_update(percep *p, uint32_t f, unsigned t, float v)
{
    size_t i = (size_t)f * TG_NT + t;
    p->tot[i] += (double)(p->now - p->ts[i]) * p->w[i];
    p->ts[i] = p->now;
    p->w[i] += v;
}

static void percep_average(percep *p)
{
    for (size_t i = 0; i < p->n * TG_NT; i++) {
        double t = p->tot[i] + (double)(p->now - p->ts[i]) * p->w[i];
        p->w[i] = p->now ? (float)(t / p->now) : 0.0f;
    }
}

static void percep_free(percep *p)
{
    free(p->keys);
    free(p->idx);
    free(p->w);
    free(p->tot);
    free(p->ts);
    memset(p, 0, sizeof *p);
}

/* A sentence's static feature indices: for token i, idx[off[i]..off[i+1]). */
typedef struct sfeats {
    uint32_t *idx;
    uint32_t *off;
    uint16_t *closed;      /* closed-class tags each token may have */
    uint8_t  *aux, *pastish;
} sfeats;

static void sentence_feats(percep *p, const tg_lex *lx, const tsent *s, sfeats *out)
{
    size_t n = s->n;
    tg_wordkeys *wk = xcalloc(n, sizeof *wk);
    tg_wordkeys start, end;
    tg_edge_keys(false, &start);
    tg_edge_keys(true, &end);
    bool title = tg_sentence_is_title(s->toks, n, s->fold);
    size_t first = tg_first_word(s->toks, n);
    for (size_t i = 0; i < n; i++) {
        const sr_token *t = &s->toks[i];
        uint8_t ctx = (title ? TG_CTX_TITLE : 0) | (i == first ? TG_CTX_START : 0);
        tg_word_keys(lx, s->fold + t->fold, t->fold_len, t->flags, t->kind, ctx, &wk[i]);
    }
    size_t cap = n * TG_MAX_KEYS * 5 + 8;
    out->idx = xcalloc(cap, sizeof *out->idx);
    out->off = xcalloc(n + 1, sizeof *out->off);
    out->closed = xcalloc(n, sizeof *out->closed);
    out->aux = xcalloc(n, 1);
    out->pastish = xcalloc(n, 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        out->off[i] = (uint32_t)k;
        out->closed[i] = wk[i].closed;
        out->aux[i] = wk[i].aux;
        out->pastish[i] = wk[i].pastish;
        const tg_wordkeys *r[5] = { &wk[i], i >= 1 ? &wk[i - 1] : &start, i + 1 < n ? &wk[i + 1] : &end,
                                    i >= 2 ? &wk[i - 2] : &start, i + 2 < n ? &wk[i + 2] : &end };
        static const int role[5] = { TG_SELF, TG_P1, TG_N1, TG_P2, TG_N2 };
        for (int q = 0; q < 5; q++)
            for (int j = 0; j < r[q]->n[role[q]]; j++)
                out->idx[k++] = feat_index(p, r[q]->key[role[q]][j]);
    }
    out->off[n] = (uint32_t)k;
    free(wk);
}

static void score(const percep *p, const uint32_t *f, size_t nf, float *s)
{
    memset(s, 0, TG_NT * sizeof *s);
    for (size_t k = 0; k < nf; k++) {
        const float *w = p->w + (size_t)f[k] * TG_NT;
        for (int t = 0; t < TG_NT; t++)
            s[t] += w[t];
    }
}

static void train(percep *p, const tg_lex *lx, const corpus *c, int epochs)
{
    sfeats *sf = xcalloc(c->n, sizeof *sf);
    for (size_t i = 0; i < c->n; i++)
        sentence_feats(p, lx, &c->s[i], &sf[i]);
    size_t *order = xcalloc(c->n, sizeof *order);
    for (size_t i = 0; i < c->n; i++)
        order[i] = i;
    uint64_t rng = 0x2545F4914F6CDD1Dull;
    for (int ep = 0; ep < epochs; ep++) {
        for (size_t i = c->n; i > 1; i--) {            /* Fisher-Yates, fixed seed */
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            size_t j = rng % i;
            size_t x = order[i - 1];
            order[i - 1] = order[j];
            order[j] = x;
        }
        size_t right = 0, total = 0;
        for (size_t oi = 0; oi < c->n; oi++) {
            const tsent *s = &c->s[order[oi]];
            const sfeats *f = &sf[order[oi]];
            unsigned t1 = TG_START, t2 = TG_START;
            tg_hist h = { 0, 0 };
            for (size_t i = 0; i < s->n; i++) {
                uint32_t dyn[3] = { feat_index(p, tg_key_t1(t1)), feat_index(p, tg_key_t2(t2, t1)),
                                    feat_index(p, tg_key_hist(tg_hist_state(&h, f->pastish[i]))) };
                float sc[TG_NT], sd[TG_NT];
                score(p, f->idx + f->off[i], f->off[i + 1] - f->off[i], sc);
                score(p, dyn, 3, sd);
                unsigned best = TG_NT;
                for (unsigned t = 0; t < TG_NT; t++) {
                    sc[t] += sd[t];
                    uint16_t cb = tg_closed_bit(t);
                    if (cb && !(f->closed[i] & cb))
                        continue;           /* as the runtime: never chosen */
                    if (best == TG_NT || sc[t] > sc[best])
                        best = t;
                }
                unsigned gold = s->gold[i];
                p->now++;
                if (best != gold) {
                    for (uint32_t k = f->off[i]; k < f->off[i + 1]; k++) {
                        percep_update(p, f->idx[k], gold, 1.0f);
                        percep_update(p, f->idx[k], best, -1.0f);
                    }
                    for (int k = 0; k < 3; k++) {
                        percep_update(p, dyn[k], gold, 1.0f);
                        percep_update(p, dyn[k], best, -1.0f);
                    }
                } else {
                    right++;
                }
                total++;
                tg_hist_next(&h, best, f->aux[i]);
                t2 = t1;
                t1 = best;          /* greedy: learn from its own history */
            }
        }
        fprintf(stderr, "  epoch %d: %.2f%% on the training sentences\n", ep + 1,
                100.0 * (double)right / (double)(total ? total : 1));
    }
    percep_average(p);
    for (size_t i = 0; i < c->n; i++) {
        free(sf[i].idx);
        free(sf[i].off);
        free(sf[i].closed);
        free(sf[i].aux);
        free(sf[i].pastish);
    }
    free(sf);
    free(order);
}

/* ---- the model ------------------------------------------------------------ */

typedef struct kidx { uint64_t key; uint32_t idx; } kidx;

static int cmp_kidx(const void *a, const void *b)
{
    uint64_t x = ((const kidx *)a)->key, y = ((const kidx *)b)->key;
    return x < y ? -1 : x > y;
}

/* The lexicon for one training set: WordNet, and which forms the training
 * sentences have. */
static void build_lex(tg_lex *lx, const wmap *wn, const corpus *c)
{
    if (tg_lex_init(lx, wn->n + 20000, true) != SR_OK)
        die("%s", "out of memory");
    for (size_t i = 0; i < wn->cap; i++)
        if (wn->k[i] && tg_lex_put(lx, tg_form_hash(wn->k[i], strlen(wn->k[i])), (uint16_t)wn->v[i], 0) != SR_OK)
            die("%s", "out of memory");
    for (size_t i = 0; i < c->n; i++)
        for (size_t k = 0; k < c->s[i].n; k++) {
            const sr_token *t = &c->s[i].toks[k];
            if (tg_lex_put(lx, tg_form_hash(c->s[i].fold + t->fold, t->fold_len), TG_LX_SEEN,
                           tg_closed_bit(c->s[i].gold[k])) != SR_OK)
                die("%s", "out of memory");
        }
}

static void write_model(const char *path, const percep *p, const tg_lex *lx, double scale_to,
                        const char *source)
{
    /* scale: the largest weight becomes scale_to */
    float mx = 0;
    for (size_t i = 0; i < p->n * TG_NT; i++)
        if (fabsf(p->w[i]) > mx)
            mx = fabsf(p->w[i]);
    double scale = mx > 0 ? scale_to / mx : 1.0;
    kidx *ki = xcalloc(p->n, sizeof *ki);
    size_t nk = 0;
    for (size_t i = 0; i < p->cap; i++)
        if (p->keys[i])
            ki[nk++] = (kidx){ p->keys[i], p->idx[i] };
    qsort(ki, nk, sizeof *ki, cmp_kidx);
    uint64_t *keys = xcalloc(nk, sizeof *keys);
    uint32_t *first = xcalloc(nk + 1, sizeof *first);
    uint8_t *tags = xcalloc(nk * TG_NT, 1);
    int8_t *wts = xcalloc(nk * TG_NT, sizeof *wts);
    size_t nf = 0, np = 0;
    for (size_t i = 0; i < nk; i++) {
        size_t start = np;
        for (int t = 0; t < TG_NT; t++) {
            long q = lround(p->w[(size_t)ki[i].idx * TG_NT + t] * scale);
            if (q == 0)
                continue;
            if (q > 127)
                q = 127;
            if (q < -127)
                q = -127;
            tags[np] = (uint8_t)t;
            wts[np++] = (int8_t)q;
        }
        if (np == start)
            continue;
        keys[nf] = ki[i].key;
        first[nf] = (uint32_t)start;
        first[++nf] = (uint32_t)np;
    }
    tg_model_out mo = { keys, first, nf, tags, wts, lx, source };
    sr_err e = tg_model_write(path, &mo);
    if (e != SR_OK)
        die("cannot write %s", path);
    fprintf(stderr, "train_tagger: %s: %zu features, %zu weights, %zu lexicon forms (scale %.2f)\n",
            path, nf, np, lx->n, scale);
    free(ki);
    free(keys);
    free(first);
    free(tags);
    free(wts);
}

/* ---- evaluation ------------------------------------------------------------ */

typedef struct evalres {
    size_t n, right, unk, unk_right;
    size_t title_n, title_right;
    size_t conf[TG_NT][TG_NT];       /* [gold][predicted] */
} evalres;

static void evaluate(const char *model_path, const corpus *test, const corpus *train_c,
                     evalres *r)
{
    sr_err err;
    sr_tagger_err msg;
    sr_tagger *tg = sr_tagger_load_ex(model_path, &err, &msg);
    if (!tg)
        die("%s", msg.msg);
    sr_tagstate *st = sr_tagstate_new(tg);
    if (!st)
        die("%s", "out of memory");
    wmap seen = {0};
    for (size_t i = 0; i < train_c->n; i++)
        for (size_t k = 0; k < train_c->s[i].n; k++)
            wmap_get(&seen, train_c->s[i].fold + train_c->s[i].toks[k].fold,
                     train_c->s[i].toks[k].fold_len, true);
    memset(r, 0, sizeof *r);
    uint8_t tags[SR_TEXT_MAX_TOKENS];
    for (size_t i = 0; i < test->n; i++) {
        const tsent *s = &test->s[i];
        if (sr_tag_tokens(tg, st, s->toks, s->n, s->fold, tags) != SR_OK)
            die("%s", "tagging failed");
        for (size_t k = 0; k < s->n; k++) {
            bool ok = tags[k] == s->gold[k];
            if (s->aug) {
                r->title_n++;
                r->title_right += ok;
                continue;
            }
            r->n++;
            r->right += ok;
            r->conf[s->gold[k]][tags[k]]++;
            if (!wmap_get(&seen, s->fold + s->toks[k].fold, s->toks[k].fold_len, false)) {
                r->unk++;
                r->unk_right += ok;
            }
        }
    }
    wmap_free(&seen);
    sr_tagstate_free(st);
    sr_tagger_free(tg);
}

static void print_eval(const char *name, const evalres *r)
{
    printf("%-28s %7zu tokens  accuracy %6.2f%%  unknown words %6.2f%% (%zu)  headline-cased %6.2f%%\n",
           name, r->n, 100.0 * (double)r->right / (double)(r->n ? r->n : 1),
           100.0 * (double)r->unk_right / (double)(r->unk ? r->unk : 1), r->unk,
           100.0 * (double)r->title_right / (double)(r->title_n ? r->title_n : 1));
}

static void print_confusion(const evalres *r)
{
    static const sr_pos key[] = { SR_POS_NN, SR_POS_NNS, SR_POS_NNP, SR_POS_VB, SR_POS_VBD,
                                  SR_POS_VBN, SR_POS_VBP, SR_POS_VBZ, SR_POS_VBG, SR_POS_JJ,
                                  SR_POS_IN, SR_POS_RB, SR_POS_MD };
    size_t nk = sizeof key / sizeof key[0];
    printf("confusions (rows gold, columns tagged; summed over the folds):\n%6s", "");
    for (size_t j = 0; j < nk; j++)
        printf(" %5s", sr_pos_name(key[j]));
    printf(" %6s %7s\n", "other", "recall");
    for (size_t i = 0; i < nk; i++) {
        size_t row = 0, other = 0;
        for (int t = 0; t < TG_NT; t++)
            row += r->conf[key[i]][t];
        printf("%6s", sr_pos_name(key[i]));
        size_t inkey = 0;
        for (size_t j = 0; j < nk; j++) {
            printf(" %5zu", r->conf[key[i]][key[j]]);
            inkey += r->conf[key[i]][key[j]];
        }
        other = row - inkey;
        printf(" %6zu %6.1f%%\n", other, 100.0 * (double)r->conf[key[i]][key[i]] / (double)(row ? row : 1));
    }
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    const char *wndir = NULL, *out = NULL, *news = NULL;
    int news_weight = 0;        /* times the news-style sentences are trained on */
    bool cross = false;
    int epochs = 10;
    double scale_to = 60;
    const char *files[16];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--wordnet") == 0 && i + 1 < argc)
            wndir = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--news") == 0 && i + 1 < argc)
            news = argv[++i];
        else if (strcmp(argv[i], "--news-train") == 0 && i + 1 < argc)
            news_weight = (int)strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--cross") == 0)
            cross = true;
        else if (strcmp(argv[i], "--epochs") == 0 && i + 1 < argc)
            epochs = (int)strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
            scale_to = strtod(argv[++i], NULL);
        else if (argv[i][0] != '-' && nfiles < 16)
            files[nfiles++] = argv[i];
        else
            die("usage: train_tagger --wordnet DIR [--out MODEL] [--cross] [--epochs N] "
                "TREEBANK.conllu...");
    }
    if (!wndir || nfiles == 0 || epochs < 1 || epochs > 100)
        die("usage: train_tagger --wordnet DIR [--out MODEL] [--cross] [--epochs N] "
            "TREEBANK.conllu...");
    wmap wn = {0};
    wn_load(wndir, &wn);
    fprintf(stderr, "train_tagger: WordNet: %zu forms\n", wn.n);
    corpus newsc = {0};
    if (news) {
        read_petrarch(news, &newsc);
        fprintf(stderr, "train_tagger: %s: %zu sentences, %zu tokens (%zu sentences not aligned)\n",
                news, newsc.n, newsc.tokens, newsc.dropped);
    }
    corpus plain[16], aug[16];
    for (int i = 0; i < nfiles; i++) {
        memset(&plain[i], 0, sizeof plain[i]);
        memset(&aug[i], 0, sizeof aug[i]);
        read_conllu(files[i], &plain[i], false);
        read_conllu(files[i], &aug[i], true);
        fprintf(stderr, "train_tagger: %s: %zu UD sentences -> %zu sitrep sentences, %zu tokens "
                "(%zu sentences dropped, %zu tokens merged from several UD tokens, %zu UD tokens split)\n",
                files[i], plain[i].ud_sents, plain[i].n, plain[i].tokens, plain[i].dropped,
                plain[i].merged, plain[i].split);
    }
    if (cross && nfiles >= 2) {
        evalres total;
        memset(&total, 0, sizeof total);
        char tmp[64];
        snprintf(tmp, sizeof tmp, "/tmp/train_tagger.%d.model", (int)getpid());
        for (int f = 0; f < nfiles; f++) {
            corpus tr = {0}, te_plain = {0};
            for (int g = 0; g < nfiles; g++)
                for (size_t i = 0; i < (g == f ? 0 : aug[g].n); i++)
                    corpus_add(&tr, aug[g].s[i]);
            /* the test part: as written, plus title/capitals copies */
            for (size_t i = 0; i < aug[f].n; i++)
                corpus_add(&te_plain, aug[f].s[i]);
            tg_lex lx;
            build_lex(&lx, &wn, &tr);
            percep p = {0};
            fprintf(stderr, "train_tagger: fold %d: training on %zu sentences\n", f + 1, tr.n);
            train(&p, &lx, &tr, epochs);
            write_model(tmp, &p, &lx, scale_to, "cross-validation fold");
            evalres r;
            evaluate(tmp, &te_plain, &tr, &r);
            char name[256];
            const char *base = strrchr(files[f], '/');
            snprintf(name, sizeof name, "test on %s", base ? base + 1 : files[f]);
            print_eval(name, &r);
            if (news) {
                evalres rn;
                evaluate(tmp, &newsc, &tr, &rn);
                print_eval("  news-style (PETRARCH)", &rn);
            }
            total.n += r.n;
            total.right += r.right;
            total.unk += r.unk;
            total.unk_right += r.unk_right;
            total.title_n += r.title_n;
            total.title_right += r.title_right;
            for (int a = 0; a < TG_NT; a++)
                for (int b = 0; b < TG_NT; b++)
                    total.conf[a][b] += r.conf[a][b];
            percep_free(&p);
            tg_lex_free(&lx);
            free(tr.s);
            free(te_plain.s);
        }
        print_eval("all folds", &total);
        print_confusion(&total);
        /* the news-style sentences, when trained on: two halves, each
         * tested on by a model trained on all EWT and the other half */
        if (news && news_weight > 0) {
            memset(&total, 0, sizeof total);
            for (size_t h = 0; h < 2; h++) {
                corpus tr = {0}, te = {0};
                for (int g = 0; g < nfiles; g++)
                    for (size_t i = 0; i < aug[g].n; i++)
                        corpus_add(&tr, aug[g].s[i]);
                for (size_t i = 0; i < newsc.n; i++) {
                    if (i % 2 == h)
                        corpus_add(&te, newsc.s[i]);
                    else
                        for (int w = 0; w < news_weight; w++)
                            corpus_add(&tr, newsc.s[i]);
                }
                tg_lex lx;
                build_lex(&lx, &wn, &tr);
                percep p = {0};
                train(&p, &lx, &tr, epochs);
                write_model(tmp, &p, &lx, scale_to, "cross-validation fold");
                evalres r;
                evaluate(tmp, &te, &tr, &r);
                print_eval(h ? "news-style, odd half" : "news-style, even half", &r);
                total.n += r.n;
                total.right += r.right;
                total.unk += r.unk;
                total.unk_right += r.unk_right;
                for (int a = 0; a < TG_NT; a++)
                    for (int b = 0; b < TG_NT; b++)
                        total.conf[a][b] += r.conf[a][b];
                percep_free(&p);
                tg_lex_free(&lx);
                free(tr.s);
                free(te.s);
            }
            print_eval("news-style, both halves", &total);
            print_confusion(&total);
        }
        remove(tmp);
    }
    if (out) {
        corpus all = {0};
        for (int g = 0; g < nfiles; g++)
            for (size_t i = 0; i < aug[g].n; i++)
                corpus_add(&all, aug[g].s[i]);
        for (int w = 0; w < news_weight; w++)
            for (size_t i = 0; i < newsc.n; i++)
                corpus_add(&all, newsc.s[i]);
        tg_lex lx;
        build_lex(&lx, &wn, &all);
        percep p = {0};
        fprintf(stderr, "train_tagger: training on %zu sentences\n", all.n);
        train(&p, &lx, &all, epochs);
        char source[256];
        snprintf(source, sizeof source,
                 "UD English Web Treebank dev+test (CC BY-SA 4.0)%s + WordNet 3.0; "
                 "greedy averaged perceptron, %d epochs",
                 news_weight ? " + PETRARCH unit-test parses (MIT)" : "", epochs);
        write_model(out, &p, &lx, scale_to, source);
        if (news && news_weight == 0) {
            evalres rn;
            evaluate(out, &newsc, &all, &rn);
            print_eval("shipped model, news-style", &rn);
            print_confusion(&rn);
        }
        percep_free(&p);
        tg_lex_free(&lx);
        free(all.s);
    }
    for (int i = 0; i < nfiles; i++) {
        corpus_free(&plain[i]);
        corpus_free(&aug[i]);
    }
    corpus_free(&newsc);
    wmap_free(&wn);
    return 0;
}
