/*
 * cluster.c - incremental story clustering: a single pass over the stream,
 * each document compared with what each active story is about now.
 *
 * Documents.  A document is a TF-IDF vector over its terms (bag.c), IDF
 * from the document frequencies seen so far (smoothed: log((N+1)/(df+1)) +
 * 1, so the first documents are not all alike), each term weighted up by
 * how much it looks like a name: 1 + ent_weight * (capitalized + 0.6) /
 * (cased + 2), counted over every place in the stream where its case meant
 * something.  "Sbarro" and "Gox" are almost always capitalized there,
 * "bankruptcy" almost never, so two bankruptcy filings do not look like one
 * story while two reports on Mt. Gox do.  No lexicon, no tuning to a file:
 * the counts are the stream's own (kept as pseudo-terms in the document
 * frequency table, so the store saves them with it).
 *
 * Stories.  A story keeps
 *   - a profile: the sum of its documents' vectors, each older one decayed
 *     by profile_decay per later document, so it says what the story is
 *     about now and not what it was about when it began (a centroid of
 *     everything drifts towards "both" once a second happening creeps in);
 *   - its `members` most recent documents (vector, time, the caller's key).
 * A new document's score against a story is
 *   ((1 - link_weight) * profile + link_weight * link) * time * size
 * with profile the cosine to the profile (its terms weighted by IDF once
 * more, which favours the rare words a story is about), link the mean
 * cosine to its link_k most similar recent members, time the closeness
 * 2^-(dt / time_scale)^2 to the nearest recent member, and size the prior
 * 1 + size_prior * ln(documents) (a story many outlets cover is the likelier
 * home for one more report that matches it loosely, as in Chinese-
 * restaurant-process stream models).  The document joins the best story
 * scoring at least assign_min, else opens one.
 *
 * A score is a sum over shared words, and three things make a good one
 * misleading; all are checked against what the story holds now:
 *   - no word the story is about.  Once a story has three recent members,
 *     a document joins it only if it shares a word that at least two and
 *     a fifth of them hold.  "Business Highlights" shares "business" with
 *     one of four Pershing Square reports, and a short headline's cosine
 *     to that one report is high; a word one report happened to use says
 *     nothing about the story.
 *   - one word.  A document sharing a single word with a story (word pairs
 *     are made of the words, no second word) is not part of it when its
 *     mean similarity to the recent members is at most a quarter of theirs
 *     among themselves - the splitter's own test, below, with the document
 *     as a half of its own.  Eleven near-identical "Death Stars in Orion"
 *     reports took a recall "linked to 13 deaths" on "death", and the
 *     recall's next reports followed it there.  A loose story whose one
 *     common word is what it is about (bitcoin) still takes such reports.
 *     Weighing the word by its IDF does not tell the two apart: the word
 *     a story shares is common in the stream because the story is.
 *   - two claims.  When the runner-up could take the document too (it
 *     scores at least assign_min, and half the best), each of the two
 *     holds a part of the document the other lacks, and the two are not
 *     one story, the document is about both ("Bieber springs surprise at
 *     South by Southwest" beside a festival story and a Bieber one) and
 *     opens a story of its own (claimed_twice()).
 * All three trade a little recall for stories that stay one thing; none
 * has a setting tuned per file.
 *
 * Time is measured against the recent members, not the story's first and
 * last dates, and by the nearest of them: a story is alive where its
 * reports are, and a follow-up the next morning is near the last report
 * of the evening before.  The closeness falls away fast past the scale
 * (closeness() says why the tail matters): half at half a day, a
 * sixteenth a day apart.  The scale is fixed in advance, not tuned.
 * Nothing is cut off inside the window; the window only bounds memory.
 *
 * Undated documents have no place in time: they only join stories touched
 * in the current batch (between two flushes), and a story without any
 * dated document is only joined within its own batch.  Otherwise one
 * undated page would join - and merge - stories years apart.
 *
 * Merging: a story the document also scored well with (at least
 * MERGE_PROBE x assign_min) may turn out to be the same one; the two merge
 * when their profiles' cosine, weighted by how near in time their recent
 * members are, is at least merge_min.  The older id survives and the caller
 * records the merge, so ids handed out before still lead somewhere.
 *
 * Splitting: every SPLIT_EVERY joins a story's recent members are cut in
 * two (2-medoids over cosine x time closeness); if both halves hold
 * SPLIT_MIN_GROUP or more, their mean cross similarity is below split_max
 * and at most half the halves' mean similarity within (the mean of the two,
 * not each: a tight thread inside a loose topic story is two happenings
 * even though the loose half is loose), the newer half becomes a story of
 * its own and the caller learns which documents moved.  Older documents,
 * no longer remembered, keep the old id.
 *
 * Memory is bounded by the window, not the corpus: at most max_active
 * stories (idle ones leave at each flush), each with a profile of at most
 * 2 x max_terms terms and members x member_terms remembered terms; the DF
 * table is capped (termmap.c).
 *
 * Memory is a cache of the store, never a different answer.  A story that
 * left memory is still in the store as it was when it left, and a document
 * may still be near it in time (a late report of last week's news, or a
 * near-copy of one): sr_clusterer_missing() tells the caller which stored
 * stories to restore before the document is added.  And a restored story
 * is the story as it was, bit for bit: its profile in the same hash-table
 * layout (so its sums add up in the same order), its cached norm, its
 * members' arrival numbers, its split counter.  Where several stories are
 * looked at in turn, the order is by id, not by where they sit in memory.
 * So where batches end, and whether the process was restarted between
 * them, changes nothing for dated documents (undated ones are kept to
 * their batch on purpose, above).
 */
#include "sitrep/story.h"
#include "story/termmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOP_TERMS        16  /* a document's heaviest terms, for finding candidate stories */
#define MAX_CANDIDATES   64  /* stories scored closely enough to be merge candidates */
#define SPLIT_MIN_GROUP   4  /* documents on each side of a split */
#define SPLIT_EVERY       4  /* joins between two split checks of a story */
#define MERGE_PROBE     0.5  /* a second story scoring this share of assign_min may be bridged */
#define MAX_MEMBERS      64
#define MIN_SHARED        2  /* terms a document must share with a story to join it */
#define CORE_SHARE      0.2  /* share of a story's recent members holding a word it is about */
#define BLOB_MAGIC2 0x3253524F54535253ull  /* "SRSTORS2" little-endian */
#define BLOB_MAGIC  0x3353524F54535253ull  /* "SRSTORS3" */
/* pseudo-terms counting where a word's case meant something, and where it
 * was capitalized there */
#define SALT_CASED   0x6361736564000001ull
#define SALT_CAPITAL 0x6361706974000002ull

typedef struct term_w {
    uint64_t t;
    float    w;
    uint32_t pair;      /* the current document's terms only: a word pair
                           (SR_TERM_PAIR), not a word; 0 in stored vectors */
} term_w;

