// UNSUPPORTED: cuda-driver
// RUN: tl-runtime-no-driver 2>&1 | FileCheck %s
// Without libcuda every libtlrt call fails with a readable message instead
// of crashing, and nothing needs CUDA to link.
#include <stdint.h>
#include <stdio.h>

#include "tlrt.h"

int main(void) {
  int rc = tlrtInit(0);
  printf("init: %d %s\n", rc, tlrtLastError());
  // CHECK: init: 1 cannot load the CUDA driver (libcuda.so.1):
  uint64_t p = 0;
  rc = tlrtMalloc(&p, 16);
  printf("malloc: %d %s\n", rc, tlrtLastError());
  // CHECK: malloc: 1 cannot load the CUDA driver
  TlrtModule *m = NULL;
  rc = tlrtLoadModule(NULL, 0, &m);
  printf("load: %d %s\n", rc, tlrtLastError());
  // CHECK: load: 3 tlrtLoadModule: no image
  rc = tlrtLaunch(NULL, "k", (tlrt_dim3){1, 1, 1}, (tlrt_dim3){1, 1, 1}, 0,
                  NULL, NULL);
  printf("launch: %d %s\n", rc, tlrtLastError());
  // CHECK: launch: 3 tlrtLaunch: no module or kernel name
  tlrtShutdown();
  return 0;
}
