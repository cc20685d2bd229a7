/* The control side of the stand-in CUDA driver (fake-cuda.c), which the
   Runtime tests link in place of libcuda: libtlrt's dlopen("libcuda.so.1")
   then finds this library, already loaded under that name. Functions are
   named by their exported symbol ("cuMemAlloc_v2"). */
#ifndef TL_TEST_FAKE_CUDA_H
#define TL_TEST_FAKE_CUDA_H

/* Back to the defaults: every call succeeds at once, one device, no error
   names (as the stub library: cuGetErrorName fails), counters at zero. */
void fakeCudaReset(void);

/* From now on `fn` waits `delayMs` milliseconds, then returns `result`.
   Returns 0, or -1 for a name the fake does not export. */
int fakeCudaSet(const char *fn, int result, unsigned delayMs);

/* How many devices cuDeviceGetCount reports. */
void fakeCudaSetDeviceCount(int count);

/* Calls of `fn` so far, and how many threads are inside it now. */
int fakeCudaCalls(const char *fn);
int fakeCudaInFlight(const char *fn);

/* Misuse the fake saw (a module unloaded or the context released while a
   call used it, a handle used after it was destroyed, a call before
   cuInit): how many, and the last one's description ("" if none). */
int fakeCudaViolations(void);
const char *fakeCudaLastViolation(void);

#endif
