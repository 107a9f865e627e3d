/*
 * coder.c - TABARI-style shallow event coding from raw text.
 *
 * PETRARCH coded from a constituency parse; TABARI coded from the word
 * sequence with dictionary patterns and a handful of syntactic heuristics.
 * sitrep follows TABARI because it must code ~100k sentences/s per core and
 * cannot afford a parser.  Per sentence:
 *
 *   1. discards: a sentence (or story) discard phrase drops it; a TABARI
 *      actor coded "###" discards it too, "+++" (or too many verbs or
 *      conjunctions, TABARI's COMPLEX option) leaves it uncoded;
 *   2. actors: longest dictionary matches (remembered per token), composed
 *      into noun phrases: country + agent ("Pakistani army chief",
 *      "Pakistan's Chief of Army Staff", "lawmakers in Fornost and Gondor"),
 *      appositive titles and names ("..., Field Marshal Asim Munir,"),
 *      parenthetical acronyms, compound lists ("Pakistan and Libya",
 *      "neither X nor Y"), pronouns (the sentence's subject; "they" the whole
 *      compound), and generic subjects ("analysts", "experts") that occupy
 *      the subject slot but never become an actor.  A titled person no
 *      dictionary knows is coded from country and title and reported;
 *   3. verbs: longest verb-form match at each token outside an actor; after
 *      an article ("the restore", "a brief visit") or in capitals outside a
 *      title-case line it is a noun; "expected to"/"plans to" only mark the
 *      next verb;
 *   4. clauses: conjunctions followed by a verb, ", X said" attributions and
 *      the clause after a verb of saying start new clauses; each clause is
 *      coded once, by its first verb that yields an event (TABARI: its first
 *      coded verb, even without actors);
 *   5. patterns: the verb's patterns (and those of the verbs it extends) are
 *      tried after a word-set filter drops those naming absent words; the
 *      heaviest match wins (literal words weigh more than set members);
 *      $ + % assign source and target; otherwise the source is the clause's
 *      first actor and the target the first actor after the verb in its
 *      clause, not past a comma ("by" + actor after a passive verb is the
 *      source); a story's main actors stand in for the missing side of an
 *      event noun ("a defence deal");
 *   6. modality: a negated verb yields a mention marked negated (never the
 *      event itself), "refused to X" is a rejection (12x), then future,
 *      hedged, reported, asserted - from words before the verb and
 *      attribution anywhere in the sentence.  A pattern that spells the
 *      negation out codes the negative event and is not negated.
 *
 * Memory: everything per sentence lives in fixed arrays inside sr_coder
 * (tokens are capped by SR_TEXT_MAX_TOKENS), so coding allocates only when
 * the output array of mentions grows.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/internal.h"
#include "sitrep/codebook.h"

const char *sr_modality_name(sr_modality m)
{
    static const char *names[] = {"asserted", "reported", "hedged", "negated", "future"};
    return (unsigned)m < 5 ? names[m] : "asserted";
}

void sr_mentions_free(sr_mentions *m)
{
    free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
}

void sr_coder_continue_story(sr_coder *c)
{
    c->keep_story = true;
}

sr_err sr_coder_set_tagger(sr_coder *c, const sr_tagger *t)
{
    sr_tagstate_free(c->tagst);
    c->tagst = NULL;
    c->tagger = t;
    if (t && !(c->tagst = sr_tagstate_new(t))) {
        c->tagger = NULL;
        return SR_ENOMEM;
    }
    return SR_OK;
}

void sr_coder_trace(sr_coder *c, sr_buf *out)
{
    c->trace = out;
}

void coder_trace(sr_coder *c, const char *fmt, ...)
{
    if (!c->trace)
        return;
    va_list ap;
    va_start(ap, fmt);
    sr_buf_vprintf(c->trace, fmt, ap);
    va_end(ap);
    sr_buf_putc(c->trace, '\n');
}

/* The sentence as the coder sees it: tokens, entities, verbs, clauses. */
static void trace_sentence(sr_coder *c, size_t si, const uint8_t *clause_of)
{
    if (!c->trace)
        return;
    sr_buf *b = c->trace;
    sr_buf_printf(b, "sentence %zu:", si);
    for (size_t i = 0; i < c->n; i++) {
        sr_buf_printf(b, " %.*s", (int)(c->tk[i].end - c->tk[i].start), c->doc_text + c->tk[i].start);
        if (c->have_pos)
            sr_buf_printf(b, "/%s", sr_pos_name((sr_pos)c->pos[i]));
        if (clause_of && i + 1 < c->n && clause_of[i + 1] != clause_of[i])
            sr_buf_puts(b, " |");
    }
    sr_buf_putc(b, '\n');
    for (size_t k = 0; k < c->ne; k++) {
        const ent *x = &c->e[k];
        sr_buf_printf(b, "  actor %zu [%u,%u) \"%.*s\" = %s group %u%s%s%s\n", k, x->start, x->end,
                      (int)(c->tk[x->end - 1].end - c->tk[x->start].start),
                      c->doc_text + c->tk[x->start].start, x->code[0] ? x->code : "(none)", x->group,
                      x->prep ? " after-preposition" : "", x->pronoun ? " pronoun" : "",
                      x->known ? "" : " unknown");
    }
    for (size_t k = 0; k < c->nvo; k++) {
        const verb_occ *o = &c->vo[k];
        const sr_verb *vb = &c->ds->verb[o->verb];
        sr_buf_printf(b, "  verb %zu [%u,%u) \"%.*s\" default %s%s\n", k, o->start, o->start + o->len,
                      (int)(c->tk[o->start + o->len - 1].end - c->tk[o->start].start),
                      c->doc_text + c->tk[o->start].start, sr_ds_pool(c->ds, vb->code),
                      o->noun_use ? " noun" : "");
    }
}

void sr_coder_on_unknown(sr_coder *c, sr_unknown_fn fn, void *ctx)
{
    c->unknown_fn = fn;
    c->unknown_ctx = ctx;
}

