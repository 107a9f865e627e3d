/*
 * sitrep/dict.h - event-data dictionaries: actors, agents, verb patterns,
 * discards and issues, read from the formats the field already uses
 * (TABARI .actors/.verbs/.agents, PETRARCH-1 / Phoenix *.actors.txt,
 * agents.txt, verbpatterns, discards.txt, IssueCoding.txt) into one
 * sr_dictset the coder (sitrep/code.h) matches sentences against.
 *
 * Every phrase is split into words, each word folded with sr_text_fold() and
 * interned in the caller's sr_lexicon, so dictionary phrases and sentence
 * tokens meet as integer ids.  TABARI's matching conventions are kept:
 *   - WORD_   (followed by '_' or ending the phrase with '_') matches exactly;
 *   - WORD    (not followed by '_') is a stem: it matches any token that
 *             begins with it (ARGENTIN matches Argentina, Argentine);
 *   - A_B     the words must be adjacent; "A B" in a verb pattern may have
 *             other words between them, and so may a TABARI actor, verb
 *             phrase or synonym-set member (up to four: "PRINCE DOL_AMROTH"
 *             matches "the Prince of Dol Amroth");
 *   - WORD_   in TABARI files also takes regular endings (nouns -S/-ES,
 *             verbs -S/-ES/-ED/-D/-EN/-ING); WORD= takes none; WORD~ in a
 *             pattern is a stem however short;
 *   - { A | B } in a pattern gives one pattern per alternative; a set may
 *             name another set (+&TIETYPES_MEMOS).
 * Dates in actor codes ([PAKGOV 030101-080930], [USAGOV >011222],
 * [AFGGOV <011222]) are kept and chosen by the document's date when coding.
 *
 * Typical use:
 *     sr_dictset *ds = sr_dictset_new(lex);
 *     sr_dictset_load_dir(ds, "dict");                  // shipped set
 *     sr_dictset_load_file(ds, "my.actors", SR_DICT_ACTORS); // extend it
 *     sr_dictset_freeze(ds);                            // ready to code
 *     ... sr_coder_new(ds) ...
 *     sr_dictset_free(ds);
 * Later loads extend earlier ones; an entry for a phrase already present
 * replaces the earlier entry (so a user's dictionary can correct ours).
 *
 * Ownership: the dictset borrows the lexicon (which must outlive it) and owns
 * everything else.  After sr_dictset_freeze() it is read-only and may be
 * shared by any number of threads (each with its own sr_coder); loading after
 * freezing fails with SR_EINVAL.
 *
 * Errors: a malformed entry is reported as "sitrep: FILE:LINE: reason" via
 * sr_skip() and skipped; loading goes on.  The load functions return
 * SR_EIO (file unreadable), SR_ETOOBIG (file larger than SR_DICT_MAX_FILE),
 * SR_EFORMAT (kind could not be guessed), SR_ENOMEM, or SR_OK.
 */
#ifndef SITREP_DICT_H
#define SITREP_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"
#include "sitrep/text.h"

typedef struct sr_dictset sr_dictset;
typedef struct sr_codebook sr_codebook;   /* see sitrep/codebook.h */

/* Caps on dictionary input: a file, a phrase, a pattern. */
#define SR_DICT_MAX_FILE    ((size_t)32 << 20)
#define SR_DICT_MAX_WORDS   24     /* words in one phrase or pattern */
#define SR_DICT_MAX_CODE    31     /* bytes in one actor/agent code */
#define SR_DICT_MAX_PHRASES 65536  /* phrases of one actor entry, with the
                                      regular endings TABARI adds (the
                                      largest real entry has about 900) */

typedef enum sr_dict_kind {
    SR_DICT_AUTO = 0,    /* guess from the file name, then its content */
    SR_DICT_ACTORS,      /* TABARI .actors, PETRARCH *.actors.txt */
    SR_DICT_AGENTS,      /* TABARI .agents, PETRARCH agents.txt (!SUBST! sets) */
    SR_DICT_VERBS,       /* TABARI .verbs, PETRARCH-1 verb patterns, CAMEO.2.0 */
    SR_DICT_DISCARDS,    /* sentence ("PHRASE") and story ("+PHRASE") discards */
    SR_DICT_ISSUES,      /* Phoenix IssueCoding.txt */
    SR_DICT_OPTIONS,     /* TABARI .options (sr_dictset_load_options); never
                            loaded by sr_dictset_load_dir */
    SR_DICT_WORDS,       /* a word list, one a line: Phoenix.prepositions.txt */
} sr_dict_kind;

