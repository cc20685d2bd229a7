/* examples/im2col.mlir: N=8, H=W=32, C=64, 3x3, stride 1, pad 1: an
   8192x576 f16 column matrix in 64x64 tiles. */
#define CASE_NAME "example_im2col"
#include "harness.h"
#include TL_KERNEL_HEADER

int main(void) {
  seedRandom();
  enum { NB = 8, H = 32, W = 32, C = 64, K = 3, OH = 32, OW = 32 };
  enum { M = NB * OH * OW, KK = K * K * C };
  uint16_t *img = malloc((size_t)NB * H * W * C * 2);
  uint16_t *want = malloc((size_t)M * KK * 2), *got = malloc((size_t)M * KK * 2);
  for (size_t i = 0; i < (size_t)NB * H * W * C; ++i)
    img[i] = floatToHalf(randomFloat());
  for (long m = 0; m < M; ++m)
    for (long k = 0; k < KK; ++k) {
      long n = m / (OH * OW), oh = (m / OW) % OH, ow = m % OW;
      long kh = k / (K * C), kw = (k / C) % K, c = k % C;
      long h = oh + kh - 1, w = ow + kw - 1;
      want[m * KK + k] = h >= 0 && h < H && w >= 0 && w < W
                             ? img[((n * H + h) * W + w) * C + c]
                             : 0;
    }
  uint64_t dI = deviceFrom(img, (size_t)NB * H * W * C * 2);
  uint64_t dC = devicePoisoned((size_t)M * KK * 2);
  CHECK(tl_launch_im2col(NULL, (tlrt_dim3){M / 64, KK / 64, 1}, dI, dC));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dC, (size_t)M * KK * 2));
  return compareExact(got, want, (size_t)M * KK, 2);
}
