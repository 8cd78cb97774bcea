/*
 * Arenas: bump allocation with one lifetime.  A statement, a batch or a
 * session owns an arena; everything allocated from it dies with one
 * tn_arena_reset or tn_arena_destroy, on success and on error alike, so
 * error paths cannot leak.  Resources that are not memory (files, readers,
 * locks) register a cleanup callback that runs, newest first, on reset and
 * destroy.
 *
 * Allocation returns NULL when memory runs out; callers turn that into
 * 53200 (tn_error_oom).  Allocations are 16-byte aligned (NUMERIC values
 * are __int128).
 */
#ifndef TN_COMMON_ARENA_H
#define TN_COMMON_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct tn_arena tn_arena;

/* A new arena; NULL when out of memory. */
tn_arena *tn_arena_create(void);
void tn_arena_destroy(tn_arena *arena);
/* Runs the cleanups and frees everything but the first block. */
void tn_arena_reset(tn_arena *arena);

void *tn_arena_alloc(tn_arena *arena, size_t size);
void *tn_arena_zalloc(tn_arena *arena, size_t size);
/* Grows an allocation made from arena (old_size bytes are kept). */
void *tn_arena_realloc(tn_arena *arena, void *ptr, size_t old_size, size_t new_size);
char *tn_arena_strdup(tn_arena *arena, const char *text);
char *tn_arena_strndup(tn_arena *arena, const char *text, size_t length);
char *tn_arena_printf(tn_arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *tn_arena_vprintf(tn_arena *arena, const char *fmt, va_list ap);

/* Registers fn(arg) to run when the arena is reset or destroyed.
 * Returns -1 when out of memory (and then runs nothing). */
int tn_arena_on_cleanup(tn_arena *arena, void (*fn)(void *arg), void *arg);

/* Bytes handed out since creation or the last reset (for memory limits). */
size_t tn_arena_used(const tn_arena *arena);

#endif
