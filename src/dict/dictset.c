/*
 * dictset.c - the set of dictionaries a coder uses: loading files and
 * folders, the string pool, phrase splitting, freezing, lookups.
 *
 * Phrases are split the way the text pipeline tokenizes sentences, so the
 * two meet: a plain ASCII word ("PAKISTAN") is lower-cased and interned
 * directly (the fast path, nearly every dictionary word); anything else
 * ("U.N.", "KI-MOON", "PAKISTAN'S", non-ASCII) is run through
 * sr_text_analyze() and its tokens are used, so "PAKISTAN'S" becomes
 * "pakistan" + "'s" exactly as in running text.  Loading the whole Phoenix
 * set therefore costs one hash probe per word plus a few analyses.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dict/dictset_impl.h"
#include "dict/match.h"

/* Scratch state used only while loading (not part of the frozen set). */
typedef struct load_scratch {
    sr_textdoc td;
    sr_buf fold;
    uint32_t *stems; size_t nstems, cap;
} load_scratch;

/* One per dictset, allocated lazily; kept outside the struct so the public
 * layout of sr_dictset stays about dictionaries. */
static load_scratch *scratch_of(sr_dictset *ds);

struct ds_holder { sr_dictset ds; load_scratch ls; };

static load_scratch *scratch_of(sr_dictset *ds)
{
    return &((struct ds_holder *)ds)->ls;
}

sr_dictset *sr_dictset_new(sr_lexicon *lex)
{
    struct ds_holder *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    sr_dictset *ds = &h->ds;
    ds->lex = lex;
    sr_buf_init(&ds->pool, (size_t)1 << 30);
    sr_buf_init(&h->ls.fold, 1 << 16);
    if (sr_trie_init(&ds->actors) || sr_trie_init(&ds->agents) ||
        sr_trie_init(&ds->verbs) || sr_trie_init(&ds->synsets) ||
        sr_trie_init(&ds->discards) || sr_trie_init(&ds->issues) ||
        sr_buf_putc(&ds->pool, '\0') != SR_OK) {
        sr_dictset_free(ds);
        return NULL;
    }
    ds->stem_min = UINT32_MAX;
    return ds;
}

void sr_dictset_free(sr_dictset *ds)
{
    if (!ds)
        return;
    load_scratch *ls = scratch_of(ds);
    sr_textdoc_free(&ls->td);
    sr_buf_free(&ls->fold);
    free(ls->stems);
    sr_buf_free(&ds->pool);
    sr_trie_free(&ds->actors);
    sr_trie_free(&ds->agents);
    sr_trie_free(&ds->verbs);
    sr_trie_free(&ds->synsets);
    sr_trie_free(&ds->discards);
    sr_trie_free(&ds->issues);
    free(ds->actor);
    free(ds->codes);
    free(ds->agent);
    free(ds->forms);
    free(ds->verb);
    for (size_t i = 0; i < ds->ngroups; i++) {
        free(ds->groups[i].pats);
        free(ds->groups[i].heavy);
        free(ds->groups[i].heavy_pick);
    }
    free(ds->groups);
    free(ds->patterns);
    free(ds->pelems);
    free(ds->synset_name);
    free(ds->synset_root);
    free(ds->synset_first);
    free(ds->issue);
    free(ds->is_stem);
    free(ds->stem_label);
    free(ds->stem_link);
    free(ds->stem_key);
    free(ds->stem_cache);
    free(ds->stem_any);
    free(ds->stem_rank);
    for (size_t i = 0; i < ds->nlabel; i++) {
        free(ds->label[i].code);
        free(ds->label[i].text);
    }
    free(ds->label);
    free(ds->is_prep);
    free(ds);
}

sr_lexicon *sr_dictset_lexicon(const sr_dictset *ds) { return ds->lex; }

void sr_dictset_set_options(sr_dictset *ds, const sr_dict_options *o) { ds->opts = *o; }
const sr_dict_options *sr_dictset_options(const sr_dictset *ds) { return &ds->opts; }
void sr_dictset_set_codebook(sr_dictset *ds, const sr_codebook *cb) { ds->codebook = cb; }
const sr_codebook *sr_dictset_codebook(const sr_dictset *ds) { return ds->codebook; }

