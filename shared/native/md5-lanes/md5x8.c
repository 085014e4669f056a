/*
 * The MD5 compression function on eight messages per set of 256-bit
 * registers (AVX2), one or two sets at a time. Lane i of each register
 * belongs to message i of its set. Each block loads 64 bytes per lane and
 * transposes them 8x8 words at a time, so that x[k] holds word k of every
 * lane; then the 64 steps of md5_steps.h run with the round functions and
 * rotations built from AVX2's logic and shift instructions (it has no
 * vpternlogd or vprold, which md5x16.c uses).
 */
#include "md5x8.h"

#include "md5_steps.h"
#include "md5x16.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

int md5x8_supported(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

#define AVX2 __attribute__((target("avx2")))
#define ADD _mm256_add_epi32
#define XOR _mm256_xor_si256
/* The round functions, for (x, y, z) = (b, c, d), in three operations or fewer. */
#define F(x, y, z) XOR(z, _mm256_and_si256(x, XOR(y, z)))  /* (x & y) | (~x & z) */
#define G(x, y, z) XOR(y, _mm256_and_si256(z, XOR(x, y)))  /* (x & z) | (y & ~z) */
#define H(x, y, z) XOR(XOR(x, y), z)                       /* x ^ y ^ z */
#define I(x, y, z) XOR(y, _mm256_or_si256(x, XOR(z, ones))) /* y ^ (x | ~z) */
#define ROL(v, s) _mm256_or_si256(_mm256_slli_epi32(v, s), _mm256_srli_epi32(v, 32 - (s)))

/* One step (md5_steps.h) in every set; a..d are the sets' state arrays. */
#define STEP(fn, a, b, c, d, k, i, s)                                                              \
  for (int g = 0; g < sets; g++) {                                                                 \
    __m256i t = ADD(ADD(a[g], ADD(x[g][k], _mm256_set1_epi32((int)md5_T[i]))), fn(b[g], c[g], d[g])); \
    a[g] = ADD(b[g], ROL(t, s));                                                                   \
  }

/* Words `at`..`at + 7` of eight lanes' blocks, transposed into x[0..7]. */
AVX2 static inline void load8(__m256i x[8], const uint8_t *const data[8], size_t at) {
  __m256i r[8], t[8], u[8];
  for (int j = 0; j < 8; j++) r[j] = _mm256_loadu_si256((const __m256i *)(data[j] + at));
  /* Pairs of lanes: t[2p] words 0 1 | 4 5, t[2p + 1] words 2 3 | 6 7 of lanes 2p, 2p + 1. */
  for (int p = 0; p < 4; p++) {
    t[2 * p] = _mm256_unpacklo_epi32(r[2 * p], r[2 * p + 1]);
    t[2 * p + 1] = _mm256_unpackhi_epi32(r[2 * p], r[2 * p + 1]);
  }
  /* Fours: u[4h + m] word m | m + 4 of lanes 4h..4h + 3. */
  for (int h = 0; h < 2; h++) {
    u[4 * h] = _mm256_unpacklo_epi64(t[4 * h], t[4 * h + 2]);
    u[4 * h + 1] = _mm256_unpackhi_epi64(t[4 * h], t[4 * h + 2]);
    u[4 * h + 2] = _mm256_unpacklo_epi64(t[4 * h + 1], t[4 * h + 3]);
    u[4 * h + 3] = _mm256_unpackhi_epi64(t[4 * h + 1], t[4 * h + 3]);
  }
  for (int m = 0; m < 4; m++) {
    x[m] = _mm256_permute2x128_si256(u[m], u[4 + m], 0x20);
    x[m + 4] = _mm256_permute2x128_si256(u[m], u[4 + m], 0x31);
  }
}

/* `sets` sets of eight lanes: state[8g + j] and data[8g + j] belong to lane j of set g. */
AVX2 static inline __attribute__((always_inline)) void blocks_sets(uint32_t *const state[], const uint8_t *const data[],
                                                                   size_t blocks, const int sets) {
  const __m256i ones = _mm256_set1_epi32(-1);
  __m256i a[2], b[2], c[2], d[2];
  for (int g = 0; g < sets; g++) {
    uint32_t words[4][8];
    for (int j = 0; j < 8; j++)
      for (int w = 0; w < 4; w++) words[w][j] = state[8 * g + j][w];
    a[g] = _mm256_loadu_si256((const __m256i *)words[0]);
    b[g] = _mm256_loadu_si256((const __m256i *)words[1]);
    c[g] = _mm256_loadu_si256((const __m256i *)words[2]);
    d[g] = _mm256_loadu_si256((const __m256i *)words[3]);
  }
  for (size_t n = 0; n < blocks; n++) {
    __m256i x[2][16], a0[2], b0[2], c0[2], d0[2];
    for (int g = 0; g < sets; g++) {
      load8(x[g], data + 8 * g, 64 * n);
      load8(x[g] + 8, data + 8 * g, 64 * n + 32);
      a0[g] = a[g], b0[g] = b[g], c0[g] = c[g], d0[g] = d[g];
    }
    MD5_STEPS(STEP);
    for (int g = 0; g < sets; g++) {
      a[g] = ADD(a[g], a0[g]);
      b[g] = ADD(b[g], b0[g]);
      c[g] = ADD(c[g], c0[g]);
      d[g] = ADD(d[g], d0[g]);
    }
  }
  for (int g = 0; g < sets; g++) {
    uint32_t words[4][8];
    _mm256_storeu_si256((__m256i *)words[0], a[g]);
    _mm256_storeu_si256((__m256i *)words[1], b[g]);
    _mm256_storeu_si256((__m256i *)words[2], c[g]);
    _mm256_storeu_si256((__m256i *)words[3], d[g]);
    for (int j = 0; j < 8; j++)
      for (int w = 0; w < 4; w++) state[8 * g + j][w] = words[w][j];
  }
}

AVX2 void md5x8_blocks(uint32_t *const state[8], const uint8_t *const data[8], size_t blocks) {
  blocks_sets(state, data, blocks, 1);
}

AVX2 void md5x8x2_blocks(uint32_t *const state[16], const uint8_t *const data[16], size_t blocks) {
  blocks_sets(state, data, blocks, 2);
}

#else

int md5x8_supported(void) { return 0; }

void md5x8_blocks(uint32_t *const state[8], const uint8_t *const data[8], size_t blocks) {
  (void)state;
  (void)data;
  (void)blocks;
}

void md5x8x2_blocks(uint32_t *const state[16], const uint8_t *const data[16], size_t blocks) {
  (void)state;
  (void)data;
  (void)blocks;
}

#endif
