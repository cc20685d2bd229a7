/* examples/fragment_roundtrip.mlir: 256x256 f16 -> fragments -> f32. */
#define CASE_NAME "example_fragment_roundtrip"
#include "harness.h"
#include TL_KERNEL_HEADER

int main(void) {
  seedRandom();
  enum { N = 256 };
  uint16_t *a = malloc(N * N * 2);
  float *want = malloc(N * N * 4), *got = malloc(N * N * 4);
  for (int i = 0; i < N * N; ++i) {
    a[i] = floatToHalf(randomFloat());
    want[i] = halfToFloat(a[i]);
  }
  uint64_t dA = deviceFrom(a, N * N * 2), dB = devicePoisoned(N * N * 4);
  CHECK(tl_launch_roundtrip(NULL, (tlrt_dim3){N / 64, N / 32, 1}, dA, dB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dB, N * N * 4));
  return compareExact(got, want, N * N, 4);
}
