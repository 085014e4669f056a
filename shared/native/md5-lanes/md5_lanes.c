/*
 * MD5 states for many bodies, updated together: update() takes one buffer
 * for each of several states and runs the whole 64-byte blocks of up to
 * sixteen of them side by side while enough have blocks left (MIN_LANES_*),
 * with AVX-512 (md5x16.c) or else AVX2 (md5x8.c: eight lanes while no more
 * than eight bodies have blocks left, else two sets of eight); fewer,
 * partial blocks and the final padding go through the MD5 of the OpenSSL
 * that Node itself links (MD5_Update / MD5_Final), whose context holds the
 * running state either way.
 *
 *   newState(): Buffer            a fresh MD5 context
 *   update(states, data): void    data[i] appended to states[i] (states distinct)
 *   digest(state): Buffer         the 16-byte MD5; the state is spent
 *   lanes(): number               16 with AVX-512 or AVX2, else 1 (OpenSSL alone)
 *   kernel(): string              "avx512", "avx2" or "openssl": what update() runs
 *   useKernel(name): boolean      runs another kernel this CPU has, process-wide (tests)
 */
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "md5x16.h"
#include "md5x8.h"

/* OpenSSL's MD5_CTX (openssl/md5.h): the state words come first. */
typedef struct {
  uint32_t A, B, C, D;
  uint32_t Nl, Nh;
  uint32_t data[16];
  unsigned int num;
} Md5Ctx;

int MD5_Init(Md5Ctx *c);
int MD5_Update(Md5Ctx *c, const void *data, size_t len);
int MD5_Final(unsigned char *md, Md5Ctx *c);

#define LANES 16
/*
 * Below this many bodies with blocks left, one at a time through OpenSSL is
 * faster. AVX-512, two bodies of 1 MiB: 2.8 ms side by side against 4.6 ms
 * one after the other (one alone: 2.2 ms through OpenSSL). AVX2's eight
 * lanes only break even with two (620 against 616 MB/s on an EPYC without
 * AVX-512) and gain from three (1.1 GB/s; eight 2.8, sixteen 3.6 GB/s).
 */
#define MIN_LANES_AVX512 2
#define MIN_LANES_AVX2 3
/* Most bodies one update() takes. */
#define MAX_JOBS 256

typedef enum { KERNEL_OPENSSL, KERNEL_AVX2, KERNEL_AVX512 } Kernel;
static const char *const KERNEL_NAMES[] = {"openssl", "avx2", "avx512"};
/* Chosen once per process (the best this CPU has); only useKernel() changes it. */
static Kernel kernel;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

/*
 * Fills the constants and picks the kernel, once: every thread that loads
 * the addon runs Init, and a thread starting must not rewrite the table (or
 * the kernel) under one that is hashing.
 */
static void setup(void) {
  md5x16_init();
  kernel = md5x16_supported() ? KERNEL_AVX512 : md5x8_supported() ? KERNEL_AVX2 : KERNEL_OPENSSL;
}

typedef struct {
  Md5Ctx *ctx;
  /* The next whole block, and how many are left. */
  const uint8_t *at;
  size_t blocks;
  /* The bytes after the whole blocks. */
  size_t tail;
} Job;

/* Counts `bytes` hashed outside MD5_Update, as MD5_Update itself would. */
static void count_bytes(Md5Ctx *c, size_t bytes) {
  uint32_t low = c->Nl + (uint32_t)(bytes << 3);
  if (low < c->Nl) c->Nh++;
  c->Nh += (uint32_t)(bytes >> 29);
  c->Nl = low;
}

static int kernel_supported(Kernel k) {
  if (k == KERNEL_AVX512) return md5x16_supported();
  if (k == KERNEL_AVX2) return md5x8_supported();
  return 1;
}

/* Moves the jobs of lanes 8..15 into free lanes below 8 (busy <= 8). */
static void pack_low(Job *lane[LANES]) {
  int free_at = 0;
  for (int i = 8; i < LANES; i++) {
    if (lane[i] == NULL) continue;
    while (lane[free_at] != NULL) free_at++;
    lane[free_at] = lane[i];
    lane[i] = NULL;
  }
}

/* Runs the jobs' whole blocks, up to sixteen lanes at a time while enough have blocks left. */
static void run_lanes(Job *jobs, size_t count) {
  size_t next = 0;
  Job *lane[LANES] = {0};
  size_t busy = 0;
  uint32_t spare[LANES][4];
  for (;;) {
    for (int i = 0; i < LANES && next < count; i++) {
      if (lane[i] != NULL) continue;
      while (next < count && jobs[next].blocks == 0) next++;
      if (next == count) break;
      lane[i] = &jobs[next++];
      busy++;
    }
    if (busy < (kernel == KERNEL_AVX512 ? MIN_LANES_AVX512 : MIN_LANES_AVX2)) break;
    /* AVX2 with no more than eight bodies: one set of eight lanes costs half of two. */
    const int width = kernel == KERNEL_AVX2 && busy <= 8 ? 8 : LANES;
    if (width == 8) pack_low(lane);
    size_t step = SIZE_MAX;
    const uint8_t *any = NULL;
    for (int i = 0; i < LANES; i++) {
      if (lane[i] == NULL) continue;
      if (lane[i]->blocks < step) step = lane[i]->blocks;
      any = lane[i]->at;
    }
    uint32_t *state[LANES];
    const uint8_t *data[LANES];
    for (int i = 0; i < width; i++) {
      /* An idle lane hashes a busy lane's bytes into a state nobody reads. */
      state[i] = lane[i] != NULL ? &lane[i]->ctx->A : spare[i];
      data[i] = lane[i] != NULL ? lane[i]->at : any;
    }
    if (kernel == KERNEL_AVX512)
      md5x16_blocks(state, data, step);
    else if (width == 8)
      md5x8_blocks(state, data, step);
    else
      md5x8x2_blocks(state, data, step);
    for (int i = 0; i < LANES; i++) {
      if (lane[i] == NULL) continue;
      count_bytes(lane[i]->ctx, step * 64);
      lane[i]->at += step * 64;
      lane[i]->blocks -= step;
      if (lane[i]->blocks == 0) {
        lane[i] = NULL;
        busy--;
      }
    }
  }
  /* What is left: through OpenSSL, one body after another. */
  for (size_t j = 0; j < count; j++) {
    if (jobs[j].blocks == 0) continue;
    MD5_Update(jobs[j].ctx, jobs[j].at, jobs[j].blocks * 64);
    jobs[j].at += jobs[j].blocks * 64;
    jobs[j].blocks = 0;
  }
}

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static Md5Ctx *ctx_of(napi_env env, napi_value v) {
  bool is_buffer = false;
  void *p = NULL;
  size_t len = 0;
  if (napi_is_buffer(env, v, &is_buffer) != napi_ok || !is_buffer) return NULL;
  if (napi_get_buffer_info(env, v, &p, &len) != napi_ok || len != sizeof(Md5Ctx)) return NULL;
  return (Md5Ctx *)p;
}

