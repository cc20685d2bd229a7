/* libtlrt: the CUDA driver API through dlopen, module and map caches. */
#define _GNU_SOURCE
#include "tlrt.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_driver.h"

//===--------------------------------------------------------------------===//
// Errors
//===--------------------------------------------------------------------===//

static _Thread_local char lastError[1024];

const char *tlrtLastError(void) { return lastError; }

static int fail(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(lastError, sizeof lastError, fmt, ap);
  va_end(ap);
  return code;
}

/* The name of a CUresult from cuda_driver.h's list of cuda.h's codes; NULL
   for a code CUDA 13 does not have. */
static const char *resultName(CUresult r) {
  switch (r) {
#define X(name, value)                                                         \
  case value:                                                                  \
    return #name;
    TLRT_CUDA_RESULTS(X)
#undef X
  }
  return NULL;
}

//===--------------------------------------------------------------------===//
// The driver
//===--------------------------------------------------------------------===//

typedef struct Driver {
#define X(field, symbol, ret, args) ret(*field) args;
  TLRT_DRIVER_FUNCTIONS(X)
#undef X
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent);
} Driver;

typedef struct ModuleEntry {
  const void *image;
  size_t size;
  TlrtModule *module;
} ModuleEntry;

/* Never freed (tlrtShutdown unloads the driver module and keeps the
   struct): a handle from before a shutdown stays recognizable, loading its
   image again revives the same handle, and no address ever comes back for
   another image. */
struct TlrtModule {
  CUmodule handle; /* NULL after a tlrtShutdown, until loaded again */
  /* Kernels whose dynamic shared-memory limit was raised, and to what. */
  char (*raisedNames)[128];
  size_t *raisedBytes;
  size_t numRaised;
};

/* A cached map: its descriptor (tiled or im2col, compared bytewise, so
   descriptors are zero-initialized by the callers' habits and copied here
   whole), the address it points at, and the encoded map. */
typedef struct MapEntry {
  int kind; /* 0 tiled, 1 im2col */
  union {
    TlrtTiledMapDesc tiled;
    TlrtIm2colMapDesc im2col;
  } desc;
  uint64_t address;
  CUtensorMap *map;
} MapEntry;

static struct {
  pthread_mutex_t lock;
  void *lib;
  Driver d;
  bool initialized;
  CUdevice device;
  CUcontext ctx;
  ModuleEntry *modules;
  size_t numModules;
  MapEntry *maps;
  size_t numMaps;
  unsigned long generation; /* tlrtShutdown calls so far */
} rt = {PTHREAD_MUTEX_INITIALIZER, NULL, {0}, false, 0, NULL, NULL, 0, NULL, 0,
        0};

/* The runtime's lifetime: every entry point holds `life` for reading while
   it runs, tlrtShutdown holds it for writing. So a shutdown waits for the
   calls in flight in other threads (it frees what they use), and a call
   that starts during a shutdown waits for it, then initializes again. rt.lock
   still guards the caches between concurrent calls. Writers first, so that
   a stream of launches cannot starve a shutdown; hence no entry point takes
   `life` twice (a second read lock behind a waiting writer deadlocks): the
   public functions are thin wrappers (GUARDED) over static ones. */
#ifdef PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP
static pthread_rwlock_t life = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
#else
static pthread_rwlock_t life = PTHREAD_RWLOCK_INITIALIZER;
#endif

static int enter(void) {
  if (pthread_rwlock_rdlock(&life))
    return fail(TLRT_ERROR_INVALID, "too many libtlrt calls at once");
  return TLRT_OK;
}

#define GUARDED(call)                                                          \
  do {                                                                         \
    int rc_ = enter();                                                         \
    if (rc_)                                                                   \
      return rc_;                                                              \
    rc_ = (call);                                                              \
    pthread_rwlock_unlock(&life);                                              \
    return rc_;                                                                \
  } while (0)

/* `call` is the failing call's text ("cuMemAlloc(&p, n)"): the message
   names the function only. */
