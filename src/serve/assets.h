/*
 * assets.h - the dashboard files embedded in sitrep (web/dashboard.cmake
 * generates the table from web/src/ and the npm packages at build time).
 */
#ifndef SITREP_SERVE_ASSETS_H
#define SITREP_SERVE_ASSETS_H

#include <stddef.h>

typedef struct sr_asset {
    const char *url;               /* "/" or "/assets/NAME" or "/assets/vendor/NAME" */
    const char *mime;
    const char *start, *end;       /* the bytes, in the binary's read-only data */
} sr_asset;

extern const sr_asset sr_web_assets[];
extern const size_t sr_web_nassets;
/* NULL when the dashboard is built in, else why it is not ("npm was not
 * found when sitrep was built"). */
extern const char *const sr_web_missing;

#endif
