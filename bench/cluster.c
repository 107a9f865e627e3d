/*
 * bench/cluster.c - story clustering quality and speed on real headlines
 * (see cluster_eval.h for the data, the metrics and the cross-validation).
 *
 * Prints, for FILE.csv:
 *   - the two cross-validation folds (settings chosen on one half of the
 *     gold stories, scored on the other) and their pairwise and B-cubed
 *     P/R/F1, with the settings each training half chose;
 *   - the whole file with the shipped defaults, and again without times;
 *   - the largest stories found, with their purity;
 *   - the speed: headlines/s of clustering per core (CPU time), with the
 *     term bags alone timed in the same run as the reference.
 *
 * usage: bench_cluster [--quick | --tune | --halves N] [--min-f1 F] FILE.csv
 *   --quick   skip the cross-validation
 *   --cv-halves  the cross-validation on N pseudo-random splits of the
 *             gold stories in two, then exit
 *   --halves  the defaults on N pseudo-random halves of the gold stories
 *             (how settings hold on files they were not fitted to), then
 *             exit
 *   --tune    the grid over the whole file, best settings first (how the
 *             shipped defaults were chosen), then exit
 *   --min-f1  exit 1 if a test fold's pairwise or B-cubed F1 (or the whole
 *             file's, with --quick) is below F
 * Environment (exploring only; the figures above use the defaults):
 * SITREP_CLUSTER_ASSIGN, _MERGE, _SPLIT, _LINK, _LINKK, _PRIOR, _MEMBERS,
 * _TSCALE override a default; SITREP_CLUSTER_DUMP=1 writes story, gold
 * story, headline to stderr for the whole-file run (=10, =11: for fold 0
 * or 1 with the defaults instead), and with SITREP_CLUSTER_TRACE=1 each
 * headline's decision as it came (story, score, nearest, merges, splits);
 * SITREP_CLUSTER_HALVES_DUMP=1 dumps every --halves run and every
 * --cv-halves test half with a mixed story, each after a "#run" line.
 */
#include "cluster_eval.h"

static void env_double(const char *name, double *v)
{
    const char *e = getenv(name);
    if (e && *e)
        *v = strtod(e, NULL);
}

