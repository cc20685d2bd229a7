/*===-- tl-c/Passes.h - tl passes and mixed pipelines --------------*- C -*-===*\
|*                                                                            *|
|* tl passes are MLIR external passes (mlirCreateExternalPass). MLIR's        *|
|* textual pipeline parser cannot name them, so tlOpPassManagerAddPipeline    *|
|* parses pipeline text itself: tl passes are created here, every upstream    *|
|* segment is handed to mlirOpPassManagerAddPipeline. tl passes are generic   *|
|* operation passes: they may be nested under any anchor and process every    *|
|* tl op below the operation they run on.                                     *|
|* A created MlirPass must be added to a pass manager                         *|
|* (mlirOpPassManagerAddOwnedPass), which then owns it: the C API has no way  *|
|* to destroy a pass that was never added.                                    *|
\*===----------------------------------------------------------------------===*/
#ifndef TL_C_PASSES_H
#define TL_C_PASSES_H

#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>
#include <mlir-c/Support.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The kinds of pass options.
typedef enum TlPassOptionKind {
  TlPassOptionBool,
  TlPassOptionInt,
  TlPassOptionString,
} TlPassOptionKind;

/// One option of a tl pass or pipeline, as written in `name{key=value}`.
typedef struct TlPassOptionInfo {
  const char *name;
  TlPassOptionKind kind;
  const char *defaultValue;
  const char *description;
} TlPassOptionInfo;

/// A tl pass or pass pipeline, as listed by `tl-opt --help`. All strings have
/// static lifetime.
typedef struct TlPassInfo {
  const char *argument;
  const char *description;
  intptr_t numOptions;
  const TlPassOptionInfo *options;
} TlPassInfo;

/// Number of tl passes and pipelines, and the one at `pos` (NULL when `pos`
/// is out of range).
intptr_t tlGetNumPasses(void);
const TlPassInfo *tlGetPassInfo(intptr_t pos);

/// Returns the info of the tl pass named `argument`, or NULL when there is
/// none (the name may still be an upstream pass).
const TlPassInfo *tlLookupPass(MlirStringRef argument);

/// Creates the `tl-verify` pass: checks every semantic rule of the tl ops
/// below the operation it runs on, emitting a located error for each
/// violation; fails when any was found. Changes nothing.
MlirPass tlCreateVerifyPass(void);

/// Creates `tl-pipeline`: software-pipelines every scf.for below the
/// operation it runs on that has `tl.num_stages = N` (N >= 1): copies of
/// its body that fill shared buffers from global memory are issued N-1
/// iterations ahead into N-way buffers, as tl.copy_async ops whose tokens
/// the loop carries (docs/pipeline.md). Fails with a located error on a
/// loop it cannot pipeline correctly. Runs before tl-legalize-regions.
MlirPass tlCreatePipelinePass(void);

/// Creates `tl-legalize-regions`: gives every tl.copy below the operation
/// it runs on two tl.region operands with explicit extents (TileLang's
/// extent, head-address and pairwise rules), records the iteration space
/// (`base_side`, `base_shape`) and marks regions that need run-time bounds
/// checks (`bounds_check`); scalar copies become memref.load/store.
/// Idempotent. See docs/legalize.md.
MlirPass tlCreateLegalizeRegionsPass(void);

/// Creates `tl-infer-layouts`: records on every tl.copy and tl.c2d_im2col
/// its instruction kind, vector width and thread map, on every fragment
/// buffer its layout and on every shared buffer its alignment (attributes
/// only; nothing is lowered). Expects legalized copies. See
/// docs/layouts.md.
MlirPass tlCreateInferLayoutsPass(void);

/// Creates `tl-lower-copy`: lowers every tl.copy (after tl-infer-layouts)
/// to upstream ops, replaces fragment buffers by per-thread storage and
/// inserts the barriers later tl ops need.
MlirPass tlCreateLowerCopyPass(void);

/// Creates `tl-lower-im2col`: lowers every tl.c2d_im2col (after
/// tl-infer-layouts) to upstream ops.
MlirPass tlCreateLowerIm2ColPass(void);

/// Null handles: the functions below fail (reporting "null pass manager")
/// on a null `pm` or a null string with a non-zero length.
///
/// Adds the tl pass or pipeline named `argument` to `pm`, with `options` in
/// MLIR's syntax ("key=value key2=value", no braces; may be empty). Returns
/// failure, reporting the reason through `errorCallback` (which may be
/// NULL), for an unknown name, an unknown option or a malformed value.
MlirLogicalResult tlOpPassManagerAddPass(MlirOpPassManager pm,
                                         MlirStringRef argument,
                                         MlirStringRef options,
                                         MlirStringCallback errorCallback,
                                         void *userData);

/// Parses a sequence of pipeline elements ("tl-verify,canonicalize,
/// gpu.module(tl-verify,cse)"), mixing tl and upstream passes, nested
/// anchors and options in braces, and adds them to `pm`, like
/// mlirOpPassManagerAddPipeline. On failure nothing is guaranteed about what
/// was already added; the reason goes to `errorCallback` (may be NULL).
MlirLogicalResult tlOpPassManagerAddPipeline(MlirOpPassManager pm,
                                             MlirStringRef pipelineElements,
                                             MlirStringCallback errorCallback,
                                             void *userData);

/// Parses a whole pipeline "anchor(elements)" whose anchor must be the
/// operation `pm` runs on (e.g. "builtin.module(...)"), and adds its
/// elements to `pm`. Failure as for tlOpPassManagerAddPipeline.
MlirLogicalResult tlParsePassPipeline(MlirOpPassManager pm,
                                      MlirStringRef pipeline,
                                      MlirStringCallback errorCallback,
                                      void *userData);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_PASSES_H */
