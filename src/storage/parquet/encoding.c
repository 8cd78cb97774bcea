/*
 * Parquet value encodings that are more than a memcpy: the RLE/bit-packing
 * hybrid (levels, dictionary indices, booleans), DELTA_BINARY_PACKED and
 * the two byte-array encodings built on it, and BYTE_STREAM_SPLIT.  The
 * writer only needs the hybrid's encoder; everything else is read-only
 * because tarn writes PLAIN + RLE_DICTIONARY.
 *
 * Every decoder is told how many values it must produce and how many bytes
 * it may read, and fails with a defect rather than running past either.
 * Delta arithmetic is done in uint64_t: wraparound is part of the format.
 */
#include "storage/parquet/parquet_int.h"

#include <string.h>

static uint64_t read_bits(const uint8_t *data, size_t bit_offset, int width);
static int read_uleb(const uint8_t **pos, const uint8_t *end, uint64_t *out);
static void flush_bit_packed(tn_buf *out, const uint32_t *values, size_t count, int bit_width, int *failed);

int tn_pq_bit_width(uint64_t max_value)
{
    int width = 0;
    while (max_value != 0) {
        width++;
        max_value >>= 1;
    }
    return width;
}

/* Value of width bits starting at bit_offset, least significant bit first.
 * The caller guarantees the bytes exist. */
static uint64_t read_bits(const uint8_t *data, size_t bit_offset, int width)
{
    uint64_t value = 0;
    int produced = 0;
    size_t byte = bit_offset >> 3;
    int shift = (int)(bit_offset & 7);
    while (produced < width) {
        int take = 8 - shift;
        if (take > width - produced)
            take = width - produced;
        uint64_t bits = (uint64_t)(data[byte] >> shift) & ((1u << take) - 1);
        value |= bits << produced;
        produced += take;
        shift = 0;
        byte++;
    }
    return value;
}

static int read_uleb(const uint8_t **pos, const uint8_t *end, uint64_t *out)
{
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*pos >= end)
            return -1;
        uint8_t byte = *(*pos)++;
        value |= (uint64_t)(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0) {
            *out = value;
            return 0;
        }
    }
    return -1;
}

/* ---- RLE / bit-packing hybrid ---- */

int tn_pq_rle_decode(const uint8_t *data, size_t size, int bit_width, uint32_t *out, size_t count,
                     const char **defect)
{
    const uint8_t *pos = data, *end = data + size;
    size_t done = 0;
    if (bit_width < 0 || bit_width > 32) {
        *defect = "RLE bit width is larger than 32";
        return -1;
    }
    size_t value_bytes = ((size_t)bit_width + 7) / 8;
    while (done < count) {
        uint64_t header;
        if (read_uleb(&pos, end, &header) != 0) {
            *defect = "RLE data ends before all values were read";
            return -1;
        }
        if ((header & 1) == 0) {
            uint64_t run = header >> 1;
            if (run == 0 || (size_t)(end - pos) < value_bytes) {
                *defect = run == 0 ? "RLE run has length zero" : "RLE data ends inside a run";
                return -1;
            }
            uint32_t value = 0;
            for (size_t i = 0; i < value_bytes; i++)
                value |= (uint32_t)pos[i] << (8 * i);
            pos += value_bytes;
            if (bit_width < 32 && (value >> bit_width) != 0) {
                *defect = "RLE run value exceeds its bit width";
                return -1;
            }
            size_t take = run < count - done ? (size_t)run : count - done;
            for (size_t i = 0; i < take; i++)
                out[done + i] = value;
            done += take;
        } else {
            uint64_t groups = header >> 1;
            /* Checked before multiplying so that a hostile count cannot wrap. */
            if (groups == 0 || groups > ((uint64_t)1 << 31) ||
                (bit_width > 0 && groups > (uint64_t)(end - pos) / (uint64_t)bit_width)) {
                *defect = "bit-packed run exceeds the data";
                return -1;
            }
            size_t bytes = (size_t)groups * (size_t)bit_width;
            size_t values = (size_t)groups * 8;
            size_t take = values < count - done ? values : count - done;
            for (size_t i = 0; i < take; i++)
                out[done + i] = bit_width ? (uint32_t)read_bits(pos, i * (size_t)bit_width, bit_width) : 0;
            done += take;
            pos += bytes;
        }
    }
    return 0;
}