typedef struct member {
    int64_t  doc;       /* the caller's key (a document id), 0 if none */
    int64_t  time;      /* seconds, or SR_TIME_UNKNOWN */
    uint64_t seq;       /* arrival order */
    uint32_t n;
    term_w  *v;         /* unit vector, sorted by term */
} member;

typedef struct story {
    int64_t  id;
    int64_t  first, last;   /* seconds, SR_TIME_UNKNOWN if no document had one */
    uint32_t ndocs;
    member   m[MAX_MEMBERS];  /* in no order of time, but the order counts
                                 (ties go to the first): it is saved as held */
    uint32_t nm;
    tmap     prof;          /* decayed sum of the documents' vectors */
    double   pnorm;         /* |prof x idf| when computed at pnorm_at documents */
    uint64_t pnorm_at;
    bool     pstale;        /* prof changed since pnorm */
    uint64_t touched;       /* sequence number of the last change */
    uint64_t epoch;         /* batch of the last change */
    uint32_t joins;         /* since the last split check */
    bool     dirty;         /* changed since the last flush */
    double   coh;           /* mean similarity of the members (cohesion()) */
    bool     coh_ok;        /* coh is for the members held now (a cache, not
                               state: it follows from them exactly) */
} story;

typedef struct cand {
    story  *s;
    double  score, link, prof, tf;
    int64_t nearest;
} cand;

struct sr_clusterer {
    sr_cluster_opts o;
    dfmap    df;
    uint64_t ndocs;
    int64_t  next_id;
    int64_t  tmax;          /* newest document time seen */
    int64_t  resident_from; /* every stored dated story whose last time is
                               at least this is in memory */
    uint64_t seq, epoch;
    story  **act;
    size_t   nact, capact;
    term_w  *doc;           /* the current document, sorted by term */
    float   *docidf;        /* the IDF of each of its terms */
    size_t   ndoc, capdoc, capidf;
    cand     cands[MAX_CANDIDATES];
    size_t   ncands;
    int64_t *moved;         /* documents moved by the last split */
    size_t   nmoved, capmoved;
    float    sim[MAX_MEMBERS * MAX_MEMBERS];
};

static double idf(const sr_clusterer *c, uint64_t term)
{
    return log((double)(c->ndocs + 1) / (double)(dfmap_get(&c->df, term) + 1)) + 1.0;
}

/* How much a term looks like a name (0..1; 0.3 when nothing is known). */
static double name_likeness(const sr_clusterer *c, uint64_t term)
{
    double cased = dfmap_get(&c->df, term ^ SALT_CASED);
    double cap = dfmap_get(&c->df, term ^ SALT_CAPITAL);
    return (cap + 0.6) / (cased + 2.0);
}

/* ---- vectors ------------------------------------------------------------- */

static int cmp_term(const void *a, const void *b)
{
    uint64_t x = ((const term_w *)a)->t, y = ((const term_w *)b)->t;
    return x < y ? -1 : x > y;
}

static int cmp_weight_desc(const void *a, const void *b)
{
    float x = ((const term_w *)a)->w, y = ((const term_w *)b)->w;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Dot product of two term-sorted vectors. */
static double dot(const term_w *a, size_t na, const term_w *b, size_t nb)
{
    size_t i = 0, j = 0;
    double s = 0;
    while (i < na && j < nb) {
        if (a[i].t == b[j].t)
            s += (double)a[i++].w * b[j++].w;
        else if (a[i].t < b[j].t)
            i++;
        else
            j++;
    }
    return s;
}

/* How near in time two reports are: 2^-(d / time_scale)^2 for times a and
 * b (1 if either is unknown).  Flat within a few hours, a half at
 * time_scale, then falling away: a sixteenth a day apart at half a day's
 * scale, nothing two days apart.  The tail is what matters.  A heavy one
 * (1 / (1 + x^2) counted a fifth a day on) let a near-identical headline a
 * day later join on its words alone, and the next day's "Business
 * Highlights" column, or the next day's developments in a recall, became
 * one story with the day before's. */
static double closeness(const sr_clusterer *c, int64_t a, int64_t b)
{
    if (a == SR_TIME_UNKNOWN || b == SR_TIME_UNKNOWN || c->o.time_scale <= 0)
        return 1.0;
    double x = (double)(a > b ? a - b : b - a) / (double)c->o.time_scale;
    return exp(-0.6931471805599453 * x * x);
}

/* How near in time a document at t is to story s: its closeness to the
 * nearest of the recent members.  A story is alive where its latest (or
 * earliest) report is: a follow-up the next morning is near the last
 * report of the evening before, however many came the morning before
 * that.  (A late report that bridges two happenings cannot carry the
 * second one in by its time alone: what joins still has to share a word
 * the story is about, shares_core().) */
static double time_factor(const sr_clusterer *c, const story *s, int64_t t)
{
    if (t == SR_TIME_UNKNOWN || s->nm == 0)
        return 1.0;
    double best = 0;
    for (uint32_t i = 0; i < s->nm; i++) {
        double x = closeness(c, t, s->m[i].time);
        if (x > best)
            best = x;
    }
    return best;
}

/* ---- stories ------------------------------------------------------------- */

static void member_free(member *m)
{
    free(m->v);
    memset(m, 0, sizeof *m);
}

static void story_free(story *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->nm; i++)
        member_free(&s->m[i]);
    tmap_free(&s->prof);
    free(s);
}

static story *story_new(sr_clusterer *c, int64_t id)
{
    if (sr_grow((void **)&c->act, &c->capact, c->nact + 1, sizeof *c->act) != SR_OK)
        return NULL;
    story *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->id = id;
    s->first = s->last = SR_TIME_UNKNOWN;
    s->epoch = c->epoch;
    c->act[c->nact++] = s;
    return s;
}

static story *find_story(sr_clusterer *c, int64_t id)
{
    for (size_t i = 0; i < c->nact; i++)
        if (c->act[i]->id == id)
            return c->act[i];
    return NULL;
}

static void drop_story(sr_clusterer *c, story *s)
{
    for (size_t k = 0; k < c->nact; k++)
        if (c->act[k] == s) {
            c->act[k] = c->act[--c->nact];
            break;
        }
    story_free(s);
}

/* |profile x idf|: IDF drifts slowly, so it is recomputed when the profile
 * changed or the collection grew by 5% since. */
static double profile_norm(sr_clusterer *c, story *s)
{
    if (!s->pstale && s->pnorm > 0 && c->ndocs < s->pnorm_at + s->pnorm_at / 20 + 1)
        return s->pnorm;
    double sum = 0;
    for (size_t i = 0; i < s->prof.cap; i++) {
        if (!s->prof.key[i])
            continue;
        double x = s->prof.val[i] * idf(c, s->prof.key[i]);
        sum += x * x;
    }
    s->pnorm = sqrt(sum);
    s->pnorm_at = c->ndocs;
    s->pstale = false;
    s->dirty = true;   /* the cache is state: a restored story must have it too */
    return s->pnorm;
}

