/*
 * bench/cluster.c - story clustering quality and speed on real headlines
 * (see cluster_eval.h for the data and the metrics).  Reference timed in
 * the same run: building the term bags alone, so the ratio says what the
 * clustering itself costs.
 *
 * usage: bench_cluster [--min-f1 F] FILE.csv   (exit 1 if pairwise F1 < F)
 * SITREP_CLUSTER_ASSIGN, _MERGE, _PRIOR override the defaults (tuning);
 * SITREP_CLUSTER_DUMP=1 writes story, gold story, headline to stderr.
 */
#include "cluster_eval.h"

int main(int argc, char **argv)
{
    double min_f1 = 0;
    int ai = 1;
    if (argc > 2 && strcmp(argv[1], "--min-f1") == 0) {
        min_f1 = strtod(argv[2], NULL);
        ai = 3;
    }
    if (ai >= argc) {
        fprintf(stderr, "usage: bench_cluster [--min-f1 F] FILE.csv\n");
        return 2;
    }
    sr_cluster_opts co = SR_CLUSTER_DEFAULTS;
    const char *ev = getenv("SITREP_CLUSTER_ASSIGN");
    if (ev)
        co.assign_min = strtod(ev, NULL);
    if ((ev = getenv("SITREP_CLUSTER_MERGE")) != NULL)
        co.merge_min = strtod(ev, NULL);
    if ((ev = getenv("SITREP_CLUSTER_PRIOR")) != NULL)
        co.size_prior = strtod(ev, NULL);
    cluster_scores s;
    int rc = cluster_eval(argv[ai], &co, getenv("SITREP_CLUSTER_DUMP") != NULL, &s);
    if (rc == -1) {
        fprintf(stderr, "bench_cluster: cannot read %s\n", argv[ai]);
        return 2;
    }
    if (rc)
        return 3;
    printf("cluster: %zu headlines, %zu gold stories, %zu stories found\n", s.headlines,
           s.gold_stories, s.stories);
    printf("cluster: pairwise P %.3f R %.3f F1 %.3f\n", s.p, s.r, s.f1);
    printf("cluster: B-cubed P %.3f R %.3f F1 %.3f\n", s.bp, s.br, s.bf1);
    printf("cluster: %.0f headlines/s clustering (CPU); term bags alone %.0f/s; ratio %.1f\n",
           s.headlines / (s.cpu_cluster > 0 ? s.cpu_cluster : 1e-9),
           s.headlines / (s.cpu_terms > 0 ? s.cpu_terms : 1e-9),
           s.cpu_terms > 0 ? s.cpu_cluster / s.cpu_terms : 0);
    rc = s.f1 >= min_f1 ? 0 : 1;
    if (min_f1 > 0)
        printf("cluster: pairwise F1 %.3f %s the bar %.2f\n", s.f1, rc ? "is BELOW" : "meets", min_f1);
    return rc;
}