static void print_scores(const char *label, const cluster_scores *s)
{
    printf("%-16s %5zu %4zu %5zu | %.3f %.3f %.3f | %.3f %.3f %.3f | %zu impure, split <= %zu\n",
           label, s->headlines, s->gold_stories, s->stories, s->p, s->r, s->f1, s->bp, s->br,
           s->bf1, s->impure, s->max_split);
    if (s->impure) {
        printf("%-16s impure (headlines at purity):", "");
        for (size_t k = 0; k < s->impure && k < 8; k++)
            printf(" %zu at %.2f", s->impure_size[k], s->impure_purity[k]);
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    bool quick = false, tune = false;
    int halves = 0, cvs = 0;
    int ai = 1;
    double min_f1 = 0;
    for (; ai < argc && argv[ai][0] == '-' && argv[ai][1] == '-'; ai++) {
        if (strcmp(argv[ai], "--quick") == 0)
            quick = true;
        else if (strcmp(argv[ai], "--tune") == 0)
            tune = true;
        else if (strcmp(argv[ai], "--cv-halves") == 0 && ai + 1 < argc)
            cvs = atoi(argv[++ai]);
        else if (strcmp(argv[ai], "--halves") == 0 && ai + 1 < argc)
            halves = atoi(argv[++ai]);
        else if (strcmp(argv[ai], "--min-f1") == 0 && ai + 1 < argc)
            min_f1 = strtod(argv[++ai], NULL);
        else
            break;
    }
    if (ai >= argc) {
        fprintf(stderr, "usage: bench_cluster [--quick] FILE.csv\n");
        return 2;
    }
    sr_cluster_opts co = SR_CLUSTER_DEFAULTS;
    double x;
    x = co.link_k; env_double("SITREP_CLUSTER_LINKK", &x); co.link_k = (unsigned)x;
    x = co.members; env_double("SITREP_CLUSTER_MEMBERS", &x); co.members = (unsigned)x;
    x = (double)co.time_scale; env_double("SITREP_CLUSTER_TSCALE", &x); co.time_scale = (int64_t)x;
    env_double("SITREP_CLUSTER_ASSIGN", &co.assign_min);
    env_double("SITREP_CLUSTER_MERGE", &co.merge_min);
    env_double("SITREP_CLUSTER_SPLIT", &co.split_max);
    env_double("SITREP_CLUSTER_LINK", &co.link_weight);
    env_double("SITREP_CLUSTER_PRIOR", &co.size_prior);

    cluster_data d;
    int rc = cluster_data_load(argv[ai], &d);
    if (rc == -1) {
        fprintf(stderr, "bench_cluster: cannot read %s\n", argv[ai]);
        return 2;
    }
    if (rc)
        return 3;
    printf("cluster: %s: %zu headlines, %zu gold stories\n", argv[ai], d.n, d.ngolds);
    printf("%-16s %5s %4s %5s | %-17s | %-17s |\n", "", "docs", "gold", "found",
           "pairwise P R F1", "B-cubed P R F1");
    if (tune) {
        /* the best raw settings, and the one the folds' rule picks */
        cluster_setting best[15];
        int n = cluster_grid(&d, &co, -1, best, 15);
        if (n < 0)
            return 3;
        for (int k = 0; k < n && k < 15; k++) {
            char label[48];
            snprintf(label, sizeof label, "a%.2f m%.2f l%.1f", best[k].o.assign_min,
                     best[k].o.merge_min, best[k].o.link_weight);
            print_scores(label, &best[k].s);
        }
        static double obj[CE_NA][CE_NM][CE_NL];
        cluster_eval_opts all_rows = { false, -1, false };
        sr_cluster_opts pick;
        double sm;
        if (ce_grid_scores(&d, &co, &all_rows, 1, obj))
            return 3;
        ce_pick(obj, 1, &co, &pick, &sm);
        printf("best neighbourhood (what the folds choose by): assign %.2f merge %.2f link %.1f "
               "(mean objective around it %.3f)\n", pick.assign_min, pick.merge_min,
               pick.link_weight, sm);
        cluster_data_free(&d);
        return 0;
    }
    if (cvs > 0) {
        /* the cross-validation itself, on N pseudo-random splits of the
         * gold stories in two: settings chosen on one half, scored on the
         * other, both ways */
        double f1 = 0, bf1 = 0, lo = 1;
        size_t impure = 0, with = 0, below = 0;
        for (int k = 0; k < cvs; k++) {
            cluster_fold f[2];
            if (cluster_cv_on(&d, &co, false, false, 2 * (k + 1), f))
                return 3;
            for (int j = 0; j < 2; j++) {
                const cluster_scores *t = &f[j].test;
                f1 += t->f1;
                bf1 += t->bf1;
                double m = t->f1 < t->bf1 ? t->f1 : t->bf1;
                lo = m < lo ? m : lo;
                below += m < 0.88;
                impure += t->impure;
                with += t->impure > 0;
                if (t->impure && getenv("SITREP_CLUSTER_HALVES_DUMP")) {
                    cluster_eval_opts te = { false, 2 * (k + 1) + j, true };
                    cluster_scores ds;
                    if (cluster_run(&d, &f[j].chosen, &te, &ds))
                        return 3;
                }
                if (getenv("SITREP_CLUSTER_HALVES_VERBOSE")) {
                    char label[32];
                    snprintf(label, sizeof label, "split %d test %d", k + 1, j);
                    print_scores(label, t);
                    printf("%-16s chosen: assign %.2f merge %.2f link %.1f\n", "",
                           f[j].chosen.assign_min, f[j].chosen.merge_min, f[j].chosen.link_weight);
                }
            }
        }
        printf("cross-validation on %d random splits (%d test halves): mean pairwise F1 %.3f, "
               "B-cubed F1 %.3f, lowest %.3f, %zu below 0.88 | %zu impure stories, in %zu "
               "test halves\n", cvs, 2 * cvs, f1 / (2 * cvs), bf1 / (2 * cvs), lo, below, impure,
               with);
        cluster_data_free(&d);
        return 0;
    }
    if (halves > 0) {
        /* robustness: the defaults on many random halves of the gold
         * stories, each one a file the settings were not fitted to */
        double f1 = 0, bf1 = 0, lo = 1;
        size_t impure = 0, with = 0;
        for (int k = 0; k < halves; k++) {
            cluster_eval_opts ho = { false, 2 * (k + 1), getenv("SITREP_CLUSTER_HALVES_DUMP") != NULL };
            cluster_scores hs;
            if (cluster_run(&d, &co, &ho, &hs))
                return 3;
            f1 += hs.f1;
            bf1 += hs.bf1;
            lo = hs.f1 < lo ? hs.f1 : lo;
            lo = hs.bf1 < lo ? hs.bf1 : lo;
            impure += hs.impure;
            with += hs.impure > 0;
            if (getenv("SITREP_CLUSTER_HALVES_VERBOSE")) {
                char label[32];
                snprintf(label, sizeof label, "half %d", k + 1);
                print_scores(label, &hs);
            }
        }
        printf("random halves, defaults: %d halves | mean pairwise F1 %.3f, B-cubed F1 %.3f, "
               "lowest %.3f | %zu impure stories, in %zu halves\n", halves, f1 / halves,
               bf1 / halves, lo, impure, with);
        cluster_data_free(&d);
        return 0;
    }
    double lowest = 1;
    if (!quick) {
        cluster_fold f[2];
        if (cluster_cv(&d, &co, false, false, f))
            return 3;
        for (int k = 0; k < 2; k++) {
            if (f[k].test.f1 < lowest)
                lowest = f[k].test.f1;
            if (f[k].test.bf1 < lowest)
                lowest = f[k].test.bf1;
            char label[32];
            snprintf(label, sizeof label, "fold %d (test)", k);
            print_scores(label, &f[k].test);
            printf("%-16s chosen on fold %d: assign %.2f merge %.2f link %.1f "
                   "(train F1 %.3f / B3 %.3f)\n", "", 1 - k, f[k].chosen.assign_min,
                   f[k].chosen.merge_min, f[k].chosen.link_weight, f[k].train.f1, f[k].train.bf1);
        }
    }
    for (int k = 0; k < 2; k++) {
        const char *dump = getenv("SITREP_CLUSTER_DUMP");
        cluster_eval_opts fo = { false, k, dump && atoi(dump) == k + 10 };
        cluster_scores fs;
        char label[32];
        if (cluster_run(&d, &co, &fo, &fs))
            return 3;
        snprintf(label, sizeof label, "fold %d, defaults", k);
        print_scores(label, &fs);
    }
    const char *dump = getenv("SITREP_CLUSTER_DUMP");
    cluster_eval_opts all = { false, -1, dump && atoi(dump) < 10 };
    cluster_scores s;
    if (cluster_run(&d, &co, &all, &s))
        return 3;
    print_scores("whole, defaults", &s);
    if (quick)
        lowest = s.f1 < s.bf1 ? s.f1 : s.bf1;
    cluster_eval_opts nt = { true, -1, false };
    cluster_scores s2;
    if (cluster_run(&d, &co, &nt, &s2))
        return 3;
    print_scores("whole, no times", &s2);
    printf("whole file, defaults: %zu merges, %zu splits\n", s.merges, s.splits);
    printf("largest stories (whole file, defaults):\n");
    for (size_t k = 0; k < s.nbig; k++)
        printf("  %4zu headlines, purity %.2f, %zu gold: %s\n", s.big[k].size, s.big[k].purity,
               s.big[k].golds, s.big[k].title);
    /* speed: the best of three runs, as the machine is shared */
    double best = 1e9, terms = 1e9;
    size_t active = 0;
    for (int k = 0; k < 3; k++) {
        cluster_eval_opts q = { false, -1, false };
        if (cluster_run(&d, &co, &q, &s2))
            return 3;
        if (s2.cpu_cluster < best)
            best = s2.cpu_cluster;
        if (s2.cpu_terms < terms)
            terms = s2.cpu_terms;
        active = s2.max_active;
    }
    printf("cluster: %.0f headlines/s clustering per core (CPU, incl. term bags); "
           "term bags alone %.0f/s; ratio %.1f\n",
           d.n / (best > 0 ? best : 1e-9), d.n / (terms > 0 ? terms : 1e-9),
           terms > 0 ? best / terms : 0);
    (void)active;
    /* memory: the stream goes on (the file again, 8 days later, 4 times) */
    size_t held[4];
    double scpu;
    if (cluster_stream(&d, &co, 4, 8 * 86400, held, &scpu))
        return 3;
    printf("cluster: memory: the file 4 times over, 8 days apart (%zu headlines, flushed every "
           "256): at most %zu, %zu, %zu, %zu stories held in passes 1-4 (the window, not the "
           "corpus); %.0f headlines/s\n", 4 * d.n, held[0], held[1], held[2], held[3],
           4 * d.n / (scpu > 0 ? scpu : 1e-9));
    cluster_data_free(&d);
    if (min_f1 > 0) {
        printf("cluster: lowest %s F1 %.3f %s the bar %.2f\n", quick ? "whole-file" : "test-fold",
               lowest, lowest < min_f1 ? "is BELOW" : "meets", min_f1);
        return lowest < min_f1;
    }
    return 0;
}
