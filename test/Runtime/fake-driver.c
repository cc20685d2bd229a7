// RUN: tl-runtime-fake-driver 2>&1 | FileCheck %s
// libtlrt against the stand-in driver (Inputs/fake-cuda.c, as libcuda.so.1,
// so libtlrt's dlopen finds it; no GPU needed): the stub library's code and
// every other CUresult by name, NULL arguments, the success paths, and
// tlrtShutdown while other threads are inside libtlrt (issue 16, item 12).
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fake-cuda.h"
#include "tlrt.h"

#define SHOW(what, call)                                                       \
  do {                                                                         \
    int rc_ = (call);                                                          \
    printf("%s: %d %s\n", what, rc_, rc_ ? tlrtLastError() : "ok");            \
  } while (0)

static const char kPTX[] = "// fake PTX\n.entry k()\n";
static const char kBadPTX[] = "bad PTX";
static const tlrt_dim3 kOne = {1, 1, 1};

static void sleepMs(unsigned ms) {
  struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static void violations(const char *when) {
  printf("%s: %d violations %s\n", when, fakeCudaViolations(),
         fakeCudaLastViolation());
}

/* The toolkit's stub libcuda answers every call with 34 and names none. */
static void testStub(void) {
  fakeCudaReset();
  fakeCudaSet("cuInit", 34, 0);
  SHOW("stub init", tlrtInit(0));
  // CHECK-LABEL: stub init: 2 cuInit failed: CUDA_ERROR_STUB_LIBRARY (34): the CUDA driver loaded is the CUDA toolkit's stub library (stubs/libcuda.so, for linking only): install the NVIDIA driver, or take the stubs directory out of the library path
  uint64_t p = 0;
  SHOW("stub malloc", tlrtMalloc(&p, 16));
  // CHECK: stub malloc: 2 cuInit failed: CUDA_ERROR_STUB_LIBRARY (34)
  violations("stub");
  // CHECK: stub: 0 violations
  tlrtShutdown();
}

/* Codes the driver does not name are named from cuda.h's list. */
static void testNames(void) {
  fakeCudaReset();
  uint64_t p = 0;
  int codes[] = {2, 46, 221, 916, 12345};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
    fakeCudaSet("cuMemAlloc_v2", codes[i], 0);
    SHOW("malloc", tlrtMalloc(&p, 16));
  }
  // CHECK-LABEL: malloc: 2 cuMemAlloc failed (16 bytes): CUDA_ERROR_OUT_OF_MEMORY (2): no description from the driver
  // CHECK: malloc: 2 cuMemAlloc failed (16 bytes): CUDA_ERROR_DEVICE_UNAVAILABLE (46): no description from the driver
  // CHECK: malloc: 2 cuMemAlloc failed (16 bytes): CUDA_ERROR_JIT_COMPILER_NOT_FOUND (221): no description from the driver
  // CHECK: malloc: 2 cuMemAlloc failed (16 bytes): CUDA_ERROR_KEY_ROTATION (916): no description from the driver
  // CHECK: malloc: 2 cuMemAlloc failed (16 bytes): a CUresult unknown to CUDA 13 (12345): no description from the driver
  /* A driver that names its codes is believed. */
  fakeCudaSet("cuGetErrorName", 0, 0);
  fakeCudaSet("cuGetErrorString", 0, 0);
  fakeCudaSet("cuMemAlloc_v2", 2, 0);
  SHOW("named", tlrtMalloc(&p, 16));
  // CHECK: named: 2 cuMemAlloc failed (16 bytes): FAKE_DRIVER_NAME (2): described by the fake driver
  tlrtShutdown();
}

