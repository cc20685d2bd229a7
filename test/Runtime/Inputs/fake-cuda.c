/* A stand-in CUDA driver for the Runtime tests, built as libcuda.so.1: it
   exports every cu* function libtlrt resolves, each with a programmable
   result and delay (fake-cuda.h), and checks how it is used: handles are
   slots of static pools (nothing to leak), marked dead instead of freed, so
   that a use after an unload or a release is seen and counted as a
   violation rather than crashing. No GPU, no CUDA installation. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "fake-cuda.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cuda_driver.h"

/* Every function the fake exports: libtlrt's list (cuda_driver.h), and
   cuEventElapsedTime_v2. F_<field> numbers them, kNames has their symbols. */
enum {
#define X(field, symbol, ret, args) F_##field,
  TLRT_DRIVER_FUNCTIONS(X)
#undef X
      F_cuEventElapsedTime,
  NUM_FUNCTIONS
};

static const char *const kNames[] = {
#define X(field, symbol, ret, args) symbol,
    TLRT_DRIVER_FUNCTIONS(X)
#undef X
    "cuEventElapsedTime_v2",
};

/* A module or an event: slot taken, and not yet unloaded / destroyed. */
typedef struct FakeObject {
  int used, live;
} FakeObject;
typedef FakeObject FakeModule;

typedef struct FakeFunction {
  FakeModule *module;
  char name[64];
} FakeFunction;

typedef FakeObject FakeEvent;

/* Slots are never reused, so that a stale handle stays recognizable: the
   pools hold more than any test creates. */
enum { POOL = 512, EVENTS = 4096 };

static struct {
  pthread_mutex_t lock;
  int result[NUM_FUNCTIONS];
  unsigned delayMs[NUM_FUNCTIONS];
  int calls[NUM_FUNCTIONS];
  int inFlight[NUM_FUNCTIONS];
  int devices, initialized, ctxRefs, violations;
  char lastViolation[256];
  unsigned long long nextAddress;
  FakeModule modules[POOL];
  FakeFunction functions[POOL];
  FakeEvent events[EVENTS];
} fake = {.lock = PTHREAD_MUTEX_INITIALIZER, .devices = 1};

static int context; /* the primary context's address is its handle */

static void violation(const char *fmt, const char *what) {
  ++fake.violations;
  snprintf(fake.lastViolation, sizeof fake.lastViolation, fmt, what);
}

/* Any call in flight other than `self`'s own: its name, or NULL. */
static const char *otherInFlight(int self) {
  for (int i = 0; i < NUM_FUNCTIONS; ++i)
    if (fake.inFlight[i] > (i == self))
      return kNames[i];
  return NULL;
}

/* The head of every fake function: counts the call, marks it in flight,
   waits its delay. fake.lock is held on return. */
static int begin(int fn) {
  pthread_mutex_lock(&fake.lock);
  ++fake.calls[fn];
  ++fake.inFlight[fn];
  if (!fake.initialized && fn != F_cuInit && fn != F_cuGetErrorName &&
      fn != F_cuGetErrorString)
    violation("%s before cuInit", kNames[fn]);
  unsigned ms = fake.delayMs[fn];
  int r = fake.result[fn];
  if (ms) {
    pthread_mutex_unlock(&fake.lock);
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
    pthread_mutex_lock(&fake.lock);
  }
  return r;
}

static CUresult end(int fn, int r) {
  --fake.inFlight[fn];
  pthread_mutex_unlock(&fake.lock);
  return r;
}

/* A function whose programmed result is all it does. */
static CUresult simple(int fn) { return end(fn, begin(fn)); }

//===--------------------------------------------------------------------===//
// Control (fake-cuda.h)
//===--------------------------------------------------------------------===//

static int lookup(const char *fn) {
  for (int i = 0; i < NUM_FUNCTIONS; ++i)
    if (!strcmp(kNames[i], fn))
      return i;
  return -1;
}

void fakeCudaReset(void) {
  pthread_mutex_lock(&fake.lock);
  for (int i = 0; i < NUM_FUNCTIONS; ++i) {
    fake.result[i] = CUDA_SUCCESS;
    fake.delayMs[i] = 0;
    fake.calls[i] = 0;
  }
  /* Like the stub library: the driver names no error. */
  fake.result[F_cuGetErrorName] = CUDA_ERROR_INVALID_VALUE;
  fake.result[F_cuGetErrorString] = CUDA_ERROR_INVALID_VALUE;
  fake.devices = 1;
  fake.violations = 0;
  fake.lastViolation[0] = 0;
  pthread_mutex_unlock(&fake.lock);
}