/* Keep the heaviest max_terms profile terms once it has twice as many. */
static sr_err prune_profile(sr_clusterer *c, story *s)
{
    if (s->prof.n <= 2 * c->o.max_terms)
        return SR_OK;
    term_w *all = sr_malloc_array(s->prof.n, sizeof *all);
    if (!all)
        return SR_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < s->prof.cap; i++)
        if (s->prof.key[i])
            all[n++] = (term_w){ s->prof.key[i], s->prof.val[i], 0 };
    qsort(all, n, sizeof *all, cmp_weight_desc);
    tmap fresh = {0};
    sr_err e = tmap_reserve(&fresh, c->o.max_terms);
    for (size_t i = 0; !e && i < c->o.max_terms && i < n; i++)
        e = tmap_add(&fresh, all[i].t, all[i].w);
    free(all);
    if (e) {
        tmap_free(&fresh);
        return e;
    }
    tmap_free(&s->prof);
    s->prof = fresh;
    s->pstale = true;   /* (restoring with a smaller max_terms prunes too) */
    return SR_OK;
}

/* profile = decay x profile + v */
static sr_err profile_add(sr_clusterer *c, story *s, const term_w *v, size_t n)
{
    if (c->o.profile_decay > 0 && c->o.profile_decay < 1)
        for (size_t i = 0; i < s->prof.cap; i++)
            s->prof.val[i] *= (float)c->o.profile_decay;
    for (size_t i = 0; i < n; i++)
        if (tmap_add(&s->prof, v[i].t, v[i].w) != SR_OK)
            return SR_ENOMEM;
    s->pstale = true;
    return prune_profile(c, s);
}

static void touch(sr_clusterer *c, story *s, int64_t time)
{
    s->dirty = true;
    s->touched = ++c->seq;
    s->epoch = c->epoch;
    if (time != SR_TIME_UNKNOWN) {
        if (s->first == SR_TIME_UNKNOWN || time < s->first)
            s->first = time;
        if (s->last == SR_TIME_UNKNOWN || time > s->last)
            s->last = time;
    }
}

/* Remember a member (taking its vector), forgetting the oldest when full:
 * the new one takes its place. */
static void story_remember(sr_clusterer *c, story *s, member *m)
{
    s->coh_ok = false;
    if (s->nm < c->o.members) {
        s->m[s->nm++] = *m;
    } else {
        uint32_t o = 0;
        for (uint32_t i = 1; i < s->nm; i++)
            if (s->m[i].seq < s->m[o].seq)
                o = i;
        member_free(&s->m[o]);
        s->m[o] = *m;
    }
    memset(m, 0, sizeof *m);
}

/* The current document as a member: its heaviest member_terms terms. */
static sr_err doc_member(sr_clusterer *c, int64_t doc, int64_t time, member *m)
{
    memset(m, 0, sizeof *m);
    size_t n = c->ndoc;
    m->doc = doc;
    m->time = time;
    m->seq = c->seq;
    if (n == 0)
        return SR_OK;
    m->v = sr_malloc_array(n, sizeof *m->v);
    if (!m->v)
        return SR_ENOMEM;
    memcpy(m->v, c->doc, n * sizeof *m->v);
    for (size_t i = 0; i < n; i++)
        m->v[i].pair = 0;   /* (stored vectors do not know; restored ones neither) */
    if (n > c->o.member_terms) {
        qsort(m->v, n, sizeof *m->v, cmp_weight_desc);
        n = c->o.member_terms;
        qsort(m->v, n, sizeof *m->v, cmp_term);
    }
    m->n = (uint32_t)n;
    return SR_OK;
}

/* ---- scoring ------------------------------------------------------------- */

/* Mean of the k largest of x[0..n) (reorders x). */
static double top_mean(float *x, size_t n, size_t k)
{
    if (n == 0)
        return 0;
    if (k > n)
        k = n;
    double s = 0;
    for (size_t i = 0; i < k; i++) {
        size_t b = i;
        for (size_t j = i + 1; j < n; j++)
            if (x[j] > x[b])
                b = j;
        float t = x[i];
        x[i] = x[b];
        x[b] = t;
        s += x[i];
    }
    return s / (double)k;
}

/* How well s's recent members hang together: their mean similarity,
 * cosine x closeness in time, as the splitter measures it. */
static double cohesion(const sr_clusterer *c, story *s)
{
    if (s->coh_ok)
        return s->coh;
    double sum = 0;
    for (uint32_t i = 0; i < s->nm; i++)
        for (uint32_t j = i + 1; j < s->nm; j++)
            sum += dot(s->m[i].v, s->m[i].n, s->m[j].v, s->m[j].n) *
                   closeness(c, s->m[i].time, s->m[j].time);
    s->coh = s->nm > 1 ? sum / ((double)s->nm * (s->nm - 1) / 2) : 0;
    s->coh_ok = true;
    return s->coh;
}

/* Would the current document, sharing a single word with s, make it two?
 * Its mean similarity to the recent members is at most a quarter of
 * theirs among themselves: the splitter's test of two halves (cross x 4
 * <= the sum of the halves' own), the document a half of its own with no
 * pairs within.  The splitter never sees a half of one document (it needs
 * SPLIT_MIN_GROUP), so the test is made at the door; its absolute bar
 * (split_max) is left out, as one word is not enough to pass on. */
static bool splits_off(const sr_clusterer *c, story *s, int64_t time)
{
    if (s->nm < 2)
        return false;
    double cross = 0;
    for (uint32_t i = 0; i < s->nm; i++)
        cross += dot(c->doc, c->ndoc, s->m[i].v, s->m[i].n) * closeness(c, time, s->m[i].time);
    return cross / s->nm * 4 <= cohesion(c, s);
}

