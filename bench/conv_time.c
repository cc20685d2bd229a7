/* The conv timer of scripts/gemm-bench-bundle.sh: one implicit-GEMM
 * convolution kernel (test/GPU/gen_conv90.py: NHWC f16 image NB x H x W x C,
 * weights F x (KK KK C), output (NB OH OW) x F, a BM x BN tile per block)
 * on random f16 data, the median of 20 launches and the back-to-back time
 * per launch (bench/median.h). Prints "tl <LABEL>: <ms> ms, <TFLOP/s>
 * TFLOP/s; back-to-back <ms> ms, <TFLOP/s> TFLOP/s". */
#include "median.h"
#ifndef GRID_X
#define GRID_X 0
#endif
#include TL_KERNEL_HEADER

#define OH ((H + 2 * P - KK) / S + 1)
#define OW ((W + 2 * P - KK) / S + 1)
static const size_t M = (size_t)NB * OH * OW, KG = (size_t)KK * KK * C;
static uint64_t img, wt, out;

static int launch(void *ctx) {
  (void)ctx;
#if GRID_X > 0 /* persistent: GRID_X blocks walk the tiles */
  tlrt_dim3 g = {GRID_X, 1, 1};
#else
  tlrt_dim3 g = {(unsigned)((F + BN - 1) / BN), (unsigned)((M + BM - 1) / BM), 1};
#endif
  return tl_launch_conv(NULL, g, img, wt, out);
}

int main(void) {
  size_t nI = (size_t)NB * H * W * C, nW = (size_t)F * KG, nO = M * F;
  uint32_t seed = 12345;
  if (tlrtMalloc(&img, nI * 2) || tlrtMalloc(&wt, nW * 2) || tlrtMalloc(&out, nO * 2)) return 1;
  if (fillRandomHalves(img, nI, &seed) || fillRandomHalves(wt, nW, &seed)) return 1;
  float med = medianLaunchMs(launch, NULL), b2b = backToBackMs(launch, NULL);
  if (med < 0 || b2b < 0) return 1;
  double flop = 2.0 * M * F * KG;
  printf("tl %s: %.4f ms, %.1f TFLOP/s; back-to-back %.4f ms, %.1f TFLOP/s\n", LABEL, med,
         flop / (med * 1e-3) / 1e12, b2b, flop / (b2b * 1e-3) / 1e12);
  return 0;
}
