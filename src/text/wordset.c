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
        "srta", "rs", "tel", "nr", NULL },
    /* abbreviations that may end a sentence */
    [TX_SET_POSTPOSITIVE] = (const char *const[]){
        "co", "corp", "inc", "ltd", "llc", "plc", "jr", "sr", "bros", "etc", "vs",
        "approx", "est", "govt", "intl", "assn", "univ", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
        "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "min",
        "mins", "hr", "hrs", "oz", "lb", "lbs", "p", "pp", "ed", "eds", "cf",
        "al", "ave", "blvd", "rd", "mln", "bln", "bn", "yr", "yrs", "mo", "mos",
        "km", "kg", "sq", "dist", "div", "regt", "dept",
        /* US state abbreviations of news style (Calif., Tenn.) that are not
         * also English words */
        "ala", "ariz", "ark", "calif", "colo", "conn", "fla", "ga", "kan",
        "kans", "ky", "mich", "minn", "mont", "neb", "nev", "okla", "penn",
        "tenn", "tex", "vt", "wis", "wyo", NULL },
    /* words that typically open a sentence: after an abbreviation that may
     * or may not end one (U.S., Co., Jr., an initial), a capitalized word
     * from this list starts a new sentence, any other capitalized word is
     * taken to go on a name (U.S. Government, Co. KG).  Function words,
     * pronouns, sentence adverbs, quantities and the plural subjects news
     * sentences open with; no word that is also a common name or title. */
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
        "because", "last", "earlier", "later", "today", "yesterday", "each",
        /* more function words and sentence adverbs */
        "with", "without", "during", "despite", "under", "from", "by", "to",
        "among", "amid", "against", "through", "until", "unless", "whether",
        "once", "unlike", "instead", "thus", "therefore", "hence", "moreover",
        "furthermore", "nevertheless", "nonetheless", "still", "indeed",
        "otherwise", "overall", "separately", "elsewhere", "finally",
        "next", "again", "already", "never", "often", "sometimes", "soon",
        "recently", "currently", "previously", "initially", "eventually",
        "perhaps", "maybe", "probably", "tomorrow", "tonight", "please", "yes",
        "asked", "speaking", "every", "any", "few", "several", "other", "none",
        "neither", "either", "nobody", "nothing", "everyone", "someone",
        "something", "anyone", "only", "even", "just", "whoever", "whatever",
        "let", "nor", "about", "nearly", "almost", "more", "fewer", "less",
        /* quantities and the plural subjects news sentences open with */
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "millions", "thousands", "hundreds", "dozens", "scores", "tens",
        "people", "police", "authorities", "troops", "soldiers", "residents",
        "witnesses", "analysts", "critics", "protesters", "rebels", "militants",
        "investigators", "prosecutors", "lawmakers", "diplomats", "experts",
        "sources", "reports", "shares", "prices", "talks", "travelers",
        "travellers", "workers", "leaders", "members", "voters", "students",
        "journalists", "reporters", "researchers", "scientists", "doctors",
        "details", "negotiators", "demonstrators", "supporters", NULL },
    /* days, months and time zones that follow a.m./p.m. in one sentence */
    [TX_SET_TIME] = (const char *const[]){
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "today",
        "tonight", "tomorrow", "yesterday", "local", "est", "edt", "cst", "cdt",
        "mst", "mdt", "pst", "pdt", "gmt", "utc", "bst", "cet", "ist", "pkt",
        "et", "ct", "pt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat",
        "sun", "eastern", "central", "pacific", "western", NULL },
    /* prepositions that open a fronted time phrase ("At 5 a.m. ...") */
    [TX_SET_FRONTING] = (const char *const[]){
        "at", "by", "on", "in", "after", "before", "until", "till", "from",
        "since", "around", "about", "shortly", NULL },
    /* abbreviations that never end a sentence: what follows them is always
     * more of the same sentence (Giants vs. Tigers, viz. the following) */
    [TX_SET_NEVER] = (const char *const[]){
        "vs", "viz", "cf", "ca", "approx", "incl", "esp", "resp", "aka", NULL },
    /* abbreviations that close a list or phrase: before a capitalized word
     * they end the sentence (no name goes on after "etc.") */
    [TX_SET_ENDER] = (const char *const[]){
        "etc", NULL },
    /* units of measure; after a number ("2 oz.", "10 km.") the period ends
     * the sentence before a capitalized word, since no name goes on a unit */
    [TX_SET_UNIT] = (const char *const[]){
        "oz", "lb", "lbs", "ft", "in", "yd", "yds", "mi", "km", "kg", "mg",
        "cm", "mm", "gal", "qt", "hr", "hrs", "min", "mins", "sec", "secs",
        "sq", "cu", "mph", "kph", "cal", "kcal", "tbsp", "tsp", "deg", "pt",
        "pts", "ml", "cl", "dl", "mos", "yrs", "wk", "wks", "m", "g", NULL },
    /* academic degrees (letters of the dotted form): "a Ph.D." or "Jane
     * Roe, M.D." is a noun or a post-name title, and ends a sentence before
     * a capital */
    [TX_SET_DEGREE] = (const char *const[]){
        "phd", "md", "ba", "ma", "bs", "bsc", "ms", "msc", "mba", "llb", "llm",
        "jd", "dds", "dphil", "edd", "dvm", "rn", "bcom", "mphil", "ab", "sb",
        NULL },
    /* speech verbs: "Leave now!" Officer Ruiz shouted. -- a capitalized
     * name after a quote that holds its own stop is the quote's tag, not a
     * new sentence, when one of these follows it */
    [TX_SET_SPEECH] = (const char *const[]){
        "said", "says", "asked", "asks", "told", "tells", "added", "adds",
        "shouted", "yelled", "cried", "replied", "replies", "wrote", "writes",
        "insisted", "warned", "warns", "explained", "noted", "notes",
        "continued", "declared", "stated", "announced", "tweeted", "posted",
        "exclaimed", "whispered", "answered", "remarked", "recalled", "argued",
        "argues", "complained", "admitted", "conceded", "responded", "urged",
        "urges", "demanded", "screamed", "chanted", "snapped", "joked",
        "quipped", "wondered", "recalls", "concluded", "countered", NULL },
};

