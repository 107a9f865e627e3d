/*
 * sitrep/code.h - the event coder: from an analysed sentence, who did what to
 * whom, as CAMEO event mentions (with root, QuadClass, Goldstein and the
 * PLOVER equivalent), marked asserted / reported / hedged / negated / future.
 *
 * Dictionaries (TABARI / PETRARCH-1 actor, agent, verb-pattern, discard and
 * issue files, or sitrep's compiled form) are loaded by src/dict/ into an
 * sr_dictset; the coder reads it and never changes it, so one dictset can be
 * shared by any number of threads, each with its own sr_coder.
 *
 * Ownership: sr_code_doc() fills an sr_mentions the caller owns; every string
 * in a mention points into the dictset (codes, names) or is an offset into the
 * document's original text.  Free with sr_mentions_free().
 *
 * Errors: SR_ENOMEM only.  A sentence the coder cannot understand yields no
 * mention; it is not an error.
 */
#ifndef SITREP_CODE_H
#define SITREP_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"
#include "sitrep/text.h"

typedef struct sr_dictset sr_dictset;   /* see sitrep/dict.h */
typedef struct sr_coder sr_coder;

typedef enum sr_modality {
    SR_MOD_ASSERTED = 0,  /* stated as fact by the outlet */
    SR_MOD_REPORTED,      /* attributed: reportedly, according to, X said */
    SR_MOD_HEDGED,        /* may, could, might, possible */
    SR_MOD_NEGATED,       /* "did not agree": the text denies the event; the
                             code names the event denied and must never be
                             counted as that event ("refused to" is coded
                             as a rejection instead, per CAMEO) */
    SR_MOD_FUTURE,        /* will, plans to, is expected to */
} sr_modality;

const char *sr_modality_name(sr_modality m);  /* "asserted", ... */

typedef struct sr_actor_ref {
    char     code[32];      /* CAMEO actor code, e.g. PAKMIL, LBYGOV, IGOUNO */
    uint32_t start, end;    /* byte span of the text it came from (original) */
    bool     known;         /* false: composed for a person no dictionary has */
    bool     inferred;      /* the country was not in the phrase ("rebels"):
                               taken from the sentence or story it is in */
} sr_actor_ref;

typedef struct sr_mention {
    uint32_t sentence;      /* index in sr_textdoc.sents */
    sr_actor_ref source;
    sr_actor_ref target;
    bool     has_target;    /* false: no target (JSON null) */
    char     cameo[8];      /* "042", "0311" */
    char     root[4];       /* "04" */
    int      quad;          /* QuadClass 1..4 */
    double   goldstein;     /* -10 .. +10 */
    const char *plover_event;  /* "CONSULT", or NULL when CAMEO2PLOVER has none */
    const char *plover_mode;   /* "visit", or NULL */
    sr_modality modality;
    uint32_t verb_start, verb_end;  /* span of the verb phrase (original) */
    char     issues[64];    /* comma-separated issue codes, "" if none */
} sr_mention;

typedef struct sr_mentions {
    sr_mention *v;
    size_t n, cap;
} sr_mentions;

void sr_mentions_free(sr_mentions *m);

/* A coder interns a few dozen function words (determiners, modals, "said"
 * ...) in the dictset's lexicon when created: create coders before sharing
 * the lexicon between threads.  NULL on allocation failure. */
sr_coder *sr_coder_new(const sr_dictset *dicts);
void      sr_coder_free(sr_coder *c);

/* The next sr_code_doc() continues the story of the previous one (its
 * pronouns, names and main actors carry over), as when a story arrives one
 * record per sentence (TABARI validation records). */
void sr_coder_continue_story(sr_coder *c);

/* Code every sentence of d.  date ("YYYY-MM-DD" or NULL) selects date-
 * restricted actor codes.  Mentions are appended to out.  A sentence holding
 * a discard phrase is not coded; a story-level discard phrase ('+' in a
 * discards file: "Champions League") in one of the first five sentences
 * drops the whole document, anywhere else only its sentence. */
sr_err sr_code_doc(sr_coder *c, const sr_textdoc *d, const char *date,
                   sr_mentions *out);

/*
 * Unknown actors: a person no dictionary knows, introduced with a title and
 * a country ("Libya's commander, Field Marshal Khalifa Haftar") is coded
 * from the country and the title's agent (LBYMIL, actor_ref.known false) and
 * reported here so it can be added to a dictionary.  The callback runs
 * during sr_code_doc(); the spans are bytes of the document's original text.
 */
typedef struct sr_unknown_actor {
    uint32_t sentence;
    uint32_t start, end;    /* the name ("Khalifa Haftar") */
    uint32_t title_start, title_end;  /* the title it came with, if any */
    char     code[32];      /* the code it was given: the suggestion */
} sr_unknown_actor;
typedef void (*sr_unknown_fn)(const sr_unknown_actor *u, void *ctx);
void sr_coder_on_unknown(sr_coder *c, sr_unknown_fn fn, void *ctx);

/* Part-of-speech tags for news coding (sitrep/syntax.h): with a tagger the
 * coder tells a verb from a noun of the same form ("allies", "demands",
 * "talks") and a passive participle from a past tense by tags rather than
 * by its word-order guesses.  The tagger is borrowed and must outlive the
 * coder; the coder keeps its own tagging state.  NULL: no tags.  Returns
 * SR_ENOMEM if the state cannot be made. */
typedef struct sr_tagger sr_tagger;
sr_err sr_coder_set_tagger(sr_coder *c, const sr_tagger *t);

/* Explain each sentence's coding (tokens, actors, verbs, clauses, the
 * events chosen and why) as text lines appended to out, for dictionary
 * maintainers (`sitrep code --explain`).  NULL turns it off.  out is the
 * caller's; its cap bounds the trace. */
void sr_coder_trace(sr_coder *c, sr_buf *out);

/* The codebook entry fields for a CAMEO code, from the dictset's codebook
 * (root, quad, goldstein, plover_*); without a codebook, root only. */
void sr_mention_fill_codebook(const sr_dictset *dicts, sr_mention *m);

#endif
