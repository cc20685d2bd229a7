/* examples/gemm_sm90.mlir (wgmma, a 128 x 256 tile per block): C = A Bt^T,
   512^3 f16, f32 accumulation; every element within 2^-10 |ref| +
   2 K 2^-24 sum |a b| of a double-precision reference (test/GPU/gen_gemm.py
   states why). */
#define CASE_NAME "example_gemm_sm90"
#include "harness.h"
#include TL_KERNEL_HEADER

int main(void) {
  seedRandom();
  enum { M = 512, N = 512, K = 512 };
  uint16_t *a = malloc((size_t)M * K * 2), *bt = malloc((size_t)N * K * 2);
  uint16_t *got = malloc((size_t)M * N * 2);
  for (size_t i = 0; i < (size_t)M * K; ++i) a[i] = floatToHalf(randomFloat() / 4.0f);
  for (size_t i = 0; i < (size_t)N * K; ++i) bt[i] = floatToHalf(randomFloat() / 4.0f);
  uint64_t dA = deviceFrom(a, (size_t)M * K * 2), dB = deviceFrom(bt, (size_t)N * K * 2);
  uint64_t dC = devicePoisoned((size_t)M * N * 2);
  CHECK(tl_launch_gemm(NULL, (tlrt_dim3){N / 256, M / 128, 1}, dA, dB, dC));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dC, (size_t)M * N * 2));
  size_t bad = 0;
  for (size_t m = 0; m < M; ++m)
    for (size_t n = 0; n < N; ++n) {
      double ref = 0, mag = 0;
      for (size_t k = 0; k < K; ++k) {
        double p = (double)halfToFloat(a[m * K + k]) * (double)halfToFloat(bt[n * K + k]);
        ref += p;
        mag += p < 0 ? -p : p;
      }
      double g = halfToFloat(got[m * N + n]), err = g > ref ? g - ref : ref - g;
      double bound = (ref < 0 ? -ref : ref) / 1024.0 + 2.0 * K * mag / 16777216.0;
      if (!(err <= bound) && bad++ < 5)
        printf("C[%zu][%zu] = %g, want %g (bound %g)\n", m, n, g, ref, bound);
    }
  printf("%s %s (%d elements)\n", bad ? "FAIL" : "PASS", CASE_NAME, M * N);
  return bad != 0;
}
