/* A host program for examples/tile_copy.mlir, through its emitted launcher.
 *
 *   tl-opt examples/tile_copy.mlir --tl-to-nvvm --emit=c -o tile_copy.c
 *   cc -std=c11 examples/host/tile_copy_main.c tile_copy.c runtime/tlrt.c \
 *      -Iruntime/include -Iruntime -I. -ldl -lpthread -o tile_copy
 *   ./tile_copy
 *
 * It copies a 512x512 matrix of floats with 8x8 blocks of 64x64 tiles and
 * checks every element. The GPU suite builds and runs it too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TL_KERNEL_HEADER
#define TL_KERNEL_HEADER "tile_copy.h"
#endif
#include TL_KERNEL_HEADER

int main(void) {
  enum { N = 512 };
  static float a[N * N], b[N * N];
  srand(42u ^ (unsigned)(uintptr_t)&a);
  for (int i = 0; i < N * N; ++i)
    a[i] = (float)rand() / (float)RAND_MAX - 0.5f;
  uint64_t dA, dB;
  if (tlrtMalloc(&dA, sizeof a) || tlrtMalloc(&dB, sizeof b) ||
      tlrtCopyToDevice(dA, a, sizeof a) || tlrtMemset8(dB, 0xA5, sizeof b) ||
      tl_launch_copy64(NULL, (tlrt_dim3){N / 64, N / 64, 1}, dA, dB) ||
      tlrtSynchronize() || tlrtCopyToHost(b, dB, sizeof b)) {
    printf("FAIL example_tile_copy: %s\n", tlrtLastError());
    return 1;
  }
  if (memcmp(a, b, sizeof a)) {
    printf("FAIL example_tile_copy: the copy differs from the input\n");
    return 1;
  }
  printf("PASS example_tile_copy (%d elements)\n", N * N);
  tlrtFree(dA);
  tlrtFree(dB);
  return 0;
}
