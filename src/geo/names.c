/*
 * names.c - GDELT's Actor1Name/Actor2Name for a CAMEO actor code: the name
 * of what the code stands for, never the words the text used ("THEY",
 * "the Libyan commander's").  A country-rooted code is named by its
 * country ("LBYMIL" -> "LIBYA", as GDELT names geographic actors); a known
 * group (IGO/NGO/NGM/MNC/UAF...) by the actor dictionary's primary phrase
 * for that code ("IGOUNO" -> "UNITED NATIONS"); a code with no country
 * ("---REB", "MIL") by its CAMEO actor type ("REBEL", "MILITARY").
 *
 * The dictionary has no public code -> name lookup, so the known-group
 * names are read from the dictset's entries (dict/dictset_impl.h) once per
 * parser; sitrep/dict.h offering sr_dictset_code_name() would retire this.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/internal.h"

static const char *const type_names[][2] = {
    {"GOV", "GOVERNMENT"}, {"MIL", "MILITARY"}, {"REB", "REBEL"}, {"OPP", "OPPOSITION"},
    {"CVL", "CIVILIAN"}, {"COP", "POLICE"}, {"JUD", "JUDICIARY"}, {"LEG", "LEGISLATURE"},
    {"BUS", "BUSINESS"}, {"MED", "MEDIA"}, {"EDU", "EDUCATION"}, {"HLH", "HEALTH"},
    {"CRM", "CRIMINAL"}, {"SPY", "INTELLIGENCE"}, {"ELI", "ELITE"}, {"LAB", "LABOR"},
    {"AGR", "AGRICULTURE"}, {"REF", "REFUGEE"}, {"REL", "RELIGION"}, {"ENV", "ENVIRONMENT"},
    {"HRI", "HUMAN RIGHTS"}, {"DEV", "DEVELOPMENT"}, {"IGO", "INTERNATIONAL ORGANIZATION"},
    {"NGO", "NON-GOVERNMENTAL ORGANIZATION"}, {"NGM", "NON-GOVERNMENTAL MOVEMENT"},
    {"MNC", "MULTINATIONAL CORPORATION"}, {"UAF", "ARMED GROUP"}, {"INS", "INSURGENT"},
    {"SEP", "SEPARATIST"}, {"MOD", "MODERATE"}, {"RAD", "RADICAL"}, {"PTY", "PARTY"},
    {"SET", "SETTLER"}, {"UIS", "UNIDENTIFIED STATE ACTOR"}, {"IMG", "IMMIGRANT"},
    {"ATH", "ATHLETE"}, {"STU", "STUDENT"}, {"YTH", "YOUTH"},
};

static const char *type_name(const char *t)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strncmp(t, type_names[i][0], 3) == 0)
            return type_names[i][1];
    return NULL;
}

static bool group_code(const char *code)
{
    static const char *const groups[] = {"IGO", "NGO", "NGM", "MNC", "UAF", NULL};
    for (const char *const *g = groups; *g; g++)
        if (strncmp(code, *g, 3) == 0)
            return true;
    return false;
}

/* The dictionary's first phrase coded exactly `code`, as GDELT writes names. */
static bool dict_name(const sr_dictset *ds, const char *code, char *out, size_t n)
{
    if (!ds)
        return false;
    for (size_t i = 0; i < ds->nactor; i++) {
        const sr_actor *a = &ds->actor[i];
        for (uint32_t k = 0; k < a->n; k++) {
            if (strcmp(sr_ds_pool(ds, ds->codes[a->first + k].code), code) != 0)
                continue;
            const char *name = sr_ds_pool(ds, a->name);
            if (strncmp(name, "THE_", 4) == 0 || strncmp(name, "THE ", 4) == 0)
                name += 4;
            size_t j = 0;
            for (const char *p = name; *p && j + 1 < n; p++)
                out[j++] = *p == '_' ? ' ' : (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
            while (j > 0 && out[j - 1] == ' ')
                j--;
            out[j] = '\0';
            return j > 0;
        }
    }
    return false;
}

bool sr_geo_actor_name(const sr_geo *g, const sr_dictset *ds, const char *code, char *out,
                       size_t n)
{
    const char *cname;
    if (!n)
        return false;
    out[0] = '\0';
    if (!code || strlen(code) < 3)
        return false;
    char c3[4];
    memcpy(c3, code, 3);
    c3[3] = '\0';
    if (strncmp(code, "---", 3) != 0 && !group_code(code) &&
        sr_geo_country(g, c3, NULL, NULL, NULL, &cname)) {
        size_t j = 0;
        for (const char *p = cname; *p && j + 1 < n; p++)
            out[j++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
        out[j] = '\0';
        return true;
    }
    if (group_code(code) && dict_name(ds, code, out, n))
        return true;
    const char *t = type_name(strncmp(code, "---", 3) == 0 ? code + 3 : code);
    if (t) {
        snprintf(out, n, "%s", t);
        return true;
    }
    return false;
}
