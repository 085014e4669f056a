/*
 * drop(fd, offset, length): a promise that posix_fadvise(POSIX_FADV_DONTNEED)
 * has run on the thread pool for that byte range of an open file (length 0:
 * to its end), so that the kernel frees the range's clean page-cache pages.
 * It resolves to 0 or the errno. supported() is false where there is no
 * posix_fadvise (macOS): drop() then resolves to ENOSYS and does nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__linux__) && defined(POSIX_FADV_DONTNEED)
#define HAVE_FADVISE 1
#else
#define HAVE_FADVISE 0
#endif

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  int fd;
  int64_t offset;
  int64_t length;
  int result;
} DropJob;

static void Execute(napi_env env, void *data) {
  (void)env;
  DropJob *job = data;
#if HAVE_FADVISE
  job->result = posix_fadvise(job->fd, (off_t)job->offset, (off_t)job->length, POSIX_FADV_DONTNEED);
#else
  job->result = ENOSYS;
#endif
}

static void Complete(napi_env env, napi_status status, void *data) {
  DropJob *job = data;
  napi_value result;
  napi_create_int32(env, status == napi_ok ? job->result : ECANCELED, &result);
  napi_resolve_deferred(env, job->deferred, result);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value Drop(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd;
  int64_t offset, length;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_int64(env, argv[1], &offset) != napi_ok ||
      napi_get_value_int64(env, argv[2], &length) != napi_ok || fd < 0 || offset < 0 || length < 0) {
    napi_throw_type_error(env, NULL, "drop(fd, offset, length) takes a descriptor and a byte range");
    return NULL;
  }
  DropJob *job = calloc(1, sizeof(DropJob));
  if (job == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  job->fd = fd;
  job->offset = offset;
  job->length = length;
  napi_value promise, name;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "strata-page-cache-drop", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, Execute, Complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

static napi_value Supported(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_get_boolean(env, HAVE_FADVISE, &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "drop", NAPI_AUTO_LENGTH, Drop, NULL, &fn);
  napi_set_named_property(env, exports, "drop", fn);
  napi_create_function(env, "supported", NAPI_AUTO_LENGTH, Supported, NULL, &fn);
  napi_set_named_property(env, exports, "supported", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