static bool member_has(const member *m, uint64_t t)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->v[mid].t == t)
            return true;
        if (m->v[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Does the document share a word (not a word pair) that at least two,
 * and at least CORE_SHARE, of s's recent members hold?  Those are what the
 * story is about; a report that shares only words one report of it
 * happened to use ("business" in one of four Pershing Square reports, for
 * "Business Highlights") is about something else.  Decided only once s
 * has three members to say what it is about. */
static bool shares_core(const sr_clusterer *c, const story *s)
{
    if (s->nm < 3)
        return true;
    for (size_t i = 0; i < c->ndoc; i++) {
        /* every member's words went into the profile, and only its
         * lightest terms are pruned: a word the profile lacks is not what
         * the story is about, and one probe spares the walk through the
         * members (same stories on the dev file and 300 random halves) */
        if (c->doc[i].pair || !tmap_find(&s->prof, c->doc[i].t))
            continue;
        uint32_t k = 0;
        for (uint32_t j = 0; j < s->nm; j++)
            k += member_has(&s->m[j], c->doc[i].t);
        if (k >= 2 && k >= CORE_SHARE * s->nm)
            return true;
    }
    return false;
}

/* Score the current document against story s. */
static void score_story(sr_clusterer *c, story *s, int64_t time, cand *out)
{
    float sims[MAX_MEMBERS];
    double best = -1;
    out->s = s;
    out->nearest = 0;
    for (uint32_t i = 0; i < s->nm; i++) {
        sims[i] = (float)dot(c->doc, c->ndoc, s->m[i].v, s->m[i].n);
        if (sims[i] > best) {
            best = sims[i];
            out->nearest = s->m[i].doc;
        }
    }
    out->link = top_mean(sims, s->nm, c->o.link_k);
    double pn = profile_norm(c, s), p = 0;
    size_t shared = 0, words = 0;
    if (pn > 0) {
        for (size_t i = 0; i < c->ndoc; i++) {
            const float *w = tmap_find(&s->prof, c->doc[i].t);
            if (w) {
                p += (double)c->doc[i].w * *w * c->docidf[i];
                shared++;
                words += !c->doc[i].pair;
            }
        }
        p /= pn;
    }
    /* one shared word is a coincidence ("Dean Bailey dies" and "DEAN: no
     * apologies"), not a story, until the story has shown what it is about
     * with a few documents; after that it is one while the story's reports
     * hang together far better than the document does with them (the
     * "Death Stars" in Orion and a recall "linked to 13 deaths": one word,
     * and a story of eleven near-identical reports).  Word pairs are no
     * second word: they are made of the words. */
    if ((shared < MIN_SHARED && shared < c->ndoc && s->ndocs < 3) ||
        (words <= 1 && splits_off(c, s, time)) || !shares_core(c, s)) {
        memset(out, 0, sizeof *out);
        out->s = s;
        return;
    }
    out->prof = p;
    out->tf = time_factor(c, s, time);
    double base = (1 - c->o.link_weight) * p + c->o.link_weight * out->link;
    out->score = base * out->tf *
                 (1.0 + c->o.size_prior * log((double)(s->ndocs ? s->ndocs : 1)));
}

/* May a document at `time` be compared with s at all? */
static bool comparable(const sr_clusterer *c, const story *s, int64_t time)
{
    if (time == SR_TIME_UNKNOWN || s->last == SR_TIME_UNKNOWN)
        return s->epoch == c->epoch;   /* undated: only within the batch */
    int64_t d = time > s->last ? time - s->last : time < s->first ? s->first - time : 0;
    return d <= c->o.window;
}

/* ---- merging ------------------------------------------------------------- */

/* Would a and b, merged, be cut apart again by the splitter?  Their recent
 * members' similarity (cosine x closeness in time) across the two is below
 * split_max and at most half the mean of theirs within.  Undecided (false) while
 * either has fewer than SPLIT_MIN_GROUP members. */
static bool bimodal(sr_clusterer *c, const story *a, const story *b)
{
    if (c->o.split_max <= 0 || a->nm < SPLIT_MIN_GROUP || b->nm < SPLIT_MIN_GROUP)
        return false;
    double cross = 0, within[2] = {0, 0};
    const story *st[2] = { a, b };
    for (uint32_t i = 0; i < a->nm; i++)
        for (uint32_t j = 0; j < b->nm; j++)
            cross += dot(a->m[i].v, a->m[i].n, b->m[j].v, b->m[j].n) *
                     closeness(c, a->m[i].time, b->m[j].time);
    cross /= (double)a->nm * b->nm;
    if (cross >= c->o.split_max)
        return false;
    for (int k = 0; k < 2; k++) {
        const story *x = st[k];
        for (uint32_t i = 0; i < x->nm; i++)
            for (uint32_t j = i + 1; j < x->nm; j++)
                within[k] += dot(x->m[i].v, x->m[i].n, x->m[j].v, x->m[j].n) *
                             closeness(c, x->m[i].time, x->m[j].time);
        within[k] /= (double)x->nm * (x->nm - 1) / 2;
    }
    return cross * 4 <= within[0] + within[1];
}

/* How alike two stories are: their profiles' cosine (IDF-weighted as a
 * document's is) times the mean closeness in time of their recent members. */
static double story_score(sr_clusterer *c, story *a, story *b)
{
    double na = profile_norm(c, a), nb = profile_norm(c, b), p = 0;
    if (na <= 0 || nb <= 0)
        return 0;
    const story *small = a->prof.n <= b->prof.n ? a : b, *big = small == a ? b : a;
    for (size_t i = 0; i < small->prof.cap; i++) {
        if (!small->prof.key[i])
            continue;
        const float *w = tmap_find(&big->prof, small->prof.key[i]);
        if (w) {
            double x = idf(c, small->prof.key[i]);
            p += (double)small->prof.val[i] * *w * x * x;
        }
    }
    p /= na * nb;
    double tf = 0;
    for (uint32_t i = 0; i < a->nm; i++)
        for (uint32_t j = 0; j < b->nm; j++)
            tf += closeness(c, a->m[i].time, b->m[j].time);
    tf = a->nm && b->nm ? tf / (a->nm * b->nm) : 1.0;
    /* a merge rewrites two stories into one: stories whose recent reports
     * are more than a time scale apart on the whole are two news cycles,
     * and the splitter would cut them apart again */
    if (tf < 0.5)
        return 0;
    if (p * tf >= c->o.merge_min && bimodal(c, a, b))
        return 0;
    return p * tf;
}

static int cmp_member_seq_desc(const void *a, const void *b)
{
    uint64_t x = ((const member *)a)->seq, y = ((const member *)b)->seq;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Fold b into a: profiles add, the newest members of both are remembered. */
static sr_err story_absorb(sr_clusterer *c, story *a, story *b)
{
    member all[2 * MAX_MEMBERS];
    uint32_t n = 0;
    for (uint32_t i = 0; i < a->nm; i++)
        all[n++] = a->m[i];
    for (uint32_t i = 0; i < b->nm; i++)
        all[n++] = b->m[i];
    qsort(all, n, sizeof *all, cmp_member_seq_desc);
    uint32_t keep = n < c->o.members ? n : (uint32_t)c->o.members;
    for (uint32_t i = keep; i < n; i++)
        member_free(&all[i]);
    memcpy(a->m, all, keep * sizeof *all);
    a->nm = keep;
    a->coh_ok = false;
    b->nm = 0;
    for (size_t i = 0; i < b->prof.cap; i++)
        if (b->prof.key[i] && tmap_add(&a->prof, b->prof.key[i], b->prof.val[i]) != SR_OK)
            return SR_ENOMEM;
    a->pstale = true;
    a->ndocs += b->ndocs;
    if (b->first != SR_TIME_UNKNOWN)
        touch(c, a, b->first);
    if (b->last != SR_TIME_UNKNOWN)
        touch(c, a, b->last);
    touch(c, a, SR_TIME_UNKNOWN);
    return prune_profile(c, a);
}

/* ---- splitting ----------------------------------------------------------- */

/* Cut s's members in two; if the halves are two happenings, the newer half
 * becomes a new story (*out). */
static sr_err maybe_split(sr_clusterer *c, story *s, story **out)
{
    *out = NULL;
    uint32_t n = s->nm;
    if (c->o.split_max <= 0 || n < 2 * SPLIT_MIN_GROUP)
        return SR_OK;
    float *S = c->sim;
    for (uint32_t i = 0; i < n; i++) {
        S[i * n + i] = 1;
        for (uint32_t j = i + 1; j < n; j++)
            S[i * n + j] = S[j * n + i] =
                (float)(dot(s->m[i].v, s->m[i].n, s->m[j].v, s->m[j].n) *
                        closeness(c, s->m[i].time, s->m[j].time));
    }
    /* seeds: the least similar pair; then members go to the closer medoid,
     * and each medoid moves to the member closest to the rest of its half */
    uint32_t a = 0, b = 1;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++)
            if (S[i * n + j] < S[a * n + b]) {
                a = i;
                b = j;
            }
    unsigned char g[MAX_MEMBERS];
    for (int iter = 0; iter < 6; iter++) {
        for (uint32_t i = 0; i < n; i++)
            g[i] = S[i * n + b] > S[i * n + a];
        uint32_t med[2] = { a, b };
        for (int k = 0; k < 2; k++) {
            double bestsum = -1;
            for (uint32_t i = 0; i < n; i++) {
                if (g[i] != k)
                    continue;
                double sum = 0;
                for (uint32_t j = 0; j < n; j++)
                    if (g[j] == k)
                        sum += S[i * n + j];
                if (sum > bestsum) {
                    bestsum = sum;
                    med[k] = i;
                }
            }
        }
        if (med[0] == a && med[1] == b)
            break;
        a = med[0];
        b = med[1];
    }
    double within[2] = {0, 0}, cross = 0, seqsum[2] = {0, 0};
    size_t cnt[2] = {0, 0}, pairs[2] = {0, 0}, ncross = 0;
    for (uint32_t i = 0; i < n; i++) {
        cnt[g[i]]++;
        seqsum[g[i]] += (double)s->m[i].seq;
        for (uint32_t j = i + 1; j < n; j++) {
            if (g[i] == g[j]) {
                within[g[i]] += S[i * n + j];
                pairs[g[i]]++;
            } else {
                cross += S[i * n + j];
                ncross++;
            }
        }
    }
    if (cnt[0] < SPLIT_MIN_GROUP || cnt[1] < SPLIT_MIN_GROUP)
        return SR_OK;
    cross /= (double)ncross;
    double w0 = within[0] / (double)pairs[0], w1 = within[1] / (double)pairs[1];
    if (cross >= c->o.split_max || cross * 4 > w0 + w1)
        return SR_OK;
    /* the newer half leaves, with the profile of its members */
    int leave = seqsum[1] / (double)cnt[1] > seqsum[0] / (double)cnt[0];
    story *t = story_new(c, c->next_id++);
    if (!t)
        return SR_ENOMEM;
    c->nmoved = 0;
    uint32_t keep = 0;
    for (uint32_t i = 0; i < n; i++) {
        member *m = &s->m[i];
        if (g[i] != leave) {
            s->m[keep++] = *m;
            continue;
        }
        if (m->doc) {
            if (sr_grow((void **)&c->moved, &c->capmoved, c->nmoved + 1, sizeof *c->moved))
                return SR_ENOMEM;
            c->moved[c->nmoved++] = m->doc;
        }
        /* what left no longer speaks for the old story */
        for (uint32_t j = 0; j < m->n; j++) {
            float *w = tmap_find_mut(&s->prof, m->v[j].t);
            if (w)
                *w = *w > m->v[j].w ? *w - m->v[j].w : 0;
        }
        if (profile_add(c, t, m->v, m->n) != SR_OK)
            return SR_ENOMEM;
        t->m[t->nm++] = *m;
        touch(c, t, m->time);
    }
    s->nm = keep;
    s->pstale = true;
    s->coh_ok = t->coh_ok = false;
    t->ndocs = t->nm;
    s->ndocs = s->ndocs > t->nm ? s->ndocs - t->nm : s->nm;
    touch(c, s, SR_TIME_UNKNOWN);
    *out = t;
    return SR_OK;
}

/* ---- the public interface ------------------------------------------------ */

sr_clusterer *sr_clusterer_new(const sr_cluster_opts *opts)
{
    sr_clusterer *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    sr_cluster_opts d = SR_CLUSTER_DEFAULTS;
    c->o = opts ? *opts : d;
    if (c->o.members < 1)
        c->o.members = 1;
    if (c->o.members > MAX_MEMBERS)
        c->o.members = MAX_MEMBERS;
    if (c->o.member_terms < 8)
        c->o.member_terms = 8;
    if (c->o.max_terms < 16)
        c->o.max_terms = 16;
    if (c->o.link_k < 1)
        c->o.link_k = 1;
    if (c->o.max_active < 1)
        c->o.max_active = 1;
    c->next_id = 1;
    c->tmax = SR_TIME_UNKNOWN;
    c->resident_from = INT64_MIN;   /* nothing stored yet, all in memory */
    c->epoch = 1;
    return c;
}

void sr_clusterer_free(sr_clusterer *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nact; i++)
        story_free(c->act[i]);
    free(c->act);
    dfmap_free(&c->df);
    free(c->doc);
    free(c->docidf);
    free(c->moved);
    free(c);
}

/* Count the document and build its unit vector, sorted by term. */
static sr_err build_doc(sr_clusterer *c, const sr_story_terms *t)
{
    c->ndocs++;
    for (size_t i = 0; i < t->n; i++) {
        if (dfmap_add(&c->df, t->term[i], 0, 1) != SR_OK)
            return SR_ENOMEM;
        uint8_t f = t->flags ? t->flags[i] : 0;
        if ((f & SR_TERM_CASED) && dfmap_add(&c->df, t->term[i] ^ SALT_CASED, 0, 1) != SR_OK)
            return SR_ENOMEM;
        if ((f & SR_TERM_CAPITAL) && dfmap_add(&c->df, t->term[i] ^ SALT_CAPITAL, 0, 1) != SR_OK)
            return SR_ENOMEM;
    }
    if (sr_grow((void **)&c->doc, &c->capdoc, t->n + 1, sizeof *c->doc) != SR_OK ||
        sr_grow((void **)&c->docidf, &c->capidf, t->n + 1, sizeof *c->docidf) != SR_OK)
        return SR_ENOMEM;
    double norm = 0;
    for (size_t i = 0; i < t->n; i++) {
        c->doc[i].t = t->term[i];
        c->doc[i].pair = t->flags && (t->flags[i] & SR_TERM_PAIR);
        c->doc[i].w = (float)(t->weight[i] * idf(c, t->term[i]) *
                              (1.0 + c->o.ent_weight * name_likeness(c, t->term[i])));
        norm += (double)c->doc[i].w * c->doc[i].w;
    }
    c->ndoc = t->n;
    norm = sqrt(norm);
    for (size_t i = 0; i < c->ndoc && norm > 0; i++)
        c->doc[i].w = (float)(c->doc[i].w / norm);
    qsort(c->doc, c->ndoc, sizeof *c->doc, cmp_term);
    for (size_t i = 0; i < c->ndoc; i++)
        c->docidf[i] = (float)idf(c, c->doc[i].t);
    return SR_OK;
}

/* Does story s hold one of the document's heaviest terms?  (A story that
 * shares none cannot be close.) */
static bool shares_top_term(const sr_clusterer *c, const story *s, const size_t *top, size_t ntop)
{
    for (size_t j = 0; j < ntop; j++)
        if (tmap_find(&s->prof, c->doc[top[j]].t))
            return true;
    return false;
}

/* Does x score above y?  Equal scores go to the older story: the stories
 * are met in whatever order memory holds them, and that order is not what
 * decides. */
static bool outscores(const cand *x, const cand *y)
{
    if (x->score != y->score)
        return x->score > y->score;
    return y->s && (!x->s || x->s->id < y->s->id);
}

static void keep_candidate(sr_clusterer *c, const cand *x)
{
    if (c->ncands < MAX_CANDIDATES) {
        c->cands[c->ncands++] = *x;
        return;
    }
    size_t w = 0;   /* full: replace the weakest */
    for (size_t j = 1; j < c->ncands; j++)
        if (outscores(&c->cands[w], &c->cands[j]))
            w = j;
    if (outscores(x, &c->cands[w]))
        c->cands[w] = *x;
}

/* Do two stories claim the document on different grounds?  The runner-up
 * could take it on its own (it scores at least assign_min) and scores at
 * least half as well as the best; each of the two holds a part of the
 * document that the other lacks, at least as heavy as the part both hold
 * (parts weighed as shares of the document's unit vector); and the two are
 * not one story (they would not merge).  Such a document is about both
 * ("Bieber springs surprise at South by Southwest" beside a South by
 * Southwest story and a Bieber one) and joining either makes that one
 * mixed, so it opens a story of its own: the reports that follow decide
 * what it was, as merges still may.  Where the runner-up holds the same
 * words, it is another piece of one story, which the merge step is for. */
static bool claimed_twice(sr_clusterer *c, const cand *best)
{
    const cand *sec = NULL;
    for (size_t k = 0; k < c->ncands; k++)
        if (c->cands[k].s != best->s && (!sec || outscores(&c->cands[k], sec)))
            sec = &c->cands[k];
    if (!sec || sec->score < c->o.assign_min || 2 * sec->score < best->score)
        return false;
    double only_best = 0, only_sec = 0, both = 0;
    for (size_t i = 0; i < c->ndoc; i++) {
        bool a = tmap_find(&best->s->prof, c->doc[i].t) != NULL;
        bool b = tmap_find(&sec->s->prof, c->doc[i].t) != NULL;
        double w = (double)c->doc[i].w * c->doc[i].w;
        if (a && b)
            both += w;
        else if (a)
            only_best += w;
        else if (b)
            only_sec += w;
    }
    return only_best >= both && only_sec >= both &&
           story_score(c, best->s, sec->s) < c->o.merge_min;
}

static int cmp_cand_id(const void *a, const void *b)
{
    int64_t x = ((const cand *)a)->s->id, y = ((const cand *)b)->s->id;
    return x < y ? -1 : x > y;
}

sr_err sr_clusterer_add(sr_clusterer *c, const sr_story_terms *t, int64_t time,
                        int64_t doc, int64_t force_story, sr_cluster_result *out)
{
    memset(out, 0, sizeof *out);
    c->seq++;
    c->nmoved = 0;
    c->ncands = 0;
    if (time != SR_TIME_UNKNOWN && (c->tmax == SR_TIME_UNKNOWN || time > c->tmax))
        c->tmax = time;
    if (build_doc(c, t) != SR_OK)
        return SR_ENOMEM;

    story *best = NULL;
    if (force_story > 0) {
        best = find_story(c, force_story);
        if (!best) {
            /* the original's story is no longer active: bring it back; it
             * grows again from this copy */
            best = story_new(c, force_story);
            if (!best)
                return SR_ENOMEM;
            if (force_story >= c->next_id)
                c->next_id = force_story + 1;
        }
    } else if (c->ndoc > 0) {
        size_t top[TOP_TERMS], ntop = 0;
        for (size_t i = 0; i < c->ndoc; i++) {
            size_t at = ntop < TOP_TERMS ? ntop++ : TOP_TERMS;
            while (at > 0 && c->doc[top[at - 1]].w < c->doc[i].w) {
                if (at < TOP_TERMS)
                    top[at] = top[at - 1];
                at--;
            }
            if (at < TOP_TERMS)
                top[at] = i;
        }
        cand bc = {0};
        for (size_t k = 0; k < c->nact; k++) {
            story *s = c->act[k];
            if (!comparable(c, s, time) || !shares_top_term(c, s, top, ntop))
                continue;
            cand x;
            score_story(c, s, time, &x);
            if (outscores(&x, &bc))
                bc = x;
            if (x.score >= MERGE_PROBE * c->o.assign_min)
                keep_candidate(c, &x);
        }
        if (bc.s && bc.score >= c->o.assign_min && !claimed_twice(c, &bc)) {
            best = bc.s;
            out->score = bc.score;
            out->link = bc.link;
            out->profile = bc.prof;
            out->time_factor = bc.tf;
            out->nearest = bc.nearest;
        }
    }
    if (!best) {
        best = story_new(c, c->next_id++);
        if (!best)
            return SR_ENOMEM;
        out->is_new = true;
    }
    /* a near-copy adds nothing to what its story is about: it is counted,
     * not remembered (ten copies of a wire text would otherwise crowd out
     * the story's other reports) */
    if (!force_story || best->nm == 0) {
        member m;
        if (doc_member(c, doc, time, &m) != SR_OK)
            return SR_ENOMEM;
        if (profile_add(c, best, c->doc, c->ndoc) != SR_OK) {
            member_free(&m);
            return SR_ENOMEM;
        }
        story_remember(c, best, &m);
    }
    best->ndocs++;
    best->joins++;
    touch(c, best, time);
    out->story = best->id;

    /* merging: a document that fits two stories may show they are one
     * (tried oldest story first, whatever the order in memory) */
    qsort(c->cands, c->ncands, sizeof *c->cands, cmp_cand_id);
    for (size_t k = 0; k < c->ncands && out->nmerged < 8 && !force_story && !out->is_new; k++) {
        story *s = c->cands[k].s;
        if (s == best || !s)
            continue;
        if (story_score(c, best, s) < c->o.merge_min)
            continue;
        /* the older story keeps its id: ids handed out for it are the ones
         * most likely in use */
        story *into = best, *from = s;
        if (s->id < best->id) {
            into = s;
            from = best;
        }
        if (story_absorb(c, into, from) != SR_OK)
            return SR_ENOMEM;
        out->merged[out->nmerged++] = from->id;
        for (size_t j = 0; j < c->ncands; j++)
            if (c->cands[j].s == from)
                c->cands[j].s = NULL;
        drop_story(c, from);
        best = into;
        out->story = best->id;
    }

    /* splitting: has the story become two? */
    if (best->joins >= SPLIT_EVERY && !force_story) {
        best->joins = 0;
        story *t2;
        if (maybe_split(c, best, &t2) != SR_OK)
            return SR_ENOMEM;
        if (t2) {
            out->split_from = best->id;
            out->split_into = t2->id;
            out->moved = c->moved;
            out->nmoved = c->nmoved;
            for (size_t i = 0; i < c->nmoved; i++)
                if (doc && c->moved[i] == doc)
                    out->story = t2->id;
        }
    }
    return SR_OK;
}

void sr_clusterer_restore_counts(sr_clusterer *c, uint64_t ndocs, int64_t next_id)
{
    c->ndocs = ndocs;
    if (next_id > c->next_id)
        c->next_id = next_id;
}

sr_err sr_clusterer_restore_df(sr_clusterer *c, uint64_t term, uint32_t df)
{
    return dfmap_add(&c->df, term, df, 0);
}

/*
 * State blob (host byte order; a store is not moved between machines of
 * different byte order):
 *   version 3: u64 magic "SRSTORS3", u64 touched, u32 joins, u32 flags (1:
 *              the cached norm is stale), f64 cached norm, u64 documents
 *              counted when it was computed, u32 profile slots (the hash
 *              table's size), u32 profile terms, that many (u64 term, f32
 *              weight) in slot order from just after the first empty slot,
 *              u32 members, then per member (in the order held, not
 *              sorted: a flush must not change it): i64 doc, i64 time, u64
 *              arrival number, u32 n, n x (u64 term, f32 weight).
 *              Everything a story in memory holds, so that one restored
 *              decides as if it had never left.
 *   version 2: u64 magic "SRSTORS2", u32 profile terms, that many entries,
 *              u32 members, then per member (oldest first): i64 doc, i64
 *              time, u32 n, n x entries.  What it lacks is started afresh:
 *              the norm recomputed, the split counter at 0, the members
 *              numbered in their saved order.
 *   version 1 (sitrep before it): n x (u64 term, f32 weight), a centroid,
 *              restored as the profile of a story with no remembered
 *              documents.
 */
#define ENTRY 12
#define V3_HEAD 48   /* magic .. profile terms */

static sr_err read_entries(const unsigned char *p, size_t len, size_t *off, uint32_t n,
                           tmap *into, term_w *v)
{
    if (n > (len - *off) / ENTRY)
        return SR_EINVAL;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t k;
        float w;
        memcpy(&k, p + *off, 8);
        memcpy(&w, p + *off + 8, 4);
        *off += ENTRY;
        if (!isfinite(w) || w < 0)
            w = 0;
        if (into && tmap_add(into, k, w) != SR_OK)
            return SR_ENOMEM;
        if (v)
            v[i] = (term_w){ k, w, 0 };
    }
    return SR_OK;
}