static void flush_bit_packed(tn_buf *out, const uint32_t *values, size_t count, int bit_width, int *failed)
{
    size_t groups = (count + 7) / 8;
    uint8_t header[10];
    int n = 0;
    uint64_t h = (uint64_t)groups << 1 | 1;
    while (h >= 0x80) {
        header[n++] = (uint8_t)(h | 0x80);
        h >>= 7;
    }
    header[n++] = (uint8_t)h;
    size_t bytes = groups * (size_t)bit_width;
    if (tn_buf_append(out, header, (size_t)n) != 0 || tn_buf_reserve(out, bytes) != 0) {
        *failed = 1;
        return;
    }
    uint8_t *dst = (uint8_t *)out->data + out->length;
    memset(dst, 0, bytes);
    for (size_t i = 0; i < count; i++) {
        size_t bit = i * (size_t)bit_width;
        for (int b = 0; b < bit_width; b++, bit++) {
            if ((values[i] >> b) & 1)
                dst[bit >> 3] |= (uint8_t)(1u << (bit & 7));
        }
    }
    out->length += bytes;
}

/* Runs of 8 or more equal values become RLE runs; everything else goes into
 * bit-packed groups of 8 (the last group padded with zeros). */
int tn_pq_rle_encode(tn_buf *out, const uint32_t *values, size_t count, int bit_width)
{
    int failed = 0;
    size_t i = 0, packed_start = 0;
    size_t value_bytes = ((size_t)bit_width + 7) / 8;
    while (i < count) {
        size_t run = 1;
        while (i + run < count && values[i + run] == values[i])
            run++;
        /* A repeat only starts an RLE run on a group boundary of the
         * pending bit-packed values, so groups stay whole. */
        if (run >= 8 && (i - packed_start) % 8 == 0) {
            if (i > packed_start)
                flush_bit_packed(out, values + packed_start, i - packed_start, bit_width, &failed);
            uint8_t bytes[16];
            int n = 0;
            uint64_t h = (uint64_t)run << 1;
            while (h >= 0x80) {
                bytes[n++] = (uint8_t)(h | 0x80);
                h >>= 7;
            }
            bytes[n++] = (uint8_t)h;
            for (size_t b = 0; b < value_bytes; b++)
                bytes[n++] = (uint8_t)(values[i] >> (8 * b));
            if (tn_buf_append(out, bytes, (size_t)n) != 0)
                failed = 1;
            i += run;
            packed_start = i;
        } else {
            i += run < 8 ? run : (8 - (i - packed_start) % 8);
        }
    }
    if (count > packed_start)
        flush_bit_packed(out, values + packed_start, count - packed_start, bit_width, &failed);
    return failed ? -1 : 0;
}

/* ---- DELTA_BINARY_PACKED ---- */

int tn_pq_delta_decode(const uint8_t *data, size_t size, int64_t *out, size_t count,
                       size_t *consumed, const char **defect)
{
    const uint8_t *pos = data, *end = data + size;
    uint64_t block_size, miniblocks, total, first_raw;
    if (read_uleb(&pos, end, &block_size) != 0 || read_uleb(&pos, end, &miniblocks) != 0 ||
        read_uleb(&pos, end, &total) != 0 || read_uleb(&pos, end, &first_raw) != 0) {
        *defect = "delta header is truncated";
        return -1;
    }
    if (block_size == 0 || block_size % 128 != 0 || block_size > 65536 || miniblocks == 0 ||
        block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
        *defect = "delta header has invalid block sizes";
        return -1;
    }
    if (total < count) {
        *defect = "delta data holds fewer values than the page";
        return -1;
    }
    size_t per_miniblock = (size_t)(block_size / miniblocks);
    uint64_t value = (first_raw >> 1) ^ (~(first_raw & 1) + 1);
    size_t done = 0;
    if (count > 0)
        out[done++] = (int64_t)value;
    /* Read blocks until all total values are passed, so that *consumed is
     * the end of the stream even when the caller needs fewer. */
    uint64_t remaining = total > 0 ? total - 1 : 0;
    while (remaining > 0) {
        uint64_t min_raw;
        if (read_uleb(&pos, end, &min_raw) != 0 || (uint64_t)(end - pos) < miniblocks) {
            *defect = "delta block header is truncated";
            return -1;
        }
        uint64_t min_delta = (min_raw >> 1) ^ (~(min_raw & 1) + 1);
        const uint8_t *widths = pos;
        pos += miniblocks;
        for (uint64_t m = 0; m < miniblocks && remaining > 0; m++) {
            int width = widths[m];
            if (width > 64) {
                *defect = "delta miniblock bit width is larger than 64";
                return -1;
            }
            size_t bytes = per_miniblock * (size_t)width / 8;
            if ((size_t)(end - pos) < bytes) {
                *defect = "delta miniblock exceeds the data";
                return -1;
            }
            size_t take = remaining < per_miniblock ? (size_t)remaining : per_miniblock;
            /* Past the values the caller needs only the bytes are skipped,
             * so a huge claimed total cannot cost time. */
            for (size_t i = 0; i < take && done < count; i++) {
                uint64_t delta = width ? read_bits(pos, i * (size_t)width, width) : 0;
                value += min_delta + delta;
                out[done++] = (int64_t)value;
            }
            remaining -= take;
            pos += bytes;
        }
    }
    *consumed = (size_t)(pos - data);
    return 0;
}