static int cudaFail(CUresult r, const char *call, const char *context) {
  const char *name = NULL, *text = NULL;
  const char *paren = strchr(call, '(');
  int callLen = paren ? (int)(paren - call) : (int)strlen(call);
  /* A driver that cannot name a code (the stub library names none) fails
     these and may leave the pointers unset. */
  if (!rt.d.cuGetErrorName || rt.d.cuGetErrorName(r, &name) != CUDA_SUCCESS)
    name = NULL;
  if (!rt.d.cuGetErrorString ||
      rt.d.cuGetErrorString(r, &text) != CUDA_SUCCESS)
    text = NULL;
  if (!name)
    name = resultName(r);
  if (r == CUDA_ERROR_STUB_LIBRARY)
    text = "the CUDA driver loaded is the CUDA toolkit's stub library "
           "(stubs/libcuda.so, for linking only): install the NVIDIA driver, "
           "or take the stubs directory out of the library path";
  return fail(TLRT_ERROR_CUDA, "%.*s failed%s%s: %s (%d): %s", callLen, call,
              context && *context ? " " : "", context ? context : "",
              name ? name : "a CUresult unknown to CUDA 13", (int)r,
              text ? text : "no description from the driver");
}

#define CHECK_CU(call, context)                                                \
  do {                                                                         \
    CUresult r_ = rt.d.call;                                                   \
    if (r_ != CUDA_SUCCESS)                                                    \
      return cudaFail(r_, #call, context);                                     \
  } while (0)

/* Loads libcuda and resolves every entry point; rt.lock held. */
static int loadDriver(void) {
  if (rt.lib)
    return TLRT_OK;
  const char *names[] = {"libcuda.so.1", "libcuda.so"};
  char why[512] = "";
  for (size_t i = 0; i < 2 && !rt.lib; ++i) {
    rt.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!rt.lib)
      snprintf(why, sizeof why, "%s", dlerror());
  }
  if (!rt.lib)
    return fail(TLRT_ERROR_NO_DRIVER,
                "cannot load the CUDA driver (libcuda.so.1): %s", why);
#define X(field, symbol, ret, args)                                            \
  *(void **)(&rt.d.field) = dlsym(rt.lib, symbol);                             \
  if (!rt.d.field) {                                                           \
    dlclose(rt.lib);                                                           \
    rt.lib = NULL;                                                             \
    memset(&rt.d, 0, sizeof rt.d); /* nothing of a closed library stays */     \
    return fail(TLRT_ERROR_NO_DRIVER,                                          \
                "the CUDA driver lacks %s: it is older than libtlrt needs",    \
                symbol);                                                       \
  }
  TLRT_DRIVER_FUNCTIONS(X)
#undef X
  *(void **)(&rt.d.cuEventElapsedTime) = dlsym(rt.lib, "cuEventElapsedTime_v2");
  if (!rt.d.cuEventElapsedTime)
    *(void **)(&rt.d.cuEventElapsedTime) = dlsym(rt.lib, "cuEventElapsedTime");
  return TLRT_OK;
}

static int initLocked(int ordinal) {
  if (rt.initialized)
    return TLRT_OK;
  int rc = loadDriver();
  if (rc)
    return rc;
  CHECK_CU(cuInit(0), "");
  int count = 0;
  CHECK_CU(cuDeviceGetCount(&count), "");
  if (ordinal < 0 || ordinal >= count)
    return fail(TLRT_ERROR_INVALID, "device %d does not exist (%d found)",
                ordinal, count);
  CHECK_CU(cuDeviceGet(&rt.device, ordinal), "");
  CHECK_CU(cuDevicePrimaryCtxRetain(&rt.ctx, rt.device), "");
  CHECK_CU(cuCtxSetCurrent(rt.ctx), "");
  rt.initialized = true;
  return TLRT_OK;
}

static int initImpl(int ordinal) {
  pthread_mutex_lock(&rt.lock);
  int rc = initLocked(ordinal);
  pthread_mutex_unlock(&rt.lock);
  return rc;
}

int tlrtInit(int ordinal) { GUARDED(initImpl(ordinal)); }

/* Every entry point: initialize device 0 if needed, make the context
   current on this thread. `life` held. */
static int ready(void) {
  int rc = initImpl(0);
  if (rc)
    return rc;
  CHECK_CU(cuCtxSetCurrent(rt.ctx), "");
  return TLRT_OK;
}

