/* examples/pipelined_mainloop.mlir: four blocks walk K = 512 of a 256x512
   A and a 512x64 B in 32-wide steps (3 stages once pipelined); each stores
   its last fragments: OA[by*64 .., 0 ..] = A[by*64 .., 480 ..] and
   OB[by*32 .., 0 ..] = B[480 .., 0 ..]. A wrong last stage (or a fragment
   of an earlier K step) changes the output. */
#define CASE_NAME "example_pipelined_mainloop"
#include "harness.h"
#include TL_KERNEL_HEADER

int main(void) {
  seedRandom();
  enum { M = 256, K = 512, N = 64, BLOCKS = 4 };
  uint16_t *a = malloc(M * K * 2), *b = malloc(K * N * 2);
  uint16_t *wantA = malloc(M * 32 * 2), *gotA = malloc(M * 32 * 2);
  uint16_t *wantB = malloc(BLOCKS * 32 * N * 2), *gotB = malloc(BLOCKS * 32 * N * 2);
  for (int i = 0; i < M * K; ++i)
    a[i] = floatToHalf(randomFloat());
  for (int i = 0; i < K * N; ++i)
    b[i] = floatToHalf(randomFloat());
  for (int r = 0; r < M; ++r)
    memcpy(&wantA[r * 32], &a[r * K + K - 32], 32 * 2);
  for (int blk = 0; blk < BLOCKS; ++blk)
    memcpy(&wantB[blk * 32 * N], &b[(K - 32) * N], 32 * N * 2);
  uint64_t dA = deviceFrom(a, M * K * 2), dB = deviceFrom(b, K * N * 2);
  uint64_t dOA = devicePoisoned(M * 32 * 2), dOB = devicePoisoned(BLOCKS * 32 * N * 2);
  CHECK(tl_launch_mainloop(NULL, (tlrt_dim3){1, BLOCKS, 1}, dA, dB, dOA, dOB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(gotA, dOA, M * 32 * 2));
  CHECK(tlrtCopyToHost(gotB, dOB, BLOCKS * 32 * N * 2));
  int bad = compareExact(gotA, wantA, M * 32, 2);
  return bad | compareExact(gotB, wantB, BLOCKS * 32 * N, 2);
}