static const struct { const char *w; uint32_t cls; } word_classes[] = {
    {"the", WC_DET}, {"a", WC_DET}, {"an", WC_DET}, {"this", WC_DET}, {"that", WC_DET},
    {"these", WC_DET}, {"those", WC_DET}, {"its", WC_DET | WC_PRON}, {"their", WC_DET | WC_PRON},
    {"his", WC_DET | WC_PRON | WC_PERSON_PRON}, {"her", WC_DET | WC_PRON | WC_PERSON_PRON},
    {"our", WC_DET}, {"any", WC_DET}, {"each", WC_DET}, {"every", WC_DET}, {"no", WC_DET},
    {"such", WC_DET}, {"another", WC_DET}, {"new", WC_DET}, {"further", WC_DET},
    {"of", WC_PREP}, {"in", WC_PREP}, {"with", WC_PREP}, {"to", WC_PREP}, {"for", WC_PREP},
    {"from", WC_PREP}, {"at", WC_PREP}, {"by", WC_PREP}, {"on", WC_PREP}, {"about", WC_PREP},
    {"against", WC_PREP}, {"between", WC_PREP}, {"among", WC_PREP}, {"toward", WC_PREP},
    {"towards", WC_PREP}, {"into", WC_PREP}, {"across", WC_PREP}, {"beyond", WC_PREP},
    {"including", WC_PREP}, {"over", WC_PREP}, {"under", WC_PREP}, {"through", WC_PREP},
    {"near", WC_PREP}, {"after", WC_PREP | WC_SUBORD}, {"before", WC_PREP | WC_SUBORD}, {"during", WC_PREP},
    {"like", WC_PREP}, {"than", WC_PREP}, {"via", WC_PREP}, {"within", WC_PREP},
    {"he", WC_PRON | WC_PERSON_PRON}, {"she", WC_PRON | WC_PERSON_PRON},
    {"him", WC_PRON | WC_PERSON_PRON}, {"them", WC_PRON},
    {"they", WC_PRON}, {"it", WC_PRON}, {"we", 0},
    {"is", WC_BE}, {"was", WC_BE}, {"were", WC_BE}, {"been", WC_BE}, {"being", WC_BE},
    {"be", WC_BE}, {"are", WC_BE},
    {"not", WC_NEG}, {"n't", WC_NEG}, {"never", WC_NEG}, {"cannot", WC_NEG},
    {"refused", WC_REFUSE}, {"refuses", WC_REFUSE}, {"refuse", WC_REFUSE},
    {"declined", WC_REFUSE}, {"declines", WC_REFUSE}, {"rejected", WC_REFUSE},
    {"failed", WC_REFUSE}, {"fails", WC_REFUSE},
    {"will", WC_FUTURE | WC_WILL}, {"shall", WC_FUTURE | WC_WILL}, {"plans", WC_FUTURE | WC_INTENT}, {"plan", WC_FUTURE | WC_INTENT},
    {"planned", WC_FUTURE}, {"planning", WC_FUTURE}, {"expected", WC_FUTURE},
    {"scheduled", WC_FUTURE}, {"intends", WC_FUTURE | WC_INTENT}, {"aims", WC_FUTURE | WC_INTENT},
    {"set", WC_FUTURE}, {"going", WC_FUTURE}, {"would", WC_HEDGE | WC_WILL},
    {"may", WC_HEDGE}, {"might", WC_HEDGE}, {"could", WC_HEDGE}, {"can", WC_HEDGE},
    {"possible", WC_HEDGE}, {"possibly", WC_HEDGE}, {"likely", WC_HEDGE},
    {"perhaps", WC_HEDGE}, {"potential", WC_HEDGE}, {"potentially", WC_HEDGE},
    {"should", WC_HEDGE | WC_OBLIGE}, {"if", WC_HEDGE},
    {"reportedly", WC_REPORT}, {"according", WC_REPORT}, {"allegedly", WC_REPORT},
    {"said", WC_REPORT | WC_SAY}, {"says", WC_REPORT | WC_SAY}, {"say", WC_REPORT | WC_SAY},
    {"told", WC_REPORT | WC_SAY}, {"claimed", WC_REPORT | WC_SAY}, {"claim", WC_REPORT | WC_SAY},
    {"claims", WC_REPORT | WC_SAY}, {"reported", WC_REPORT | WC_SAY},
    {"stated", WC_REPORT | WC_SAY}, {"alleged", WC_REPORT}, {"purportedly", WC_REPORT},
    {"supposedly", WC_REPORT}, {"believed", WC_REPORT}, {"note", WC_REPORT},
    {"analysts", WC_GENERIC}, {"analyst", WC_GENERIC}, {"experts", WC_GENERIC},
    {"expert", WC_GENERIC}, {"observers", WC_GENERIC}, {"observer", WC_GENERIC},
    {"critics", WC_GENERIC}, {"proponents", WC_GENERIC}, {"commentators", WC_GENERIC},
    {"sources", WC_GENERIC}, {"source", WC_GENERIC}, {"people", WC_GENERIC},
    {"some", WC_GENERIC}, {"many", WC_GENERIC}, {"others", WC_GENERIC},
    {"and", WC_AND | WC_CONJ}, {"but", WC_CONJ}, {"or", WC_CONJ}, {"while", WC_CONJ | WC_SUBORD},
    {"whereas", WC_CONJ | WC_SUBORD}, {"because", WC_SUBORD}, {"although", WC_SUBORD},
    {"though", WC_SUBORD}, {"when", WC_SUBORD}, {";", WC_CONJ}, {"nor", WC_CONJ},
    {"then", WC_ADV}, {"also", WC_ADV}, {"later", WC_ADV}, {"again", WC_ADV},
    {"subsequently", WC_ADV}, {"have", WC_HAVE}, {"has", WC_HAVE}, {"had", WC_HAVE},
    {"agreed", WC_INTENT}, {"agree", WC_INTENT}, {"agrees", WC_INTENT},
    {"offered", WC_INTENT}, {"offer", WC_INTENT}, {"offers", WC_INTENT},
    {"promised", WC_INTENT}, {"promise", WC_INTENT}, {"promises", WC_INTENT},
    {"pledged", WC_INTENT}, {"pledge", WC_INTENT}, {"pledges", WC_INTENT},
    {"vowed", WC_INTENT}, {"vow", WC_INTENT}, {"vows", WC_INTENT},
    {"sworn", WC_INTENT}, {"swore", WC_INTENT}, {"swear", WC_INTENT},
    {"decided", WC_INTENT | WC_DECIDE}, {"decide", WC_INTENT}, {"decides", WC_INTENT},
    {"intend", WC_INTENT}, {"intended", WC_INTENT},
    {"committed", WC_INTENT}, {"willing", WC_INTENT}, {"ready", WC_INTENT},
    {"prepared", WC_INTENT}, {"determined", WC_INTENT}, {"resolved", WC_INTENT},
    {"threatened", WC_THREAT}, {"threaten", WC_THREAT}, {"threatens", WC_THREAT},
    {"threatening", WC_THREAT},
    {"monday", WC_TIME}, {"tuesday", WC_TIME}, {"wednesday", WC_TIME}, {"thursday", WC_TIME},
    {"friday", WC_TIME}, {"saturday", WC_TIME}, {"sunday", WC_TIME}, {"today", WC_TIME},
    {"yesterday", WC_TIME}, {"tonight", WC_TIME},
    {"week", WC_TIMEUNIT}, {"month", WC_TIMEUNIT}, {"year", WC_TIMEUNIT},
    {"weekend", WC_TIMEUNIT}, {"night", WC_TIMEUNIT},
    {"last", WC_TIMEREL}, {"next", WC_TIMEREL}, {"this", WC_TIMEREL}, {"late", WC_TIMEREL},
    {"early", WC_TIMEREL}, {"earlier", WC_TIMEREL},
    {"announced", WC_SAY}, {"announces", WC_SAY}, {"declared", WC_SAY}, {"declares", WC_SAY},
    {"insisted", WC_SAY}, {"insists", WC_SAY}, {"added", WC_SAY}, {"adds", WC_SAY},
    {"warned", WC_SAY}, {"warns", WC_SAY}, {"stressed", WC_SAY}, {"concluded", WC_SAY},
    {"argued", WC_SAY}, {"maintained", WC_SAY}, {"acknowledged", WC_SAY},
    {"group", WC_QUANT}, {"groups", WC_QUANT}, {"thousands", WC_QUANT}, {"hundreds", WC_QUANT},
    {"dozens", WC_QUANT}, {"scores", WC_QUANT}, {"millions", WC_QUANT}, {"tens", WC_QUANT},
    {"members", WC_QUANT}, {"member", WC_QUANT}, {"majority", WC_QUANT}, {"number", WC_QUANT},
    {"band", WC_QUANT}, {"crowd", WC_QUANT}, {"crowds", WC_QUANT}, {"team", WC_QUANT},
    {"delegation", WC_QUANT}, {"contingent", WC_QUANT}, {"deployment", WC_QUANT},
    {"unit", WC_QUANT}, {"units", WC_QUANT}, {"batch", WC_QUANT}, {"patch", WC_QUANT},
    {"'ll", WC_WILL}, {"must", WC_OBLIGE}, {"ought", WC_OBLIGE}, {"unless", WC_UNLESS},
};