sr_err sr_ds_str(sr_dictset *ds, const char *s, size_t n, uint32_t *off)
{
    if (ds->pool.len >= UINT32_MAX - n - 1)
        return SR_ETOOBIG;
    *off = (uint32_t)ds->pool.len;
    sr_err e = sr_buf_append(&ds->pool, s, n);
    if (e == SR_OK)
        e = sr_buf_putc(&ds->pool, '\0');
    return e;
}

char *sr_ds_next_line(char **cursor, char *end, size_t *len)
{
    char *s = *cursor;
    if (s >= end)
        return NULL;
    char *nl = memchr(s, '\n', (size_t)(end - s));
    char *e = nl ? nl : end;
    *cursor = nl ? nl + 1 : end;
    if (e > s && e[-1] == '\r')
        e--;
    *e = '\0';
    *len = (size_t)(e - s);
    return s;
}

int32_t sr_ds_date(const char *s, size_t n)
{
    if (n != 6 && n != 8)
        return -1;
    int32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (n == 6) {
        /* TABARI's two-digit years: 00-30 are this century */
        int32_t yy = v / 10000;
        v += (yy <= 30 ? 2000 : 1900) * 10000;
    }
    int32_t mm = v / 100 % 100, dd = v % 100;
    if (mm < 1 || mm > 12 || dd < 1 || dd > 31)
        return -1;
    return v;
}

static bool ascii_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c))
            return false;
    }
    return n > 0;
}

static sr_err remember_stem(sr_dictset *ds, uint32_t id)
{
    load_scratch *ls = scratch_of(ds);
    if (sr_grow((void **)&ls->stems, &ls->cap, ls->nstems + 1, sizeof *ls->stems))
        return SR_ENOMEM;
    ls->stems[ls->nstems++] = id;
    return SR_OK;
}

uint32_t sr_ds_word(sr_dictset *ds, const char *s, size_t n)
{
    char low[64];
    if (n < sizeof low && ascii_word(s, n)) {
        for (size_t i = 0; i < n; i++)
            low[i] = (char)tolower((unsigned char)s[i]);
        return sr_lexicon_intern(ds->lex, low, n);
    }
    load_scratch *ls = scratch_of(ds);
    sr_buf_reset(&ls->fold);
    if (sr_text_fold(s, n, &ls->fold) != SR_OK)
        return 0;
    return sr_lexicon_intern(ds->lex, ls->fold.p ? ls->fold.p : "", ls->fold.len);
}

/* Append the token keys of one written word; returns count or -1. */
static int word_keys(sr_dictset *ds, const char *s, size_t n, bool stem,
                     uint32_t *keys, int max)
{
    char low[64];
    uint32_t id;
    if (n < sizeof low && ascii_word(s, n)) {
        for (size_t i = 0; i < n; i++)
            low[i] = (char)tolower((unsigned char)s[i]);
        id = sr_lexicon_intern(ds->lex, low, n);
        if (!id || max < 1)
            return -1;
        if (stem) {
            if (remember_stem(ds, id))
                return -1;
            if (n < ds->stem_min)
                ds->stem_min = (uint32_t)n;
            id |= SR_KEY_STEM;
        }
        keys[0] = id;
        return 1;
    }
    /* Tokenize it the way running text is tokenized. */
    load_scratch *ls = scratch_of(ds);
    sr_text_opts o = { .lex = ds->lex, .no_layout = true };
    sr_textdoc_clear(&ls->td);
    if (sr_text_analyze(&ls->td, s, n, &o) != SR_OK)
        return -1;
    int k = 0;
    for (size_t i = 0; i < ls->td.ntoks; i++) {
        if (k >= max)
            return -1;
        keys[k++] = ls->td.toks[i].id;
        if (!ls->td.toks[i].id)
            return -1;
    }
    if (stem && k > 0 && ls->td.toks[ls->td.ntoks - 1].kind == SR_TOK_WORD) {
        size_t fl;
        const char *f = sr_token_fold(&ls->td, &ls->td.toks[ls->td.ntoks - 1], &fl);
        if (remember_stem(ds, keys[k - 1]))
            return -1;
        if (fl < ds->stem_min)
            ds->stem_min = (uint32_t)fl;
        (void)f;
        keys[k - 1] |= SR_KEY_STEM;
    }
    return k;
}

