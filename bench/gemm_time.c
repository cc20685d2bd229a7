/* The timer of scripts/gemm-bench-bundle.sh: mean of 10 launches after 3 warm-ups. */
#include <stdio.h>
#include <stdlib.h>
#include "tlrt.h"
#include TL_KERNEL_HEADER
int main(void) {
  size_t n = N;
  uint64_t a, b, c;
  if (tlrtMalloc(&a, n * n * 2) || tlrtMalloc(&b, n * n * 2) || tlrtMalloc(&c, n * n * 2)) return 1;
  tlrtMemset8(a, 0x3c, n * n * 2); tlrtMemset8(b, 0x3c, n * n * 2);
  tlrt_dim3 g = {N / 64, N / 64, 1};
  for (int i = 0; i < 3; ++i) if (LAUNCH(NULL, g, a, b, c)) { printf("launch: %s\n", tlrtLastError()); return 1; }
  tlrtSynchronize();
  TlrtEvent *e0, *e1; tlrtEventCreate(&e0); tlrtEventCreate(&e1);
  tlrtEventRecord(e0, NULL);
  for (int i = 0; i < 10; ++i) LAUNCH(NULL, g, a, b, c);
  tlrtEventRecord(e1, NULL);
  float ms; tlrtEventElapsed(e0, e1, &ms); ms /= 10;
  printf("tl gemm %d^3: %.3f ms, %.1f TFLOP/s\n", N, ms, 2.0 * n * n * n / (ms * 1e-3) / 1e12);
  return 0;
}