int tlrtMakeCurrent(void) { GUARDED(ready()); }

static int deviceInfoImpl(char *name, size_t nameCap, int *ccMajor,
                          int *ccMinor, int *smCount, int *l2Bytes,
                          int *maxSharedOptin) {
  int rc = ready();
  if (rc)
    return rc;
  if (name && nameCap)
    CHECK_CU(cuDeviceGetName(name, (int)nameCap, rt.device), "");
  struct {
    int *out;
    int attr;
  } q[] = {{ccMajor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR},
           {ccMinor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR},
           {smCount, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT},
           {l2Bytes, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE},
           {maxSharedOptin,
            CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN}};
  for (size_t i = 0; i < sizeof q / sizeof q[0]; ++i)
    if (q[i].out)
      CHECK_CU(cuDeviceGetAttribute(q[i].out, q[i].attr, rt.device), "");
  return TLRT_OK;
}

int tlrtDeviceInfo(char *name, size_t nameCap, int *ccMajor, int *ccMinor,
                   int *smCount, int *l2Bytes, int *maxSharedOptin) {
  GUARDED(deviceInfoImpl(name, nameCap, ccMajor, ccMinor, smCount, l2Bytes,
                         maxSharedOptin));
}

//===--------------------------------------------------------------------===//
// Modules and launches
//===--------------------------------------------------------------------===//

static int loadModuleLocked(const void *image, size_t size,
                            TlrtModule **out) {
  TlrtModule *m = NULL;
  for (size_t i = 0; i < rt.numModules && !m; ++i)
    if (rt.modules[i].image == image && rt.modules[i].size == size)
      m = rt.modules[i].module;
  if (m && m->handle) {
    *out = m;
    return TLRT_OK;
  }
  /* PTX must be NUL-terminated for the driver: copy text images. */
  const unsigned char *bytes = image;
  bool elf = size >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' &&
             bytes[2] == 'L' && bytes[3] == 'F';
  bool fatbin = size >= 4 && bytes[0] == 0x50 && bytes[1] == 0xed &&
                bytes[2] == 0x55 && bytes[3] == 0xba;
  char *text = NULL;
  if (!elf && !fatbin) {
    text = malloc(size + 1);
    if (!text)
      return fail(TLRT_ERROR_INVALID, "out of host memory");
    memcpy(text, image, size);
    text[size] = 0;
  }
  CUmodule handle;
  CUresult r = rt.d.cuModuleLoadData(&handle, text ? text : image);
  free(text);
  if (r != CUDA_SUCCESS)
    return cudaFail(r, "cuModuleLoadData",
                    elf ? "(cubin image)" : fatbin ? "(fatbin image)"
                                                   : "(PTX image)");
  if (m) { /* unloaded by a tlrtShutdown: the same handle again */
    m->handle = handle;
    *out = m;
    return TLRT_OK;
  }
  m = calloc(1, sizeof *m);
  ModuleEntry *grown =
      realloc(rt.modules, sizeof(ModuleEntry) * (rt.numModules + 1));
  if (grown) /* the old block may be gone even when calloc failed */
    rt.modules = grown;
  if (!m || !grown) {
    free(m);
    rt.d.cuModuleUnload(handle);
    return fail(TLRT_ERROR_INVALID, "out of host memory");
  }
  m->handle = handle;
  rt.modules[rt.numModules++] = (ModuleEntry){image, size, m};
  *out = m;
  return TLRT_OK;
}

static int loadModuleImpl(const void *image, size_t size,
                          TlrtModule **module) {
  int rc = ready();
  if (rc)
    return rc;
  pthread_mutex_lock(&rt.lock);
  rc = loadModuleLocked(image, size, module);
  pthread_mutex_unlock(&rt.lock);
  return rc;
}

int tlrtLoadModule(const void *image, size_t size, TlrtModule **module) {
  if (!image || !size || !module)
    return fail(TLRT_ERROR_INVALID, "tlrtLoadModule: no image");
  GUARDED(loadModuleImpl(image, size, module));
}

/* Whether `m` is a module of the cache, loaded: one from before a
   tlrtShutdown is not, until its image is loaded again. */
