/*
 * Functions that are easy to misuse are banned at compile time: using one
 * of them is a build error pointing here.  Use the bounded alternatives in
 * strparse.h and buf.h instead (the idea is git's banned.h).
 *
 * The Makefile force-includes this file (-include) into every C file it
 * compiles, so no file can forget it.  Because that puts it before any
 * other header, it first includes the headers that declare the banned
 * functions: their include guards keep the declarations from being seen
 * again after the macros below are defined.
 */
#ifndef BIEBSYNC_BASE_BANNED_H
#define BIEBSYNC_BASE_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef strtok
#define strtok(x, y) BANNED(strtok)

#endif
