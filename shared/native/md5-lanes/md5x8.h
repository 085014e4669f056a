/*
 * MD5 of eight or sixteen independent messages at once on CPUs with AVX2
 * but not AVX-512: one message per 32-bit lane of the 256-bit registers
 * (md5x8.c). Whole 64-byte blocks only, as md5x16.h; md5x16_init() fills
 * the constants both use.
 */
#ifndef STRATA_MD5X8_H
#define STRATA_MD5X8_H

#include <stddef.h>
#include <stdint.h>

/* Whether this CPU runs the kernels below (AVX2). */
int md5x8_supported(void);

/* As md5x16_blocks (md5x16.h), for eight lanes: state[i], data[i], i < 8. */
void md5x8_blocks(uint32_t *const state[8], const uint8_t *const data[8], size_t blocks);

/*
 * Sixteen lanes as two sets of eight whose steps interleave: one set's
 * chain of dependent steps leaves the core time for the other's.
 */
void md5x8x2_blocks(uint32_t *const state[16], const uint8_t *const data[16], size_t blocks);

#endif