/* ---- byte arrays ---- */

int tn_pq_delta_length_decode(const uint8_t *data, size_t size, pq_bytes *out, size_t count,
                              tn_arena *arena, const char **defect)
{
    size_t consumed;
    int64_t *lengths = tn_arena_alloc(arena, sizeof(int64_t) * (count ? count : 1));
    if (lengths == NULL) {
        *defect = "out of memory";
        return -1;
    }
    if (tn_pq_delta_decode(data, size, lengths, count, &consumed, defect) != 0)
        return -1;
    const uint8_t *pos = data + consumed;
    size_t left = size - consumed;
    for (size_t i = 0; i < count; i++) {
        if (lengths[i] < 0 || (uint64_t)lengths[i] > left) {
            *defect = "byte array length exceeds the data";
            return -1;
        }
        out[i].data = pos;
        out[i].length = (uint32_t)lengths[i];
        pos += lengths[i];
        left -= (size_t)lengths[i];
    }
    return 0;
}

int tn_pq_delta_byte_array_decode(const uint8_t *data, size_t size, pq_bytes *out, size_t count,
                                  tn_arena *arena, const char **defect)
{
    size_t consumed;
    int64_t *prefixes = tn_arena_alloc(arena, sizeof(int64_t) * (count ? count : 1));
    if (prefixes == NULL) {
        *defect = "out of memory";
        return -1;
    }
    if (tn_pq_delta_decode(data, size, prefixes, count, &consumed, defect) != 0)
        return -1;
    if (tn_pq_delta_length_decode(data + consumed, size - consumed, out, count, arena, defect) != 0)
        return -1;
    const uint8_t *previous = NULL;
    uint32_t previous_length = 0;
    for (size_t i = 0; i < count; i++) {
        if (prefixes[i] < 0 || (uint64_t)prefixes[i] > previous_length) {
            *defect = "byte array prefix is longer than the previous value";
            return -1;
        }
        uint32_t prefix = (uint32_t)prefixes[i];
        uint64_t length = (uint64_t)prefix + out[i].length;
        if (length > UINT32_MAX) {
            *defect = "byte array value is too long";
            return -1;
        }
        uint8_t *value = tn_arena_alloc(arena, length ? (size_t)length : 1);
        if (value == NULL) {
            *defect = "out of memory";
            return -1;
        }
        if (prefix > 0)
            memcpy(value, previous, prefix);
        if (out[i].length > 0)
            memcpy(value + prefix, out[i].data, out[i].length);
        out[i].data = value;
        out[i].length = (uint32_t)length;
        previous = value;
        previous_length = (uint32_t)length;
    }
    return 0;
}

int tn_pq_byte_stream_split_decode(const uint8_t *data, size_t size, int width, size_t count,
                                   uint8_t *out, const char **defect)
{
    if (width <= 0 || size / (size_t)width < count) {
        *defect = "byte-stream-split data is shorter than the page";
        return -1;
    }
    /* The stream holds N values, N = size / width; it may be longer than
     * count when the page has nulls counted elsewhere. */
    size_t stream = size / (size_t)width;
    for (size_t i = 0; i < count; i++) {
        for (int b = 0; b < width; b++)
            out[i * (size_t)width + (size_t)b] = data[(size_t)b * stream + i];
    }
    return 0;
}