/* Version 3's header: the story's counters and cache, and the size of
 * the table its profile is put back into. */
static sr_err restore_head(sr_clusterer *c, story *s, const unsigned char *p, size_t len,
                           size_t *off)
{
    uint32_t joins, flags, cap, n;
    uint64_t touched, pnorm_at;
    double pnorm;
    if (len < V3_HEAD)
        return SR_EINVAL;
    memcpy(&touched, p + 8, 8);
    memcpy(&joins, p + 16, 4);
    memcpy(&flags, p + 20, 4);
    memcpy(&pnorm, p + 24, 8);
    memcpy(&pnorm_at, p + 32, 8);
    memcpy(&cap, p + 40, 4);
    memcpy(&n, p + 44, 4);
    *off = V3_HEAD;
    /* the entries are there, and the table is a power of two at most half
     * full and no larger than a profile of them grows (what a malformed
     * blob says is never allocated) */
    if (n > (len - V3_HEAD) / ENTRY || (cap & (cap - 1)) || (uint64_t)n * 2 > cap ||
        cap > 8 * ((size_t)n + 16) || !isfinite(pnorm) || pnorm < 0)
        return SR_EINVAL;
    s->touched = touched;
    s->joins = joins;
    s->pstale = flags & 1;
    s->pnorm = pnorm;
    s->pnorm_at = pnorm_at;
    if (touched > c->seq)
        c->seq = touched;
    return cap ? tmap_init_cap(&s->prof, cap) : SR_OK;
}

