/* The conv timer of scripts/gemm-bench-bundle.sh: one implicit-GEMM
 * convolution kernel (test/GPU/gen_conv90.py: NHWC f16 image NB x H x W x C,
 * weights F x (KK KK C), output (NB OH OW) x F, a BM x BN tile per block)
 * on random f16 data, the median of 20 launches each timed by its own
 * events, after 3 warm-ups. Prints "tl <LABEL>: <ms> ms, <TFLOP/s> TFLOP/s". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "tlrt.h"
#include TL_KERNEL_HEADER

static uint16_t randomHalf(uint32_t *s) {
  *s = *s * 1664525u + 1013904223u;
  uint16_t m = (uint16_t)((*s >> 8) & 0x3ff), e = (uint16_t)(10 + (*s >> 28) % 5);
  return (uint16_t)(((*s >> 20) & 1) << 15 | e << 10 | m);
}

static int cmp(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

static int fill(uint64_t d, size_t n, uint32_t *seed) {
  uint16_t *h = malloc(n * 2);
  if (!h) return 1;
  for (size_t i = 0; i < n; ++i) h[i] = randomHalf(seed);
  int r = tlrtCopyToDevice(d, h, n * 2);
  free(h);
  return r;
}

int main(void) {
  const size_t OH = (H + 2 * P - KK) / S + 1, OW = (W + 2 * P - KK) / S + 1;
  const size_t M = (size_t)NB * OH * OW, KG = (size_t)KK * KK * C;
  size_t nI = (size_t)NB * H * W * C, nW = (size_t)F * KG, nO = M * F;
  uint32_t seed = 12345;
  uint64_t img, wt, out;
  if (tlrtMalloc(&img, nI * 2) || tlrtMalloc(&wt, nW * 2) || tlrtMalloc(&out, nO * 2)) return 1;
  if (fill(img, nI, &seed) || fill(wt, nW, &seed)) return 1;
  tlrt_dim3 g = {(unsigned)((F + BN - 1) / BN), (unsigned)((M + BM - 1) / BM), 1};
  for (int i = 0; i < 3; ++i)
    if (tl_launch_conv(NULL, g, img, wt, out)) { printf("launch: %s\n", tlrtLastError()); return 1; }
  tlrtSynchronize();
  float ms[20];
  TlrtEvent *e0, *e1;
  tlrtEventCreate(&e0); tlrtEventCreate(&e1);
  for (int i = 0; i < 20; ++i) {
    tlrtEventRecord(e0, NULL);
    tl_launch_conv(NULL, g, img, wt, out);
    tlrtEventRecord(e1, NULL);
    if (tlrtEventElapsed(e0, e1, &ms[i])) { printf("timing: %s\n", tlrtLastError()); return 1; }
  }
  qsort(ms, 20, sizeof ms[0], cmp);
  float med = (ms[9] + ms[10]) / 2;
  printf("tl %s: %.4f ms, %.1f TFLOP/s\n", LABEL, med, 2.0 * M * F * KG / (med * 1e-3) / 1e12);
  return 0;
}