static wordset sets[TX_NSETS];

/* Every word of every set with the sets it is in, for tx_set_mask: the
 * splitter asks several sets about the word before each period, and one
 * bisection answers them all. */
typedef struct mkey { key k; uint32_t mask; } mkey;
static mkey *all;
static size_t nall;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
    size_t total = 0;
    for (int s = 0; s < TX_NSETS; s++) {
        size_t n = 0;
        while (lists[s][n])
            n++;
        total += n;
        sets[s].keys = malloc(n * sizeof *sets[s].keys);
        if (!sets[s].keys)
            continue;    /* an empty set: answers "no", never crashes */
        for (size_t i = 0; i < n; i++)
            if (pack(lists[s][i], strlen(lists[s][i]), &sets[s].keys[sets[s].n]))
                sets[s].n++;
        qsort(sets[s].keys, sets[s].n, sizeof *sets[s].keys, cmp);
    }
    all = malloc(total * sizeof *all);
    if (!all)
        return;          /* no mask table: every mask is 0, never a crash */
    for (int s = 0; s < TX_NSETS; s++)
        for (size_t i = 0; i < sets[s].n; i++)
            all[nall++] = (mkey){ sets[s].keys[i], 1u << s };
    qsort(all, nall, sizeof *all, cmp);    /* the key comes first in mkey */
    size_t m = 0;
    for (size_t i = 0; i < nall; i++) {
        if (m > 0 && cmp(&all[m - 1].k, &all[i].k) == 0)
            all[m - 1].mask |= all[i].mask;
        else
            all[m++] = all[i];
    }
    nall = m;
}

uint32_t tx_set_mask(const char *s, size_t n)
{
    key k;
    if (!pack(s, n, &k))
        return 0;
    pthread_once(&once, build);
    size_t lo = 0, hi = nall;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmp(&k, &all[mid].k);
        if (c == 0)
            return all[mid].mask;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
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
