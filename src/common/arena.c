/*
 * Arena allocator.  Blocks grow geometrically up to 1 MiB; a request larger
 * than a quarter of the block size gets a block of its own, so big vectors
 * do not waste the tail of a shared block.  Reset keeps the first block to
 * make per-batch arenas cheap.
 */
#include "common/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_FIRST_BLOCK 4096
#define ARENA_MAX_BLOCK (1u << 20)

typedef struct arena_block {
    struct arena_block *next;
    size_t size; /* usable bytes in data */
    size_t used;
    _Alignas(16) unsigned char data[];
} arena_block;

typedef struct arena_cleanup {
    struct arena_cleanup *next;
    void (*fn)(void *arg);
    void *arg;
} arena_cleanup;

struct tn_arena {
    arena_block *blocks;  /* newest first; the last one is the first block */
    arena_cleanup *cleanups;
    size_t next_block_size;
    size_t used;
};

static arena_block *new_block(size_t size);
static void run_cleanups(tn_arena *arena);

static arena_block *new_block(size_t size)
{
    arena_block *block = malloc(sizeof(arena_block) + size);
    if (block == NULL)
        return NULL;
    block->next = NULL;
    block->size = size;
    block->used = 0;
    return block;
}

tn_arena *tn_arena_create(void)
{
    tn_arena *arena = malloc(sizeof(tn_arena));
    if (arena == NULL)
        return NULL;
    arena->blocks = new_block(ARENA_FIRST_BLOCK);
    if (arena->blocks == NULL) {
        free(arena);
        return NULL;
    }
    arena->cleanups = NULL;
    arena->next_block_size = ARENA_FIRST_BLOCK * 2;
    arena->used = 0;
    return arena;
}

static void run_cleanups(tn_arena *arena)
{
    while (arena->cleanups != NULL) {
        arena_cleanup *cleanup = arena->cleanups;
        arena->cleanups = cleanup->next;
        cleanup->fn(cleanup->arg);
        free(cleanup);
    }
}

void tn_arena_reset(tn_arena *arena)
{
    if (arena == NULL)
        return;
    run_cleanups(arena);
    while (arena->blocks->next != NULL) {
        arena_block *block = arena->blocks;
        arena->blocks = block->next;
        free(block);
    }
    arena->blocks->used = 0;
    arena->used = 0;
}

void tn_arena_destroy(tn_arena *arena)
{
    if (arena == NULL)
        return;
    run_cleanups(arena);
    while (arena->blocks != NULL) {
        arena_block *block = arena->blocks;
        arena->blocks = block->next;
        free(block);
    }
    free(arena);
}

void *tn_arena_alloc(tn_arena *arena, size_t size)
{
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (rounded < size)
        return NULL;
    if (rounded == 0)
        rounded = ARENA_ALIGN;
    arena_block *block = arena->blocks;
    if (block->size - block->used < rounded) {
        arena_block *fresh;
        if (rounded > arena->next_block_size / 4) {
            /* Large request: a block of its own, kept behind the current one. */
            fresh = new_block(rounded);
            if (fresh == NULL)
                return NULL;
            fresh->used = rounded;
            fresh->next = block->next;
            block->next = fresh;
            arena->used += rounded;
            return fresh->data;
        }
        fresh = new_block(arena->next_block_size);
        if (fresh == NULL)
            return NULL;
        if (arena->next_block_size < ARENA_MAX_BLOCK)
            arena->next_block_size *= 2;
        fresh->next = block;
        arena->blocks = fresh;
        block = fresh;
    }
    void *ptr = block->data + block->used;
    block->used += rounded;
    arena->used += rounded;
    return ptr;
}

void *tn_arena_zalloc(tn_arena *arena, size_t size)
{
    void *ptr = tn_arena_alloc(arena, size);
    if (ptr != NULL)
        memset(ptr, 0, size);
    return ptr;
}

void *tn_arena_realloc(tn_arena *arena, void *ptr, size_t old_size, size_t new_size)
{
    if (new_size <= old_size)
        return ptr;
    void *fresh = tn_arena_alloc(arena, new_size);
    if (fresh != NULL && ptr != NULL)
        memcpy(fresh, ptr, old_size);
    return fresh;
}

char *tn_arena_strndup(tn_arena *arena, const char *text, size_t length)
{
    char *copy = tn_arena_alloc(arena, length + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

char *tn_arena_strdup(tn_arena *arena, const char *text)
{
    return tn_arena_strndup(arena, text, strlen(text));
}

char *tn_arena_vprintf(tn_arena *arena, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int length = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (length < 0)
        return NULL;
    char *text = tn_arena_alloc(arena, (size_t)length + 1);
    if (text != NULL)
        vsnprintf(text, (size_t)length + 1, fmt, ap);
    return text;
}

char *tn_arena_printf(tn_arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = tn_arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return text;
}

int tn_arena_on_cleanup(tn_arena *arena, void (*fn)(void *arg), void *arg)
{
    arena_cleanup *cleanup = malloc(sizeof(arena_cleanup));
    if (cleanup == NULL)
        return -1;
    cleanup->fn = fn;
    cleanup->arg = arg;
    cleanup->next = arena->cleanups;
    arena->cleanups = cleanup;
    return 0;
}

size_t tn_arena_used(const tn_arena *arena)
{
    return arena->used;
}