static void testNull(void) {
  fakeCudaReset();
  TlrtEvent *e = NULL;
  float ms = 0;
  SHOW("event create", tlrtEventCreate(NULL));
  // CHECK-LABEL: event create: 3 tlrtEventCreate: no event pointer
  SHOW("event record", tlrtEventRecord(NULL, NULL));
  // CHECK: event record: 3 tlrtEventRecord: no event
  SHOW("elapsed start", tlrtEventElapsed(NULL, NULL, &ms));
  // CHECK: elapsed start: 3 tlrtEventElapsed: no start event
  SHOW("event", tlrtEventCreate(&e));
  // CHECK: event: 0 ok
  SHOW("elapsed end", tlrtEventElapsed(e, NULL, &ms));
  // CHECK: elapsed end: 3 tlrtEventElapsed: no end event
  SHOW("elapsed ms", tlrtEventElapsed(e, e, NULL));
  // CHECK: elapsed ms: 3 tlrtEventElapsed: no result pointer
  tlrtEventDestroy(e);
  tlrtEventDestroy(NULL);
  SHOW("malloc", tlrtMalloc(NULL, 16));
  // CHECK: malloc: 3 tlrtMalloc: no result pointer
  SHOW("to device", tlrtCopyToDevice(0x1000, NULL, 16));
  // CHECK: to device: 3 tlrtCopyToDevice: no source
  SHOW("to host", tlrtCopyToHost(NULL, 0x1000, 16));
  // CHECK: to host: 3 tlrtCopyToHost: no destination
  SHOW("map", tlrtGetTiledMap(NULL, 0, NULL));
  // CHECK: map: 3 tlrtGetTiledMap: no descriptor
  violations("null");
  // CHECK: null: 0 violations
  tlrtShutdown();
}

static void testModules(void) {
  fakeCudaReset();
  SHOW("init 3", tlrtInit(3));
  // CHECK-LABEL: init 3: 3 device 3 does not exist (1 found)
  char name[64] = "";
  int major = 0, minor = 0, optin = 0;
  SHOW("info", tlrtDeviceInfo(name, sizeof name, &major, &minor, NULL, NULL,
                              &optin));
  printf("device: %s %d.%d %d\n", name, major, minor, optin);
  // CHECK: info: 0 ok
  // CHECK: device: Fake GPU 9.0 232448
  TlrtModule *m = NULL, *again = NULL;
  SHOW("load", tlrtLoadModule(kPTX, sizeof kPTX - 1, &m));
  SHOW("load again", tlrtLoadModule(kPTX, sizeof kPTX - 1, &again));
  printf("cached: %d, loads: %d\n", m == again,
         fakeCudaCalls("cuModuleLoadData"));
  // CHECK: load: 0 ok
  // CHECK: load again: 0 ok
  // CHECK: cached: 1, loads: 1
  TlrtModule *bad = NULL;
  SHOW("bad", tlrtLoadModule(kBadPTX, sizeof kBadPTX - 1, &bad));
  // CHECK: bad: 2 cuModuleLoadData failed (PTX image): CUDA_ERROR_INVALID_PTX (218): no description from the driver
  SHOW("launch", tlrtLaunch(m, "k", kOne, kOne, 0, NULL, NULL));
  // CHECK: launch: 0 ok
  SHOW("missing", tlrtLaunch(m, "missing", kOne, kOne, 0, NULL, NULL));
  // CHECK: missing: 2 cuModuleGetFunction failed (kernel 'missing'): CUDA_ERROR_NOT_FOUND (500)
  SHOW("big block", tlrtLaunch(m, "k", kOne, (tlrt_dim3){2048, 1, 1}, 0,
                               NULL, NULL));
  // CHECK: big block: 2 cuLaunchKernel failed (kernel 'k', grid 1x1x1, block 2048x1x1, 0 bytes of dynamic shared memory): CUDA_ERROR_INVALID_VALUE (1)
  SHOW("shared", tlrtLaunch(m, "k", kOne, kOne, 100000, NULL, NULL));
  SHOW("shared again", tlrtLaunch(m, "k", kOne, kOne, 100000, NULL, NULL));
  printf("raised: %d\n", fakeCudaCalls("cuFuncSetAttribute"));
  // CHECK: shared: 0 ok
  // CHECK: shared again: 0 ok
  // CHECK: raised: 1
  SHOW("too much", tlrtLaunch(m, "k", kOne, kOne, 232448, NULL, NULL));
  // CHECK: too much: 3 kernel 'k' needs 232448 bytes of dynamic shared memory; the device allows at most 232448 per block, 16 of them taken by the kernel's static shared memory
  SHOW("sync", tlrtSynchronize());
  // CHECK: sync: 0 ok
  violations("modules");
  // CHECK: modules: 0 violations
  tlrtShutdown();
}

