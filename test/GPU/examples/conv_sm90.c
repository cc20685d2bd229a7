/* examples/conv_sm90.mlir: a 3x3 convolution, NHWC 2 x 16 x 16 x 64 f16 into
   128 filters, stride 1, pad 1, f32 accumulation; every output within
   2^-10 |ref| + 2 K 2^-24 sum |a b| (K = 576) of a double-precision direct
   convolution (test/GPU/gen_gemm.py states why). The body is
   `python3 test/GPU/gen_conv90.py --example-harness`. */
#define CASE_NAME "example_conv_sm90"
#include "harness.h"
#include TL_KERNEL_HEADER

int main(void) {
  seedRandom();

  size_t nI = (size_t)2 * 16 * 16 * 64, nW = (size_t)128 * 576, nO = (size_t)512 * 128;
  uint16_t *img = malloc(nI * 2), *wt = malloc(nW * 2), *got = malloc(nO * 2);
  for (size_t i = 0; i < nI; ++i) img[i] = floatToHalf(randomFloat() / 4.0f);
  for (size_t i = 0; i < nW; ++i) wt[i] = floatToHalf(randomFloat() / 4.0f);
  uint64_t dI = deviceFrom(img, nI * 2), dW = deviceFrom(wt, nW * 2), dO = devicePoisoned(nO * 2);
  tlrt_dim3 grid = {(128 + 127) / 128, (512 + 127) / 128, 1};
  CHECK(tl_launch_conv(NULL, grid, dI, dW, dO));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dO, nO * 2));
  size_t bad = 0;
  double worst = 0;
  for (size_t m = 0; m < 512; ++m) {
    size_t n = m / (16 * 16), oh = m / 16 % 16, ow = m % 16;
    for (size_t f = 0; f < 128; ++f) {
      double ref = 0, mag = 0;
      for (int kh = 0; kh < 3; ++kh)
        for (int kw = 0; kw < 3; ++kw) {
          long h = (long)oh * 1 + kh - 1, w = (long)ow * 1 + kw - 1;
          if (h < 0 || h >= 16 || w < 0 || w >= 16) continue;
          for (size_t c = 0; c < 64; ++c) {
            double p = (double)halfToFloat(img[((n * 16 + h) * 16 + w) * 64 + c]) *
                       (double)halfToFloat(wt[f * 576 + (kh * 3 + kw) * 64 + c]);
            ref += p;
            mag += p < 0 ? -p : p;
          }
        }
      double g = halfToFloat(got[m * 128 + f]);
      double bound = (ref < 0 ? -ref : ref) / 1024.0 + 2.0 * 576 * mag / 16777216.0;
      double err = g > ref ? g - ref : ref - g;
      if (!(err <= bound)) {
        if (bad++ < 5)
          printf("out[%zu][%zu] = %g, want %g (bound %g)\n", m, f, g, ref, bound);
      }
      if (bound > 0 && err / bound > worst) worst = err / bound;
    }
  }
  printf("%s %s (%zu elements, worst error %.3f of the bound)\n", bad ? "FAIL" : "PASS", CASE_NAME, nO, worst);
  return bad != 0;
}
