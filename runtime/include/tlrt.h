/*===-- tlrt.h - the tl runtime: load kernels, launch them ---------*- C -*-===*\
|*                                                                            *|
|* libtlrt runs what tl-to-nvvm compiled: it loads libcuda with dlopen (so   *|
|* programs link and start on machines without a GPU), loads PTX / cubin /   *|
|* fatbin images, launches kernels with raw device pointers and scalars,     *|
|* raises the dynamic shared-memory limit when a kernel needs more than      *|
|* 48 KiB in all, and encodes and caches CUtensorMaps. Every function        *|
|* returns 0 on success; otherwise a non-zero code, and tlrtLastError() (per *|
|* thread) says what failed: the CUDA call, its CUresult name and text, and  *|
|* the context.                                                              *|
|* All functions are thread-safe, tlrtShutdown included: it waits for the    *|
|* calls in flight in other threads, and calls made while it runs wait for   *|
|* it (see tlrtShutdown for what stays valid).                               *|
\*===----------------------------------------------------------------------===*/
#ifndef TLRT_H
#define TLRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Error codes; the message of the last failure is tlrtLastError().
/// A failed CUDA call reads "<call> failed <context>: <CUresult name>
/// (<value>): <text>": the name is the driver's, else cuda.h's (CUDA 13);
/// CUDA_ERROR_STUB_LIBRARY (34) says that the toolkit's stub libcuda was
/// loaded instead of a driver.
enum {
  TLRT_OK = 0,
  TLRT_ERROR_NO_DRIVER = 1, /* libcuda could not be loaded */
  TLRT_ERROR_CUDA = 2,      /* a CUDA call failed */
  TLRT_ERROR_INVALID = 3,   /* a bad argument: NULL where a pointer is
                               needed, or a handle from before tlrtShutdown */
};

/// The message of this thread's last failure ("" if none). Valid until the
/// thread's next libtlrt call.
const char *tlrtLastError(void);

/// A grid or block size.
typedef struct tlrt_dim3 {
  unsigned x, y, z;
} tlrt_dim3;

/// Initializes device `ordinal` (primary context, made current on the
/// calling thread). Idempotent. Every other call initializes device 0 when
/// nothing was initialized yet.
int tlrtInit(int ordinal);

/// Makes the initialized device's context current on the calling thread.
int tlrtMakeCurrent(void);

/// Device properties of the initialized device.
int tlrtDeviceInfo(char *name, size_t nameCap, int *ccMajor, int *ccMinor,
                   int *smCount, int *l2Bytes, int *maxSharedOptin);

//===--------------------------------------------------------------------===//
// Modules and launches
//===--------------------------------------------------------------------===//

/// A loaded module, cached by image address: loading the same image twice
/// returns the same module. Images are PTX text (NUL-terminated or not),
/// cubin or fatbin.
typedef struct TlrtModule TlrtModule;

int tlrtLoadModule(const void *image, size_t size, TlrtModule **module);

/// Launches `kernel` of `module`. `args` holds one pointer per kernel
/// parameter (to a uint64_t device address for memrefs, to the scalar
/// value for scalars, to a 64-byte aligned CUtensorMap for maps).
/// When `dynamicSharedBytes` plus the kernel's static shared memory pass
/// 48 KiB, the kernel's limit is raised first (once; static plus dynamic
/// must fit the device's opt-in maximum per block).
/// The launch is asynchronous on `stream` (NULL: the default stream);
/// launch-configuration errors are reported here, execution errors by the
/// next synchronizing call.
int tlrtLaunch(TlrtModule *module, const char *kernel, tlrt_dim3 grid,
               tlrt_dim3 block, size_t dynamicSharedBytes, void *stream,
               void **args);

/// Waits for all work on the device; reports asynchronous execution errors.
int tlrtSynchronize(void);

//===--------------------------------------------------------------------===//
// Memory and timing (for tests, benchmarks and simple hosts)
//===--------------------------------------------------------------------===//