static bool moduleIsLive(const TlrtModule *m) {
  pthread_mutex_lock(&rt.lock);
  bool live = false;
  for (size_t i = 0; i < rt.numModules && !live; ++i)
    live = rt.modules[i].module == m && m->handle;
  pthread_mutex_unlock(&rt.lock);
  return live;
}

/* Raises the kernel's dynamic shared-memory limit once; rt.lock held.
   `statics` is the kernel's static shared memory: static plus dynamic
   must fit the device's opt-in maximum per block. */
static int raiseSharedLocked(TlrtModule *m, CUfunction f, const char *kernel,
                             size_t bytes, size_t statics) {
  for (size_t i = 0; i < m->numRaised; ++i)
    if (!strcmp(m->raisedNames[i], kernel) && m->raisedBytes[i] >= bytes)
      return TLRT_OK;
  int optin = 0;
  CHECK_CU(cuDeviceGetAttribute(
               &optin, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
               rt.device),
           "");
  if (bytes + statics > (size_t)optin)
    return fail(TLRT_ERROR_INVALID,
                "kernel '%s' needs %zu bytes of dynamic shared memory; the "
                "device allows at most %d per block, %zu of them taken by "
                "the kernel's static shared memory",
                kernel, bytes, optin, statics);
  char context[256];
  snprintf(context, sizeof context, "(raising '%s' to %zu bytes)", kernel,
           bytes);
  CUresult r = rt.d.cuFuncSetAttribute(
      f, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, (int)bytes);
  if (r != CUDA_SUCCESS)
    return cudaFail(r, "cuFuncSetAttribute", context);
  char(*names)[128] =
      realloc(m->raisedNames, sizeof(*names) * (m->numRaised + 1));
  if (names)
    m->raisedNames = names;
  size_t *sizes = realloc(m->raisedBytes, sizeof(size_t) * (m->numRaised + 1));
  if (sizes)
    m->raisedBytes = sizes;
  if (names && sizes) {
    snprintf(m->raisedNames[m->numRaised], 128, "%s", kernel);
    m->raisedBytes[m->numRaised++] = bytes;
  }
  return TLRT_OK;
}

static int launchImpl(TlrtModule *module, const char *kernel, tlrt_dim3 grid,
                      tlrt_dim3 block, size_t dynamicSharedBytes,
                      void *stream, void **args) {
  if (!moduleIsLive(module))
    return fail(TLRT_ERROR_INVALID,
                "tlrtLaunch: the module is not loaded (tlrtShutdown unloaded "
                "it; tlrtLoadModule of its image loads it again)");
  int rc = ready();
  if (rc)
    return rc;
  char context[256];
  snprintf(context, sizeof context, "(kernel '%s')", kernel);
  CUfunction f;
  CUresult r = rt.d.cuModuleGetFunction(&f, module->handle, kernel);
  if (r != CUDA_SUCCESS)
    return cudaFail(r, "cuModuleGetFunction", context);
  /* Without the opt-in, static plus dynamic shared memory may not pass
     48 KiB: a kernel with 48 KiB of dynamic and a few bytes of static
     (mbarriers) needs it too. */
  int statics = 0;
  if (dynamicSharedBytes > 0) {
    r = rt.d.cuFuncGetAttribute(&statics, CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES,
                                f);
    if (r != CUDA_SUCCESS)
      return cudaFail(r, "cuFuncGetAttribute", context);
  }
  if (dynamicSharedBytes + (size_t)statics > 48 * 1024) {
    pthread_mutex_lock(&rt.lock);
    rc = raiseSharedLocked(module, f, kernel, dynamicSharedBytes,
                           (size_t)statics);
    pthread_mutex_unlock(&rt.lock);
    if (rc)
      return rc;
  }
  snprintf(context, sizeof context,
           "(kernel '%s', grid %ux%ux%u, block %ux%ux%u, %zu bytes of "
           "dynamic shared memory)",
           kernel, grid.x, grid.y, grid.z, block.x, block.y, block.z,
           dynamicSharedBytes);
  r = rt.d.cuLaunchKernel(f, grid.x, grid.y, grid.z, block.x, block.y,
                          block.z, (unsigned)dynamicSharedBytes,
                          (CUstream)stream, args, NULL);
  if (r != CUDA_SUCCESS)
    return cudaFail(r, "cuLaunchKernel", context);
  return TLRT_OK;
}