int sr_ds_phrase(sr_dictset *ds, const char *s, size_t n, bool stems,
                 uint32_t *keys, uint8_t *adj, int max)
{
    int k = 0;
    size_t i = 0;
    bool joined = false;   /* the word about to start follows a '_' */
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '_')) {
            joined = joined || s[i] == '_';
            i++;
        }
        if (i >= n)
            break;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '_')
            i++;
        bool exact = i < n && s[i] == '_';
        size_t wl = i - b;
        /* TABARI's "WORD=": exact, with no regular endings */
        if (wl > 1 && s[b + wl - 1] == '=') {
            wl--;
            exact = true;
        }
        int got = word_keys(ds, s + b, wl, stems && !exact, keys + k, max - k);
        if (got < 0)
            return -1;
        for (int j = 0; j < got; j++)
            if (adj)
                adj[k + j] = (uint8_t)(j > 0 || (k > 0 && joined));
        k += got;
        joined = false;
    }
    return k;
}

int sr_ds_endings(sr_dictset *ds, uint32_t key, bool verb, uint32_t *out, int max)
{
    if (key & (SR_KEY_STEM | SR_KEY_SYN))
        return 0;
    size_t n;
    const char *form = sr_lexicon_str(ds->lex, key, &n);
    if (!form || n < 2 || n > 60)
        return 0;
    /* a copy: interning the endings below may move the lexicon's storage */
    char w[64];
    memcpy(w, form, n);
    static const char *noun_suf[] = {"s", "es"};
    static const char *verb_suf[] = {"s", "es", "ed", "d", "en", "ing"};
    const char **suf = verb ? verb_suf : noun_suf;
    int nsuf = verb ? 6 : 2, k = 0;
    char buf[72];
    for (int i = 0; i < nsuf && k < max; i++) {
        size_t base = n;
        /* deplore -> deplored, deploring: a final e is not doubled */
        if (w[n - 1] == 'e' && (suf[i][0] == 'e' || suf[i][0] == 'i'))
            base = n - 1;
        if (strcmp(suf[i], "d") == 0 && w[n - 1] != 'e')
            continue;
        int len = snprintf(buf, sizeof buf, "%.*s%s", (int)base, w, suf[i]);
        if (len <= 0 || (size_t)len >= sizeof buf)
            continue;
        uint32_t id = sr_lexicon_intern(ds->lex, buf, (size_t)len);
        if (!id)
            return -1;
        out[k++] = id;
    }
    return k;
}

bool sr_ds_tabari_style(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (strcasecmp(dot, ".actors") == 0 || strcasecmp(dot, ".verbs") == 0 ||
                   strcasecmp(dot, ".agents") == 0);
}

/* ---- kinds and loading ---------------------------------------------------- */

const char *sr_dict_kind_name(sr_dict_kind k)
{
    switch (k) {
    case SR_DICT_ACTORS: return "actors";
    case SR_DICT_AGENTS: return "agents";
    case SR_DICT_VERBS: return "verbs";
    case SR_DICT_DISCARDS: return "discards";
    case SR_DICT_ISSUES: return "issues";
    case SR_DICT_OPTIONS: return "options";
    case SR_DICT_WORDS: return "words";
    default: return "auto";
    }
}

static bool has_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

sr_dict_kind sr_dict_kind_from_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (has_ci(base, "license") || has_ci(base, "readme") || has_ci(base, "notice") ||
        has_ci(base, ".project") || has_ci(base, ".md"))
        return SR_DICT_AUTO;
    if (has_ci(base, ".options"))
        return SR_DICT_OPTIONS;
    if (has_ci(base, "preposition"))
        return SR_DICT_WORDS;
    if (has_ci(base, "verb"))
        return SR_DICT_VERBS;
    if (has_ci(base, "agent"))
        return SR_DICT_AGENTS;
    if (has_ci(base, "discard"))
        return SR_DICT_DISCARDS;
    if (has_ci(base, "issue"))
        return SR_DICT_ISSUES;
    if (has_ci(base, "actor"))
        return SR_DICT_ACTORS;
    return SR_DICT_AUTO;
}