/// tlrtMalloc needs `ptr`; copies need `src` / `dst` unless `bytes` is 0
/// (TLRT_ERROR_INVALID otherwise).
int tlrtMalloc(uint64_t *ptr, size_t bytes);
int tlrtFree(uint64_t ptr);
int tlrtCopyToDevice(uint64_t dst, const void *src, size_t bytes);
int tlrtCopyToHost(void *dst, uint64_t src, size_t bytes);
int tlrtCopyDeviceToDevice(uint64_t dst, uint64_t src, size_t bytes);
int tlrtMemset8(uint64_t dst, unsigned char value, size_t bytes);

/// Events: a NULL `event`, `start`, `end` or `ms`, and an event created
/// before a tlrtShutdown, are TLRT_ERROR_INVALID (never dereferenced).
/// tlrtEventDestroy(NULL) does nothing; an event from before a shutdown is
/// only freed (its driver event went with the context).
typedef struct TlrtEvent TlrtEvent;
int tlrtEventCreate(TlrtEvent **event);
int tlrtEventRecord(TlrtEvent *event, void *stream);
/// Milliseconds between two recorded events (waits for `end`).
int tlrtEventElapsed(TlrtEvent *start, TlrtEvent *end, float *ms);
void tlrtEventDestroy(TlrtEvent *event);

//===--------------------------------------------------------------------===//
// Tensor maps (TMA)
//===--------------------------------------------------------------------===//

/// What the compiler records for one tiled tensor map (dims innermost
/// first, as the driver wants them).
typedef struct TlrtTiledMapDesc {
  int dataType; /* CUtensorMapDataType */
  unsigned rank;
  uint64_t globalDim[5];
  uint64_t globalStrides[4]; /* bytes, dims 1..rank-1 */
  unsigned boxDim[5];
  unsigned elementStrides[5];
  int swizzle;     /* CUtensorMapSwizzle */
  int l2Promotion; /* CUtensorMapL2promotion */
} TlrtTiledMapDesc;

/// Writes into `map` (128 bytes, 64-byte aligned: a CUtensorMap) the tensor
/// map for `desc` over `globalAddress`. Maps are encoded once per descriptor
/// and cached; a different address re-points the cached map with
/// cuTensorMapReplaceAddress. The copy makes concurrent launches safe.
/// Zero-initialize descriptors: they are compared bytewise.
int tlrtGetTiledMap(const TlrtTiledMapDesc *desc, uint64_t globalAddress,
                    void *map);

/// What the compiler records for one im2col tensor map (rank 3 to 5, dims
/// innermost first: C, W, H, N for NHWC).
typedef struct TlrtIm2colMapDesc {
  int dataType;
  unsigned rank;
  uint64_t globalDim[5];
  uint64_t globalStrides[4];
  int lowerCorner[3]; /* pixel box lower corner (W, H, D), e.g. -pad */
  int upperCorner[3];
  unsigned channelsPerPixel;
  unsigned pixelsPerColumn;
  unsigned elementStrides[5];
  int swizzle;
  int l2Promotion;
} TlrtIm2colMapDesc;

/// As tlrtGetTiledMap, for an im2col map.
int tlrtGetIm2colMap(const TlrtIm2colMapDesc *desc, uint64_t globalAddress,
                     void *map);

/// Releases every module, map and the context. Later calls re-initialize.
/// Thread-safe: it waits until every libtlrt call in flight in another
/// thread has returned (a launch, or a tlrtSynchronize waiting for a kernel,
/// delays it), and a call that starts meanwhile waits for it, then
/// initializes again. What was obtained before it is invalid after it:
/// modules (tlrtLaunch of one is TLRT_ERROR_INVALID until tlrtLoadModule of
/// its image loads it again, which returns the same handle),
/// events (see above), device memory (gone with the context, and with it
/// what tensor maps point at). Must not be called from a thread
/// that is inside a libtlrt call (there is no callback that could).
void tlrtShutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* TLRT_H */
