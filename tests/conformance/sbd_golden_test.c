/*
 * sbd_golden_test.c - the English "golden rules" for sentence splitting
 * (pySBD's 48, the pragmatic segmenter's 52; ../shared/data/sbd) run
 * through the text pipeline as `sitrep sentences` runs it (comparison and
 * data notes in sbd_rules.h).  Bars (issue 2): pySBD >= 46 of 48,
 * pragmatic >= 49 of 52.  Every failing rule is printed with our output.
 */
#include <stdlib.h>

#include "sbd_rules.h"
#include "sitrep/text.h"

int main(void)
{
    const char *shared = getenv("SITREP_SHARED");
    char p1[4096], p2[4096];
    snprintf(p1, sizeof p1, "%s/data/sbd/pysbd_golden_rules_en.json", shared ? shared : "../shared");
    snprintf(p2, sizeof p2, "%s/data/sbd/pragmatic_segmenter_golden_rules_en.json", shared ? shared : "../shared");
    FILE *f = fopen(p1, "r");
    if (!f) {
        printf("skipped: ../shared not found (no %s)\n", p1);
        return 77;
    }
    fclose(f);
    sr_textdoc td = {0};
    int pp, pt, gp, gt;
    printf("pySBD golden rules:\n");
    if (sbd_run(p1, sbd_sitrep_split, &td, true, &pp, &pt) != 0)
        return 1;
    printf("pysbd: %d of %d rules pass\n", pp, pt);
    printf("pragmatic segmenter golden rules:\n");
    if (sbd_run(p2, sbd_sitrep_split, &td, true, &gp, &gt) != 0)
        return 1;
    printf("pragmatic: %d of %d rules pass\n", gp, gt);
    sr_textdoc_free(&td);
    int fails = 0;
    if (pt != 48 || pp < 46) {
        printf("FAIL: pySBD bar is 46 of 48\n");
        fails++;
    }
    if (gt != 52 || gp < 49) {
        printf("FAIL: pragmatic bar is 49 of 52\n");
        fails++;
    }
    printf("%d passed, %d failed\n", 2 - fails, fails);
    return fails ? 1 : 0;
}