static sr_dict_kind sniff(const char *buf)
{
    if (strstr(buf, "<ISSUE"))
        return SR_DICT_ISSUES;
    if (strstr(buf, "\n--- ") || strstr(buf, "\n- "))
        return SR_DICT_VERBS;
    if (strstr(buf, "[~") || strstr(buf, "[ ~") || strstr(buf, "!PERSON!"))
        return SR_DICT_AGENTS;
    if (strchr(buf, '['))
        return SR_DICT_ACTORS;
    return SR_DICT_AUTO;
}

sr_err sr_dictset_load_file(sr_dictset *ds, const char *path, sr_dict_kind kind)
{
    char *buf = NULL;
    size_t len = 0;
    sr_err e;
    if (ds->frozen)
        return SR_EINVAL;
    e = sr_read_file(path, SR_DICT_MAX_FILE, &buf, &len);
    if (e != SR_OK)
        goto out;
    if (kind == SR_DICT_AUTO)
        kind = sr_dict_kind_from_name(path);
    if (kind == SR_DICT_AUTO)
        kind = sniff(buf);
    switch (kind) {
    case SR_DICT_ACTORS:   e = sr_read_actors(ds, path, buf, len); break;
    case SR_DICT_AGENTS:   e = sr_read_agents(ds, path, buf, len); break;
    case SR_DICT_VERBS:    e = sr_read_verbs(ds, path, buf, len); break;
    case SR_DICT_DISCARDS: e = sr_read_discards(ds, path, buf, len); break;
    case SR_DICT_ISSUES:   e = sr_read_issues(ds, path, buf, len); break;
    case SR_DICT_WORDS:    e = sr_read_words(ds, path, buf, len); break;
    case SR_DICT_OPTIONS:  e = sr_read_options(ds, path, buf, len); break;
    default:               e = SR_EFORMAT; break;
    }
out:
    free(buf);
    return e;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

sr_err sr_dictset_load_dir(sr_dictset *ds, const char *dir)
{
    sr_err e = SR_OK;
    char **names = NULL;
    size_t n = 0, cap = 0;
    sr_buf path = SR_BUF_INIT(4096);
    DIR *d = opendir(dir);
    if (!d)
        return SR_EIO;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        sr_dict_kind k = sr_dict_kind_from_name(de->d_name);
        if (k == SR_DICT_AUTO || k == SR_DICT_OPTIONS)
            continue;   /* options change coding: only when asked for */
        if (sr_grow((void **)&names, &cap, n + 1, sizeof *names) != SR_OK) {
            e = SR_ENOMEM;
            goto out;
        }
        names[n] = strdup(de->d_name);
        if (!names[n]) {
            e = SR_ENOMEM;
            goto out;
        }
        n++;
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        sr_buf_reset(&path);
        if (sr_buf_printf(&path, "%s/%s", dir, names[i]) != SR_OK) {
            e = SR_ETOOBIG;
            goto out;
        }
        e = sr_dictset_load_file(ds, path.p, SR_DICT_AUTO);
        if (e == SR_EIO || e == SR_EFORMAT) {
            sr_skip(path.p, NULL, "cannot load dictionary: %s", sr_strerror(e));
            e = SR_OK;
        } else if (e != SR_OK) {
            goto out;
        }
    }
out:
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    sr_buf_free(&path);
    return e;
}

sr_err sr_dictset_load_options(sr_dictset *ds, const char *path)
{
    char *buf = NULL;
    size_t len = 0;
    sr_err e = sr_read_file(path, SR_DICT_MAX_FILE, &buf, &len);
    if (e != SR_OK)
        return e;
    e = sr_read_options(ds, path, buf, len);
    free(buf);
    return e;
}

/* A pattern's two rarest literal words as sr_verb_group.heavy_pick: every
 * literal word must be in a sentence for the pattern to match it, so a
 * sentence lacking either bit cannot. */
