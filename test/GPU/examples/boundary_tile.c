/* examples/boundary_tile.mlir: 1000x77 f16 in 64x64 tiles hanging over. */
#define CASE_NAME "example_boundary_tile"
#include "harness.h"
#include TL_KERNEL_HEADER

int main(void) {
  seedRandom();
  enum { M = 1000, N = 77 };
  uint16_t *a = malloc(M * N * 2), *got = malloc(M * N * 2);
  for (int i = 0; i < M * N; ++i)
    a[i] = floatToHalf(randomFloat());
  uint64_t dA = deviceFrom(a, M * N * 2), dB = devicePoisoned(M * N * 2);
  CHECK(tl_launch_edge(NULL, (tlrt_dim3){(N + 63) / 64, (M + 63) / 64, 1}, dA, dB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dB, M * N * 2));
  return compareExact(got, a, M * N, 2);
}
