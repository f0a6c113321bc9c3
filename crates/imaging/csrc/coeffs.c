/*
 * JPEG → JPEG in the DCT domain with libjpeg's coefficient API: read the source's quantised
 * coefficients, turn them by 180° (or not), requantise them for the new quality, write them.
 * No inverse or forward DCT, no colour conversion or resampling: only entropy decoding and
 * encoding, which is where the speed comes from.
 *
 * Everything happens inside one call, dm_transcode: libjpeg reports fatal errors through
 * error_exit, which here longjmps back into dm_transcode (the only function that calls
 * libjpeg), so the jump never crosses a frame of the Rust caller. libjpeg's default
 * error_exit would call exit(), and its default emit_message would print warnings to stderr.
 */

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jpeglib.h"
#include "jerror.h"

#include "coeffs.h"

/* Largest magnitudes the baseline Huffman encoder accepts for 8-bit data (jchuff.c: an AC
 * coefficient has at most 10 bits; a DC difference at most 11, so DC values in
 * [-1024, 1023] keep every difference in range). A real image's coefficients fit (a
 * dequantised coefficient of 8-bit samples is at most 1024 in magnitude); only corrupt or
 * crafted files reach these, and clamping them beats refusing a file the full path decodes. */
#define AC_LIMIT 1023
#define DC_MIN (-1024)
#define DC_MAX 1023
/* Products are cut here before the conversion to integer, which is then always in range. */
#define PRODUCT_LIMIT 2048.0f

struct job;

struct error_mgr {
  struct jpeg_error_mgr pub;
  struct job *job;
};

struct dest_mgr {
  struct jpeg_destination_mgr pub;
  struct job *job;
};

/* All state lives on the heap: after a longjmp, automatic variables of dm_transcode changed
 * since setjmp would be indeterminate; this pointer is set before setjmp and never changed. */
struct job {
  jmp_buf jump;
  struct jpeg_decompress_struct src;
  struct jpeg_compress_struct dst;
  struct error_mgr src_err;
  struct error_mgr dst_err;
  struct dest_mgr dest;
  struct jpeg_progress_mgr progress;
  int src_created;
  int dst_created;
  int scan_limit;
  /* The first warning, as libjpeg-turbo's own TurboJPEG API keeps it. */
  int warned;
  int warning_code;
  int warning_parm;
  char warning[JMSG_LENGTH_MAX];
  /* Set by error_exit. */
  int status;
  char message[JMSG_LENGTH_MAX];
  unsigned char *out;
  size_t out_capacity;
  size_t out_size;
};

/* Per-component requantisation: out = round(in · from / to), in single precision with one
 * multiplication by from/to (so no fused multiply-add can change the result from one machine
 * to another), rounded to nearest with ties to even (the default rounding mode, which Rust
 * never changes). Exact when from == to (the factor is 1). The 180° turn's sign is folded into
 * the factor: rounding to nearest-even is symmetric, so that is the same as negating after. */
struct plan {
  float factor[DCTSIZE2];
  int16_t low[DCTSIZE2];
  int16_t high[DCTSIZE2];
};

static struct job *job_of(j_common_ptr cinfo)
{
  return ((struct error_mgr *)cinfo->err)->job;
}

static void error_exit(j_common_ptr cinfo)
{
  struct job *job = job_of(cinfo);
  (*cinfo->err->format_message)(cinfo, job->message);
  job->status = cinfo->is_decompressor ? DM_DECODE : DM_ENCODE;
  longjmp(job->jump, 1);
}

static void emit_message(j_common_ptr cinfo, int msg_level)
{
  struct job *job = job_of(cinfo);
  if (msg_level >= 0)
    return; /* trace messages */
  if (!job->warned) {
    job->warned = 1;
    job->warning_code = cinfo->err->msg_code;
    job->warning_parm = cinfo->err->msg_parm.i[1];
    (*cinfo->err->format_message)(cinfo, job->warning);
  }
  cinfo->err->num_warnings++;
}

