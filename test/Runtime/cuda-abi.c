// REQUIRES: cuda-headers
// RUN: %cc -std=c11 -I%tl_src_root/runtime %s -o %t.ours && %t.ours > %t.ours.txt
// RUN: %cc -std=c11 -DUSE_CUDA_H -I%cuda_include -I%tl_src_root/runtime %s -o %t.cuda && %t.cuda > %t.cuda.txt
// RUN: diff %t.ours.txt %t.cuda.txt
// RUN: FileCheck %s < %t.ours.txt
// libtlrt declares the driver API itself (runtime/cuda_driver.h) so that it
// builds without cuda.h; where cuda.h exists, every value must match it.
#include <stdio.h>
#ifdef USE_CUDA_H
#include <cuda.h>
/* The list of CUresult names only: every name in it must be cuda.h's. */
#define TLRT_CUDA_RESULTS_ONLY
#endif
#include "cuda_driver.h"

#define P(x) printf("%s %d\n", #x, (int)(x))
int main(void) {
  /* Every CUresult libtlrt names (the value printed is the header's). */
  int results = 0;
#define X(name, value)                                                         \
  P(name);                                                                     \
  ++results;
  TLRT_CUDA_RESULTS(X)
#undef X
  printf("results %d\n", results);
  P(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
  P(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
  P(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
  P(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
  P(CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE);
  P(CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES);
  P(CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES);
  P(CU_TENSOR_MAP_DATA_TYPE_UINT8);
  P(CU_TENSOR_MAP_DATA_TYPE_UINT16);
  P(CU_TENSOR_MAP_DATA_TYPE_UINT32);
  P(CU_TENSOR_MAP_DATA_TYPE_INT32);
  P(CU_TENSOR_MAP_DATA_TYPE_FLOAT16);
  P(CU_TENSOR_MAP_DATA_TYPE_FLOAT32);
  P(CU_TENSOR_MAP_DATA_TYPE_FLOAT64);
  P(CU_TENSOR_MAP_DATA_TYPE_BFLOAT16);
  P(CU_TENSOR_MAP_INTERLEAVE_NONE);
  P(CU_TENSOR_MAP_SWIZZLE_NONE);
  P(CU_TENSOR_MAP_SWIZZLE_32B);
  P(CU_TENSOR_MAP_SWIZZLE_64B);
  P(CU_TENSOR_MAP_SWIZZLE_128B);
  P(CU_TENSOR_MAP_L2_PROMOTION_L2_256B);
  P(CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  P(sizeof(CUtensorMap));
  P(_Alignof(CUtensorMap) >= 64);
  return 0;
}
// CHECK: CUDA_SUCCESS 0
// CHECK: CUDA_ERROR_STUB_LIBRARY 34
// CHECK: CUDA_ERROR_UNKNOWN 999
// CHECK: results 101
// CHECK: CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 9
// CHECK: sizeof(CUtensorMap) 128