static uint32_t pattern_pick(const sr_dictset *ds, const sr_pattern *pt, const uint32_t *uses,
                             size_t nuses)
{
    const sr_pat_elem *el = &ds->pelems[pt->elem];
    uint32_t k1 = 0, k2 = 0, u1 = UINT32_MAX, u2 = UINT32_MAX;
    bool any = false;
    for (int k = 0; k < pt->npre + pt->npost; k++) {
        if (el[k].kind != SR_PE_WORD)
            continue;
        uint32_t key = el[k].key, id = key & ~SR_KEY_STEM;
        uint32_t u = id < nuses ? uses[id] : 0;
        if (any && (key == k1 || key == k2))
            continue;
        if (!any || u < u1) {
            k2 = k1, u2 = u1;
            k1 = key, u1 = u;
            if (!any)
                k2 = key, u2 = u;
            any = true;
        } else if (k2 == k1 || u < u2) {
            k2 = key, u2 = u;
        }
    }
    if (!any)
        return SR_PICK_ANY;
    return sr_key_set_bit(k1) << 16 | sr_key_set_bit(k2);
}

sr_err sr_dictset_freeze(sr_dictset *ds)
{
    if (ds->frozen)
        return SR_OK;
    load_scratch *ls = scratch_of(ds);
    size_t n = sr_lexicon_size(ds->lex) + 1;
    ds->is_stem = calloc(n, 1);
    if (!ds->is_stem)
        return SR_ENOMEM;
    ds->is_stem_n = n;
    for (size_t i = 0; i < ls->nstems; i++)
        if (ls->stems[i] < n)
            ds->is_stem[ls->stems[i]] = 1;
    if (sr_ds_index_stems(ds, ls->stems, ls->nstems) != SR_OK)
        return SR_ENOMEM;
    if (ds->stem_min == UINT32_MAX)
        ds->stem_min = 1;
    free(ls->stems);
    ls->stems = NULL;
    ls->nstems = ls->cap = 0;
    sr_textdoc_free(&ls->td);
    sr_buf_free(&ls->fold);
    sr_trie *tries[] = {&ds->actors, &ds->agents, &ds->verbs, &ds->synsets, &ds->discards,
                        &ds->issues};
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++)
        if (sr_trie_freeze(tries[i]) != SR_OK)
            return SR_ENOMEM;
    ds->synset_root = calloc(ds->nsynsets + 1, sizeof *ds->synset_root);
    if (!ds->synset_root)
        return SR_ENOMEM;
    for (size_t i = 0; i < ds->nsynsets; i++)
        ds->synset_root[i] = sr_trie_child(&ds->synsets, 0, SR_KEY_SYN | (uint32_t)i);
    for (size_t i = 0; i < ds->npatterns; i++) {
        sr_pattern *pt = &ds->patterns[i];
        memset(pt->need, 0, sizeof pt->need);
        const sr_pat_elem *el = &ds->pelems[pt->elem];
        for (int k = 0; k < pt->npre + pt->npost; k++)
            if (el[k].kind == SR_PE_WORD) {
                uint32_t b = sr_key_sig_bit(el[k].key);
                pt->need[b >> 6] |= 1ull << (b & 63);
            }
    }
    /* how many patterns name each literal word (by lexicon id): the
     * rarest words of a pattern are its best filter */
    size_t nuses = sr_lexicon_size(ds->lex) + 1;
    uint32_t *uses = calloc(nuses, sizeof *uses);
    if (!uses)
        return SR_ENOMEM;
    for (size_t i = 0; i < ds->npatterns; i++) {
        const sr_pattern *pt = &ds->patterns[i];
        const sr_pat_elem *el = &ds->pelems[pt->elem];
        for (int k = 0; k < pt->npre + pt->npost; k++) {
            uint32_t id = el[k].key & ~SR_KEY_STEM;
            if (el[k].kind == SR_PE_WORD && id < nuses && uses[id] < UINT32_MAX)
                uses[id]++;
        }
    }
    /* each verb group's patterns, heaviest first (file order among equals):
     * the coder takes the heaviest pattern that matches, so it can stop at
     * the first match instead of trying hundreds */
    for (size_t g = 0; g < ds->ngroups; g++) {
        size_t np = ds->groups[g].npats;
        uint32_t *p = malloc((np ? np : 1) * sizeof *p);
        if (!p) {
            free(uses);
            return SR_ENOMEM;
        }
        if (np)
            memcpy(p, ds->groups[g].pats, np * sizeof *p);
        ds->groups[g].heavy = p;
        for (size_t i = 1; i < np; i++) {
            uint32_t x = p[i];
            size_t j = i;
            while (j > 0 && ds->patterns[p[j - 1]].weight < ds->patterns[x].weight) {
                p[j] = p[j - 1];
                j--;
            }
            p[j] = x;
        }
        ds->groups[g].heavy_pick = malloc((np ? np : 1) * sizeof *ds->groups[g].heavy_pick);
        if (!ds->groups[g].heavy_pick) {
            free(uses);
            return SR_ENOMEM;
        }
        for (size_t i = 0; i < np; i++)
            ds->groups[g].heavy_pick[i] = pattern_pick(ds, &ds->patterns[p[i]], uses, nuses);
    }
    free(uses);
    /* the stems of every dictionary word, found once */
    size_t nlex = sr_lexicon_size(ds->lex) + 1;
    size_t nwords = (nlex + 63) / 64, ncache = 0, cache_cap = 0;
    ds->stem_any = calloc(nwords, sizeof *ds->stem_any);
    ds->stem_rank = calloc(nwords, sizeof *ds->stem_rank);
    if (!ds->stem_any || !ds->stem_rank)
        return SR_ENOMEM;
    for (size_t id = 1; id < nlex; id++) {
        if (id % 64 == 0)
            ds->stem_rank[id / 64] = (uint32_t)ncache;
        sr_tokview tv;
        memset(&tv, 0, sizeof tv);
        size_t fl;
        tv.fold = sr_lexicon_str(ds->lex, (uint32_t)id, &fl);
        tv.fold_len = (uint32_t)fl;
        sr_ds_token_stems(ds, &tv);
        if (!tv.nstems)
            continue;
        /* ids ascend, so the entries fall in the order of the bits */
        if (sr_grow((void **)&ds->stem_cache, &cache_cap, ncache + 1, sizeof *ds->stem_cache))
            return SR_ENOMEM;
        memset(ds->stem_cache[ncache], 0, sizeof ds->stem_cache[ncache]);
        for (uint8_t k = 0; k < tv.nstems && k < 3; k++)
            ds->stem_cache[ncache][k] = tv.stems[k];
        ncache++;
        ds->stem_any[id >> 6] |= 1ull << (id & 63);
    }
    ds->stem_cache_n = nlex;
    /* from now on text analysis only looks words up: the lexicon stops
     * growing with the corpus and can be shared by threads */
    sr_lexicon_freeze(ds->lex);
    ds->frozen = true;
    return SR_OK;
}