/* The scan limit of the full path (set_scan_limit), with TurboJPEG's message. */
static void progress_monitor(j_common_ptr cinfo)
{
  struct job *job = job_of(cinfo);
  if (cinfo->is_decompressor &&
      ((j_decompress_ptr)cinfo)->input_scan_number > job->scan_limit) {
    snprintf(job->message, sizeof job->message,
             "Progressive JPEG image has more than %d scans", job->scan_limit);
    job->status = DM_DECODE;
    longjmp(job->jump, 1);
  }
}

static void init_destination(j_compress_ptr cinfo)
{
  struct job *job = ((struct dest_mgr *)cinfo->dest)->job;
  cinfo->dest->next_output_byte = job->out;
  cinfo->dest->free_in_buffer = job->out_capacity;
}

static boolean empty_output_buffer(j_compress_ptr cinfo)
{
  struct job *job = ((struct dest_mgr *)cinfo->dest)->job;
  /* libjpeg calls this only with the buffer full. */
  size_t used = job->out_capacity;
  size_t capacity = used * 2;
  unsigned char *grown = capacity > used ? realloc(job->out, capacity) : NULL;
  if (grown == NULL)
    ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 20);
  job->out = grown;
  job->out_capacity = capacity;
  cinfo->dest->next_output_byte = grown + used;
  cinfo->dest->free_in_buffer = capacity - used;
  return TRUE;
}

static void term_destination(j_compress_ptr cinfo)
{
  struct job *job = ((struct dest_mgr *)cinfo->dest)->job;
  job->out_size = job->out_capacity - cinfo->dest->free_in_buffer;
}

/* The layouts the full path writes (TurboJPEG's, by its luma sampling factors with 1×1
 * chroma): a file laid out otherwise is re-encoded by the full path, so that both give the
 * same kind of file. */
static int standard_layout(j_decompress_ptr src)
{
  static const int factors[][2] = {{1, 1}, {2, 1}, {2, 2}, {1, 2}, {4, 1}, {1, 4}};
  size_t i;
  if (src->jpeg_color_space == JCS_GRAYSCALE && src->num_components == 1)
    return src->comp_info[0].h_samp_factor == 1 && src->comp_info[0].v_samp_factor == 1;
  if (src->jpeg_color_space != JCS_YCbCr || src->num_components != 3)
    return 0;
  for (i = 1; i < 3; i++)
    if (src->comp_info[i].h_samp_factor != 1 || src->comp_info[i].v_samp_factor != 1)
      return 0;
  for (i = 0; i < sizeof factors / sizeof factors[0]; i++)
    if (src->comp_info[0].h_samp_factor == factors[i][0] &&
        src->comp_info[0].v_samp_factor == factors[i][1])
      return 1;
  return 0;
}

/* A plane turns by reversing its blocks only when its last block column and row are whole:
 * its sample width and height are multiples of 8 (for the standard layouts: the image's size
 * is a multiple of the MCU size). */
static int turns_exactly(j_decompress_ptr src)
{
  int ci;
  for (ci = 0; ci < src->num_components; ci++) {
    jpeg_component_info *comp = &src->comp_info[ci];
    if (comp->downsampled_width % DCTSIZE != 0 || comp->downsampled_height % DCTSIZE != 0)
      return 0;
  }
  return 1;
}

static void make_plan(struct plan *plan, const JQUANT_TBL *from, const JQUANT_TBL *to, int turn)
{
  int k;
  for (k = 0; k < DCTSIZE2; k++) {
    int u = k % DCTSIZE, v = k / DCTSIZE;
    float factor = (float)from->quantval[k] / (float)to->quantval[k];
    plan->factor[k] = (turn && ((u + v) & 1)) ? -factor : factor;
    plan->low[k] = k == 0 ? DC_MIN : -AC_LIMIT;
    plan->high[k] = k == 0 ? DC_MAX : AC_LIMIT;
  }
}