int fakeCudaSet(const char *fn, int result, unsigned delayMs) {
  int i = lookup(fn);
  if (i < 0)
    return -1;
  pthread_mutex_lock(&fake.lock);
  fake.result[i] = result;
  fake.delayMs[i] = delayMs;
  pthread_mutex_unlock(&fake.lock);
  return 0;
}

void fakeCudaSetDeviceCount(int count) {
  pthread_mutex_lock(&fake.lock);
  fake.devices = count;
  pthread_mutex_unlock(&fake.lock);
}

static int readCounter(const int *counters, const char *fn) {
  int i = lookup(fn);
  if (i < 0)
    return -1;
  pthread_mutex_lock(&fake.lock);
  int n = counters[i];
  pthread_mutex_unlock(&fake.lock);
  return n;
}

int fakeCudaCalls(const char *fn) { return readCounter(fake.calls, fn); }
int fakeCudaInFlight(const char *fn) { return readCounter(fake.inFlight, fn); }

int fakeCudaViolations(void) {
  pthread_mutex_lock(&fake.lock);
  int n = fake.violations;
  pthread_mutex_unlock(&fake.lock);
  return n;
}

const char *fakeCudaLastViolation(void) {
  /* Read after the threads that could write it were joined. */
  return fake.lastViolation;
}

//===--------------------------------------------------------------------===//
// Device and context
//===--------------------------------------------------------------------===//

CUresult cuInit(unsigned flags) {
  (void)flags;
  int r = begin(F_cuInit);
  if (r == CUDA_SUCCESS)
    fake.initialized = 1;
  return end(F_cuInit, r);
}

CUresult cuDeviceGetCount(int *count) {
  int r = begin(F_cuDeviceGetCount);
  if (r == CUDA_SUCCESS)
    *count = fake.devices;
  return end(F_cuDeviceGetCount, r);
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  int r = begin(F_cuDeviceGet);
  if (r == CUDA_SUCCESS && (ordinal < 0 || ordinal >= fake.devices))
    r = CUDA_ERROR_INVALID_DEVICE;
  if (r == CUDA_SUCCESS)
    *device = ordinal;
  return end(F_cuDeviceGet, r);
}

CUresult cuDeviceGetName(char *name, int len, CUdevice device) {
  (void)device;
  int r = begin(F_cuDeviceGetName);
  if (r == CUDA_SUCCESS && len > 0)
    snprintf(name, (size_t)len, "Fake GPU");
  return end(F_cuDeviceGetName, r);
}

CUresult cuDeviceGetAttribute(int *value, int attr, CUdevice device) {
  (void)device;
  int r = begin(F_cuDeviceGetAttribute);
  if (r == CUDA_SUCCESS) {
    switch (attr) {
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: *value = 9; break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: *value = 0; break;
    case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: *value = 132; break;
    case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE: *value = 50 << 20; break;
    case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN:
      *value = 232448;
      break;
    default: r = CUDA_ERROR_INVALID_VALUE;
    }
  }
  return end(F_cuDeviceGetAttribute, r);
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *ctx, CUdevice device) {
  (void)device;
  int r = begin(F_cuDevicePrimaryCtxRetain);
  if (r == CUDA_SUCCESS) {
    ++fake.ctxRefs;
    *ctx = (CUcontext)(void *)&context;
  }
  return end(F_cuDevicePrimaryCtxRetain, r);
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) {
  (void)device;
  int r = begin(F_cuDevicePrimaryCtxRelease);
  const char *other = otherInFlight(F_cuDevicePrimaryCtxRelease);
  if (other)
    violation("the context was released during %s", other);
  if (fake.ctxRefs <= 0)
    violation("%s without a retain", "cuDevicePrimaryCtxRelease_v2");
  else if (r == CUDA_SUCCESS)
    --fake.ctxRefs;
  return end(F_cuDevicePrimaryCtxRelease, r);
}

CUresult cuCtxSetCurrent(CUcontext ctx) {
  int r = begin(F_cuCtxSetCurrent);
  if (ctx && fake.ctxRefs <= 0)
    violation("%s of a released context", "cuCtxSetCurrent");
  return end(F_cuCtxSetCurrent, r);
}

CUresult cuCtxSynchronize(void) { return simple(F_cuCtxSynchronize); }

//===--------------------------------------------------------------------===//
// Modules and launches
//===--------------------------------------------------------------------===//

/* A fresh slot of `pool` (live), for a call that succeeds so far (*r). */
static FakeObject *take(FakeObject *pool, int n, int *r) {
  FakeObject *o = NULL;
  for (int i = 0; *r == CUDA_SUCCESS && i < n && !o; ++i)
    if (!pool[i].used)
      o = &pool[i];
  if (*r == CUDA_SUCCESS && !o)
    *r = CUDA_ERROR_OUT_OF_MEMORY;
  if (o)
    o->used = o->live = 1;
  return o;
}

