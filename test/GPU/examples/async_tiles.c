/* examples/async_tiles.mlir: a 512x512 f16 matrix, two 64x64 tiles per
   block in flight (TMA loads and stores). */
#define CASE_NAME "example_async_tiles"
#include "harness.h"
#include TL_KERNEL_HEADER

int main(void) {
  seedRandom();
  enum { M = 512, N = 512 };
  uint16_t *a = malloc(M * N * 2), *got = malloc(M * N * 2);
  for (int i = 0; i < M * N; ++i)
    a[i] = floatToHalf(randomFloat());
  uint64_t dA = deviceFrom(a, M * N * 2), dB = devicePoisoned(M * N * 2);
  CHECK(tl_launch_two_tiles(NULL, (tlrt_dim3){N / 64, M / 128, 1}, dA, dB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dB, M * N * 2));
  return compareExact(got, a, M * N, 2);
}
