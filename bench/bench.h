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

/* One result line: name, path, MiB moved, ms, GB/s, DtoD GB/s, ratio; also
   appended as CSV to $TL_BENCH_CSV when set. */
static void report(const char *name, const char *path, size_t bytes, float ms,
                   double dtod) {
  double gbs = (double)bytes / (ms * 1e-3) / 1e9;
  printf("%-30s %-6s %9.1f MiB %9.3f ms %8.1f GB/s  memcpy %8.1f GB/s  ratio %.3f\n",
         name, path, bytes / 1048576.0, ms, gbs, dtod, gbs / dtod);
  const char *csv = getenv("TL_BENCH_CSV");
  if (csv) {
    FILE *f = fopen(csv, "a");
    if (f) {
      fprintf(f, "%s,%s,%zu,%.4f,%.2f,%.2f,%.4f\n", name, path, bytes, ms, gbs,
              dtod, gbs / dtod);
      fclose(f);
    }
  }
}

#endif