void sr_dictset_stats(const sr_dictset *ds, sr_dict_stats *st)
{
    memset(st, 0, sizeof *st);
    st->actor_phrases = ds->actor_phrases;
    st->actor_entries = ds->nactor;
    st->agent_phrases = ds->agent_phrases;
    st->verb_forms = ds->nforms;
    st->verb_patterns = ds->npatterns;
    st->synsets = ds->nsynsets;
    st->discards = ds->ndiscards;
    st->issues = ds->nissue;
    st->lines = ds->lines.lines;
    st->lines_content = ds->lines.content;
    st->lines_used = ds->lines.used;
    st->lines_skipped = ds->lines.skipped;
    st->lines_warned = ds->lines.warned;
    st->lines_unread = ds->lines.unread;
    st->option_lines = ds->option_lines;
    st->labels = ds->nlabel;
    st->words = ds->nprep;
    st->bytes = ds->pool.cap + sr_trie_bytes(&ds->actors) + sr_trie_bytes(&ds->agents) +
                sr_trie_bytes(&ds->verbs) + sr_trie_bytes(&ds->synsets) +
                sr_trie_bytes(&ds->discards) + sr_trie_bytes(&ds->issues) +
                ds->actor_cap * sizeof *ds->actor + ds->codes_cap * sizeof *ds->codes +
                ds->agent_cap * sizeof *ds->agent + ds->forms_cap * sizeof *ds->forms +
                ds->verb_cap * sizeof *ds->verb + ds->patterns_cap * sizeof *ds->patterns +
                ds->pelems_cap * sizeof *ds->pelems + ds->is_stem_n +
                ds->nstem_node * (1 + sizeof *ds->stem_link + sizeof *ds->stem_key) +
                (ds->stem_cache_n + 63) / 64 * (sizeof *ds->stem_any + sizeof *ds->stem_rank);
}