/* Images starting with "bad" are invalid PTX. */
CUresult cuModuleLoadData(CUmodule *module, const void *image) {
  int r = begin(F_cuModuleLoadData);
  if (r == CUDA_SUCCESS && !strncmp(image, "bad", 3))
    r = CUDA_ERROR_INVALID_PTX;
  FakeModule *m = take(fake.modules, POOL, &r);
  if (m)
    *module = (CUmodule)(void *)m;
  return end(F_cuModuleLoadData, r);
}

CUresult cuModuleUnload(CUmodule module) {
  int r = begin(F_cuModuleUnload);
  FakeModule *m = (FakeModule *)(void *)module;
  const char *other = otherInFlight(F_cuModuleUnload);
  if (other)
    violation("a module was unloaded during %s", other);
  if (!m->live)
    violation("%s of an unloaded module", "cuModuleUnload");
  m->live = 0;
  return end(F_cuModuleUnload, r);
}

/* Kernels named "missing" do not exist. */
CUresult cuModuleGetFunction(CUfunction *f, CUmodule module,
                             const char *name) {
  int r = begin(F_cuModuleGetFunction);
  FakeModule *m = (FakeModule *)(void *)module;
  if (!m->live)
    violation("%s in an unloaded module", "cuModuleGetFunction");
  if (r == CUDA_SUCCESS && !strcmp(name, "missing"))
    r = CUDA_ERROR_NOT_FOUND;
  FakeFunction *found = NULL;
  for (int i = 0; r == CUDA_SUCCESS && i < POOL && !found; ++i) {
    FakeFunction *g = &fake.functions[i];
    if (!g->module || (g->module == m && !strcmp(g->name, name)))
      found = g;
  }
  if (r == CUDA_SUCCESS && !found)
    r = CUDA_ERROR_OUT_OF_MEMORY;
  if (r == CUDA_SUCCESS) {
    found->module = m;
    snprintf(found->name, sizeof found->name, "%s", name);
    *f = (CUfunction)(void *)found;
  }
  return end(F_cuModuleGetFunction, r);
}

static void checkFunction(CUfunction f, const char *who) {
  if (!((FakeFunction *)(void *)f)->module->live)
    violation("%s of a function of an unloaded module", who);
}

CUresult cuFuncSetAttribute(CUfunction f, int attr, int value) {
  (void)attr;
  (void)value;
  int r = begin(F_cuFuncSetAttribute);
  checkFunction(f, "cuFuncSetAttribute");
  return end(F_cuFuncSetAttribute, r);
}

/* Every kernel has 16 bytes of static shared memory (mbarriers, say). */
CUresult cuFuncGetAttribute(int *value, int attr, CUfunction f) {
  int r = begin(F_cuFuncGetAttribute);
  checkFunction(f, "cuFuncGetAttribute");
  if (r == CUDA_SUCCESS)
    *value = attr == CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES ? 16 : 0;
  return end(F_cuFuncGetAttribute, r);
}

/* The module must stay loaded for the whole launch, delay included. */
CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz,
                        unsigned sharedBytes, CUstream stream, void **params,
                        void **extra) {
  (void)gx, (void)gy, (void)gz, (void)sharedBytes, (void)stream;
  (void)params, (void)extra;
  int r = begin(F_cuLaunchKernel);
  checkFunction(f, "cuLaunchKernel");
  if (r == CUDA_SUCCESS && (unsigned long long)bx * by * bz > 1024)
    r = CUDA_ERROR_INVALID_VALUE;
  return end(F_cuLaunchKernel, r);
}

//===--------------------------------------------------------------------===//
// Memory (addresses only: nothing is stored) and events
//===--------------------------------------------------------------------===//

CUresult cuMemAlloc_v2(CUdeviceptr *ptr, size_t bytes) {
  int r = begin(F_cuMemAlloc);
  if (r == CUDA_SUCCESS) {
    fake.nextAddress += 0x10000 + (bytes + 255) / 256 * 256;
    *ptr = fake.nextAddress;
  }
  return end(F_cuMemAlloc, r);
}

CUresult cuMemFree_v2(CUdeviceptr p) {
  (void)p;
  return simple(F_cuMemFree);
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void *s, size_t n) {
  (void)d, (void)s, (void)n;
  return simple(F_cuMemcpyHtoD);
}

CUresult cuMemcpyDtoH_v2(void *d, CUdeviceptr s, size_t n) {
  (void)d, (void)s, (void)n;
  return simple(F_cuMemcpyDtoH);
}

CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) {
  (void)d, (void)s, (void)n;
  return simple(F_cuMemcpyDtoD);
}