sr_coder *sr_coder_new(const sr_dictset *ds)
{
    sr_coder *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->ds = ds;
    sr_lexicon *lex = ds->lex;
    size_t nw = sizeof word_classes / sizeof word_classes[0];
    uint32_t ids[sizeof word_classes / sizeof word_classes[0]];
    uint32_t maxid = 0;
    for (size_t i = 0; i < nw; i++) {
        ids[i] = sr_lexicon_intern(lex, word_classes[i].w, strlen(word_classes[i].w));
        if (ids[i] > maxid)
            maxid = ids[i];
    }
    c->id_s = sr_lexicon_intern(lex, "'s", 2);
    c->id_of = sr_lexicon_intern(lex, "of", 2);
    c->id_and = sr_lexicon_intern(lex, "and", 3);
    c->id_by = sr_lexicon_intern(lex, "by", 2);
    c->id_to = sr_lexicon_intern(lex, "to", 2);
    c->id_comma = sr_lexicon_intern(lex, ",", 1);
    c->id_lparen = sr_lexicon_intern(lex, "(", 1);
    c->id_rparen = sr_lexicon_intern(lex, ")", 1);
    c->id_both = sr_lexicon_intern(lex, "both", 4);
    c->id_with = sr_lexicon_intern(lex, "with", 4);
    c->id_according = sr_lexicon_intern(lex, "according", 9);
    c->id_that = sr_lexicon_intern(lex, "that", 4);
    c->id_from = sr_lexicon_intern(lex, "from", 4);
    c->id_in = sr_lexicon_intern(lex, "in", 2);
    c->id_the = sr_lexicon_intern(lex, "the", 3);
    c->id_a = sr_lexicon_intern(lex, "a", 1);
    c->id_an = sr_lexicon_intern(lex, "an", 2);
    c->id_nor = sr_lexicon_intern(lex, "nor", 3);
    c->id_they = sr_lexicon_intern(lex, "they", 4);
    c->id_them = sr_lexicon_intern(lex, "them", 4);
    c->id_which = sr_lexicon_intern(lex, "which", 5);
    c->id_who = sr_lexicon_intern(lex, "who", 3);
    c->id_where = sr_lexicon_intern(lex, "where", 5);
    c->id_against = sr_lexicon_intern(lex, "against", 7);
    c->id_apos_ll = sr_lexicon_intern(lex, "'ll", 3);
    c->id_on = sr_lexicon_intern(lex, "on", 2);
    c->id_told = sr_lexicon_intern(lex, "told", 4);
    c->id_near = sr_lexicon_intern(lex, "near", 4);
    c->id_at = sr_lexicon_intern(lex, "at", 2);
    c->nwc = (size_t)maxid + 1;
    c->wc = calloc(c->nwc, sizeof *c->wc);
    if (!c->wc) {
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < nw; i++)
        if (ids[i])
            c->wc[ids[i]] |= word_classes[i].cls;
    return c;
}

void sr_coder_free(sr_coder *c)
{
    if (!c)
        return;
    sr_tagstate_free(c->tagst);
    free(c->wc);
    free(c);
}

/* ---- one sentence ---------------------------------------------------------------- */

/* The speaker of what is said at token pos (whose subject is entity
 * subj): the subject of the verb of saying before it ("X said Y must ..."),
 * or the actor of an attribution after it ("Y must ..., X said"); -1 if
 * none. */
static int speaker_of(const sr_coder *c, size_t pos, int subj)
{
    for (size_t i = c->e[subj].start; i-- > 0;) {
        if (!(wclass(c, i) & WC_SAY))
            continue;
        for (size_t k = 0; k < c->ne; k++) {
            const ent *x = &c->e[k];
            if (x->end > i)
                break;
            if (x->code[0] && !(x->prep && !x->pronoun))
                return (int)k;
        }
        return -1;
    }
    for (size_t i = pos; i < c->n; i++) {
        if (!(wclass(c, i) & WC_SAY))
            continue;
        /* ", X said" or ", said X" */
        if (i > 0 && c->ent_at[i - 1] >= 0 && c->e[c->ent_at[i - 1]].code[0])
            return c->ent_at[i - 1];
        if (i + 1 < c->n && c->ent_at[i + 1] >= 0 && c->e[c->ent_at[i + 1]].code[0])
            return c->ent_at[i + 1];
        return -1;
    }
    return -1;
}

/* News: an act that is done to a population - easing or imposing
 * restrictions, curfews, arrests - with no target named is done to the
 * source's own country ("Sudan's government lifted a state of emergency":
 * SDNGOV > SDN; "Sudan lifted ...": SDN > SDNCVL, its people), and a
 * protest, or a demand from below, is made against its government
 * ("Algerians rioted": DZA > DZAGOV).  Returns a new entity, or -1. */