static sr_err restore_blob(sr_clusterer *c, story *s, const unsigned char *p, size_t len,
                           int version)
{
    size_t off = 8;
    uint32_t n;
    sr_err e;
    if (version >= 3 && (e = restore_head(c, s, p, len, &off)))
        return e;
    if (version >= 3) {
        memcpy(&n, p + off - 4, 4);
    } else {
        if (len - off < 4)
            return SR_EINVAL;
        memcpy(&n, p + off, 4);
        off += 4;
    }
    if ((e = read_entries(p, len, &off, n, &s->prof, NULL)))
        return e;
    if (len - off < 4)
        return SR_EINVAL;
    uint32_t nm;
    memcpy(&nm, p + off, 4);
    off += 4;
    if (nm > MAX_MEMBERS)
        return SR_EINVAL;
    size_t mhead = version >= 3 ? 28 : 20;
    for (uint32_t k = 0; k < nm; k++) {
        member m = {0};
        if (len - off < mhead)
            return SR_EINVAL;
        memcpy(&m.doc, p + off, 8);
        memcpy(&m.time, p + off + 8, 8);
        if (version >= 3)
            memcpy(&m.seq, p + off + 16, 8);
        else
            m.seq = ++c->seq;         /* saved oldest first: the order holds */
        if (m.seq > c->seq)
            c->seq = m.seq;
        memcpy(&n, p + off + mhead - 4, 4);
        off += mhead;
        if (n > (len - off) / ENTRY)
            return SR_EINVAL;
        m.v = sr_malloc_array(n ? n : 1, sizeof *m.v);
        if (!m.v)
            return SR_ENOMEM;
        if ((e = read_entries(p, len, &off, n, NULL, m.v))) {
            member_free(&m);
            return e;
        }
        qsort(m.v, n, sizeof *m.v, cmp_term);
        if (n > c->o.member_terms) {   /* saved with a larger setting */
            qsort(m.v, n, sizeof *m.v, cmp_weight_desc);
            n = c->o.member_terms;
            qsort(m.v, n, sizeof *m.v, cmp_term);
        }
        m.n = n;
        story_remember(c, s, &m);
    }
    return off == len ? prune_profile(c, s) : SR_EINVAL;
}