static void testEventsAndMaps(void) {
  fakeCudaReset();
  TlrtEvent *a = NULL, *b = NULL;
  float ms = 0;
  SHOW("events", tlrtEventCreate(&a) || tlrtEventCreate(&b) ||
                     tlrtEventRecord(a, NULL) || tlrtEventRecord(b, NULL) ||
                     tlrtEventElapsed(a, b, &ms));
  printf("elapsed: %.2f ms\n", ms);
  // CHECK-LABEL: events: 0 ok
  // CHECK: elapsed: 1.50 ms
  tlrtEventDestroy(a);
  tlrtEventDestroy(b);
  TlrtTiledMapDesc d;
  memset(&d, 0, sizeof d);
  d.dataType = 7;
  d.rank = 2;
  d.globalDim[0] = d.globalDim[1] = 64;
  d.globalStrides[0] = 256;
  d.boxDim[0] = d.boxDim[1] = 16;
  d.elementStrides[0] = d.elementStrides[1] = 1;
  _Alignas(64) uint64_t map[16];
  SHOW("map", tlrtGetTiledMap(&d, 0x10000, map));
  SHOW("map moved", tlrtGetTiledMap(&d, 0x20000, map));
  printf("encoded: %d, re-pointed: %d, address: %#llx\n",
         fakeCudaCalls("cuTensorMapEncodeTiled"),
         fakeCudaCalls("cuTensorMapReplaceAddress"),
         (unsigned long long)map[0]);
  // CHECK: map: 0 ok
  // CHECK: map moved: 0 ok
  // CHECK: encoded: 1, re-pointed: 1, address: 0x20000
  d.rank = 7;
  SHOW("rank 7", tlrtGetTiledMap(&d, 0x10000, map));
  // CHECK: rank 7: 3 tiled tensor map rank 7: must be 1 to 5
  violations("maps");
  // CHECK: maps: 0 violations
  tlrtShutdown();
}

//===--------------------------------------------------------------------===//
// tlrtShutdown against calls in flight
//===--------------------------------------------------------------------===//

static void *launchOnce(void *arg) {
  int *rc = arg;
  TlrtModule *m = NULL;
  *rc = tlrtLoadModule(kPTX, sizeof kPTX - 1, &m);
  if (!*rc)
    *rc = tlrtLaunch(m, "k", kOne, kOne, 0, NULL, NULL);
  return NULL;
}

/* A launch that takes 300 ms in the driver; shutdown starts in the middle
   of it and must wait: before the fix it freed the module under the
   launch. */
