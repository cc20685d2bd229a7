/* The GEMM timer of scripts/gemm-bench-bundle.sh: one GEMM kernel (C = A B^T,
 * f16, N x N x N, a BM x BN tile per block) on random f16 data, the median
 * of 20 launches and the back-to-back time per launch (bench/median.h).
 * Prints "tl <LABEL> <N>^3: <ms> ms, <TFLOP/s> TFLOP/s; back-to-back ...". */
#include "median.h"
#include TL_KERNEL_HEADER

static uint64_t a, b, c;

static int launch(void *ctx) {
  (void)ctx;
  tlrt_dim3 g = {(N + BN - 1) / BN, (N + BM - 1) / BM, 1};
  return LAUNCH(NULL, g, a, b, c);
}

int main(void) {
  size_t n = N, bytes = n * n * 2;
  uint32_t seed = 12345;
  if (tlrtMalloc(&a, bytes) || tlrtMalloc(&b, bytes) || tlrtMalloc(&c, bytes)) return 1;
  if (fillRandomHalves(a, n * n, &seed) || fillRandomHalves(b, n * n, &seed)) return 1;
  float med = medianLaunchMs(launch, NULL), b2b = backToBackMs(launch, NULL);
  if (med < 0 || b2b < 0) return 1;
  double flop = 2.0 * n * n * n;
  printf("tl %s %d^3: %.3f ms, %.1f TFLOP/s; back-to-back %.3f ms, %.1f TFLOP/s\n", LABEL, N, med,
         flop / (med * 1e-3) / 1e12, b2b, flop / (b2b * 1e-3) / 1e12);
  return 0;
}