sr_err sr_clusterer_restore_story(sr_clusterer *c, int64_t id, int64_t first,
                                  int64_t last, uint32_t ndocs,
                                  const void *blob, size_t len)
{
    uint64_t magic = 0;
    if (len >= 8)
        memcpy(&magic, blob, 8);
    int version = magic == BLOB_MAGIC ? 3 : magic == BLOB_MAGIC2 ? 2 : 1;
    if (version == 1 && len % ENTRY)
        return SR_EINVAL;
    story *s = find_story(c, id);
    if (s)
        drop_story(c, s);   /* restored again: the later state wins */
    s = story_new(c, id);
    if (!s)
        return SR_ENOMEM;
    s->first = first;
    s->last = last;
    s->ndocs = ndocs;
    s->touched = version < 3 ? ++c->seq : 0;   /* version 3 says */
    s->epoch = 0;           /* restored stories belong to no current batch */
    s->pstale = true;
    size_t off = 0;
    sr_err e = version > 1 ? restore_blob(c, s, blob, len, version)
                           : read_entries(blob, len, &off, (uint32_t)(len / ENTRY), &s->prof, NULL);
    if (e) {
        drop_story(c, s);
        return e;
    }
    if (id >= c->next_id)
        c->next_id = id + 1;
    if (last != SR_TIME_UNKNOWN && (c->tmax == SR_TIME_UNKNOWN || last > c->tmax))
        c->tmax = last;
    return SR_OK;
}

