/*
 * banned.h: functions this project never calls, turned into compile errors (in the style of git's banned.h).
 * Each has a bounded or re-entrant replacement: snprintf, memcpy with a length, strtol/strtoul, gmtime_r is not
 * needed either (the library does its own calendar arithmetic, see core/time.c).
 */
#ifndef RS_BANNED_H
#define RS_BANNED_H

#define RS_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) RS_BANNED(strcpy)
#undef strcat
#define strcat(x, y) RS_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) RS_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) RS_BANNED(strncat)
#undef sprintf
#define sprintf(...) RS_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) RS_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) RS_BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) RS_BANNED(strtok_r)
#undef atoi
#define atoi(x) RS_BANNED(atoi)
#undef atol
#define atol(x) RS_BANNED(atol)
#undef gmtime
#define gmtime(t) RS_BANNED(gmtime)
#undef localtime
#define localtime(t) RS_BANNED(localtime)
#undef ctime
#define ctime(t) RS_BANNED(ctime)
#undef asctime
#define asctime(t) RS_BANNED(asctime)
#undef gets
#define gets(x) RS_BANNED(gets)

#endif
