/* The few CUDA driver API declarations libtlrt needs, so that tl builds
   where cuda.h is absent, and every CUresult. libcuda itself is loaded with
   dlopen. Values are those of CUDA 12/13's cuda.h (test/Runtime/cuda-abi.c
   checks them against cuda.h when it is installed). */
#ifndef TLRT_CUDA_DRIVER_H
#define TLRT_CUDA_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/* Every CUresult of CUDA 13's cuda.h (CUDA_VERSION 13000), in its order, as
   (name, value): the enum below and libtlrt's name table come from this one
   list, so that a code the driver cannot name (the stub library's 34, say)
   is still reported by name. test/Runtime/cuda-abi.c checks every value
   against cuda.h. */
#define TLRT_CUDA_RESULTS(X)                                                   \
  X(CUDA_SUCCESS, 0)                                                           \
  X(CUDA_ERROR_INVALID_VALUE, 1)                                               \
  X(CUDA_ERROR_OUT_OF_MEMORY, 2)                                               \
  X(CUDA_ERROR_NOT_INITIALIZED, 3)                                             \
  X(CUDA_ERROR_DEINITIALIZED, 4)                                               \
  X(CUDA_ERROR_PROFILER_DISABLED, 5)                                           \
  X(CUDA_ERROR_PROFILER_NOT_INITIALIZED, 6)                                    \
  X(CUDA_ERROR_PROFILER_ALREADY_STARTED, 7)                                    \
  X(CUDA_ERROR_PROFILER_ALREADY_STOPPED, 8)                                    \
  X(CUDA_ERROR_STUB_LIBRARY, 34)                                               \
  X(CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER, 36)                                 \
  X(CUDA_ERROR_DEVICE_UNAVAILABLE, 46)                                         \
  X(CUDA_ERROR_NO_DEVICE, 100)                                                 \
  X(CUDA_ERROR_INVALID_DEVICE, 101)                                            \
  X(CUDA_ERROR_DEVICE_NOT_LICENSED, 102)                                       \
  X(CUDA_ERROR_INVALID_IMAGE, 200)                                             \
  X(CUDA_ERROR_INVALID_CONTEXT, 201)                                           \
  X(CUDA_ERROR_CONTEXT_ALREADY_CURRENT, 202)                                   \
  X(CUDA_ERROR_MAP_FAILED, 205)                                                \
  X(CUDA_ERROR_UNMAP_FAILED, 206)                                              \
  X(CUDA_ERROR_ARRAY_IS_MAPPED, 207)                                           \
  X(CUDA_ERROR_ALREADY_MAPPED, 208)                                            \
  X(CUDA_ERROR_NO_BINARY_FOR_GPU, 209)                                         \
  X(CUDA_ERROR_ALREADY_ACQUIRED, 210)                                          \
  X(CUDA_ERROR_NOT_MAPPED, 211)                                                \
  X(CUDA_ERROR_NOT_MAPPED_AS_ARRAY, 212)                                       \
  X(CUDA_ERROR_NOT_MAPPED_AS_POINTER, 213)                                     \
  X(CUDA_ERROR_ECC_UNCORRECTABLE, 214)                                         \
  X(CUDA_ERROR_UNSUPPORTED_LIMIT, 215)                                         \
  X(CUDA_ERROR_CONTEXT_ALREADY_IN_USE, 216)                                    \
  X(CUDA_ERROR_PEER_ACCESS_UNSUPPORTED, 217)                                   \
  X(CUDA_ERROR_INVALID_PTX, 218)                                               \
  X(CUDA_ERROR_INVALID_GRAPHICS_CONTEXT, 219)                                  \
  X(CUDA_ERROR_NVLINK_UNCORRECTABLE, 220)                                      \
  X(CUDA_ERROR_JIT_COMPILER_NOT_FOUND, 221)                                    \
  X(CUDA_ERROR_UNSUPPORTED_PTX_VERSION, 222)                                   \
  X(CUDA_ERROR_JIT_COMPILATION_DISABLED, 223)                                  \
  X(CUDA_ERROR_UNSUPPORTED_EXEC_AFFINITY, 224)                                 \
  X(CUDA_ERROR_UNSUPPORTED_DEVSIDE_SYNC, 225)                                  \
  X(CUDA_ERROR_CONTAINED, 226)                                                 \
  X(CUDA_ERROR_INVALID_SOURCE, 300)                                            \
  X(CUDA_ERROR_FILE_NOT_FOUND, 301)                                            \
  X(CUDA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND, 302)                            \
  X(CUDA_ERROR_SHARED_OBJECT_INIT_FAILED, 303)                                 \
  X(CUDA_ERROR_OPERATING_SYSTEM, 304)                                          \
  X(CUDA_ERROR_INVALID_HANDLE, 400)                                            \
  X(CUDA_ERROR_ILLEGAL_STATE, 401)                                             \
  X(CUDA_ERROR_LOSSY_QUERY, 402)                                               \
  X(CUDA_ERROR_NOT_FOUND, 500)                                                 \
  X(CUDA_ERROR_NOT_READY, 600)                                                 \
  X(CUDA_ERROR_ILLEGAL_ADDRESS, 700)                                           \
  X(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, 701)                                   \
  X(CUDA_ERROR_LAUNCH_TIMEOUT, 702)                                            \
  X(CUDA_ERROR_LAUNCH_INCOMPATIBLE_TEXTURING, 703)                             \
  X(CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED, 704)                               \
  X(CUDA_ERROR_PEER_ACCESS_NOT_ENABLED, 705)                                   \
  X(CUDA_ERROR_PRIMARY_CONTEXT_ACTIVE, 708)                                    \
  X(CUDA_ERROR_CONTEXT_IS_DESTROYED, 709)                                      \
  X(CUDA_ERROR_ASSERT, 710)                                                    \
  X(CUDA_ERROR_TOO_MANY_PEERS, 711)                                            \
  X(CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED, 712)                            \
  X(CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED, 713)                                \
  X(CUDA_ERROR_HARDWARE_STACK_ERROR, 714)                                      \
  X(CUDA_ERROR_ILLEGAL_INSTRUCTION, 715)                                       \
  X(CUDA_ERROR_MISALIGNED_ADDRESS, 716)                                        \
  X(CUDA_ERROR_INVALID_ADDRESS_SPACE, 717)                                     \
  X(CUDA_ERROR_INVALID_PC, 718)                                                \
  X(CUDA_ERROR_LAUNCH_FAILED, 719)                                             \
  X(CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE, 720)                              \
  X(CUDA_ERROR_TENSOR_MEMORY_LEAK, 721)                                        \
  X(CUDA_ERROR_NOT_PERMITTED, 800)                                             \
  X(CUDA_ERROR_NOT_SUPPORTED, 801)                                             \
  X(CUDA_ERROR_SYSTEM_NOT_READY, 802)                                          \
  X(CUDA_ERROR_SYSTEM_DRIVER_MISMATCH, 803)                                    \
  X(CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE, 804)                            \
  X(CUDA_ERROR_MPS_CONNECTION_FAILED, 805)                                     \
  X(CUDA_ERROR_MPS_RPC_FAILURE, 806)                                           \
  X(CUDA_ERROR_MPS_SERVER_NOT_READY, 807)                                      \
  X(CUDA_ERROR_MPS_MAX_CLIENTS_REACHED, 808)                                   \
  X(CUDA_ERROR_MPS_MAX_CONNECTIONS_REACHED, 809)                               \
  X(CUDA_ERROR_MPS_CLIENT_TERMINATED, 810)                                     \
  X(CUDA_ERROR_CDP_NOT_SUPPORTED, 811)                                         \
  X(CUDA_ERROR_CDP_VERSION_MISMATCH, 812)                                      \
  X(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, 900)                                \
  X(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED, 901)                                \
  X(CUDA_ERROR_STREAM_CAPTURE_MERGE, 902)                                      \
  X(CUDA_ERROR_STREAM_CAPTURE_UNMATCHED, 903)                                  \
  X(CUDA_ERROR_STREAM_CAPTURE_UNJOINED, 904)                                   \
  X(CUDA_ERROR_STREAM_CAPTURE_ISOLATION, 905)                                  \
  X(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT, 906)                                   \
  X(CUDA_ERROR_CAPTURED_EVENT, 907)                                            \
  X(CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD, 908)                               \
  X(CUDA_ERROR_TIMEOUT, 909)                                                   \
  X(CUDA_ERROR_GRAPH_EXEC_UPDATE_FAILURE, 910)                                 \
  X(CUDA_ERROR_EXTERNAL_DEVICE, 911)                                           \
  X(CUDA_ERROR_INVALID_CLUSTER_SIZE, 912)                                      \
  X(CUDA_ERROR_FUNCTION_NOT_LOADED, 913)                                       \
  X(CUDA_ERROR_INVALID_RESOURCE_TYPE, 914)                                     \
  X(CUDA_ERROR_INVALID_RESOURCE_CONFIGURATION, 915)                            \
  X(CUDA_ERROR_KEY_ROTATION, 916)                                              \
  X(CUDA_ERROR_UNKNOWN, 999)

/* TLRT_CUDA_RESULTS_ONLY: the list alone, for a file that includes cuda.h
   too (test/Runtime/cuda-abi.c). */
#ifndef TLRT_CUDA_RESULTS_ONLY

typedef int CUresult;
typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;
typedef uint64_t CUdeviceptr;

typedef struct CUtensorMap_st {
  _Alignas(64) uint64_t opaque[16];
} CUtensorMap;

enum {
#define X(name, value) name = value,
  TLRT_CUDA_RESULTS(X)
#undef X
};

enum {
  CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
  CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16,
  CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE = 38,
};

enum {
  CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES = 1,
  CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8,
};
enum { CU_EVENT_DEFAULT = 0 };

typedef enum CUtensorMapDataType {
  CU_TENSOR_MAP_DATA_TYPE_UINT8 = 0,
  CU_TENSOR_MAP_DATA_TYPE_UINT16 = 1,
  CU_TENSOR_MAP_DATA_TYPE_UINT32 = 2,
  CU_TENSOR_MAP_DATA_TYPE_INT32 = 3,
  CU_TENSOR_MAP_DATA_TYPE_UINT64 = 4,
  CU_TENSOR_MAP_DATA_TYPE_INT64 = 5,
  CU_TENSOR_MAP_DATA_TYPE_FLOAT16 = 6,
  CU_TENSOR_MAP_DATA_TYPE_FLOAT32 = 7,
  CU_TENSOR_MAP_DATA_TYPE_FLOAT64 = 8,
  CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 = 9,
} CUtensorMapDataType;

typedef enum CUtensorMapInterleave {
  CU_TENSOR_MAP_INTERLEAVE_NONE = 0,
} CUtensorMapInterleave;

typedef enum CUtensorMapSwizzle {
  CU_TENSOR_MAP_SWIZZLE_NONE = 0,
  CU_TENSOR_MAP_SWIZZLE_32B = 1,
  CU_TENSOR_MAP_SWIZZLE_64B = 2,
  CU_TENSOR_MAP_SWIZZLE_128B = 3,
} CUtensorMapSwizzle;

typedef enum CUtensorMapL2promotion {
  CU_TENSOR_MAP_L2_PROMOTION_NONE = 0,
  CU_TENSOR_MAP_L2_PROMOTION_L2_64B = 1,
  CU_TENSOR_MAP_L2_PROMOTION_L2_128B = 2,
  CU_TENSOR_MAP_L2_PROMOTION_L2_256B = 3,
} CUtensorMapL2promotion;

typedef enum CUtensorMapFloatOOBfill {
  CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE = 0,
} CUtensorMapFloatOOBfill;

/* Every driver entry point libtlrt uses, as (its field in libtlrt's table,
   its exported, versioned symbol, the return type, the parameters).
   cuEventElapsedTime is looked up apart: newer drivers export it as
   cuEventElapsedTime_v2, older ones without the suffix. */
#define TLRT_DRIVER_FUNCTIONS(X)                                               \
  X(cuInit, "cuInit", CUresult, (unsigned))                                    \
  X(cuDeviceGet, "cuDeviceGet", CUresult, (CUdevice *, int))                   \
  X(cuDeviceGetCount, "cuDeviceGetCount", CUresult, (int *))                   \
  X(cuDeviceGetName, "cuDeviceGetName", CUresult, (char *, int, CUdevice))     \
  X(cuDeviceGetAttribute, "cuDeviceGetAttribute", CUresult,                    \
    (int *, int, CUdevice))                                                    \
  X(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain", CUresult,            \
    (CUcontext *, CUdevice))                                                   \
  X(cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2", CUresult,       \
    (CUdevice))                                                                \
  X(cuCtxSetCurrent, "cuCtxSetCurrent", CUresult, (CUcontext))                 \
  X(cuCtxSynchronize, "cuCtxSynchronize", CUresult, (void))                    \
  X(cuModuleLoadData, "cuModuleLoadData", CUresult, (CUmodule *, const void *)) \
  X(cuModuleUnload, "cuModuleUnload", CUresult, (CUmodule))                    \
  X(cuModuleGetFunction, "cuModuleGetFunction", CUresult,                      \
    (CUfunction *, CUmodule, const char *))                                    \
  X(cuFuncSetAttribute, "cuFuncSetAttribute", CUresult,                        \
    (CUfunction, int, int))                                                    \
  X(cuFuncGetAttribute, "cuFuncGetAttribute", CUresult,                        \
    (int *, int, CUfunction))                                                  \
  X(cuLaunchKernel, "cuLaunchKernel", CUresult,                                \
    (CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,   \
     unsigned, CUstream, void **, void **))                                    \
  X(cuMemAlloc, "cuMemAlloc_v2", CUresult, (CUdeviceptr *, size_t))            \
  X(cuMemFree, "cuMemFree_v2", CUresult, (CUdeviceptr))                        \
  X(cuMemcpyHtoD, "cuMemcpyHtoD_v2", CUresult,                                 \
    (CUdeviceptr, const void *, size_t))                                       \
  X(cuMemcpyDtoH, "cuMemcpyDtoH_v2", CUresult, (void *, CUdeviceptr, size_t))  \
  X(cuMemcpyDtoD, "cuMemcpyDtoD_v2", CUresult,                                 \
    (CUdeviceptr, CUdeviceptr, size_t))                                        \
  X(cuMemsetD8, "cuMemsetD8_v2", CUresult, (CUdeviceptr, unsigned char, size_t)) \
  X(cuEventCreate, "cuEventCreate", CUresult, (CUevent *, unsigned))           \
  X(cuEventRecord, "cuEventRecord", CUresult, (CUevent, CUstream))             \
  X(cuEventSynchronize, "cuEventSynchronize", CUresult, (CUevent))             \
  X(cuEventDestroy, "cuEventDestroy_v2", CUresult, (CUevent))                  \
  X(cuGetErrorName, "cuGetErrorName", CUresult, (CUresult, const char **))     \
  X(cuGetErrorString, "cuGetErrorString", CUresult, (CUresult, const char **)) \
  X(cuTensorMapEncodeTiled, "cuTensorMapEncodeTiled", CUresult,                \
    (CUtensorMap *, CUtensorMapDataType, unsigned, void *, const uint64_t *,   \
     const uint64_t *, const unsigned *, const unsigned *,                     \
     CUtensorMapInterleave, CUtensorMapSwizzle, CUtensorMapL2promotion,        \
     CUtensorMapFloatOOBfill))                                                 \
  X(cuTensorMapEncodeIm2col, "cuTensorMapEncodeIm2col", CUresult,            \
    (CUtensorMap *, CUtensorMapDataType, unsigned, void *, const uint64_t *,   \
     const uint64_t *, const int *, const int *, unsigned, unsigned,           \
     const unsigned *, CUtensorMapInterleave, CUtensorMapSwizzle,              \
     CUtensorMapL2promotion, CUtensorMapFloatOOBfill))                         \
  X(cuTensorMapReplaceAddress, "cuTensorMapReplaceAddress", CUresult,          \
    (CUtensorMap *, void *))

#endif /* TLRT_CUDA_RESULTS_ONLY */

#endif