/* `out` may be `in`: each group of coefficients is read before it is written. */
#if defined(__SSE2__)
#include <emmintrin.h>

/* SSE2 is part of x86-64; cvtps2dq rounds as lrintf does. */
static void requantise(JCOEF *out, const JCOEF *in, const struct plan *restrict plan)
{
  const __m128 top = _mm_set1_ps(PRODUCT_LIMIT), bottom = _mm_set1_ps(-PRODUCT_LIMIT);
  int k;
  for (k = 0; k < DCTSIZE2; k += 8) {
    __m128i values = _mm_loadu_si128((const __m128i *)(in + k));
    __m128 first = _mm_cvtepi32_ps(_mm_srai_epi32(_mm_unpacklo_epi16(values, values), 16));
    __m128 second = _mm_cvtepi32_ps(_mm_srai_epi32(_mm_unpackhi_epi16(values, values), 16));
    __m128i result;
    first = _mm_mul_ps(first, _mm_loadu_ps(plan->factor + k));
    second = _mm_mul_ps(second, _mm_loadu_ps(plan->factor + k + 4));
    first = _mm_min_ps(_mm_max_ps(first, bottom), top);
    second = _mm_min_ps(_mm_max_ps(second, bottom), top);
    result = _mm_packs_epi32(_mm_cvtps_epi32(first), _mm_cvtps_epi32(second));
    result = _mm_max_epi16(result, _mm_loadu_si128((const __m128i *)(plan->low + k)));
    result = _mm_min_epi16(result, _mm_loadu_si128((const __m128i *)(plan->high + k)));
    _mm_storeu_si128((__m128i *)(out + k), result);
  }
}
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_VARIANT 1

/* The same arithmetic on 16 coefficients at a time, for machines that have AVX2 (checked at run
 * time): twice as fast, the same results bit for bit (no fused multiply-add is used). */
__attribute__((target("avx2")))
static void requantise_avx2(JCOEF *out, const JCOEF *in, const struct plan *restrict plan)
{
  const __m256 top = _mm256_set1_ps(PRODUCT_LIMIT), bottom = _mm256_set1_ps(-PRODUCT_LIMIT);
  int k;
  for (k = 0; k < DCTSIZE2; k += 16) {
    __m256i values = _mm256_loadu_si256((const __m256i *)(in + k));
    __m256 first = _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(values)));
    __m256 second =
      _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm256_extracti128_si256(values, 1)));
    __m256i result;
    first = _mm256_mul_ps(first, _mm256_loadu_ps(plan->factor + k));
    second = _mm256_mul_ps(second, _mm256_loadu_ps(plan->factor + k + 8));
    first = _mm256_min_ps(_mm256_max_ps(first, bottom), top);
    second = _mm256_min_ps(_mm256_max_ps(second, bottom), top);
    /* packs works within 128-bit lanes; the permutation puts the four quarters in order. */
    result = _mm256_packs_epi32(_mm256_cvtps_epi32(first), _mm256_cvtps_epi32(second));
    result = _mm256_permute4x64_epi64(result, 0xD8);
    result = _mm256_max_epi16(result, _mm256_loadu_si256((const __m256i *)(plan->low + k)));
    result = _mm256_min_epi16(result, _mm256_loadu_si256((const __m256i *)(plan->high + k)));
    _mm256_storeu_si256((__m256i *)(out + k), result);
  }
}
#endif
#else
#include <math.h>

static void requantise(JCOEF *out, const JCOEF *in, const struct plan *restrict plan)
{
  int k;
  for (k = 0; k < DCTSIZE2; k++) {
    float product = (float)in[k] * plan->factor[k];
    long value;
    product = product > PRODUCT_LIMIT ? PRODUCT_LIMIT : product;
    product = product < -PRODUCT_LIMIT ? -PRODUCT_LIMIT : product;
    value = lrintf(product);
    value = value > plan->high[k] ? plan->high[k] : value;
    value = value < plan->low[k] ? plan->low[k] : value;
    out[k] = (JCOEF)value;
  }
}
#endif