void sr_clusterer_restore_seq(sr_clusterer *c, uint64_t seq)
{
    if (seq > c->seq)
        c->seq = seq;
}

void sr_clusterer_restore_resident(sr_clusterer *c, int64_t from)
{
    c->resident_from = from;
}

bool sr_clusterer_missing(const sr_clusterer *c, int64_t time, int64_t *last_from,
                          int64_t *last_to, int64_t *first_to)
{
    /* comparable(): last >= time - window and first <= time + window */
    if (time == SR_TIME_UNKNOWN || c->resident_from == INT64_MIN ||
        time - c->o.window >= c->resident_from)
        return false;
    *last_from = time - c->o.window;
    *last_to = c->resident_from;
    *first_to = time + c->o.window;
    return true;
}

bool sr_clusterer_has_story(const sr_clusterer *c, int64_t id)
{
    for (size_t i = 0; i < c->nact; i++)
        if (c->act[i]->id == id)
            return true;
    return false;
}

const sr_cluster_opts *sr_clusterer_opts(const sr_clusterer *c) { return &c->o; }
uint64_t sr_clusterer_seq(const sr_clusterer *c) { return c->seq; }
uint64_t sr_clusterer_ndocs(const sr_clusterer *c) { return c->ndocs; }
int64_t  sr_clusterer_next_id(const sr_clusterer *c) { return c->next_id; }
size_t   sr_clusterer_df_terms(const sr_clusterer *c) { return c->df.n; }
size_t   sr_clusterer_active(const sr_clusterer *c) { return c->nact; }

int sr_clusterer_flush_df(sr_clusterer *c, sr_df_fn fn, void *ctx)
{
    for (size_t i = 0; i < c->df.cap; i++) {
        if (!c->df.key[i] || !c->df.delta[i])
            continue;
        int rc = fn(c->df.key[i], c->df.delta[i], ctx);
        if (rc)
            return rc;
        c->df.delta[i] = 0;
    }
    return 0;
}

static int cmp_touched(const void *a, const void *b)
{
    uint64_t x = (*(story *const *)a)->touched, y = (*(story *const *)b)->touched;
    return x < y ? 1 : x > y ? -1 : 0;
}

static sr_err put_entry(sr_buf *b, uint64_t t, float w)
{
    return sr_buf_append(b, &t, 8) || sr_buf_append(b, &w, 4) ? SR_ENOMEM : SR_OK;
}

/* The story as a version-3 blob (see above). */
static sr_err story_blob(const story *s, sr_buf *b)
{
    uint64_t magic = BLOB_MAGIC;
    uint32_t flags = s->pstale ? 1 : 0, cap = (uint32_t)s->prof.cap, n = (uint32_t)s->prof.n;
    sr_buf_reset(b);
    if (sr_buf_append(b, &magic, 8) || sr_buf_append(b, &s->touched, 8) ||
        sr_buf_append(b, &s->joins, 4) || sr_buf_append(b, &flags, 4) ||
        sr_buf_append(b, &s->pnorm, 8) || sr_buf_append(b, &s->pnorm_at, 8) ||
        sr_buf_append(b, &cap, 4) || sr_buf_append(b, &n, 4))
        return SR_ENOMEM;
    /* slot order from an empty slot on: put back in this order into a table
     * of this size, every entry lands in the slot it has now */
    size_t start = tmap_first_free(&s->prof);
    for (size_t k = 1; k <= s->prof.cap; k++) {
        size_t i = (start + k) & (s->prof.cap - 1);
        if (s->prof.key[i] && put_entry(b, s->prof.key[i], s->prof.val[i]))
            return SR_ENOMEM;
    }
    if (sr_buf_append(b, &s->nm, 4))
        return SR_ENOMEM;
    for (uint32_t i = 0; i < s->nm; i++) {   /* in the order held */
        const member *m = &s->m[i];
        if (sr_buf_append(b, &m->doc, 8) || sr_buf_append(b, &m->time, 8) ||
            sr_buf_append(b, &m->seq, 8) || sr_buf_append(b, &m->n, 4))
            return SR_ENOMEM;
        for (uint32_t j = 0; j < m->n; j++)
            if (put_entry(b, m->v[j].t, m->v[j].w))
                return SR_ENOMEM;
    }
    return SR_OK;
}

int sr_clusterer_flush_stories(sr_clusterer *c, sr_story_state_fn fn, void *ctx)
{
    sr_buf blob = SR_BUF_INIT(0);
    int rc = 0;
    for (size_t k = 0; k < c->nact; k++) {
        story *s = c->act[k];
        if (!s->dirty)
            continue;
        if (story_blob(s, &blob) != SR_OK) {
            rc = SR_ENOMEM;
            goto out;
        }
        rc = fn(s->id, s->first, s->last, s->ndocs, blob.p, blob.len, ctx);
        if (rc)
            goto out;
        s->dirty = false;
    }
    /* the batch ends: idle stories leave, and so do stories with no dated
     * document (only their own batch could join them); then the least
     * recently touched beyond the cap.  What leaves is as stored, and
     * resident_from says from where on nothing has left. */
    int64_t idle_before = c->tmax == SR_TIME_UNKNOWN ? INT64_MIN : c->tmax - c->o.window;
    if (idle_before > c->resident_from)
        c->resident_from = idle_before;
    for (size_t k = 0; k < c->nact; k++) {
        story *s = c->act[k];
        if (s->last == SR_TIME_UNKNOWN || s->last < idle_before) {
            story_free(s);
            c->act[k--] = c->act[--c->nact];
        }
    }
    if (c->nact > c->o.max_active) {
        qsort(c->act, c->nact, sizeof *c->act, cmp_touched);
        while (c->nact > c->o.max_active) {
            story *s = c->act[--c->nact];
            if (s->last != SR_TIME_UNKNOWN && s->last >= c->resident_from)
                c->resident_from = s->last + 1;
            story_free(s);
        }
    }
    c->epoch++;
out:
    sr_buf_free(&blob);
    return rc;
}