static int domestic_target(sr_coder *c, int src, const char *code)
{
    if (src < 0 || c->ne >= MAX_ENT || strlen(c->e[src].code) < 3)
        return -1;
    const char *sc = c->e[src].code;
    /* a demand by a country's own opposition, rebels, workers or people,
     * with no one named ("opposition leaders in Ghana demanded the
     * resignation of the electoral commissioner"), is made of its
     * government, as a protest is */
    bool from_below = people_actor(sc) && !state_actor(sc);
    bool protest = strncmp(code, "14", 2) == 0 || (from_below && strncmp(code, "10", 2) == 0);
    bool population = strncmp(code, "17", 2) == 0 ||
                      (strncmp(code, "08", 2) == 0 && strncmp(code, "087", 3) != 0) ||
                      strncmp(code, "132", 3) == 0 || strncmp(code, "0351", 4) == 0 ||
                      strncmp(code, "0352", 4) == 0 || strncmp(code, "0353", 4) == 0;
    if ((!protest && !population) || !isupper((unsigned char)sc[0]) ||
        strncmp(sc, "IGO", 3) == 0 || strncmp(sc, "NGO", 3) == 0 ||
        strncmp(sc, "IMG", 3) == 0 || strncmp(sc, "---", 3) == 0)
        return -1;
    ent *y = &c->e[c->ne];
    *y = c->e[src];
    bool bare = strlen(sc) == 3;
    char root[4];
    memcpy(root, sc, 3);
    root[3] = '\0';
    snprintf(y->code, sizeof y->code, "%s%s", root,
             protest ? (bare || strncmp(sc + 3, "GOV", 3) != 0 ? "GOV" : "") : (bare ? "CVL" : ""));
    y->group = (uint8_t)c->ne;
    y->inferred = 1;
    y->domestic = 1;
    y->pronoun = 1;
    y->ref = -1;
    return (int)c->ne++;
}

/* News: does actor x name soldiers ("NATO peacekeeping troops", "a
 * Bangladeshi contingent") rather than officials?  Troops that
 * arrive somewhere are deployed there; they do not visit. */
static bool ent_is_troops(const sr_coder *c, const ent *x)
{
    static const char *const words[] = {"troops", "soldiers", "forces", "peacekeepers",
                                        "contingent", "marines", "paratroopers", "battalion",
                                        "battalions", "brigade", "units"};
    /* the head noun, the actor's last word: not "Chief of Defence Forces
     * ... Asim Munir", a person */
    if (x->end == 0 || x->end > c->n)
        return false;
    for (size_t i = x->end - 1u; i < x->end; i++)
        for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
            if (c->v[i].fold_len == strlen(words[k]) &&
                memcmp(c->v[i].fold, words[k], c->v[i].fold_len) == 0)
                return true;
    return false;
}

/* News: is actor x a country's people named by their demonym ("Young
 * Algerians", "Iraqis"), not the country or its state?  Its code is the
 * bare country; its last word a plural demonym. */
static bool ent_is_populace(const sr_coder *c, const ent *x)
{
    if (strlen(x->code) != 3 || x->end == 0 || x->end > c->n)
        return false;
    const sr_tokview *v = &c->v[x->end - 1u];
    size_t n = v->fold_len;
    return (n > 5 && memcmp(v->fold + n - 3, "ans", 3) == 0) ||
           (n > 5 && memcmp(v->fold + n - 2, "is", 2) == 0 && v->fold[n - 3] != 'i');
}

/* News: is actor x named after a preposition of place ("across the Gaza
 * border", "along the frontier with", "near Kharkiv"), so that it says where
 * rather than whom? */
static bool ent_is_locative(const sr_coder *c, const ent *x)
{
    static const char *const preps[] = {"in", "across", "along", "near", "inside", "at",
                                        "through"};
    size_t p = x->start;
    if (p > 0 && is_article(c, p - 1u))
        p--;
    if (p == 0)
        return false;
    const sr_tokview *v = &c->v[p - 1u];
    for (size_t k = 0; k < sizeof preps / sizeof preps[0]; k++)
        if (v->fold_len == strlen(preps[k]) && memcmp(v->fold, preps[k], v->fold_len) == 0)
            return true;
    return false;
}

/* How many countries do the members of compound group g belong to (0, 1
 * or 2 for two and more)? */
static int group_countries(const sr_coder *c, uint8_t g)
{
    const char *first = NULL;
    for (size_t k = 0; k < c->ne; k++) {
        const ent *x = &c->e[k];
        if (x->group != g || x->pronoun || strlen(x->code) < 3 || strncmp(x->code, "---", 3) == 0)
            continue;
        if (!first)
            first = x->code;
        else if (strncmp(first, x->code, 3) != 0)
            return 2;
    }
    return first ? 1 : 0;
}

/* News: may an event be coded with no target?  An act complete in itself
 * is: a retreat, surrender or resignation (08), a show of force (15), an
 * intent to cooperate or yield (03); anything else done to no one named is
 * too little to code ("the rebels said they would fight on"). */
static bool complete_without_target(const char *code)
{
    return strncmp(code, "08", 2) == 0 || strncmp(code, "15", 2) == 0 ||
           strncmp(code, "03", 2) == 0;
}

/* Is this code a comment (01, make a statement) rather than an act?
 * Claiming or denying responsibility (015, 016) is an act: "Iran denied
 * accusations that it had supplied drones" codes the denial, not the
 * drones. */
static bool is_comment(const char *code)
{
    return strncmp(code, "01", 2) == 0 && strncmp(code, "015", 3) != 0 &&
           strncmp(code, "016", 3) != 0;
}

/* News: keep the events of the first coded verb of each part of the
 * sentence that a semicolon sets apart (an independent clause tells a
 * happening of its own: "arrived in Benghazi; he later met ..."). */
static void keep_first_events(const sr_coder *c, sr_mentions *out, size_t first)
{
    uint32_t semis[MAX_TOK];
    size_t nsemi = 0;
    for (size_t i = 0; i < c->n && nsemi < MAX_TOK; i++)
        if (c->tk[i].kind == SR_TOK_PUNCT && c->v[i].fold_len == 1 && c->v[i].fold[0] == ';')
            semis[nsemi++] = c->tk[i].start;
    uint32_t keep[MAX_TOK + 1];
    for (size_t p = 0; p <= nsemi; p++)
        keep[p] = UINT32_MAX;
    for (size_t r = first; r < out->n; r++) {
        if (is_comment(out->v[r].cameo))
            continue;
        size_t p = 0;
        while (p < nsemi && semis[p] < out->v[r].verb_start)
            p++;
        if (out->v[r].verb_start < keep[p])
            keep[p] = out->v[r].verb_start;
    }
    size_t w = first;
    for (size_t r = first; r < out->n; r++) {
        size_t p = 0;
        while (p < nsemi && semis[p] < out->v[r].verb_start)
            p++;
        if (keep[p] == UINT32_MAX || out->v[r].verb_start == keep[p])
            out->v[w++] = out->v[r];
    }
    out->n = w;
}

/* Are the verbs from k on all verbs of saying? */
static bool saying_only(const sr_coder *c, size_t k)
{
    for (; k < c->nvo; k++)
        if (!(wclass(c, c->vo[k].head) & WC_SAY) && !c->vo[k].noun_use)
            return false;
    return true;
}

/* Is a pattern written for the passive: its target before the verb or its
 * source after it ("+ * IN $": "X was convicted in Y")?  On an active
 * verb it would read the sentence backwards. */
