/*
 * date.c - the dates news inputs carry, normalised to ISO 8601 UTC.
 *
 * Feeds use RFC 822 (RSS pubDate, often with a zone name and a two-digit
 * year), W3C-DTF / ISO 8601 (Atom, dc:date, JSON), and HTTP headers use RFC
 * 1123, RFC 850 or asctime.  One small hand-written parser covers all of
 * them: strptime() is locale-dependent and does not know zone names or
 * offsets portably.  A date that does not parse is dropped (the caller
 * keeps the published field NULL) rather than guessed, because a wrong date
 * puts an event on the wrong day.
 */
#include "sitrep/ingest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == ',')
        s++;
    return s;
}

/* Up to maxd digits as a number; -1 if none. */
static int num(const char **sp, int maxd)
{
    const char *s = *sp;
    int v = 0, d = 0;
    while (d < maxd && isdigit((unsigned char)s[d])) {
        v = v * 10 + (s[d] - '0');
        d++;
    }
    if (d == 0)
        return -1;
    *sp = s + d;
    return v;
}

static int month_of(const char *s)
{
    static const char *m[] = {"jan", "feb", "mar", "apr", "may", "jun",
                              "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, m[i], 3) == 0)
            return i + 1;
    return 0;
}

static int days_in(int y, int mo)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[mo - 1];
}

/* Zone after the time: Z, +hhmm, +hh:mm, or a name.  Sets *off (seconds
 * east of UTC).  Returns 0 for an unknown name. */
static int zone(const char *s, long *off)
{
    static const struct { const char *name; int hours; } names[] = {
        {"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0},
        {"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5},
        {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7},
        {"BST", 1}, {"CET", 1}, {"CEST", 2}, {"IST", 5}, {"JST", 9},
    };
    s = skip_ws(s);
    *off = 0;
    if (*s == '\0')
        return 1;   /* no zone: RFC 822 says local, feeds mean UTC */
    if (*s == '+' || *s == '-') {
        int sign = *s == '-' ? -1 : 1;
        s++;
        const char *t = s;
        int hh = num(&t, 2);
        if (hh < 0 || t - s != 2)
            return 0;
        if (*t == ':')
            t++;
        int mm = num(&t, 2);
        if (mm < 0)
            mm = 0;
        if (hh > 14 || mm > 59)
            return 0;
        *off = sign * (hh * 3600L + mm * 60L);
        return 1;
    }
    size_t n = 0;
    while (isalpha((unsigned char)s[n]))
        n++;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && strncasecmp(s, names[i].name, n) == 0) {
            *off = names[i].hours * 3600L;
            return 1;
        }
    return 0;
}

static int emit(int y, int mo, int d, int h, int mi, int sec, long off,
                int has_time, char out[21])
{
    if (y < 1800 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo))
        return 0;
    char tmp[64];
    if (!has_time) {
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, mo, d);
        memcpy(out, tmp, 11);
        return 1;
    }
    if (h < 0 || h > 24 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
        return 0;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec > 59 ? 59 : sec;
    time_t t = timegm(&tm) - off;
    struct tm u;
    if (!gmtime_r(&t, &u))
        return 0;
    int n = snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", u.tm_year + 1900,
                     u.tm_mon + 1, u.tm_mday, u.tm_hour, u.tm_min, u.tm_sec);
    if (n != 20)
        return 0;
    memcpy(out, tmp, 21);
    return 1;
}

/* hh:mm[:ss] */
static int clock_time(const char **sp, int *h, int *mi, int *sec)
{
    const char *s = *sp;
    *h = num(&s, 2);
    if (*h < 0 || *s != ':')
        return 0;
    s++;
    *mi = num(&s, 2);
    if (*mi < 0)
        return 0;
    *sec = 0;
    if (*s == ':') {
        s++;
        *sec = num(&s, 2);
        if (*sec < 0)
            return 0;
        if (*s == '.' || *s == ',')       /* fractions are dropped */
            for (s++; isdigit((unsigned char)*s); s++)
                ;
    }
    *sp = s;
    return 1;
}

static int iso(const char *s, char out[21])
{
    const char *t = s;
    int y = num(&t, 4);
    if (y < 0 || t - s != 4 || *t != '-')
        return 0;
    t++;
    int mo = num(&t, 2);
    int d = 1;
    if (mo < 0)
        return 0;
    if (*t == '-') {
        t++;
        d = num(&t, 2);
        if (d < 0)
            return 0;
    } else {
        return 0;   /* "2004-01" alone names a month, not a day */
    }
    if (*t != 'T' && *t != 't' && *t != ' ')
        return *skip_ws(t) == '\0' && emit(y, mo, d, 0, 0, 0, 0, 0, out);
    t++;
    int h, mi, sec;
    if (!clock_time(&t, &h, &mi, &sec))
        return 0;
    long off;
    if (!zone(t, &off))
        return 0;
    return emit(y, mo, d, h, mi, sec, off, 1, out);
}

/* RFC 822/1123 ("Thu, 01 Jan 2004 19:48:21 GMT"), RFC 850 ("Thursday,
 * 01-Jan-04 ..."), asctime ("Thu Jan  1 19:48:21 2004"). */
static int rfc822(const char *s, char out[21])
{
    s = skip_ws(s);
    if (isalpha((unsigned char)*s)) {     /* day name, or asctime month */
        while (isalpha((unsigned char)*s))
            s++;
        s = skip_ws(s);
        if (isalpha((unsigned char)*s)) { /* asctime: "Thu Jan  1 ..." */
            int mo = month_of(s);
            if (!mo)
                return 0;
            while (isalpha((unsigned char)*s))
                s++;
            s = skip_ws(s);
            int d = num(&s, 2);
            s = skip_ws(s);
            int h, mi, sec;
            if (d < 0 || !clock_time(&s, &h, &mi, &sec))
                return 0;
            s = skip_ws(s);
            int y = num(&s, 4);
            return y >= 0 && emit(y, mo, d, h, mi, sec, 0, 1, out);
        }
    }
    int d = num(&s, 2);
    if (d < 0)
        return 0;
    while (*s == ' ' || *s == '-')
        s++;
    int mo = month_of(s);
    if (!mo)
        return 0;
    while (isalpha((unsigned char)*s) || *s == '.')
        s++;
    while (*s == ' ' || *s == '-')
        s++;
    const char *ys = s;
    int y = num(&s, 4);
    if (y < 0)
        return 0;
    if (s - ys == 2)
        y += y < 50 ? 2000 : 1900;
    s = skip_ws(s);
    if (*s == '\0')
        return emit(y, mo, d, 0, 0, 0, 0, 0, out);
    int h, mi, sec;
    if (!clock_time(&s, &h, &mi, &sec))
        return 0;
    long off;
    if (!zone(s, &off))
        return 0;
    return emit(y, mo, d, h, mi, sec, off, 1, out);
}

int sr_ingest_date(const char *s, char out[21])
{
    if (!s)
        return 0;
    s = skip_ws(s);
    if (strlen(s) > 64)
        return 0;
    if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
        isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]))
        return iso(s, out);
    return rfc822(s, out);
}