/* What a file name says it is ("Phoenix.agents.txt" -> SR_DICT_AGENTS), or
 * SR_DICT_AUTO when the name does not tell. */
sr_dict_kind sr_dict_kind_from_name(const char *path);
const char  *sr_dict_kind_name(sr_dict_kind k);   /* "actors", ... */

/* TABARI .options settings that change what is coded. */
typedef struct sr_dict_options {
    bool code_by_sentence;   /* SET: CODE BY SENTENCE - one event per sentence */
    bool code_all;           /* SET: CODE ALL - every verb, not only the first
                                of each clause */
    bool petrarch_actors;    /* PETRARCH's actor conventions: an agent with
                                no country ("a senior official") is an actor
                                coded "---GOV", and "###" is a code like any
                                other.  Otherwise (TABARI) an actor coded
                                "###" discards the sentence and "+++" marks it
                                too complex to code. */
    bool allow_no_target;    /* PETRARCH require_dyad = false: an event with a
                                source and no target is kept (target null) */
    bool first_verb_only;    /* TABARI (set by any .options file): the first
                                coded verb of a clause is its only candidate,
                                even when its actors are missing; otherwise a
                                later verb of the clause may still be coded */
    int  complex_verbs;      /* COMPLEX: VERBS[n] - a sentence with n or more
                                verbs is too complex to code; 0 = no limit */
    int  complex_conj;       /* COMPLEX: CONJ[n] - likewise for conjunctions */
    /* The rest of what a TABARI .options file can say (see
     * sr_dictset_load_options); the coder may use them, the reader keeps
     * them as written. */
    int  complex_actors;     /* COMPLEX: ACTORS[n] - n or more actors */
    bool complex_noactprior; /* COMPLEX: NOACTPRIOR - no actor before the verb */
    bool complex_explain;    /* COMPLEX: EXPLAIN - say why a record is complex */
    bool check_dominant;     /* SET: CHECK DOMINANT (TABARI's default TRUE):
                                with CODE ALL a dominant code ("[031!]")
                                is its sentence's only event */
    bool convert_agent;      /* SET: CONVERT AGENT - an agent alone is coded
                                with the actor it is attached to */
    bool time_shift;         /* SET: TIME SHIFT - apply <TIME> shifts */
    bool yyyy;               /* SET: YYYY - record dates have four-digit years */
    bool allcaps;            /* SET: ALLCAPS - text is in capitals */
    int  minimum_words;      /* SET: MINIMUM WORDS - shorter records are not
                                coded; 0 = no minimum */
    char default_source[SR_DICT_MAX_CODE + 1]; /* DEFAULT: SOURCE [code]; "" = none */
    char default_target[SR_DICT_MAX_CODE + 1]; /* DEFAULT: TARGET [code] */
    bool default_source_prior;  /* ... PRIOR (written after the source) */
    bool default_target_after;  /* ... AFTER (written after the target) */
    bool comma_on;           /* COMMA: ... (OFF clears it) - PETRARCH/TABARI
                                comma-delimited clause elimination */
    int  comma_min, comma_max, comma_emin, comma_emax, comma_bmin, comma_bmax;
} sr_dict_options;

sr_dictset *sr_dictset_new(sr_lexicon *lex);
void        sr_dictset_free(sr_dictset *ds);

/* Load one file of the given kind (SR_DICT_AUTO: guess). */
sr_err sr_dictset_load_file(sr_dictset *ds, const char *path, sr_dict_kind kind);

/* Load every dictionary in dir, in sorted name order: files named *.actors,
 * *.agents, *.verbs, *discards*, *Issue*, *.actors.txt, *.agents.txt,
 * *verbpatterns*.txt ... (sr_dict_kind_from_name).  Files it cannot
 * classify are ignored; a README or LICENSE is never read.  Subfolders
 * (dict/cameo/ holds the codebook) are not entered. */