static bool passive_shape(const sr_dictset *ds, const sr_pattern *pt)
{
    const sr_pat_elem *el = &ds->pelems[pt->elem];
    for (int k = 0; k < pt->npre; k++)
        if (el[k].kind == SR_PE_TARGET)
            return true;
    for (int k = pt->npre; k < pt->npre + pt->npost; k++)
        if (el[k].kind == SR_PE_SOURCE)
            return true;
    return false;
}

/* CAMEO's APPEAL (02) and DEMAND (10) have the same subcodes (0241 appeal
 * for a change in leadership, 1041 demand it).  The CAMEO verb dictionary
 * files "demand", "urge", "press" and "want" under one synonym set whose
 * patterns carry either root, so "demanded the removal of" came out as an
 * appeal: in news coding the verb's own root says which it is and the
 * pattern says for what. */
static const char *appeal_or_demand(const char *pattern_code, const char *verb_code)
{
    static const char *const pair[][2] = {
        {"020", "100"},   {"021", "101"},   {"0211", "1011"}, {"0212", "1012"},
        {"0213", "1013"}, {"0214", "1014"}, {"022", "102"},   {"023", "103"},
        {"0231", "1031"}, {"0232", "1032"}, {"0233", "1033"}, {"0234", "1034"},
        {"024", "104"},   {"0241", "1041"}, {"0242", "1042"}, {"0243", "1043"},
        {"0244", "1044"}, {"025", "105"},   {"0251", "1051"}, {"0252", "1052"},
        {"0253", "1053"}, {"0254", "1054"}, {"0255", "1055"}, {"0256", "1056"},
        {"026", "106"},   {"027", "107"},   {"028", "108"},
    };
    int want;   /* 0: appeal, 1: demand */
    if (strncmp(verb_code, "02", 2) == 0)
        want = 0;
    else if (strncmp(verb_code, "10", 2) == 0)
        want = 1;
    else
        return pattern_code;
    for (size_t i = 0; i < sizeof pair / sizeof pair[0]; i++)
        if (strcmp(pair[i][!want], pattern_code) == 0)
            return pair[i][want];
    return pattern_code;
}

/* 4. The verb's code: the heaviest of its patterns (and of the verbs it
 * extends) that matches, else the verb's default.  *best is the pattern or
 * NULL; *code2 the second code, or NULL. */
/* The first pattern from p on (of np, by their heavy_pick) whose two
 * rarest literal words are both in the sentence's key set, or np. */
static size_t next_possible(const sr_coder *c, const uint32_t *pick, size_t p, size_t np)
{
    const uint64_t *ks = c->keyset;
    for (; p < np; p++) {
        uint32_t hi = pick[p] >> 16, lo = pick[p] & 0xFFFF;
        if (ks[hi >> 6] >> (hi & 63) & ks[lo >> 6] >> (lo & 63) & 1)
            break;
    }
    return p;
}

static const char *best_pattern(sr_coder *c, const verb_occ *o, pat_result *br,
                                const sr_pattern **best_out, const char **code2,
                                const char **query)
{
    const sr_dictset *ds = c->ds;
    const sr_verb *vb = &ds->verb[o->verb];
    const sr_pattern *best = NULL;
    int passive = -1;   /* is o passive: asked once, when a pattern needs it */
    pat_result none = { -1, -1, false, 0, 0, (int)o->start };
    *br = none;
    for (uint32_t vi = o->verb, hops = 0; vi != SR_NONE && hops < 4;
         vi = ds->verb[vi].prev, hops++) {
        const sr_verb_group *g = &ds->groups[ds->verb[vi].group];
        for (size_t p = 0; p < g->npats; p++) {
            /* most patterns name a word the sentence lacks: skip them in
             * a tight loop */
            if (g->heavy_pick && (p = next_possible(c, g->heavy_pick, p, g->npats)) >= g->npats)
                break;
            const sr_pattern *pt = &ds->patterns[g->heavy ? g->heavy[p] : g->pats[p]];
            if (best && pt->weight <= best->weight) {
                if (g->heavy)
                    break;   /* heaviest first: nothing further can win */
                continue;
            }
            pat_result r;
            if (c->ds->opts.petrarch_actors && strcmp(sr_ds_pool(ds, pt->code), "+++") == 0)
                continue;   /* PETRARCH: "+++" patterns code nothing */
            if (coder_try_pattern(c, pt, o, &r)) {
                if (coder_news(c) && passive_shape(ds, pt)) {
                    if (passive < 0)
                        passive = coder_is_passive(c, o);
                    if (!passive)
                        continue;
                }
                best = pt;
                *br = r;
            }
        }
    }
    if (best && br->src >= 0) {
        int ap = coder_appositive_subject(c, o->start);
        if (ap >= 0 && c->e[br->src].start > c->e[ap].end)
            br->src = ap;   /* "Gollum, centre of a row with Radagast, called" */
    }
    *best_out = best;
    uint32_t c2 = best ? best->code2 : vb->code2;
    *code2 = c2 != SR_NONE ? sr_ds_pool(ds, c2) : NULL;
    /* TABARI's '?' code ("SAID [023?]"): coded only if nothing else is */
    uint32_t q = best ? best->query_code : vb->query_code;
    if (query)
        *query = q != SR_NONE ? sr_ds_pool(ds, q) : NULL;
    const char *code = sr_ds_pool(ds, best ? best->code : vb->code);
    if (best && coder_news(c))
        code = appeal_or_demand(code, sr_ds_pool(ds, vb->code));
    return code;
}

/* One verb's best pattern and what it gives (best_pattern()'s results). */
typedef struct pattern_pick {
    const char *code, *code2;
    pat_result br;
    const sr_pattern *best;
} pattern_pick;

static void pick_pattern(sr_coder *c, const verb_occ *o, pattern_pick *p)
{
    p->code = best_pattern(c, o, &p->br, &p->best, &p->code2, NULL);
}

/* Emit the event of one verb occurrence: its modality (negated, refused,
 * future, hedged, reported) decides how the code is held. */
static sr_err verb_event(sr_coder *c, sr_mentions *out, size_t si, const verb_occ *o,
                         const char *code, const char *code2, int src, int tgt, bool pattern,
                         int lo, bool reported, const char *issues, sr_modality *mod_out)
{
    neg_kind neg;
    sr_modality mod = coder_modality(c, o, &neg, reported, lo);
    if (o->stance == ST_REFUSE && neg != NEG_NONE) {
        /* "will not accept", "refused to deploy": the refusal is what
         * happened, and its code (12x) is already chosen */
        neg = NEG_NONE;
        mod = reported ? SR_MOD_REPORTED : SR_MOD_ASSERTED;
    }
    if (o->future && mod != SR_MOD_NEGATED)
        mod = SR_MOD_FUTURE;
    if (neg == NEG_PLAIN) {
        /* "did not agree": CAMEO codes what happened, so this is not an
         * agreement; the mention is kept, marked negated, for briefs that
         * weigh one outlet's denial against another's report, and no later
         * verb of the clause stands in for it */
        mod = SR_MOD_NEGATED;
    }
    if (neg == NEG_REFUSE && !pattern) {
        code = "120";   /* refused to X: a rejection */
        code2 = NULL;
    }
    *mod_out = mod;
    coder_trace(c, "  verb %u: code %s%s%s, source actor %d, target actor %d, %s%s",
                (unsigned)(o - c->vo), code, code2 ? ":" : "", code2 ? code2 : "", src, tgt,
                sr_modality_name(mod), pattern ? " (pattern)" : " (verb default)");
    return coder_emit_groups(c, out, (uint32_t)si, src, tgt, code, code2, mod, o, issues);
}

