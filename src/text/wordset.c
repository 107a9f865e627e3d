/*
 * wordset.c - small fixed sets of English words (function words, titles,
 * abbreviations, sentence openers), asked about for nearly every word and
 * period of the input.
 *
 * A word of up to 16 letters is packed, lower-cased, into two 64-bit keys;
 * each set is a sorted array of keys searched by bisection.  This replaces
 * a strcmp loop that was a fifth of the splitter's time: no strlen, no
 * memcmp, about seven integer comparisons per question.  Sets are built
 * once, on first use, under pthread_once so analysis stays thread-safe.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "text/internal.h"

typedef struct key { uint64_t hi, lo; } key;

static bool pack(const char *s, size_t n, key *k)
{
    if (n == 0 || n > 16)
        return false;
    uint64_t h = 0, l = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c >= 0x80)
            return false;
        if (i < 8)
            h |= (uint64_t)c << (56 - 8 * i);
        else
            l |= (uint64_t)c << (56 - 8 * (i - 8));
    }
    *k = (key){ h, l };
    return true;
}

static int cmp(const void *a, const void *b)
{
    const key *x = a, *y = b;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

typedef struct wordset { key *keys; size_t n; } wordset;

static const char *const *const lists[TX_NSETS] = {
    [TX_SET_FUNCTION] = (const char *const[]){
        "a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "at",
        "by", "with", "from", "as", "into", "over", "after", "amid", "vs",
        "its", "their", "his", "her", "nor", "but", "than", "via", "about", NULL },
    /* titles and ranks written before a name */
    [TX_SET_PREPOSITIVE] = (const char *const[]){
        "mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "prof", "gen", "gens",
        "lt", "col", "maj", "capt", "cpt", "cmdr", "cdr", "comdr", "adm", "sgt",
        "cpl", "pvt", "brig", "rev", "hon", "gov", "sen", "sens", "rep", "reps",
        "pres", "amb", "st", "mt", "ft", "supt", "insp", "fr", "sqn", "ldr",
        "lieut", "cmdt", "com", "cmde", "wg", "flt", "nos", "no", "art",
        "arts", "fig", "figs", "vol", "vols", "sec", "ch", "mgr", "msgr", "sra",
        "srta", "dept", NULL },
    /* abbreviations that may end a sentence */
    [TX_SET_POSTPOSITIVE] = (const char *const[]){
        "co", "corp", "inc", "ltd", "llc", "plc", "jr", "sr", "bros", "etc", "vs",
        "approx", "est", "govt", "intl", "assn", "univ", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
        "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "min",
        "mins", "hr", "hrs", "oz", "lb", "lbs", "p", "pp", "ed", "eds", "cf",
        "al", "ave", "blvd", "rd", "mln", "bln", "bn", "yr", "yrs", "mo", "mos",
        "km", "kg", "sq", "dist", "div", "regt", NULL },
    /* words that typically open a sentence */
    [TX_SET_STARTER] = (const char *const[]){
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this",
        "that", "these", "those", "there", "here", "his", "her", "its", "their",
        "our", "my", "your", "but", "and", "or", "so", "yet", "in", "on", "at",
        "for", "if", "when", "while", "after", "before", "as", "how", "what",
        "why", "where", "who", "which", "did", "do", "does", "is", "are", "was",
        "were", "has", "have", "had", "can", "could", "will", "would", "should",
        "may", "might", "must", "however", "meanwhile", "also", "then", "now",
        "both", "some", "many", "most", "all", "no", "not", "one", "another",
        "such", "according", "officials", "since", "although", "though",
        "because", "last", "earlier", "later", "today", "yesterday", "each", NULL },
    /* days, months and time zones that follow a.m./p.m. in one sentence */
    [TX_SET_TIME] = (const char *const[]){
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "today",
        "tonight", "tomorrow", "yesterday", "local", "est", "edt", "cst", "cdt",
        "mst", "mdt", "pst", "pdt", "gmt", "utc", "bst", "cet", "ist", "pkt",
        "et", "ct", "pt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat",
        "sun", NULL },
    /* prepositions that open a fronted time phrase ("At 5 a.m. ...") */
    [TX_SET_FRONTING] = (const char *const[]){
        "at", "by", "on", "in", "after", "before", "until", "till", "from",
        "since", "around", "about", "shortly", NULL },
};

static wordset sets[TX_NSETS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
    for (int s = 0; s < TX_NSETS; s++) {
        size_t n = 0;
        while (lists[s][n])
            n++;
        sets[s].keys = malloc(n * sizeof *sets[s].keys);
        if (!sets[s].keys)
            continue;    /* an empty set: answers "no", never crashes */
        for (size_t i = 0; i < n; i++)
            if (pack(lists[s][i], strlen(lists[s][i]), &sets[s].keys[sets[s].n]))
                sets[s].n++;
        qsort(sets[s].keys, sets[s].n, sizeof *sets[s].keys, cmp);
    }
}

bool tx_in_set(tx_set set, const char *s, size_t n)
{
    key k;
    if (!pack(s, n, &k))
        return false;
    pthread_once(&once, build);
    const wordset *ws = &sets[set];
    size_t lo = 0, hi = ws->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmp(&k, &ws->keys[mid]);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}
