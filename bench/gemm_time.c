/* The timer of scripts/gemm-bench-bundle.sh: one GEMM kernel (C = A B^T,
 * f16, N x N x N, a BM x BN tile per block) on random f16 data in [-1, 1),
 * the median of 20 launches each timed by its own events, after 3 warm-ups.
 * Prints "tl <LABEL> <N>^3: <ms> ms, <TFLOP/s> TFLOP/s". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tlrt.h"
#include TL_KERNEL_HEADER

static uint16_t randomHalf(uint32_t *s) {
  *s = *s * 1664525u + 1013904223u;
  /* sign, exponent 0x0e or less (|x| < 1), 10 random mantissa bits */
  uint16_t m = (uint16_t)((*s >> 8) & 0x3ff), e = (uint16_t)(10 + (*s >> 28) % 5);
  return (uint16_t)(((*s >> 20) & 1) << 15 | e << 10 | m);
}

static int cmp(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

int main(void) {
  size_t n = N, bytes = n * n * 2;
  uint16_t *h = malloc(bytes);
  uint32_t seed = 12345;
  uint64_t a, b, c;
  if (!h || tlrtMalloc(&a, bytes) || tlrtMalloc(&b, bytes) || tlrtMalloc(&c, bytes)) return 1;
  for (size_t i = 0; i < n * n; ++i) h[i] = randomHalf(&seed);
  if (tlrtCopyToDevice(a, h, bytes)) return 1;
  for (size_t i = 0; i < n * n; ++i) h[i] = randomHalf(&seed);
  if (tlrtCopyToDevice(b, h, bytes)) return 1;
  tlrt_dim3 g = {(N + BN - 1) / BN, (N + BM - 1) / BM, 1};
  for (int i = 0; i < 3; ++i)
    if (LAUNCH(NULL, g, a, b, c)) { printf("launch: %s\n", tlrtLastError()); return 1; }
  tlrtSynchronize();
  float ms[20];
  TlrtEvent *e0, *e1;
  tlrtEventCreate(&e0); tlrtEventCreate(&e1);
  for (int i = 0; i < 20; ++i) {
    tlrtEventRecord(e0, NULL);
    LAUNCH(NULL, g, a, b, c);
    tlrtEventRecord(e1, NULL);
    if (tlrtEventElapsed(e0, e1, &ms[i])) { printf("timing: %s\n", tlrtLastError()); return 1; }
  }
  qsort(ms, 20, sizeof ms[0], cmp);
  float med = (ms[9] + ms[10]) / 2;
  printf("tl %s %d^3: %.3f ms, %.1f TFLOP/s\n", LABEL, N, med, 2.0 * n * n * n / (med * 1e-3) / 1e12);
  free(h);
  return 0;
}