/* News coding: "on Tuesday", "today", "late on Friday", "last week" say
 * when, which the event's document date already does; out of the coder's
 * view they no longer stand between a verb and the words of its patterns
 * ("agreed on Wednesday that", "called Thursday on Arabs to"). */
static void drop_time_adjuncts(sr_coder *c)
{
    uint8_t drop[MAX_TOK] = {0};
    bool any = false;
    for (size_t i = 0; i < c->n; i++) {
        uint32_t w = wclass(c, i);
        bool unit = (w & WC_TIMEUNIT) && i > 0 && (wclass(c, i - 1) & WC_TIMEREL);
        if (!(w & WC_TIME) && !unit)
            continue;
        drop[i] = 1;
        any = true;
        size_t j = i;
        while (j > 0 && i - j < 3 &&
               ((wclass(c, j - 1) & WC_TIMEREL) || tok_is(c, j - 1, c->id_on)))
            drop[--j] = 1;
    }
    if (!any)
        return;
    size_t w = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (drop[i])
            continue;
        c->v[w] = c->v[i];
        c->tkbuf[w] = c->tkbuf[i];
        c->orig[w] = c->orig[i];
        c->pos[w] = c->pos[i];
        w++;
    }
    c->n = w;
}

typedef enum { SENT_OK, SENT_DISCARD, STORY_DISCARD } sent_result;

/* Does a discard phrase hold the sentence?  *res says which kind. */
/* Does a discard phrase drop the sentence (*res says whether the story
 * goes too)?  News: a sentence-level phrase ("World War Two") drops only
 * the clause it stands in - "demanded an admission by Moscow that Soviet
 * forces murdered ... during World War Two" is today's demand about a past
 * act - so its token is noted in *clause_tok and the sentence is coded. */
static bool sentence_discarded(sr_coder *c, sent_result *res, int *clause_tok)
{
    if (!c->ds->ndiscards)
        return false;
    for (size_t i = 0; i < c->n; i++) {
        size_t len;
        uint32_t x = sr_ds_longest(c->ds, &c->ds->discards, c->v, c->n, i, &len);
        if (x == 1 && coder_news(c) && clause_tok) {
            if (*clause_tok < 0)
                *clause_tok = (int)i;
            continue;
        }
        if (x == 2 || x == 1) {
            *res = x == 2 ? STORY_DISCARD : SENT_DISCARD;
            return true;
        }
    }
    return false;
}

