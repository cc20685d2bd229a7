/* What the MMA timers (bench/gemm_time.c, bench/conv_time.c) share: random
 * f16 data and the median time of a launch. */
#ifndef TL_BENCH_MEDIAN_H
#define TL_BENCH_MEDIAN_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "tlrt.h"

/* A random f16 of magnitude below 1 (exponents 10..14, a random sign and
   mantissa), from the LCG state *s. */
static uint16_t randomHalf(uint32_t *s) {
  *s = *s * 1664525u + 1013904223u;
  uint16_t m = (uint16_t)((*s >> 8) & 0x3ff), e = (uint16_t)(10 + (*s >> 28) % 5);
  return (uint16_t)(((*s >> 20) & 1) << 15 | e << 10 | m);
}

/* Fills n f16 at device address d with randomHalf; non-zero on failure. */
static int fillRandomHalves(uint64_t d, size_t n, uint32_t *seed) {
  uint16_t *h = malloc(n * 2);
  if (!h) return 1;
  for (size_t i = 0; i < n; ++i) h[i] = randomHalf(seed);
  int r = tlrtCopyToDevice(d, h, n * 2);
  free(h);
  return r;
}

static int cmpFloat(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

/* The median (ms) of 20 calls of launch(ctx), each timed by its own events,
   after 3 warm-ups; -1 after an error (printed). */
static float medianLaunchMs(int (*launch)(void *), void *ctx) {
  for (int i = 0; i < 3; ++i)
    if (launch(ctx)) { printf("launch: %s\n", tlrtLastError()); return -1; }
  tlrtSynchronize();
  float ms[20];
  TlrtEvent *e0, *e1;
  if (tlrtEventCreate(&e0) || tlrtEventCreate(&e1)) { printf("events: %s\n", tlrtLastError()); return -1; }
  for (int i = 0; i < 20; ++i) {
    tlrtEventRecord(e0, NULL);
    launch(ctx);
    tlrtEventRecord(e1, NULL);
    if (tlrtEventElapsed(e0, e1, &ms[i])) { printf("timing: %s\n", tlrtLastError()); return -1; }
  }
  qsort(ms, 20, sizeof ms[0], cmpFloat);
  return (ms[9] + ms[10]) / 2;
}

/* The median over 10 runs of the mean time (ms) of 20 back-to-back calls
   of launch(ctx) between two events: the GPU's time per launch once the
   queue is full, without the per-launch host gap (the baselines are timed
   the same way: a CUDA graph of 20 calls); -1 after an error. */
static float backToBackMs(int (*launch)(void *), void *ctx) {
  float ms[10];
  TlrtEvent *e0, *e1;
  if (tlrtEventCreate(&e0) || tlrtEventCreate(&e1)) { printf("events: %s\n", tlrtLastError()); return -1; }
  for (int r = 0; r < 10; ++r) {
    tlrtEventRecord(e0, NULL);
    for (int i = 0; i < 20; ++i)
      if (launch(ctx)) { printf("launch: %s\n", tlrtLastError()); return -1; }
    tlrtEventRecord(e1, NULL);
    if (tlrtEventElapsed(e0, e1, &ms[r])) { printf("timing: %s\n", tlrtLastError()); return -1; }
    ms[r] /= 20;
  }
  qsort(ms, 10, sizeof ms[0], cmpFloat);
  return (ms[4] + ms[5]) / 2;
}
#endif