CUresult cuMemsetD8_v2(CUdeviceptr d, unsigned char v, size_t n) {
  (void)d, (void)v, (void)n;
  return simple(F_cuMemsetD8);
}

CUresult cuEventCreate(CUevent *event, unsigned flags) {
  (void)flags;
  int r = begin(F_cuEventCreate);
  FakeEvent *e = take(fake.events, EVENTS, &r);
  if (e)
    *event = (CUevent)(void *)e;
  return end(F_cuEventCreate, r);
}

static void checkEvent(CUevent e, const char *who) {
  if (!((FakeEvent *)(void *)e)->live)
    violation("%s of a destroyed event", who);
}

CUresult cuEventRecord(CUevent e, CUstream stream) {
  (void)stream;
  int r = begin(F_cuEventRecord);
  checkEvent(e, "cuEventRecord");
  return end(F_cuEventRecord, r);
}

CUresult cuEventSynchronize(CUevent e) {
  int r = begin(F_cuEventSynchronize);
  checkEvent(e, "cuEventSynchronize");
  return end(F_cuEventSynchronize, r);
}

CUresult cuEventDestroy_v2(CUevent e) {
  int r = begin(F_cuEventDestroy);
  checkEvent(e, "cuEventDestroy_v2");
  ((FakeEvent *)(void *)e)->live = 0;
  return end(F_cuEventDestroy, r);
}

/* Every pair of events is 1.5 ms apart. */
CUresult cuEventElapsedTime_v2(float *ms, CUevent start, CUevent stop) {
  int r = begin(F_cuEventElapsedTime);
  checkEvent(start, "cuEventElapsedTime_v2");
  checkEvent(stop, "cuEventElapsedTime_v2");
  if (r == CUDA_SUCCESS)
    *ms = 1.5f;
  return end(F_cuEventElapsedTime, r);
}

/* When programmed to succeed, the driver has a name and a text for every
   code. */
CUresult cuGetErrorName(CUresult code, const char **name) {
  (void)code;
  int r = begin(F_cuGetErrorName);
  if (r == CUDA_SUCCESS)
    *name = "FAKE_DRIVER_NAME";
  return end(F_cuGetErrorName, r);
}

CUresult cuGetErrorString(CUresult code, const char **text) {
  (void)code;
  int r = begin(F_cuGetErrorString);
  if (r == CUDA_SUCCESS)
    *text = "described by the fake driver";
  return end(F_cuGetErrorString, r);
}

//===--------------------------------------------------------------------===//
// Tensor maps: opaque[0] holds the address, opaque[1] the rank
//===--------------------------------------------------------------------===//

static void encode(CUtensorMap *map, void *address, unsigned rank) {
  memset(map, 0, sizeof *map);
  map->opaque[0] = (uint64_t)(uintptr_t)address;
  map->opaque[1] = rank;
}

CUresult cuTensorMapEncodeTiled(CUtensorMap *map, CUtensorMapDataType type,
                                unsigned rank, void *address,
                                const uint64_t *dims, const uint64_t *strides,
                                const unsigned *box, const unsigned *elem,
                                CUtensorMapInterleave il, CUtensorMapSwizzle sw,
                                CUtensorMapL2promotion l2,
                                CUtensorMapFloatOOBfill oob) {
  (void)type, (void)dims, (void)strides, (void)box, (void)elem, (void)il;
  (void)sw, (void)l2, (void)oob;
  int r = begin(F_cuTensorMapEncodeTiled);
  if (r == CUDA_SUCCESS)
    encode(map, address, rank);
  return end(F_cuTensorMapEncodeTiled, r);
}

CUresult cuTensorMapEncodeIm2col(
    CUtensorMap *map, CUtensorMapDataType type, unsigned rank, void *address,
    const uint64_t *dims, const uint64_t *strides, const int *lower,
    const int *upper, unsigned channels, unsigned pixels,
    const unsigned *elem, CUtensorMapInterleave il, CUtensorMapSwizzle sw,
    CUtensorMapL2promotion l2, CUtensorMapFloatOOBfill oob) {
  (void)type, (void)dims, (void)strides, (void)lower, (void)upper;
  (void)channels, (void)pixels, (void)elem, (void)il, (void)sw, (void)l2;
  (void)oob;
  int r = begin(F_cuTensorMapEncodeIm2col);
  if (r == CUDA_SUCCESS)
    encode(map, address, rank);
  return end(F_cuTensorMapEncodeIm2col, r);
}

CUresult cuTensorMapReplaceAddress(CUtensorMap *map, void *address) {
  int r = begin(F_cuTensorMapReplaceAddress);
  if (r == CUDA_SUCCESS)
    map->opaque[0] = (uint64_t)(uintptr_t)address;
  return end(F_cuTensorMapReplaceAddress, r);
}