sr_err sr_dictset_load_dir(sr_dictset *ds, const char *dir);

/* Read a TABARI .options file's settings.  Every line TABARI writes there is
 * read: COMPLEX: (VERBS[n] ACTORS[n] CONJ[n] NOACTPRIOR EXPLAIN), SET:
 * (CODE BY SENTENCE / CLAUSE, CODE ALL, NAME = value), DEFAULT: (SOURCE
 * [code] PRIOR TARGET [code] AFTER, or OFF), COMMA: (MIN = n MAX = n EMIN
 * EMAX BMIN BMAX, or OFF), LABEL: code=name (sr_dictset_label), and OUTPUT:
 * and FORWARD:, which shape TABARI's own event file and interactive mode
 * and so change nothing in sitrep; "//" comments; "~~~~~" ends the file.
 * Anything else - an unknown command, an unknown SET: name, a bad number -
 * is reported as "FILE:LINE: reason" and skipped.  Options may also be set
 * after freezing (a validation suite switches them between records), but
 * not while coders are running in other threads. */
sr_err sr_dictset_load_options(sr_dictset *ds, const char *path);
/* Apply one options line ("SET: CODE ALL", "COMPLEX: VERBS[5] EXPLAIN"),
 * e.g. from a TABARI validation record's "{ OPTION: ... }".  file and line
 * name it in a report; returns SR_OK, or SR_EFORMAT after reporting. */
sr_err sr_dictset_option_line(sr_dictset *ds, const char *text, const char *file, size_t line);
/* A LABEL: line's name for code ("010" -> "Make statement"), or NULL. */
const char *sr_dictset_label(const sr_dictset *ds, const char *code);
void   sr_dictset_set_options(sr_dictset *ds, const sr_dict_options *o);
const sr_dict_options *sr_dictset_options(const sr_dictset *ds);

/* The CAMEO codebook used to fill root, QuadClass, Goldstein and PLOVER.
 * Borrowed: the caller loads it (sitrep/codebook.h) and keeps it alive while
 * the dictset is used.  Without one the coder fills root from the code and
 * leaves quad 0. */
void               sr_dictset_set_codebook(sr_dictset *ds, const sr_codebook *cb);
const sr_codebook *sr_dictset_codebook(const sr_dictset *ds);

/* Build the lookup indexes; after this the dictset is read-only. */
sr_err sr_dictset_freeze(sr_dictset *ds);

sr_lexicon *sr_dictset_lexicon(const sr_dictset *ds);

typedef struct sr_dict_stats {
    size_t actor_phrases, actor_entries;
    size_t agent_phrases;
    size_t verb_forms, verb_patterns, synsets;
    size_t discards, issues;
    size_t bytes;            /* memory held by the dictset */
    /* The line ledger of every file loaded: each line with content is used
     * (loaded), skipped (reported, not loaded) or warned (reported, loaded
     * with the repair the report states); unread counts lines dropped with
     * no report, which would be a reader bug. */
    size_t lines, lines_content, lines_used, lines_skipped, lines_warned, lines_unread;
    size_t option_lines, labels;  /* .options lines applied, LABEL:s kept */
    size_t words;            /* distinct words of word lists (prepositions) */
} sr_dict_stats;
void sr_dictset_stats(const sr_dictset *ds, sr_dict_stats *st);

/* The actor code a phrase alone would get on date ("YYYY-MM-DD" or NULL),
 * e.g. "Pakistan" -> "PAK".  Returns false when the phrase is not an actor.
 * For tests, `sitrep actors` and dictionary maintenance; the coder matches
 * inside sentences instead. */
bool sr_dictset_actor_code(const sr_dictset *ds, const char *phrase,
                           const char *date, char code[SR_DICT_MAX_CODE + 1]);
/* The agent code of a phrase ("army chief" -> "~MIL"); false if none. */
bool sr_dictset_agent_code(const sr_dictset *ds, const char *phrase,
                           char code[SR_DICT_MAX_CODE + 1]);

#endif