static void testShutdownDuringLaunch(void) {
  fakeCudaReset();
  TlrtModule *m = NULL;
  TlrtEvent *e = NULL;
  SHOW("before", tlrtLoadModule(kPTX, sizeof kPTX - 1, &m) ||
                     tlrtEventCreate(&e));
  // CHECK-LABEL: before: 0 ok
  fakeCudaSet("cuLaunchKernel", 0, 300);
  int rc = -1;
  pthread_t t;
  pthread_create(&t, NULL, launchOnce, &rc);
  for (int i = 0; i < 5000 && !fakeCudaInFlight("cuLaunchKernel"); ++i)
    sleepMs(1);
  int during = fakeCudaInFlight("cuLaunchKernel");
  tlrtShutdown();
  int after = fakeCudaInFlight("cuLaunchKernel");
  pthread_join(t, NULL);
  printf("in flight: %d at shutdown, %d after; launch: %d\n", during, after,
         rc);
  // CHECK: in flight: 1 at shutdown, 0 after; launch: 0
  violations("race");
  // CHECK: race: 0 violations
  fakeCudaSet("cuLaunchKernel", 0, 0);
  SHOW("stale module", tlrtLaunch(m, "k", kOne, kOne, 0, NULL, NULL));
  // CHECK: stale module: 3 tlrtLaunch: the module is not loaded (tlrtShutdown unloaded it; tlrtLoadModule of its image loads it again)
  TlrtModule *again = NULL;
  SHOW("reload", tlrtLoadModule(kPTX, sizeof kPTX - 1, &again) ||
                     tlrtLaunch(m, "k", kOne, kOne, 0, NULL, NULL));
  printf("same handle: %d\n", again == m);
  // CHECK: reload: 0 ok
  // CHECK: same handle: 1
  SHOW("stale event", tlrtEventRecord(e, NULL));
  // CHECK: stale event: 3 tlrtEventRecord: the event was created before tlrtShutdown; create it again
  int destroys = fakeCudaCalls("cuEventDestroy_v2");
  tlrtEventDestroy(e);
  printf("stale destroy reached the driver: %d\n",
         fakeCudaCalls("cuEventDestroy_v2") - destroys);
  // CHECK: stale destroy reached the driver: 0
  tlrtShutdown();
}

typedef struct Worker {
  int failures, stale, done;
} Worker;

/* Whatever a host does, in a loop; the only acceptable failures are the
   handles a concurrent shutdown invalidated (TLRT_ERROR_INVALID). */
static void *work(void *arg) {
  Worker *w = arg;
  for (int i = 0; i < 150; ++i) {
    TlrtModule *m = NULL;
    TlrtEvent *e = NULL;
    uint64_t p = 0;
    float ms = 0;
    int rc[8], n = 0; /* one statement each: the order matters */
    rc[n++] = tlrtLoadModule(kPTX, sizeof kPTX - 1, &m);
    rc[n++] = m ? tlrtLaunch(m, "k", kOne, kOne, 60000, NULL, NULL) : 0;
    rc[n++] = tlrtMalloc(&p, 256);
    rc[n++] = tlrtFree(p);
    rc[n++] = tlrtEventCreate(&e);
    rc[n++] = e ? tlrtEventRecord(e, NULL) : 0;
    rc[n++] = e ? tlrtEventElapsed(e, e, &ms) : 0;
    rc[n++] = tlrtSynchronize();
    tlrtEventDestroy(e);
    for (int k = 0; k < n; ++k) {
      w->stale += rc[k] == TLRT_ERROR_INVALID;
      w->failures += rc[k] != 0 && rc[k] != TLRT_ERROR_INVALID;
    }
  }
  w->done = 1;
  return NULL;
}

/* Eight threads at work, twenty shutdowns in between. */
static void testShutdownStress(void) {
  fakeCudaReset();
  fakeCudaSet("cuLaunchKernel", 0, 1);
  enum { N = 8 };
  pthread_t t[N];
  Worker w[N];
  memset(w, 0, sizeof w);
  for (int i = 0; i < N; ++i)
    pthread_create(&t[i], NULL, work, &w[i]);
  for (int i = 0; i < 20; ++i) {
    sleepMs(5);
    tlrtShutdown();
  }
  int failures = 0, done = 0;
  for (int i = 0; i < N; ++i) {
    pthread_join(t[i], NULL);
    failures += w[i].failures;
    done += w[i].done;
  }
  printf("stress: %d threads done, %d failures\n", done, failures);
  // CHECK-LABEL: stress: 8 threads done, 0 failures
  violations("stress");
  // CHECK: stress: 0 violations
  tlrtShutdown();
}

int main(void) {
  testStub();
  testNames();
  testNull();
  testModules();
  testEventsAndMaps();
  testShutdownDuringLaunch();
  testShutdownStress();
  return 0;
}
