/*
 * export.c - events as lines: readable text, JSON Lines, CSV (RFC 4180) and
 * the 61 tab-separated GDELT 2.0 event columns
 * (../shared/data/cameo/GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv),
 * empty where sitrep has no value (tone, ADM2), as GDELT leaves them.
 *
 * GDELT fidelity: Actor1Name/Actor2Name are the names of the codes
 * (country, known group or actor type: "LIBYA", "UNITED NATIONS",
 * "REBEL"), filled at ingest, never the phrase the text used nor a pronoun;
 * IsRootEvent is 1 for events of a document's lead paragraph; the three
 * geography blocks carry the FIPS 10-4 country code (JSON and CSV carry
 * ISO alpha-3); SOURCEURL is the document's URL, or file:///absolute/path
 * for a local file.
 */
#include "sitrep/store.h"

#include <stdio.h>
#include <string.h>

static const char *nz(const char *s) { return s ? s : ""; }

static sr_err csv_field(sr_buf *b, const char *s, bool last)
{
    sr_err e = SR_OK;
    s = nz(s);
    if (strpbrk(s, ",\"\n\r")) {
        e = sr_buf_putc(b, '"');
        for (const char *p = s; *p && !e; p++)
            e = *p == '"' ? sr_buf_puts(b, "\"\"") : sr_buf_putc(b, *p);
        if (!e)
            e = sr_buf_putc(b, '"');
    } else {
        e = sr_buf_puts(b, s);
    }
    return e ? e : sr_buf_putc(b, last ? '\n' : ',');
}