static napi_value NewState(napi_env env, napi_callback_info info) {
  (void)info;
  void *p;
  napi_value buf;
  if (napi_create_buffer(env, sizeof(Md5Ctx), &p, &buf) != napi_ok) return NULL;
  MD5_Init((Md5Ctx *)p);
  return buf;
}

static napi_value Update(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint32_t n = 0, m = 0;
  if (argc < 2 || napi_get_array_length(env, argv[0], &n) != napi_ok ||
      napi_get_array_length(env, argv[1], &m) != napi_ok || n != m || n > MAX_JOBS)
    return throw_type(env, "update(states, data): two arrays of the same length, at most 256");
  Job jobs[MAX_JOBS];
  size_t count = 0;
  for (uint32_t i = 0; i < n; i++) {
    napi_value s, d;
    napi_get_element(env, argv[0], i, &s);
    napi_get_element(env, argv[1], i, &d);
    Md5Ctx *ctx = ctx_of(env, s);
    void *bytes = NULL;
    size_t len = 0;
    bool is_typed = false;
    if (ctx == NULL) return throw_type(env, "update: a state is not one newState() made");
    if (napi_is_typedarray(env, d, &is_typed) != napi_ok || !is_typed ||
        napi_get_buffer_info(env, d, &bytes, &len) != napi_ok)
      return throw_type(env, "update: data must be Buffers");
    for (size_t j = 0; j < count; j++)
      if (jobs[j].ctx == ctx) return throw_type(env, "update: a state appears twice");
    const uint8_t *at = bytes;
    /* Complete a partial block first; MD5_Update keeps it in the context. */
    if (ctx->num != 0) {
      size_t fill = 64 - ctx->num < len ? 64 - ctx->num : len;
      MD5_Update(ctx, at, fill);
      at += fill;
      len -= fill;
    }
    if (kernel == KERNEL_OPENSSL) {
      MD5_Update(ctx, at, len);
      jobs[count++] = (Job){ctx, at + len, 0, 0};
      continue;
    }
    jobs[count++] = (Job){ctx, at, len / 64, len % 64};
  }
  run_lanes(jobs, count);
  /* After its blocks, each body's last bytes wait in its context for the next update. */
  for (size_t j = 0; j < count; j++)
    if (jobs[j].tail > 0) MD5_Update(jobs[j].ctx, jobs[j].at, jobs[j].tail);
  return NULL;
}

static napi_value Digest(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  Md5Ctx *ctx = argc < 1 ? NULL : ctx_of(env, argv[0]);
  if (ctx == NULL) return throw_type(env, "digest(state): a state newState() made");
  void *p;
  napi_value out;
  if (napi_create_buffer(env, 16, &p, &out) != napi_ok) return NULL;
  MD5_Final((unsigned char *)p, ctx);
  return out;
}

static napi_value Lanes(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  napi_create_uint32(env, kernel != KERNEL_OPENSSL ? LANES : 1, &v);
  return v;
}

static napi_value KernelName(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  napi_create_string_utf8(env, KERNEL_NAMES[kernel], NAPI_AUTO_LENGTH, &v);
  return v;
}

static napi_value UseKernel(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char name[16] = {0};
  size_t len = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok)
    return throw_type(env, "useKernel(name): a kernel name");
  bool used = false;
  for (int k = KERNEL_OPENSSL; k <= KERNEL_AVX512; k++) {
    if (strcmp(name, KERNEL_NAMES[k]) != 0 || !kernel_supported((Kernel)k)) continue;
    kernel = (Kernel)k;
    used = true;
  }
  napi_value v;
  napi_get_boolean(env, used, &v);
  return v;
}

static napi_value Init(napi_env env, napi_value exports) {
  pthread_once(&setup_once, setup);
  const napi_property_descriptor props[] = {
      {"newState", NULL, NewState, NULL, NULL, NULL, napi_default, NULL},
      {"update", NULL, Update, NULL, NULL, NULL, napi_default, NULL},
      {"digest", NULL, Digest, NULL, NULL, NULL, napi_default, NULL},
      {"lanes", NULL, Lanes, NULL, NULL, NULL, napi_default, NULL},
      {"kernel", NULL, KernelName, NULL, NULL, NULL, napi_default, NULL},
      {"useKernel", NULL, UseKernel, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
