/*
 * Page compression codecs over the Debian libraries: zstd, snappy (raw
 * block), gzip (RFC 1952 wrapper, concatenated members on read), LZ4_RAW
 * (bare block) and, read-only, the deprecated Hadoop-framed LZ4.  The
 * decompressor is told the exact size the page header promises and treats
 * any other outcome as corruption, so a lying header can neither overflow
 * the output nor leave part of it undefined.
 */
#include "storage/parquet/parquet_int.h"

#include <lz4.h>
#include <snappy-c.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

static int gzip_compress(int level, const uint8_t *data, size_t size, tn_buf *out);
static int gzip_decompress(const uint8_t *data, size_t size, uint8_t *out, size_t out_size);
static int lz4_hadoop_decompress(const uint8_t *data, size_t size, uint8_t *out, size_t out_size);

const char *tn_pq_codec_name(int codec)
{
    switch (codec) {
    case TN_PARQUET_UNCOMPRESSED: return "uncompressed";
    case TN_PARQUET_SNAPPY: return "snappy";
    case TN_PARQUET_GZIP: return "gzip";
    case TN_PARQUET_ZSTD: return "zstd";
    case TN_PARQUET_LZ4_RAW: return "lz4_raw";
    case PQ_CODEC_LZ4_HADOOP: return "lz4";
    default: return NULL;
    }
}

void tn_pq_codecs_free(tn_pq_codecs *codecs)
{
    ZSTD_freeCCtx(codecs->zstd_compress);
    ZSTD_freeDCtx(codecs->zstd_decompress);
    codecs->zstd_compress = NULL;
    codecs->zstd_decompress = NULL;
}

int tn_pq_compress(tn_pq_codecs *codecs, int codec, int level, const uint8_t *data, size_t size,
                   tn_buf *out)
{
    size_t bound;
    switch (codec) {
    case TN_PARQUET_UNCOMPRESSED: return tn_buf_append(out, data, size);
    case TN_PARQUET_ZSTD: {
        bound = ZSTD_compressBound(size);
        if (tn_buf_reserve(out, bound) != 0)
            return -1;
        if (codecs->zstd_compress == NULL && (codecs->zstd_compress = ZSTD_createCCtx()) == NULL)
            return -1;
        size_t n = ZSTD_compressCCtx(codecs->zstd_compress, out->data + out->length, bound, data, size,
                                     level ? level : 3);
        if (ZSTD_isError(n))
            return -1;
        out->length += n;
        return 0;
    }
    case TN_PARQUET_SNAPPY: {
        bound = snappy_max_compressed_length(size);
        if (tn_buf_reserve(out, bound) != 0)
            return -1;
        size_t n = bound;
        if (snappy_compress((const char *)data, size, out->data + out->length, &n) != SNAPPY_OK)
            return -1;
        out->length += n;
        return 0;
    }
    case TN_PARQUET_GZIP: return gzip_compress(level, data, size, out);
    case TN_PARQUET_LZ4_RAW: {
        if (size > LZ4_MAX_INPUT_SIZE)
            return -1;
        int lz4_bound = LZ4_compressBound((int)size);
        if (tn_buf_reserve(out, (size_t)lz4_bound) != 0)
            return -1;
        int n = LZ4_compress_default((const char *)data, out->data + out->length, (int)size, lz4_bound);
        if (n <= 0 && size > 0)
            return -1;
        out->length += (size_t)n;
        return 0;
    }
    default: return -1;
    }
}

static int gzip_compress(int level, const uint8_t *data, size_t size, tn_buf *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, level ? level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t bound = deflateBound(&zs, (uLong)size);
    int status = -1;
    if (tn_buf_reserve(out, bound) == 0) {
        zs.next_in = (Bytef *)data;
        zs.avail_in = (uInt)size;
        zs.next_out = (Bytef *)out->data + out->length;
        zs.avail_out = (uInt)bound;
        if (deflate(&zs, Z_FINISH) == Z_STREAM_END) {
            out->length += zs.total_out;
            status = 0;
        }
    }
    deflateEnd(&zs);
    return status;
}

