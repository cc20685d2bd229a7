/* Shared code of the tl benchmarks: device buffers larger than L2 rotated
   between repetitions, CUDA-event timing with the median of many
   repetitions, and the cuMemcpyDtoD baseline for the same byte count. */
#ifndef TL_BENCH_H
#define TL_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlrt.h"

#define BCHECK(call)                                                           \
  do {                                                                         \
    int rc_ = (call);                                                          \
    if (rc_) {                                                                 \
      printf("ERROR %s: %s: %s\n", BENCH_NAME, #call, tlrtLastError());        \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

static int cmpFloat(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return x < y ? -1 : x > y;
}

/* How many buffer sets keep every repetition out of L2. */
static int rotations(size_t bytesPerSet) {
  int l2 = 0;
  BCHECK(tlrtDeviceInfo(NULL, 0, NULL, NULL, NULL, &l2, NULL));
  size_t want = (size_t)l2 * 4;
  int n = (int)((want + bytesPerSet - 1) / bytesPerSet);
  return n < 1 ? 1 : n > 8 ? 8 : n;
}

typedef void (*LaunchFn)(void *ctx, int set);

/* Median milliseconds of `reps` timed launches after `warmup` ones; each
   launch uses buffer set (i mod sets). */
static float timeMedian(LaunchFn fn, void *ctx, int sets, int warmup, int reps) {
  TlrtEvent *e0, *e1;
  BCHECK(tlrtEventCreate(&e0));
  BCHECK(tlrtEventCreate(&e1));
  for (int i = 0; i < warmup; ++i)
    fn(ctx, i % sets);
  BCHECK(tlrtSynchronize());
  float *ms = malloc(sizeof(float) * (size_t)reps);
  for (int i = 0; i < reps; ++i) {
    BCHECK(tlrtEventRecord(e0, NULL));
    fn(ctx, i % sets);
    BCHECK(tlrtEventRecord(e1, NULL));
    BCHECK(tlrtEventElapsed(e0, e1, &ms[i]));
  }
  qsort(ms, (size_t)reps, sizeof(float), cmpFloat);
  float med = ms[reps / 2];
  free(ms);
  tlrtEventDestroy(e0);
  tlrtEventDestroy(e1);
  return med;
}

typedef struct DtoD {
  uint64_t src[8], dst[8];
  size_t bytes;
} DtoD;

static void launchDtoD(void *ctx, int set) {
  DtoD *d = ctx;
  BCHECK(tlrtCopyDeviceToDevice(d->dst[set], d->src[set], d->bytes));
}

/* GB/s of cuMemcpyDtoD moving `bytesMoved` (read + write) in total. */
static double dtodGBs(size_t bytesMoved, int sets) {
  DtoD d;
  d.bytes = bytesMoved / 2;
  for (int s = 0; s < sets; ++s) {
    BCHECK(tlrtMalloc(&d.src[s], d.bytes));
    BCHECK(tlrtMalloc(&d.dst[s], d.bytes));
    BCHECK(tlrtMemset8(d.src[s], 1, d.bytes));
  }
  float ms = timeMedian(launchDtoD, &d, sets, 3, 20);
  for (int s = 0; s < sets; ++s) {
    tlrtFree(d.src[s]);
    tlrtFree(d.dst[s]);
  }
  return (double)bytesMoved / (ms * 1e-3) / 1e9;
}

typedef struct Memset {
  uint64_t dst[8];
  size_t bytes;
} Memset;

static void launchMemset(void *ctx, int set) {
  Memset *m = ctx;
  BCHECK(tlrtMemset8(m->dst[set], 0x5A, m->bytes));
}

/* Median milliseconds of cuMemsetD8 writing `bytes`: the floor of a kernel
   whose output is that large (im2col's column matrix). */
static float memsetMs(size_t bytes, int sets) {
  Memset m;
  m.bytes = bytes;
  for (int s = 0; s < sets; ++s)
    BCHECK(tlrtMalloc(&m.dst[s], bytes));
  float ms = timeMedian(launchMemset, &m, sets, 3, 20);
  for (int s = 0; s < sets; ++s)
    tlrtFree(m.dst[s]);
  return ms;
}

/* One result line: name, path, MiB moved, ms, GB/s, DtoD GB/s, ratio, and
   with a floor (floorMs > 0) the time as a multiple of it; also appended
   as CSV to $TL_BENCH_CSV when set. The path is $TL_BENCH_PATH, which
   bench/run.sh sets from the compiler's report (bench/path_label.py). */
static void report(const char *name, size_t bytes, float ms, double dtod,
                   float floorMs) {
  const char *path = getenv("TL_BENCH_PATH");
  path = path && *path ? path : "?";
  double gbs = (double)bytes / (ms * 1e-3) / 1e9;
  char floorText[48] = "";
  if (floorMs > 0)
    snprintf(floorText, sizeof floorText, "  memset x%.3f", ms / floorMs);
  printf("%-44s %-26s %8.1f MiB %8.3f ms %7.1f GB/s  memcpy %7.1f GB/s  ratio %.3f%s\n",
         name, path, bytes / 1048576.0, ms, gbs, dtod, gbs / dtod, floorText);
  const char *csv = getenv("TL_BENCH_CSV");
  if (csv) {
    FILE *f = fopen(csv, "a");
    if (f) {
      fprintf(f, "%s,%s,%zu,%.4f,%.2f,%.2f,%.4f,%.4f\n", name, path, bytes, ms,
              gbs, dtod, gbs / dtod, floorMs > 0 ? ms / floorMs : 0.0);
      fclose(f);
    }
  }
}

#endif
