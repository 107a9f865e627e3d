/*
 * story_clustering_test.c - the clustering bar: on the UCI news aggregator
 * headlines (../shared/data/clustering/uci_headlines_dev.csv, headline text
 * only), the store's clusterer with its default settings must reach
 * pairwise F1 >= 0.85 against the aggregator's story ids.  Prints the
 * pairwise and B-cubed figures; skipped (77) without ../shared.
 */
#include "../../bench/cluster_eval.h"

int main(void)
{
    const char *shared = getenv("SITREP_SHARED");
    char path[4096];
    snprintf(path, sizeof path, "%s/data/clustering/uci_headlines_dev.csv",
             shared && *shared ? shared : "../shared");
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("skipped: %s not found\n", path);
        return 77;
    }
    fclose(f);
    sr_cluster_opts co = SR_CLUSTER_DEFAULTS;
    cluster_scores s;
    if (cluster_eval(path, &co, false, &s) != 0) {
        printf("FAIL: could not evaluate %s\n", path);
        return 1;
    }
    printf("story clustering: %zu headlines, %zu gold stories, %zu found\n", s.headlines,
           s.gold_stories, s.stories);
    printf("pairwise P %.3f R %.3f F1 %.3f; B-cubed P %.3f R %.3f F1 %.3f\n", s.p, s.r, s.f1,
           s.bp, s.br, s.bf1);
    if (s.gold_stories < 40 || s.headlines < 2000) {
        printf("FAIL: the file did not parse as expected\n");
        return 1;
    }
    if (s.f1 < 0.85) {
        printf("FAIL: pairwise F1 %.3f is below the bar 0.85\n", s.f1);
        return 1;
    }
    printf("ok: pairwise F1 %.3f >= 0.85\n", s.f1);
    return 0;
}