typedef void (*requantiser)(JCOEF *out, const JCOEF *in, const struct plan *restrict plan);

static requantiser pick_requantiser(void)
{
#ifdef HAVE_AVX2_VARIANT
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2"))
    return requantise_avx2;
#endif
  return requantise;
}

static JBLOCKROW block_row(struct job *job, jvirt_barray_ptr array, JDIMENSION row)
{
  return (*job->src.mem->access_virt_barray)((j_common_ptr)&job->src, array, row, 1, TRUE)[0];
}

/* Requantises one component in place; with `turn`, also moves block (x, y) to
 * (width − 1 − x, height − 1 − y). The arrays are wholly in memory (libjpeg-turbo's memory
 * manager never swaps to disk), so row pointers taken one after the other stay valid. */
static void transform_component(struct job *job, jvirt_barray_ptr array,
                                const jpeg_component_info *comp, const struct plan *plan,
                                requantiser requantise_one, int turn)
{
  JDIMENSION width = comp->width_in_blocks, height = comp->height_in_blocks;
  JDIMENSION y, x;
  JBLOCK held;
  if (!turn) {
    for (y = 0; y < height; y++) {
      JBLOCKROW row = block_row(job, array, y);
      for (x = 0; x < width; x++)
        requantise_one(row[x], row[x], plan);
    }
    return;
  }
  for (y = 0; y < (height + 1) / 2; y++) {
    JBLOCKROW top = block_row(job, array, y);
    JBLOCKROW bottom = block_row(job, array, height - 1 - y);
    if (top == bottom) {
      /* The middle row of an odd height: turned within itself. */
      for (x = 0; x < (width + 1) / 2; x++) {
        JDIMENSION mirror = width - 1 - x;
        memcpy(held, top[x], sizeof held);
        requantise_one(top[x], top[mirror], plan);
        if (mirror != x)
          requantise_one(top[mirror], held, plan);
      }
      continue;
    }
    for (x = 0; x < width; x++) {
      JDIMENSION mirror = width - 1 - x;
      memcpy(held, top[x], sizeof held);
      requantise_one(top[x], bottom[mirror], plan);
      requantise_one(bottom[mirror], held, plan);
    }
  }
}

static int harmless(const struct job *job)
{
  /* Junk between the last scan and the end marker (some cameras write it) leaves every
   * coefficient intact; the full path lets it through too. */
  return job->warning_code == JWRN_EXTRANEOUS_DATA && job->warning_parm == JPEG_EOI;
}

static void fail(struct dm_result *result, int status, const char *message)
{
  result->status = status;
  snprintf(result->message, sizeof result->message, "%s", message);
}

