/* Internal to tl-verify (passes/Verify.c and passes/verify/): the state of
 * one run, the message helpers and the readers the rule groups share. Each
 * rule group (VerifyRegion.c, VerifyCopy.c, VerifyAttrs.c, VerifyIm2Col.c,
 * VerifyAsync.c)
 * reports through tlvFail; the printed forms of types and attributes
 * (tlvType, tlvAttr, tlvStr) stay valid until the op being checked is done,
 * so that messages can use "%s". */
#ifndef TL_PASSES_VERIFY_VERIFIER_H
#define TL_PASSES_VERIFY_VERIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mlir-c/IR.h>

#include "IRBuild.h"
#include "Support.h"

//===--------------------------------------------------------------------===//
// The run and its messages
//===--------------------------------------------------------------------===//

/// The state of one run: whether an error was emitted, and the printed
/// strings of the op being checked.
typedef struct Verifier {
  bool failed;
  char **scratch;
  size_t numScratch, capScratch;
} Verifier;

/// Keeps the text of `s` (taking it over) until tlvReleaseScratch.
const char *tlvKeep(Verifier *v, TlStr *s);
/// Frees the kept texts (after each op).
void tlvReleaseScratch(Verifier *v);
/// The printed form of a type / attribute / string, kept until the op is
/// done.
const char *tlvType(Verifier *v, MlirType type);
const char *tlvAttr(Verifier *v, MlirAttribute attr);
const char *tlvStr(Verifier *v, MlirStringRef ref);
/// "'<op name>' op <message>" at op's location (support/Diag.h); marks the
/// run failed.
void tlvFail(Verifier *v, MlirOperation op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

//===--------------------------------------------------------------------===//
// Readers
//===--------------------------------------------------------------------===//

typedef enum IntKind { IntOk, IntNotInteger, IntTooWide } IntKind;

/// Whether `ref` is `text`.
bool tlvStrEq(MlirStringRef ref, const char *text);
/// Reads an integer attribute of at most 64 bits (index included); i1 (a
/// bool) is not an integer here. Fills *value only on IntOk.
IntKind tlvReadInt(MlirAttribute attr, int64_t *value);
/// The constant value of an index defined by arith.constant; false when
/// it is not one.
bool tlvConstantIndex(MlirValue value, int64_t *out);
/// "a block argument" or "produced by 'dialect.op'".
const char *tlvProducerText(Verifier *v, MlirValue value);
/// Checks that `type` (a memref, named `what`) has a tl scope; false after
/// an error.
bool tlvCheckScope(Verifier *v, MlirOperation op, const char *what,
                   MlirType type);
/// An error unless every static dimension of the shaped `type` (named
/// `what`) is > 0; false after the error.
bool tlvCheckNonEmpty(Verifier *v, MlirOperation op, const char *what,
                      MlirType type);
/// An error when the static sizes of the shaped `type` (named `what`) make
/// more than 2^63 bytes; false after the error.
bool tlvCheckBufferBytes(Verifier *v, MlirOperation op, const char *what,
                         MlirType type);
/// The tl.region producing `value`, or a null op.
MlirOperation tlvRegionProducer(MlirValue value);
/// The `access` value of a tl.region, 0 when invalid.
int64_t tlvRegionAccess(MlirOperation region);
/// "read-only", "write-only" or "read-write".
const char *tlvAccessName(int64_t a);
/// True for a dialect-prefixed attribute name ("tl.kind"), which belongs
/// to its dialect and is not checked.
bool tlvIsDialectAttrName(MlirStringRef name);
/// Whether `name` is one of the `n` names of `known`.
bool tlvNameIn(MlirStringRef name, const char *const *known, size_t n);
/// "a, b, c" (kept until the op is done).
const char *tlvJoinNames(Verifier *v, const char *const *known, size_t n);
/// Rejects attributes of `op` not in `known` (dialect-prefixed names are
/// left alone); the message lists the first `shown` names.
void tlvCheckAttrNames(Verifier *v, MlirOperation op, const char *const *known,
                       size_t n, size_t shown, const char *hint);

//===--------------------------------------------------------------------===//
// The enclosing kernel
//===--------------------------------------------------------------------===//

typedef struct Kernel {
  MlirOperation func; /* the gpu.func / func.func, or null */
  bool isGpuFunc;
  MlirAttribute blockSize; /* known_block_size, or null */
  bool blockSizeValid;
  int64_t threads; /* product of known_block_size when valid */
} Kernel;

/// The function enclosing `op` and its known_block_size.
Kernel tlvEnclosingKernel(MlirOperation op);
/// known_block_size and known_grid_size of a gpu.func within the launch
/// limits (1024 x 1024 x 64 and 1024 threads; grid 2^31-1 x 65535 x 65535).
void tlvVerifyLaunchLimits(Verifier *v, MlirOperation func);
/// The sym_name of `func`, "<anonymous>" when it has none.
const char *tlvFuncName(Verifier *v, MlirOperation func);
/// A tl op that needs a thread map (`why`) needs known_block_size on its
/// gpu.func: an error when it is missing or invalid.
void tlvRequireBlockSize(Verifier *v, MlirOperation op, const Kernel *k,
                         const char *why);

//===--------------------------------------------------------------------===//
// The rule groups
//===--------------------------------------------------------------------===//

/// tl.region (VerifyRegion.c).
void tlvVerifyRegion(Verifier *v, MlirOperation op);
/// The element types tl copies (VerifyCopy.c), for messages.
extern const char tlvElementTypeList[];

/// An error naming `what` (of type `of`) unless its element type `elt` is
/// supported; false after the error.
bool tlvCheckElementType(Verifier *v, MlirOperation op, const char *what,
                         MlirType elt, MlirType of);
/// tl.copy and tl.copy_async (VerifyCopy.c): messages name the op.
void tlvVerifyCopy(Verifier *v, MlirOperation op);
/// The token rules of a tl.copy_async or tl.c2d_im2col_async (its other
/// rules are tlvVerifyCopy's / tlvVerifyIm2Col's) and its buffers while in
/// flight (VerifyAsync.c).
void tlvVerifyAsyncProducer(Verifier *v, MlirOperation op);
/// tl.wait: each operand is a token value (an asynchronous op's result,
/// a token iter_arg or result of an scf.for) of its block, defined before
/// it (VerifyTokens.c).
void tlvVerifyWait(Verifier *v, MlirOperation op);
/// A token value is used exactly once, in place (VerifyTokens.c).
void tlvVerifyTokenUses(Verifier *v, MlirValue token);
/// tl.join: its operands as tl.wait's, its token used once (VerifyTokens.c).
void tlvVerifyJoin(Verifier *v, MlirOperation op);

/// tl.fragment_read (write = false) / tl.fragment_write (VerifyFragment.c).
void tlvVerifyFragmentAccess(Verifier *v, MlirOperation op, bool write);
/// tl.wgmma_descriptor: a shared tile of rank >= 2 (VerifyWgmma.c).
void tlvVerifyWgmmaDescriptor(Verifier *v, MlirOperation op);
/// The token iter_args and results of an scf.for (VerifyTokens.c).
void tlvVerifyLoopTokens(Verifier *v, MlirOperation loop);
/// Whether op is a tl.copy_async or a tl.c2d_im2col_async.
bool tlvIsAsyncProducer(MlirOperation op);
/// "line L, column C" of op (kept until the op is done).
const char *tlvWhere(Verifier *v, MlirOperation op);
/// The op's name ("tl.copy_async"), kept until the op is done.
const char *tlvOpName(Verifier *v, MlirOperation op);
/// tl.c2d_im2col and tl.c2d_im2col_async (VerifyIm2Col.c): messages name
/// the op.
void tlvVerifyIm2Col(Verifier *v, MlirOperation op);
/// The attributes of a tl.copy, written and recorded (VerifyAttrs.c).
void tlvVerifyCopyAttributes(Verifier *v, MlirOperation op, const Kernel *k);
/// eviction_policy (`what` names it in messages).
void tlvCheckEvictionPolicy(Verifier *v, MlirOperation op, const char *what,
                            MlirAttribute attr);
/// inst, vector_width, thread_map, mma_trans (recorded by
/// tl-infer-layouts); false when `name` is none of them.
bool tlvCheckInferredAttr(Verifier *v, MlirOperation op, MlirStringRef name,
                          MlirAttribute attr, const Kernel *k);

#endif
