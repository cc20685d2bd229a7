/* Launch errors come back as readable messages, never as crashes: too much
   dynamic shared memory, an unknown kernel, an impossible block, and (last:
   it poisons the context) a kernel that dereferences a bad pointer. */
#define CASE_NAME "errors"
#include "harness.h"
#include TL_KERNEL_HEADER

static int expect(int rc, int code, const char *needle, const char *what) {
  const char *msg = tlrtLastError();
  if (rc != code || !strstr(msg, needle)) {
    printf("FAIL %s: %s: got %d \"%s\", want %d with \"%s\"\n", CASE_NAME,
           what, rc, msg, code, needle);
    return 1;
  }
  printf("ok %s: %s\n", what, msg);
  return 0;
}

int main(void) {
  size_t size;
  const void *image = tl_binary_errors(&size);
  TlrtModule *m;
  CHECK(tlrtLoadModule(image, size, &m));
  uint64_t dA = devicePoisoned(512 * 512 * 4), dB = devicePoisoned(512 * 512 * 4);
  void *args[] = {&dA, &dB};
  tlrt_dim3 grid = {8, 8, 1}, block = {128, 1, 1}, huge = {4096, 1, 1};
  int bad = 0;
  bad |= expect(tlrtLaunch(m, "kernel", grid, block, 1 << 20, NULL, args),
                TLRT_ERROR_INVALID, "bytes of dynamic shared memory; the device allows at most",
                "1 MiB of dynamic shared memory");
  bad |= expect(tlrtLaunch(m, "no_such_kernel", grid, block, 0, NULL, args),
                TLRT_ERROR_CUDA, "cuModuleGetFunction failed (kernel 'no_such_kernel'): CUDA_ERROR_NOT_FOUND",
                "unknown kernel");
  bad |= expect(tlrtLaunch(m, "kernel", grid, huge, 0, NULL, args),
                TLRT_ERROR_CUDA, "cuLaunchKernel failed (kernel 'kernel', grid 8x8x1, block 4096x1x1",
                "4096 threads per block");
  bad |= expect(tlrtLoadModule("not a module", 12, &m), TLRT_ERROR_CUDA,
                "cuModuleLoadData failed (PTX image)", "garbage image");
  /* A launch that reads from an address nothing owns. */
  uint64_t wild = 0x10;
  void *wildArgs[] = {&wild, &dB};
  CHECK(tl_launch_kernel(NULL, grid, wild, dB));
  (void)wildArgs;
  bad |= expect(tlrtSynchronize(), TLRT_ERROR_CUDA, "cuCtxSynchronize failed (a kernel failed while running): CUDA_ERROR_ILLEGAL_ADDRESS",
                "bad pointer");
  if (!bad)
    printf("PASS %s (5 errors reported)\n", CASE_NAME);
  return bad;
}