static void run(struct job *job, const struct dm_request *request, struct dm_result *result)
{
  j_decompress_ptr src = &job->src;
  j_compress_ptr dst = &job->dst;
  jvirt_barray_ptr *arrays;
  requantiser requantise_block = pick_requantiser();
  int ci;

  src->err = jpeg_std_error(&job->src_err.pub);
  job->src_err.pub.error_exit = error_exit;
  job->src_err.pub.emit_message = emit_message;
  job->src_err.job = job;
  jpeg_create_decompress(src);
  job->src_created = 1;
  job->progress.progress_monitor = progress_monitor;
  src->progress = &job->progress;
  jpeg_mem_src(src, request->source, (unsigned long)request->length);
  jpeg_read_header(src, TRUE);

  if ((unsigned long long)src->image_width * src->image_height > request->max_pixels) {
    result->status = DM_TOO_LARGE;
    result->width = src->image_width;
    result->height = src->image_height;
    return;
  }
  if (src->data_precision != 8 || !standard_layout(src) || (request->turn && !turns_exactly(src))) {
    result->status = DM_INELIGIBLE;
    return;
  }

  arrays = jpeg_read_coefficients(src);
  if (arrays == NULL) {
    /* Only a suspending data source returns early, and the memory source never suspends. */
    result->status = DM_INELIGIBLE;
    return;
  }
  if (job->warned && !harmless(job)) {
    fail(result, DM_DECODE, job->warning);
    return;
  }
  for (ci = 0; ci < src->num_components; ci++) {
    /* A component no scan carried has no table: the full path decides what that means. */
    if (src->comp_info[ci].quant_table == NULL) {
      result->status = DM_INELIGIBLE;
      return;
    }
  }

  dst->err = jpeg_std_error(&job->dst_err.pub);
  job->dst_err.pub.error_exit = error_exit;
  job->dst_err.pub.emit_message = emit_message;
  job->dst_err.job = job;
  jpeg_create_compress(dst);
  job->dst_created = 1;
  /* The same parameters as TurboJPEG's compressor in the full path: its defaults (JFIF 1.01,
   * density 1:1, standard Huffman tables, no optimisation, baseline), the quality's standard
   * tables with luma on table 0 and chroma on table 1, component ids 1, 2, 3 — set from
   * scratch rather than copied (jpeg_copy_critical_parameters), so nothing of the source's
   * header carries over. */
  dst->image_width = src->image_width;
  dst->image_height = src->image_height;
  dst->input_components = src->num_components;
  dst->in_color_space = src->jpeg_color_space;
  jpeg_set_defaults(dst);
  jpeg_set_colorspace(dst, src->jpeg_color_space);
  jpeg_set_quality(dst, request->quality, TRUE);
  dst->optimize_coding = FALSE;
  for (ci = 0; ci < src->num_components; ci++) {
    jpeg_component_info *out = &dst->comp_info[ci];
    struct plan plan;
    out->h_samp_factor = src->comp_info[ci].h_samp_factor;
    out->v_samp_factor = src->comp_info[ci].v_samp_factor;
    make_plan(&plan, src->comp_info[ci].quant_table, dst->quant_tbl_ptrs[out->quant_tbl_no],
              request->turn);
    transform_component(job, arrays[ci], &src->comp_info[ci], &plan, requantise_block,
                        request->turn);
  }

  /* Enough for a quality at or below the source's without growing; only the pages written
   * are ever touched. */
  job->out_capacity = request->length + 65536;
  job->out = malloc(job->out_capacity);
  if (job->out == NULL)
    ERREXIT1(dst, JERR_OUT_OF_MEMORY, 21);
  job->dest.pub.init_destination = init_destination;
  job->dest.pub.empty_output_buffer = empty_output_buffer;
  job->dest.pub.term_destination = term_destination;
  job->dest.job = job;
  dst->dest = &job->dest.pub;
  jpeg_write_coefficients(dst, arrays);
  jpeg_finish_compress(dst);

  result->status = DM_OK;
  result->data = job->out;
  result->size = job->out_size;
  result->width = src->image_width;
  result->height = src->image_height;
  job->out = NULL;
}

void dm_transcode(const struct dm_request *request, struct dm_result *result)
{
  struct job *job = calloc(1, sizeof *job);
  memset(result, 0, sizeof *result);
  if (job == NULL) {
    fail(result, DM_DECODE, "out of memory");
    return;
  }
  job->scan_limit = request->scan_limit;
  if (setjmp(job->jump) == 0) {
    run(job, request, result);
  } else {
    result->status = job->status;
    memcpy(result->message, job->message, sizeof result->message);
  }
  if (job->dst_created)
    jpeg_destroy_compress(&job->dst);
  if (job->src_created)
    jpeg_destroy_decompress(&job->src);
  free(job->out);
  free(job);
}

void dm_free(unsigned char *data)
{
  free(data);
}