/* A GDELT cell: tabs and newlines would break the row. */
static sr_err tsv_cell(sr_buf *b, const char *s)
{
    sr_err e = SR_OK;
    for (const char *p = nz(s); *p && !e; p++)
        e = sr_buf_putc(b, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
    return e ? e : sr_buf_putc(b, '\t');
}

static sr_err json_kv(sr_buf *b, const char *k, const char *v, bool first)
{
    sr_err e = sr_buf_printf(b, "%s\"%s\":", first ? "" : ",", k);
    if (!e)
        e = v ? sr_buf_json_str(b, v, strlen(v)) : sr_buf_puts(b, "null");
    return e;
}

sr_err sr_event_header(sr_event_format f, sr_buf *out)
{
    if (f != SR_EVENTS_CSV)
        return SR_OK;
    return sr_buf_puts(out, "id,day,source,target,cameo,root,quad,goldstein,plover_event,"
                            "plover_mode,num_mentions,num_articles,num_sources,modality,"
                            "source_text,target_text,outlet,url,story,sentence,"
                            "action_geo_type,action_geo_name,action_geo_country,"
                            "action_geo_adm1,action_geo_lat,action_geo_lon,"
                            "action_geo_feature_id,action_geo_confidence,"
                            "actor1_geo_type,actor1_geo_name,actor1_geo_country,"
                            "actor1_geo_lat,actor1_geo_lon,"
                            "actor2_geo_type,actor2_geo_name,actor2_geo_country,"
                            "actor2_geo_lat,actor2_geo_lon,source_inferred,target_inferred\n");
}

/* The GDELT actor columns from a CAMEO actor code: country (3 letters),
 * or a known group for IGO/NGO/... codes, then up to three 3-letter types. */
/* A place as GDELT's 8 geography columns: type, full name, FIPS country,
 * ADM1, ADM2 (never filled), latitude, longitude, feature id. */
static sr_err gdelt_geo(sr_buf *b, const sr_place *p)
{
    if (p->type == SR_GEO_NONE)
        return sr_buf_puts(b, "0\t\t\t\t\t\t\t\t");
    sr_err e = sr_buf_printf(b, "%d\t", p->type);
    if (!e) e = tsv_cell(b, p->name);
    if (!e) e = tsv_cell(b, p->fips[0] ? p->fips : p->iso2);
    if (!e) e = tsv_cell(b, p->adm1);
    if (!e) e = sr_buf_printf(b, "\t%.4f\t%.4f\t", p->lat, p->lon);
    if (!e) e = tsv_cell(b, p->feature_id);
    return e;
}

static sr_err json_geo(sr_buf *b, const char *key, const sr_place *p)
{
    sr_err e = sr_buf_printf(b, ",\"%s\":", key);
    if (e || p->type == SR_GEO_NONE)
        return e ? e : sr_buf_puts(b, "null");
    e = sr_buf_printf(b, "{\"type\":%d", p->type);
    if (!e) e = json_kv(b, "name", p->name, false);
    if (!e) e = json_kv(b, "country", p->iso3, false);
    if (!e) e = json_kv(b, "adm1", p->adm1[0] ? p->adm1 : NULL, false);
    if (!e) e = sr_buf_printf(b, ",\"lat\":%.4f,\"lon\":%.4f", p->lat, p->lon);
    if (!e) e = json_kv(b, "feature_id", p->feature_id, false);
    if (!e) e = sr_buf_printf(b, ",\"confidence\":%.2f}", p->confidence);
    return e;
}

static sr_err gdelt_actor(sr_buf *b, const char *code, const char *name)
{
    code = nz(code);
    size_t n = strlen(code);
    static const char *const groups[] = {"IGO", "NGO", "NGM", "MNC", "UAF"};
    bool group = false;
    for (size_t i = 0; i < 5; i++)
        if (n >= 3 && strncmp(code, groups[i], 3) == 0)
            group = true;
    char country[4] = "", known[4] = "", type[3][4] = {"", "", ""};
    if (n >= 3 && !group)
        snprintf(country, sizeof country, "%.3s", code);
    if (group && n >= 6)
        snprintf(known, sizeof known, "%.3s", code + 3);
    for (size_t i = 0; i < 3; i++) {
        size_t off = 3 + 3 * i + (group && n >= 6 ? 3 : 0);
        if (n >= off + 3)
            snprintf(type[i], sizeof type[i], "%.3s", code + off);
    }
    /* GDELT names are upper case */
    char up[256];
    size_t k = 0;
    for (const char *p = nz(name); *p && k + 1 < sizeof up; p++)
        up[k++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
    up[k] = '\0';
    /* "TURKEY'S" names TURKEY */
    if (k >= 2 && up[k - 1] == 'S' && up[k - 2] == '\'')
        up[k - 2] = '\0';
    else if (k >= 4 && up[k - 1] == 'S' && (unsigned char)up[k - 2] == 0x99 &&
             (unsigned char)up[k - 3] == 0x80 && (unsigned char)up[k - 4] == 0xE2)
        up[k - 4] = '\0';
    sr_err e = tsv_cell(b, code);
    if (!e) e = tsv_cell(b, up);
    if (!e) e = tsv_cell(b, country);
    if (!e) e = tsv_cell(b, known);
    if (!e) e = sr_buf_puts(b, "\t\t\t");          /* ethnic, religion 1, 2 */
    for (size_t i = 0; i < 3 && !e; i++)
        e = tsv_cell(b, type[i]);
    return e;
}

sr_err sr_event_write(const sr_event_row *r, sr_event_format f, sr_buf *b)
{
    char day[16] = "", num[64];
    if (r->day)
        snprintf(day, sizeof day, "%d", r->day);
    sr_err e = SR_OK;
    switch (f) {
    case SR_EVENTS_TEXT:
        return sr_buf_printf(b, "%s  %s -> %s  %s %s  (quad %d, goldstein %+.1f)  "
                                "mentions %lld, articles %lld, outlets %lld  %s  story %lld\n",
                             r->day ? day : "????????", nz(r->source),
                             r->target && *r->target ? r->target : "-", nz(r->cameo),
                             sr_cameo_root_name(r->root), r->quad, r->goldstein,
                             (long long)r->num_mentions, (long long)r->num_articles,
                             (long long)r->num_sources, nz(r->modality), (long long)r->story);
    case SR_EVENTS_JSONL:
        e = sr_buf_printf(b, "{\"id\":%lld,\"day\":%s", (long long)r->id, r->day ? day : "null");
        if (!e) e = json_kv(b, "source", r->source, false);
        if (!e) e = json_kv(b, "target", r->target && *r->target ? r->target : NULL, false);
        if (!e) e = json_kv(b, "cameo", r->cameo, false);
        if (!e) e = json_kv(b, "root", r->root, false);
        if (!e) e = sr_buf_printf(b, ",\"quad\":%d,\"goldstein\":%.1f", r->quad, r->goldstein);
        if (!e) e = json_kv(b, "plover_event", r->plover_event, false);
        if (!e) e = json_kv(b, "plover_mode", r->plover_mode, false);
        if (!e) e = sr_buf_printf(b, ",\"num_mentions\":%lld,\"num_articles\":%lld,\"num_sources\":%lld",
                                  (long long)r->num_mentions, (long long)r->num_articles,
                                  (long long)r->num_sources);
        if (!e) e = json_kv(b, "modality", r->modality, false);
        if (!e) e = json_kv(b, "source_text", r->source_text, false);
        if (!e) e = json_kv(b, "target_text", r->target_text, false);
        if (!e) e = json_kv(b, "outlet", r->outlet, false);
        if (!e) e = json_kv(b, "url", r->url, false);
        if (!e) e = sr_buf_printf(b, ",\"story\":%lld", (long long)r->story);
        if (!e) e = json_kv(b, "sentence", r->sentence, false);
        if (!e) e = json_kv(b, "source_name", r->source_name, false);
        if (!e) e = json_kv(b, "target_name", r->target_name, false);
        if (!e) e = sr_buf_printf(b, ",\"source_inferred\":%s,\"target_inferred\":%s",
                                  r->source_inferred ? "true" : "false",
                                  r->target_inferred ? "true" : "false");
        if (!e) e = json_geo(b, "action_geo", &r->action_geo);
        if (!e) e = json_geo(b, "actor1_geo", &r->actor1_geo);
        if (!e) e = json_geo(b, "actor2_geo", &r->actor2_geo);
        if (!e) e = sr_buf_puts(b, "}\n");
        return e;
    case SR_EVENTS_CSV: {
        char id[32], quad[16], gold[32], nm[32], na[32], ns[32], story[32];
        snprintf(id, sizeof id, "%lld", (long long)r->id);
        snprintf(quad, sizeof quad, "%d", r->quad);
        snprintf(gold, sizeof gold, "%.1f", r->goldstein);
        snprintf(nm, sizeof nm, "%lld", (long long)r->num_mentions);
        snprintf(na, sizeof na, "%lld", (long long)r->num_articles);
        snprintf(ns, sizeof ns, "%lld", (long long)r->num_sources);
        snprintf(story, sizeof story, "%lld", (long long)r->story);
        const sr_place *ga = &r->action_geo, *g1 = &r->actor1_geo, *g2 = &r->actor2_geo;
        char gt[3][8], gla[3][24], glo[3][24], gconf[16];
        const sr_place *gp[3] = { ga, g1, g2 };
        for (int k = 0; k < 3; k++) {
            bool has = gp[k]->type != SR_GEO_NONE;
            snprintf(gt[k], sizeof gt[k], "%s", "");
            gla[k][0] = glo[k][0] = '\0';
            if (has) {
                snprintf(gt[k], sizeof gt[k], "%d", gp[k]->type);
                snprintf(gla[k], sizeof gla[k], "%.4f", gp[k]->lat);
                snprintf(glo[k], sizeof glo[k], "%.4f", gp[k]->lon);
            }
        }
        gconf[0] = '\0';
        if (ga->type)
            snprintf(gconf, sizeof gconf, "%.2f", ga->confidence);
        const char *cells[] = {id, day, r->source, r->target, r->cameo, r->root, quad, gold,
                               r->plover_event, r->plover_mode, nm, na, ns, r->modality,
                               r->source_text, r->target_text, r->outlet, r->url, story,
                               r->sentence,
                               gt[0], ga->name, ga->iso3, ga->adm1, gla[0], glo[0],
                               ga->feature_id, gconf,
                               gt[1], g1->name, g1->iso3, gla[1], glo[1],
                               gt[2], g2->name, g2->iso3, gla[2], glo[2],
                               r->source_inferred ? "1" : "0", r->target_inferred ? "1" : "0"};
        size_t nc = sizeof cells / sizeof cells[0];
        for (size_t i = 0; i < nc && !e; i++)
            e = csv_field(b, cells[i], i + 1 == nc);
        return e;
    }
    case SR_EVENTS_GDELT: {
        /* 1-5: id and the date forms */
        snprintf(num, sizeof num, "%lld", (long long)r->id);
        e = tsv_cell(b, num);
        if (!e && r->day) {
            int y = r->day / 10000, m = r->day / 100 % 100, d = r->day % 100;
            e = sr_buf_printf(b, "%d\t%d%02d\t%d\t%.4f\t", r->day, y, m, y,
                              y + (m * 30 + d) / 365.0);
        } else if (!e) {
            e = sr_buf_puts(b, "\t\t\t\t");
        }
        /* 6-25: the two actors */
        if (!e) e = gdelt_actor(b, r->source, r->source_name);
        if (!e) e = gdelt_actor(b, r->target, r->target && *r->target ? r->target_name : "");
        /* 26-35: root event flag, codes, quad, Goldstein, counts, tone */
        char base[8];
        snprintf(base, sizeof base, "%.3s", nz(r->cameo));
        if (!e) e = sr_buf_printf(b, "%d\t", r->is_root ? 1 : 0);
        if (!e) e = tsv_cell(b, r->cameo);
        if (!e) e = tsv_cell(b, base);
        if (!e) e = tsv_cell(b, r->root);
        if (!e) e = sr_buf_printf(b, "%d\t%.1f\t%lld\t%lld\t%lld\t\t", r->quad, r->goldstein,
                                  (long long)r->num_mentions, (long long)r->num_sources,
                                  (long long)r->num_articles);
        /* 36-59: Actor1Geo, Actor2Geo, ActionGeo, 8 columns each */
        if (!e) e = gdelt_geo(b, &r->actor1_geo);
        if (!e) e = gdelt_geo(b, &r->actor2_geo);
        if (!e) e = gdelt_geo(b, &r->action_geo);
        /* 60-61: date added, source URL or citation */
        if (!e) e = tsv_cell(b, r->added);
        /* a local file (the row's url is its path): file:///absolute/path */
        bool local = r->path && (!r->url || strcmp(r->url, r->path) == 0);
        const char *src = local ? r->path : nz(r->url);
        if (!e && local && src[0] == '/')
            e = sr_buf_puts(b, "file://");
        if (!e) {
            for (const char *p = src; *p && !e; p++)
                e = sr_buf_putc(b, (*p == '\t' || *p == '\n') ? ' ' : *p);
            if (!e) e = sr_buf_putc(b, '\n');
        }
        return e;
    }
    }
    return SR_EINVAL;
}
