/*
 * geo_fuzz.c - libFuzzer target for the geo matcher: arbitrary bytes are
 * analysed as a document, their place mentions found and resolved, and
 * mentions made from the input's own bytes (spans, unknown-country codes)
 * placed.  A small gazetteer written at start-up exercises every kind of
 * name (multi-word, qualifiers, demonyms, "X-based", datelines, blocked
 * phrases, common words), so the fuzzer needs no file outside it.  Every
 * place mention must lie inside the input and every code stay a string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "sitrep/geo.h"
#include "sitrep/text.h"

static sr_geo *geo;
static sr_geoparser *parser;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    char dir[] = "/tmp/sitrep-geo-fuzz-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    char p[3][128];
    snprintf(p[0], sizeof p[0], "%s/countries.tsv", dir);
    snprintf(p[1], sizeof p[1], "%s/places.tsv.gz", dir);
    snprintf(p[2], sizeof p[2], "%s/exonyms.tsv", dir);
    write_file(p[0], "LBY\tLY\tLY\tLibya\tTripoli\tLibyan\t\n"
                     "LBN\tLB\tLE\tLebanon\tBeirut\tLebanese\t\n"
                     "USA\tUS\tUS\tUnited States\tWashington, D.C.\tAmerican\tUS,U.S.,America\n"
                     "GEO\tGE\tGG\tGeorgia\tTbilisi\tGeorgian\t\n");
    gzFile z = gzopen(p[1], "wb");
    if (!z)
        abort();
    gzputs(z, "0\tPCLI\tLY\t\t5000000\t29.6\t17.3\tLibya\t\t\n"
              "0\tPCLI\tLB\t\t4000000\t33.9\t35.8\tLebanon\t\t\n"
              "0\tPCLI\tUS\t\t300000000\t39.8\t-98.5\tUnited States\t\t\n"
              "0\tPCLI\tGE\t\t3700000\t42.0\t43.5\tGeorgia\t\t\n"
              "0\tADM1\tUS\tGA\t7000000\t33.0\t-83.5\tGeorgia\t\t\n"
              "0\tADM1\tUS\tTX\t25000000\t31.0\t-99.0\tTexas\t\t\n"
              "0\tADM1\tLY\t69\t600000\t32.1\t20.1\tBanghazi\tBenghazi\t\n"
              "2210247\tPPLC\tLY\t77\t1150989\t32.8874\t13.1873\tTripoli\t\t\n"
              "266826\tPPLA\tLB\t09\t229398\t34.4335\t35.8442\tTripoli\t\t\n"
              "88319\tPPLA\tLY\t69\t650629\t32.1149\t20.0686\tBenghazi\t\t\n"
              "276781\tPPLC\tLB\t04\t1916100\t33.8933\t35.5016\tBeirut\t\t\n"
              "4140963\tPPLC\tUS\tDC\t601723\t38.895\t-77.0364\tWashington, D.C.\t\t\n"
              "4717560\tPPLA2\tUS\tTX\t25000\t33.6609\t-95.5555\tParis\t\t\n"
              "611717\tPPLC\tGE\t51\t1049498\t41.6941\t44.8337\tTbilisi\t\t\n"
              "4180439\tPPLA\tUS\tGA\t463878\t33.749\t-84.388\tAtlanta\t\t\n"
              "5\tPPL\tUS\tTX\t2000\t30.0\t-97.0\tSplit\t\tc\n"
              "6\tPPL\tLY\t72\t386120\t32.3754\t15.0925\tMişrātah\tMisratah\t\n"
              "7\tPPL\tUS\tTX\t3000\t31.0\t-96.0\tNew Tripoli Springs\t\t\n");
    gzclose(z);
    write_file(p[2], "South Asia\t-\tnone\nMisrata\tLY\tcity\tMişrātah\n"
                     "Cyrenaica\tLY\tregion\t-\t31\t22\n");
    sr_set_quiet(1);
    if (sr_geo_load_dir(dir, &geo) != SR_OK)
        abort();
    for (int i = 0; i < 3; i++)
        unlink(p[i]);
    rmdir(dir);
    parser = sr_geoparser_new(geo, NULL);
    if (!parser)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!geo)
        setup();
    if (size > 65536)
        return 0;
    sr_textdoc d;
    memset(&d, 0, sizeof d);
    sr_text_opts o = { 0 };
    if (sr_text_analyze(&d, (const char *)data, size, &o) != SR_OK) {
        sr_textdoc_free(&d);
        return 0;
    }
    /* mentions from the input's bytes: one per sentence, spans inside it */
    size_t nm = d.nsents < 16 ? d.nsents : 16;
    sr_mention ms[16];
    sr_event_geo geo_out[16];
    static const char *const codes[] = { "---REB", "---", "LBYMIL", "", "---CVLGOV", "USA" };
    for (size_t i = 0; i < nm; i++) {
        const sr_sentence *s = &d.sents[i];
        uint32_t len = s->end - s->start;
        uint8_t b = size ? data[i % size] : 0;
        memset(&ms[i], 0, sizeof ms[i]);
        ms[i].sentence = (uint32_t)i;
        snprintf(ms[i].source.code, sizeof ms[i].source.code, "%s", codes[b % 6]);
        snprintf(ms[i].target.code, sizeof ms[i].target.code, "%s", codes[(b >> 3) % 6]);
        ms[i].has_target = b & 1;
        ms[i].source.start = s->start;
        ms[i].source.end = s->start + len / 3;
        ms[i].target.start = s->start + len / 2;
        ms[i].target.end = s->end;
        ms[i].verb_start = s->start + len / 3;
        ms[i].verb_end = s->start + len / 2;
    }
    if (sr_geo_place_mentions(parser, &d, ms, nm, geo_out) != SR_OK)
        abort();
    size_t n;
    const sr_place_mention *pm = sr_geoparser_places(parser, &n);
    if (n > SR_GEO_MAX_PLACES)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (pm[i].start > pm[i].end || pm[i].end > size || pm[i].sentence >= d.nsents)
            abort();
        if (pm[i].place.type < SR_GEO_COUNTRY || pm[i].place.type > SR_GEO_WORLDSTATE)
            abort();
        if (!(pm[i].place.confidence >= 0 && pm[i].place.confidence <= 1.0001f))
            abort();
    }
    for (size_t i = 0; i < nm; i++) {
        if (memchr(ms[i].source.code, 0, sizeof ms[i].source.code) == NULL ||
            memchr(ms[i].target.code, 0, sizeof ms[i].target.code) == NULL)
            abort();
        if (geo_out[i].action.type > SR_GEO_WORLDSTATE)
            abort();
    }
    sr_textdoc_free(&d);
    return 0;
}