static int gzip_decompress(const uint8_t *data, size_t size, uint8_t *out, size_t out_size)
{
    size_t produced = 0;
    /* Members are concatenated: inflate each until the input is used up. */
    while (size > 0) {
        z_stream zs;
        memset(&zs, 0, sizeof zs);
        if (inflateInit2(&zs, 15 + 32) != Z_OK)
            return -1;
        zs.next_in = (Bytef *)data;
        zs.avail_in = (uInt)size;
        zs.next_out = out + produced;
        zs.avail_out = (uInt)(out_size - produced);
        int status = inflate(&zs, Z_FINISH);
        size_t used = size - zs.avail_in;
        produced += zs.total_out;
        inflateEnd(&zs);
        if (status != Z_STREAM_END || used == 0)
            return -1;
        data += used;
        size -= used;
    }
    return produced == out_size ? 0 : -1;
}

/* Hadoop's framing: blocks of (BE u32 raw size, BE u32 compressed size, LZ4 block). */
static int lz4_hadoop_decompress(const uint8_t *data, size_t size, uint8_t *out, size_t out_size)
{
    size_t produced = 0;
    while (size > 0) {
        if (size < 8)
            return -1;
        uint32_t raw = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3];
        uint32_t packed = (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 | (uint32_t)data[6] << 8 | data[7];
        data += 8;
        size -= 8;
        if (packed > size || raw > out_size - produced || packed > INT32_MAX || raw > INT32_MAX)
            return -1;
        int n = LZ4_decompress_safe((const char *)data, (char *)out + produced, (int)packed, (int)raw);
        if (n < 0 || (uint32_t)n != raw)
            return -1;
        produced += raw;
        data += packed;
        size -= packed;
    }
    return produced == out_size ? 0 : -1;
}

int tn_pq_decompress(tn_pq_codecs *codecs, int codec, const uint8_t *data, size_t size, uint8_t *out,
                     size_t out_size, const char **defect)
{
    int status = -1;
    switch (codec) {
    case TN_PARQUET_UNCOMPRESSED:
        if (size == out_size) {
            memcpy(out, data, size);
            status = 0;
        }
        break;
    case TN_PARQUET_ZSTD: {
        if (codecs->zstd_decompress == NULL && (codecs->zstd_decompress = ZSTD_createDCtx()) == NULL) {
            *defect = "out of memory for the zstd decoder";
            return -1;
        }
        size_t n = ZSTD_decompressDCtx(codecs->zstd_decompress, out, out_size, data, size);
        status = !ZSTD_isError(n) && n == out_size ? 0 : -1;
        break;
    }
    case TN_PARQUET_SNAPPY: {
        size_t n;
        if (snappy_uncompressed_length((const char *)data, size, &n) == SNAPPY_OK && n == out_size) {
            n = out_size;
            status = snappy_uncompress((const char *)data, size, (char *)out, &n) == SNAPPY_OK &&
                             n == out_size ? 0 : -1;
        }
        break;
    }
    case TN_PARQUET_GZIP: status = gzip_decompress(data, size, out, out_size); break;
    case TN_PARQUET_LZ4_RAW:
        if (size <= INT32_MAX && out_size <= INT32_MAX) {
            int n = LZ4_decompress_safe((const char *)data, (char *)out, (int)size, (int)out_size);
            status = n >= 0 && (size_t)n == out_size ? 0 : -1;
        }
        break;
    case PQ_CODEC_LZ4_HADOOP:
        status = lz4_hadoop_decompress(data, size, out, out_size);
        /* Some writers used LZ4 (5) for bare blocks: accept those too. */
        if (status != 0 && size <= INT32_MAX && out_size <= INT32_MAX) {
            int n = LZ4_decompress_safe((const char *)data, (char *)out, (int)size, (int)out_size);
            status = n >= 0 && (size_t)n == out_size ? 0 : -1;
        }
        break;
    default:
        *defect = "page uses an unsupported compression codec";
        return -1;
    }
    if (status != 0)
        *defect = "page does not decompress to its recorded size";
    return status;
}