/* ---- lookups for tools and tests ------------------------------------------ */

static bool phrase_view(const sr_dictset *ds, const char *phrase, sr_textdoc *td,
                        sr_tokview *v, size_t *n)
{
    sr_text_opts o = { .lex = ds->lex, .no_layout = true };
    if (sr_text_analyze(td, phrase, strlen(phrase), &o) != SR_OK || td->ntoks > 64)
        return false;
    for (size_t i = 0; i < td->ntoks; i++) {
        memset(&v[i], 0, sizeof v[i]);   /* stems not computed yet */
        v[i].id = td->toks[i].id;
        size_t fl;
        v[i].fold = sr_token_fold(td, &td->toks[i], &fl);
        v[i].fold_len = (uint32_t)fl;
    }
    *n = td->ntoks;
    return true;
}

int32_t sr_ds_parse_doc_date(const char *date)
{
    if (!date || strlen(date) < 10)
        return 0;
    char d8[9] = {date[0], date[1], date[2], date[3], date[5], date[6], date[8], date[9], 0};
    int32_t v = sr_ds_date(d8, 8);
    return v < 0 ? 0 : v;
}

const char *sr_ds_actor_pick(const sr_dictset *ds, uint32_t actor, int32_t date)
{
    const sr_actor *a = &ds->actor[actor];
    const char *undated = NULL, *last = NULL;
    for (uint32_t i = 0; i < a->n; i++) {
        const sr_actor_code *c = &ds->codes[a->first + i];
        const char *code = sr_ds_pool(ds, c->code);
        if (c->from == 0 && c->to == 99999999) {
            if (!undated)
                undated = code;
            continue;
        }
        if (date && date >= c->from && date <= c->to)
            return code;
        last = code;
    }
    if (undated)
        return undated;
    return date ? NULL : last;
}

bool sr_dictset_actor_code(const sr_dictset *ds, const char *phrase,
                           const char *date, char code[SR_DICT_MAX_CODE + 1])
{
    sr_textdoc td = {0};
    sr_tokview v[64];
    size_t n = 0, len = 0;
    bool ok = false;
    if (!phrase_view(ds, phrase, &td, v, &n) || n == 0)
        goto out;
    uint32_t val = sr_ds_longest(ds, &ds->actors, v, n, 0, &len);
    if (val == SR_NONE || len != n)
        goto out;
    const char *c = sr_ds_actor_pick(ds, val, sr_ds_parse_doc_date(date));
    if (!c)
        goto out;
    snprintf(code, SR_DICT_MAX_CODE + 1, "%s", c);
    ok = true;
out:
    sr_textdoc_free(&td);
    return ok;
}

bool sr_dictset_agent_code(const sr_dictset *ds, const char *phrase,
                           char code[SR_DICT_MAX_CODE + 1])
{
    sr_textdoc td = {0};
    sr_tokview v[64];
    size_t n = 0, len = 0;
    bool ok = false;
    if (!phrase_view(ds, phrase, &td, v, &n) || n == 0)
        goto out;
    uint32_t val = sr_ds_longest(ds, &ds->agents, v, n, 0, &len);
    if (val == SR_NONE || len != n)
        goto out;
    const sr_agent *a = &ds->agent[val];
    snprintf(code, SR_DICT_MAX_CODE + 1, a->prefix ? "%s~" : "~%s",
             sr_ds_pool(ds, a->code));
    ok = true;
out:
    sr_textdoc_free(&td);
    return ok;
}