static sr_err code_sentence_in(sr_coder *c, const sr_textdoc *d, size_t si, sr_mentions *out,
                               sent_result *res)
{
    const sr_sentence *s = &d->sents[si];
    *res = SENT_OK;
    c->clause_of = NULL;   /* set once this sentence's clauses are known */
    c->doc_text = d->orig;
    c->heading = s->kind == SR_UNIT_HEADING;
    size_t ntok = s->tok_count > MAX_TOK ? MAX_TOK : s->tok_count;
    /* an underscore inside a name ("Dol_Amroth", as dictionaries write
     * them) joins its words: drop it from the coder's view */
    c->n = 0;
    for (size_t i = 0; i < ntok; i++) {
        const sr_token *t = &d->toks[s->tok_first + i];
        size_t fl;
        const char *f = sr_token_fold(d, t, &fl);
        if (fl == 1 && f[0] == '_' && t->kind != SR_TOK_WORD)
            continue;
        c->tkbuf[c->n] = *t;
        c->orig[c->n] = (uint16_t)i;
        sr_tokview *v = &c->v[c->n++];
        v->id = t->id;
        v->fold = f;
        v->fold_len = (uint32_t)fl;
        v->nstems = 0;
        v->stems_done = 0;
    }
    c->tk = c->tkbuf;
    c->have_pos = false;
    if (coder_news(c))
        drop_time_adjuncts(c);
    memset(c->memo_done, 0, c->n);
    /* 1. discards: in the lead always (a story-level phrase there drops the
     * story); further down only for a sentence with an actor, the only kind
     * that could be coded (most sentences of a page have none) */
    bool lead = si < CODER_STORY_LEAD;
    int discard_tok = -1;   /* news: the clause a discard phrase drops */
    if (lead && sentence_discarded(c, res, &discard_tok))
        return SR_OK;
    /* 2. actors */
    c->discard = c->complex = false;
    coder_find_entities(c, (uint32_t)si, s->start);
    if (c->ne == 0)
        goto remember;
    if (!lead && sentence_discarded(c, res, &discard_tok))
        return SR_OK;
    for (size_t k = 0; k < c->ne; k++)
        if (!c->e[k].pronoun && c->e[k].code[0] && strlen(c->e[k].code) >= 3)
            coder_note_dyad(c, c->e[k].code);
    /* 3. verbs: found once without tags; a sentence with no verb form is
     * not tagged at all (tagging costs as much as the rest of coding) */
    coder_find_verbs(c);
    if (c->nvo == 0)
        goto remember;
    if (c->tagger && coder_news(c)) {
        uint8_t tags[SR_TEXT_MAX_TOKENS];
        if (s->tok_count <= SR_TEXT_MAX_TOKENS &&
            sr_tag_sentence(c->tagger, c->tagst, d, si, tags) == SR_OK) {
            for (size_t i = 0; i < c->n; i++)
                c->pos[i] = tags[c->orig[i]];
            c->have_pos = true;
            if (c->guessed_modifier)
                coder_find_entities(c, (uint32_t)si, s->start);
            coder_find_verbs(c);   /* again: tags tell nouns from verbs */
        }
    }
    if (c->nvo == 0 || c->ne == 0 || c->discard || coder_too_complex(c)) {
        trace_sentence(c, si, NULL);
        goto remember;
    }
    /* the sentence's issues are looked up once it has an event (below):
     * most sentences with an actor and a verb form code none */
    const char *issues = "";
    bool reported = coder_sentence_reported(c);
    size_t first_new = out->n;
    bool other_than_comment = false;
    uint8_t consumed[MAX_TOK] = {0};
    uint8_t clause_of[MAX_TOK], clause_done[MAX_TOK] = {0};
    /* events kept for the sentence's end: those with no target, and those
     * of nouns ("riots against ..."); one is coded if no verb's event is */
    struct { const verb_occ *o; const char *code; int src, tgt, lo; bool pattern; } weak[4];
    size_t nweak = 0;
    /* a '?' code, for a sentence that codes nothing else */
    struct { const verb_occ *o; const char *code; pat_result br; bool pattern; } fallback_q;
    memset(&fallback_q, 0, sizeof fallback_q);
    coder_mark_clauses(c, clause_of);
    c->clause_of = coder_news(c) ? clause_of : NULL;
    if (discard_tok >= 0 && (size_t)discard_tok < c->n)
        clause_done[clause_of[discard_tok]] = 1;
    coder_find_stance(c);
    trace_sentence(c, si, clause_of);
    coder_build_keyset(c);
    size_t told_until = 0;   /* news: the part of the sentence whose event is coded */
    for (size_t k = 0; k < c->nvo; k++) {
        const verb_occ *o = &c->vo[k];
        if (consumed[o->start] || clause_done[clause_of[o->start]])
            continue;
        if (o->start < told_until)
            continue;   /* keep_first_events() would drop it: not worth matching */
        if (o->controlled)
            continue;   /* coded through the verb that controls it */
        /* news: "demonstrated in Serbia, where 24 people were killed in
         * riots last March": a relative clause tells background; its
         * event does not stand in for the main clause's */
        if (coder_news(c) && c->relative[clause_of[o->start]] && nweak > 0)
            continue;
        /* news: a verb of saying is the event only when nothing else is
         * said to happen ("said Sudan must return", "says it is willing to
         * withdraw": what was said is coded, and stays "reported") */
        if (coder_news(c) && (wclass(c, o->head) & WC_SAY) && k + 1 < c->nvo &&
            !saying_only(c, k + 1) && !say_addressee(c, o->start + o->len - 1u))
            continue;
        size_t before = out->n;
        pat_result br;
        const sr_pattern *best;
        const char *code2;
        const char *query;
        const char *code = best_pattern(c, o, &br, &best, &code2, &query);
        /* "agreed to withdraw", "threatened to ban": the controlled act is
         * the event, framed by the controlling verb; when the act codes
         * nothing ("agreed to share information") the controller's own
         * code is framed instead */
        const verb_occ *act = o;
        if (o->ctl >= 0) {
            const verb_occ *o2 = &c->vo[o->ctl];
            pattern_pick p2;
            pick_pattern(c, o2, &p2);
            consumed[o2->start] = 1;
            /* news: "agreed to expand the exchange of military delegations":
             * when the controlled verb codes nothing, the event noun it
             * governs (held the same way) is the act */
            for (size_t k2 = (size_t)o->ctl + 1;
                 coder_news(c) && coder_code_is_null(p2.code) && k2 < c->nvo; k2++) {
                const verb_occ *o3 = &c->vo[k2];
                if (clause_of[o3->start] != clause_of[o2->start])
                    break;
                if (!o3->noun_use || o3->stance != o2->stance)
                    continue;
                pattern_pick p3;
                pick_pattern(c, o3, &p3);
                if (!coder_code_is_null(p3.code)) {
                    o2 = o3;
                    p2 = p3;
                    consumed[o3->start] = 1;
                }
                break;
            }
            if (!coder_code_is_null(p2.code)) {
                act = o2;
                code = p2.code;
                br = p2.br;
                best = p2.best;
                code2 = p2.code2;
            }
            code = coder_stance_code((stance)o2->stance, code);
        } else if (!coder_code_is_null(code)) {
            code = coder_stance_code((stance)o->stance, code);
        }
        if (coder_code_is_null(code)) {
            if (query && !fallback_q.o) {
                fallback_q.o = o;
                fallback_q.code = query;
                fallback_q.br = br;
                fallback_q.pattern = best != NULL;
            }
            continue;
        }
        if (best)
            coder_trace(c, "  verb %zu: pattern of line %u gives %s", (size_t)(act - c->vo),
                        best->line, sr_ds_pool(c->ds, best->code));
        o = act;
        /* 5. actors for this verb */
        int src, tgt;
        coder_assign_roles(c, o, &br, clause_of, code, &code2, &src, &tgt);
        /* "Britain and French troops attacked the town": the other part of
         * a two-part subject acts with the source, it is not its target
         * (a pattern's words before the verb, "&MILITARY * &TOWN", made
         * "French troops" the target) */
        if (coder_news(c) && src >= 0 && tgt >= 0 && tgt != src &&
            c->e[tgt].group == c->e[src].group && !br.compound)
            tgt = -1;
        /* "NATO peacekeeping troops arrived in Bosnia": soldiers arriving
         * in another country are deployed there to protect it (074), they
         * make no visit (042/043) */
        if (coder_news(c) && src >= 0 && (strcmp(code, "042") == 0 || strcmp(code, "043") == 0) &&
            ent_is_troops(c, &c->e[src])) {
            code = "074";
            code2 = NULL;
        }
        /* "Young Algerians blocked roads": a blockade (191) is imposed by
         * a state's forces; people who block a road obstruct it in protest
         * (144) */
        if (coder_news(c) && src >= 0 && strcmp(code, "191") == 0 &&
            ((people_actor(c->e[src].code) && !state_actor(c->e[src].code)) ||
             ent_is_populace(c, &c->e[src])))
            code = "144";
        /* "French and Egyptian warships launched war games": a show of
         * force made together by two countries, at no one named, is a joint
         * exercise - military cooperation between them (062) */
        if (coder_news(c) && src >= 0 && tgt < 0 && strcmp(code, "150") == 0 &&
            group_countries(c, c->e[src].group) > 1)
            code = "062";
        if (coder_news(c) && src >= 0 && sr_cameo_is_mutual(code) &&
            ((tgt < 0 && code[0] == '0') ||
             (tgt >= 0 && (ent_is_place_in(c, &c->e[tgt]) || ent_is_locative(c, &c->e[tgt]))))) {
            /* "Colombia's government and the ELN signed a ceasefire in
             * Havana", "French and Egyptian warships launched war games": a
             * mutual act of a two-part subject with no other side named is
             * between its parts; the city after "in" is where.  Not so a use
             * of force at something uncoded ("Britain and French troops
             * attacked the town"): only the cooperative roots 01-08 */
            size_t members = 0;
            for (size_t q = 0; q < c->ne; q++)
                members += c->e[q].group == c->e[src].group;
            if (members > 1)
                tgt = src;   /* the group's members toward each other */
        }
        if (act->stance == ST_DEMAND && src >= 0) {
            /* "X said Y must V": Y is the one told to act, X demands */
            int sp = speaker_of(c, act->start, src);
            if (sp < 0)
                continue;
            tgt = src;
            src = sp;
        }
        if (br.compound && tgt < 0)
            continue;
        if (src < 0 || (tgt < 0 && !c->ds->opts.allow_no_target && !coder_news(c))) {
            /* TABARI codes the first coded verb of a clause: when its
             * actors are missing the clause yields nothing, rather than a
             * later verb's event with borrowed actors */
            if (c->ds->opts.first_verb_only)
                clause_done[clause_of[o->start]] = 1;
            continue;
        }
        /* "has taken steps to enhance political freedoms": easing or
         * imposing restrictions with no one named is done to the
         * country's own people, and is the event as much as a later verb's
         * with a target */
        if (coder_news(c) && tgt < 0 && !o->weak && src >= 0 && (strncmp(code, "081", 3) == 0 || strncmp(code, "172", 3) == 0))
            tgt = domestic_target(c, src, code);
        if ((tgt < 0 || o->weak) && coder_news(c)) {
            /* an event with no target, or a noun's, is kept for the
             * sentence's end: a verb's with a target, later in the clause
             * or the sentence, says more */
            if (nweak < sizeof weak / sizeof weak[0]) {
                weak[nweak].o = o;
                weak[nweak].code = code;
                weak[nweak].src = src;
                weak[nweak].tgt = tgt;
                weak[nweak].lo = best ? br.word_lo : o->start;
                weak[nweak].pattern = best != NULL;
                nweak++;
            }
            continue;
        }
        /* "hundreds protested in Tbilisi", "marched through Jakarta": the
         * city says where; the protest is made against the country's
         * government */
        if (coder_news(c) && strncmp(code, "14", 2) == 0 && tgt >= 0 &&
            (ent_is_place_in(c, &c->e[tgt]) ||
             (strlen(c->e[tgt].code) == 3 && ent_is_locative(c, &c->e[tgt]))) &&
            strncmp(c->e[tgt].code, c->e[src].code, 3) == 0) {
            int gov = domestic_target(c, src, code);
            if (gov >= 0)
                tgt = gov;
        }
        sr_modality mod;
        sr_err err = verb_event(c, out, si, o, code, code2, src, tgt, best != NULL,
                                best ? br.word_lo : o->start, reported, issues, &mod);
        if (err)
            return err;
        if (mod == SR_MOD_NEGATED)
            clause_done[clause_of[o->start]] = 1;
        if (!is_comment(code))
            other_than_comment = true;
        /* TABARI codes one verb per clause: the first that yields an event;
         * the words its pattern used are not verbs of their own */
        /* news: a statement ("issued a declaration") leaves its clause open
         * to the act it states ("... demanding that ...") */
        if (coder_news(c) && is_comment(code))
            continue;
        if (coder_news(c) && out->n > before && mod != SR_MOD_NEGATED) {
            /* the sentence's happening is told: its later verbs, up to a
             * semicolon, are circumstances (keep_first_events) */
            told_until = o->start;
            while (told_until < c->n && !(c->tk[told_until].kind == SR_TOK_PUNCT &&
                                          c->v[told_until].fold_len == 1 &&
                                          c->v[told_until].fold[0] == ';'))
                told_until++;
        }
        if (out->n > before || mod == SR_MOD_NEGATED) {
            clause_done[clause_of[o->start]] = 1;
            if (best)
                for (int t = br.lo; t < br.hi && t < (int)c->n; t++)
                    if (t >= 0)
                        consumed[t] = 1;
        }
    }
    if (nweak && !other_than_comment) {
        size_t w = 0;
        while (w < nweak && (weak[w].tgt < 0 || is_comment(weak[w].code)))
            w++;
        if (w == nweak)
            w = 0;
        sr_modality mod;
        int tgt = weak[w].tgt >= 0 ? weak[w].tgt : domestic_target(c, weak[w].src, weak[w].code);
        /* an event with no one it is done to is too little to code in news:
         * "the rebels said they would fight on" names no other side */
        if (tgt < 0 && !complete_without_target(weak[w].code))
            goto filter;
        sr_err err = verb_event(c, out, si, weak[w].o, weak[w].code, NULL, weak[w].src, tgt,
                                weak[w].pattern, weak[w].lo, reported, issues, &mod);
        if (err)
            return err;
        if (!is_comment(weak[w].code))
            other_than_comment = true;
    }
    if (fallback_q.o && out->n == first_new) {
        int src, tgt;
        const char *none2 = NULL;
        coder_assign_roles(c, fallback_q.o, &fallback_q.br, clause_of, fallback_q.code, &none2,
                           &src, &tgt);
        if (src >= 0 && (tgt >= 0 || c->ds->opts.allow_no_target || coder_news(c))) {
            sr_modality mod;
            sr_err err = verb_event(c, out, si, fallback_q.o, fallback_q.code, NULL, src, tgt,
                                    fallback_q.pattern,
                                    fallback_q.pattern ? fallback_q.br.word_lo : fallback_q.o->start,
                                    reported, issues, &mod);
            if (err)
                return err;
        }
    }
filter:
    /* news: a report's sentence tells one happening; the events of its
     * first coded verb are it, and later verbs (", killing ...", "which
     * ...", "to investigate ...") are its circumstances */
    if (coder_news(c) && out->n > first_new + 1)
        keep_first_events(c, out, first_new);
    /* a statement verb ("said") whose clause carries a real event says
     * nothing more than that event */
    if (other_than_comment) {
        size_t w = first_new;
        for (size_t r = first_new; r < out->n; r++)
            if (!is_comment(out->v[r].cameo))
                out->v[w++] = out->v[r];
        out->n = w;
    }
    if (out->n > first_new) {
        char found[sizeof out->v[0].issues];
        coder_sentence_issues(c, found, sizeof found);
        for (size_t r = first_new; r < out->n; r++)
            memcpy(out->v[r].issues, found, sizeof found);
    }
remember:
    for (size_t k = 0; k < c->ne; k++)
        if (c->e[k].code[0] && !c->e[k].prep) {
            coder_copy(c->last_src, sizeof c->last_src, c->e[k].code);
            break;
        }
    return SR_OK;
}