int tlrtLaunch(TlrtModule *module, const char *kernel, tlrt_dim3 grid,
               tlrt_dim3 block, size_t dynamicSharedBytes, void *stream,
               void **args) {
  if (!module || !kernel)
    return fail(TLRT_ERROR_INVALID, "tlrtLaunch: no module or kernel name");
  GUARDED(launchImpl(module, kernel, grid, block, dynamicSharedBytes, stream,
                     args));
}

static int synchronizeImpl(void) {
  int rc = ready();
  if (rc)
    return rc;
  CHECK_CU(cuCtxSynchronize(), "(a kernel failed while running)");
  return TLRT_OK;
}

int tlrtSynchronize(void) { GUARDED(synchronizeImpl()); }

//===--------------------------------------------------------------------===//
// Memory and events
//===--------------------------------------------------------------------===//

#define READY()                                                                \
  do {                                                                         \
    int rc_ = ready();                                                         \
    if (rc_)                                                                   \
      return rc_;                                                              \
  } while (0)

static int mallocImpl(uint64_t *ptr, size_t bytes) {
  READY();
  char context[64];
  snprintf(context, sizeof context, "(%zu bytes)", bytes);
  CHECK_CU(cuMemAlloc((CUdeviceptr *)ptr, bytes), context);
  return TLRT_OK;
}

static int freeImpl(uint64_t ptr) {
  READY();
  CHECK_CU(cuMemFree(ptr), "");
  return TLRT_OK;
}

static int copyToDeviceImpl(uint64_t dst, const void *src, size_t bytes) {
  READY();
  CHECK_CU(cuMemcpyHtoD(dst, src, bytes), "");
  return TLRT_OK;
}

static int copyToHostImpl(void *dst, uint64_t src, size_t bytes) {
  READY();
  CHECK_CU(cuMemcpyDtoH(dst, src, bytes), "");
  return TLRT_OK;
}

static int copyDeviceToDeviceImpl(uint64_t dst, uint64_t src, size_t bytes) {
  READY();
  CHECK_CU(cuMemcpyDtoD(dst, src, bytes), "");
  return TLRT_OK;
}

static int memset8Impl(uint64_t dst, unsigned char value, size_t bytes) {
  READY();
  CHECK_CU(cuMemsetD8(dst, value, bytes), "");
  return TLRT_OK;
}

int tlrtMalloc(uint64_t *ptr, size_t bytes) {
  if (!ptr)
    return fail(TLRT_ERROR_INVALID, "tlrtMalloc: no result pointer");
  GUARDED(mallocImpl(ptr, bytes));
}

int tlrtFree(uint64_t ptr) { GUARDED(freeImpl(ptr)); }

int tlrtCopyToDevice(uint64_t dst, const void *src, size_t bytes) {
  if (!src && bytes)
    return fail(TLRT_ERROR_INVALID, "tlrtCopyToDevice: no source");
  GUARDED(copyToDeviceImpl(dst, src, bytes));
}

int tlrtCopyToHost(void *dst, uint64_t src, size_t bytes) {
  if (!dst && bytes)
    return fail(TLRT_ERROR_INVALID, "tlrtCopyToHost: no destination");
  GUARDED(copyToHostImpl(dst, src, bytes));
}

int tlrtCopyDeviceToDevice(uint64_t dst, uint64_t src, size_t bytes) {
  GUARDED(copyDeviceToDeviceImpl(dst, src, bytes));
}

int tlrtMemset8(uint64_t dst, unsigned char value, size_t bytes) {
  GUARDED(memset8Impl(dst, value, bytes));
}

/* An event remembers the runtime generation it was created in: after a
   tlrtShutdown its handle belongs to a released context. */
struct TlrtEvent {
  CUevent handle;
  unsigned long generation;
};

/* NULL or from before a tlrtShutdown: an error naming `fn` and `which`
   ("", "start ", "end "). */
