/*
 * MD5 of sixteen independent messages at once, one per 32-bit lane of the
 * AVX-512 registers (md5x16.c). Whole 64-byte blocks only: padding and
 * partial blocks stay with the caller (md5_lanes.c, through OpenSSL's MD5).
 */
#ifndef STRATA_MD5X16_H
#define STRATA_MD5X16_H

#include <stddef.h>
#include <stdint.h>

/* T[i] = floor(abs(sin(i + 1)) * 2^32), the RFC's table of step constants. */
extern uint32_t md5_T[64];

/* Fills md5_T; call once before any kernel runs (md5x16_blocks, md5x8.h). */
void md5x16_init(void);

/* Whether this CPU runs md5x16_blocks (AVX-512F). */
int md5x16_supported(void);

/*
 * Runs `blocks` 64-byte blocks of data[i] through the state state[i]
 * (A, B, C, D: four consecutive words) for every i < 16. States must be
 * distinct; data may be shared (a lane whose result is thrown away).
 */
void md5x16_blocks(uint32_t *const state[16], const uint8_t *const data[16], size_t blocks);

#endif