static sr_err code_sentence(sr_coder *c, const sr_textdoc *d, size_t si, sr_mentions *out,
                            sent_result *res)
{
    sr_err err = code_sentence_in(c, d, si, out, res);
    c->clause_of = NULL;   /* it pointed into code_sentence_in's frame */
    return err;
}

sr_err sr_code_doc(sr_coder *c, const sr_textdoc *d, const char *date, sr_mentions *out)
{
    size_t first = out->n;
    c->date = sr_ds_parse_doc_date(date);
    if (!c->keep_story) {
        c->nnames = 0;
        c->last_src[0] = '\0';
        c->dyad[0][0] = c->dyad[1][0] = '\0';
        c->dyad_n[0] = c->dyad_n[1] = 0;
    }
    c->keep_story = false;
    unsigned lead_hits = 0;
    for (size_t si = 0; si < d->nsents; si++) {
        sent_result res;
        sr_err e = code_sentence(c, d, si, out, &res);
        if (e)
            return e;
        /* a story-level discard ("Champions League") says the story is
         * about sport only where a story says what it is about: its first
         * sentence, or twice in its lead.  Once further down, or in a file
         * of unrelated sentences one a line, it drops its own sentence only */
        if (res == STORY_DISCARD && si < CODER_STORY_LEAD && (si == 0 || ++lead_hits >= 2)) {
            out->n = first;
            break;
        }
    }
    return SR_OK;
}