static int checkEvent(const TlrtEvent *e, const char *fn, const char *which) {
  if (!e)
    return fail(TLRT_ERROR_INVALID, "%s: no %sevent", fn, which);
  if (e->generation != rt.generation)
    return fail(TLRT_ERROR_INVALID,
                "%s: the %sevent was created before tlrtShutdown; create "
                "it again",
                fn, which);
  return TLRT_OK;
}

static int eventCreateImpl(TlrtEvent **event) {
  READY();
  TlrtEvent *e = calloc(1, sizeof *e);
  if (!e)
    return fail(TLRT_ERROR_INVALID, "out of host memory");
  CUresult r = rt.d.cuEventCreate(&e->handle, CU_EVENT_DEFAULT);
  if (r != CUDA_SUCCESS) {
    free(e);
    return cudaFail(r, "cuEventCreate", "");
  }
  e->generation = rt.generation;
  *event = e;
  return TLRT_OK;
}

static int eventRecordImpl(TlrtEvent *event, void *stream) {
  int rc = checkEvent(event, "tlrtEventRecord", "");
  if (rc)
    return rc;
  READY();
  CHECK_CU(cuEventRecord(event->handle, (CUstream)stream), "");
  return TLRT_OK;
}

static int eventElapsedImpl(TlrtEvent *start, TlrtEvent *end, float *ms) {
  int rc = checkEvent(start, "tlrtEventElapsed", "start ");
  if (!rc)
    rc = checkEvent(end, "tlrtEventElapsed", "end ");
  if (rc)
    return rc;
  READY();
  CHECK_CU(cuEventSynchronize(end->handle), "");
  if (!rt.d.cuEventElapsedTime)
    return fail(TLRT_ERROR_NO_DRIVER, "the CUDA driver lacks cuEventElapsedTime");
  CHECK_CU(cuEventElapsedTime(ms, start->handle, end->handle), "");
  return TLRT_OK;
}

int tlrtEventCreate(TlrtEvent **event) {
  if (!event)
    return fail(TLRT_ERROR_INVALID, "tlrtEventCreate: no event pointer");
  GUARDED(eventCreateImpl(event));
}

int tlrtEventRecord(TlrtEvent *event, void *stream) {
  GUARDED(eventRecordImpl(event, stream));
}

int tlrtEventElapsed(TlrtEvent *start, TlrtEvent *end, float *ms) {
  if (!ms)
    return fail(TLRT_ERROR_INVALID, "tlrtEventElapsed: no result pointer");
  GUARDED(eventElapsedImpl(start, end, ms));
}

void tlrtEventDestroy(TlrtEvent *event) {
  if (!event)
    return;
  /* Without the lock nothing may touch the driver: the event is only freed. */
  if (!enter()) {
    if (rt.initialized && event->generation == rt.generation)
      rt.d.cuEventDestroy(event->handle);
    pthread_rwlock_unlock(&life);
  }
  free(event);
}

//===--------------------------------------------------------------------===//
// Tensor maps
//===--------------------------------------------------------------------===//

/* Looks up (kind, desc) in the cache, re-pointing a hit; on a miss calls
   `encode` and caches the result. rt.lock held. */
static int getMapLocked(int kind, const void *desc, size_t descSize,
                        uint64_t address,
                        int (*encode)(const void *, uint64_t, CUtensorMap *),
                        void *out) {
  for (size_t i = 0; i < rt.numMaps; ++i) {
    MapEntry *e = &rt.maps[i];
    if (e->kind != kind || memcmp(&e->desc, desc, descSize))
      continue;
    if (e->address != address) {
      CHECK_CU(cuTensorMapReplaceAddress(e->map, (void *)(uintptr_t)address),
               "(re-pointing a cached tensor map)");
      e->address = address;
    }
    memcpy(out, e->map, sizeof(CUtensorMap));
    return TLRT_OK;
  }
  CUtensorMap *map = aligned_alloc(64, sizeof(CUtensorMap));
  MapEntry *grown = realloc(rt.maps, sizeof(MapEntry) * (rt.numMaps + 1));
  if (!map || !grown) {
    free(map);
    return fail(TLRT_ERROR_INVALID, "out of host memory");
  }
  rt.maps = grown;
  int rc = encode(desc, address, map);
  if (rc) {
    free(map);
    return rc;
  }
  MapEntry *e = &rt.maps[rt.numMaps++];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  memcpy(&e->desc, desc, descSize);
  e->address = address;
  e->map = map;
  memcpy(out, map, sizeof(CUtensorMap));
  return TLRT_OK;
}

static int encodeTiled(const void *p, uint64_t address, CUtensorMap *map) {
  const TlrtTiledMapDesc *d = p;
  if (d->rank < 1 || d->rank > 5)
    return fail(TLRT_ERROR_INVALID, "tiled tensor map rank %u: must be 1 to 5",
                d->rank);
  CHECK_CU(cuTensorMapEncodeTiled(
               map, (CUtensorMapDataType)d->dataType, d->rank,
               (void *)(uintptr_t)address, d->globalDim, d->globalStrides,
               d->boxDim, d->elementStrides, CU_TENSOR_MAP_INTERLEAVE_NONE,
               (CUtensorMapSwizzle)d->swizzle,
               (CUtensorMapL2promotion)d->l2Promotion,
               CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE),
           "");
  return TLRT_OK;
}

static int encodeIm2col(const void *p, uint64_t address, CUtensorMap *map) {
  const TlrtIm2colMapDesc *d = p;
  if (d->rank < 3 || d->rank > 5)
    return fail(TLRT_ERROR_INVALID,
                "im2col tensor map rank %u: must be 3 to 5", d->rank);
  CHECK_CU(cuTensorMapEncodeIm2col(
               map, (CUtensorMapDataType)d->dataType, d->rank,
               (void *)(uintptr_t)address, d->globalDim, d->globalStrides,
               d->lowerCorner, d->upperCorner, d->channelsPerPixel,
               d->pixelsPerColumn, d->elementStrides,
               CU_TENSOR_MAP_INTERLEAVE_NONE, (CUtensorMapSwizzle)d->swizzle,
               (CUtensorMapL2promotion)d->l2Promotion,
               CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE),
           "");
  return TLRT_OK;
}

/* A map of `kind` (0 tiled, 1 im2col) through the cache. */
static int getMapImpl(int kind, const void *desc, size_t descSize,
                      uint64_t address, void *map) {
  READY();
  pthread_mutex_lock(&rt.lock);
  int rc = getMapLocked(kind, desc, descSize, address,
                        kind ? encodeIm2col : encodeTiled, map);
  pthread_mutex_unlock(&rt.lock);
  return rc;
}

int tlrtGetTiledMap(const TlrtTiledMapDesc *desc, uint64_t globalAddress,
                    void *map) {
  if (!desc || !map)
    return fail(TLRT_ERROR_INVALID, "tlrtGetTiledMap: no descriptor");
  GUARDED(getMapImpl(0, desc, sizeof *desc, globalAddress, map));
}

int tlrtGetIm2colMap(const TlrtIm2colMapDesc *desc, uint64_t globalAddress,
                     void *map) {
  if (!desc || !map)
    return fail(TLRT_ERROR_INVALID, "tlrtGetIm2colMap: no descriptor");
  GUARDED(getMapImpl(1, desc, sizeof *desc, globalAddress, map));
}

/* Waits for every call in flight (the write side of `life`), then frees. */
void tlrtShutdown(void) {
  if (pthread_rwlock_wrlock(&life))
    return; /* only EDEADLK: not reachable from outside a libtlrt call */
  pthread_mutex_lock(&rt.lock);
  for (size_t i = 0; i < rt.numMaps; ++i)
    free(rt.maps[i].map);
  free(rt.maps);
  rt.maps = NULL;
  rt.numMaps = 0;
  for (size_t i = 0; i < rt.numModules; ++i) {
    TlrtModule *m = rt.modules[i].module; /* kept: see TlrtModule */
    if (rt.initialized && m->handle)
      rt.d.cuModuleUnload(m->handle);
    m->handle = NULL;
    free(m->raisedNames);
    free(m->raisedBytes);
    m->raisedNames = NULL;
    m->raisedBytes = NULL;
    m->numRaised = 0;
  }
  if (rt.initialized)
    rt.d.cuDevicePrimaryCtxRelease(rt.device);
  rt.initialized = false;
  ++rt.generation;
  pthread_mutex_unlock(&rt.lock);
  pthread_rwlock_unlock(&life);
}
