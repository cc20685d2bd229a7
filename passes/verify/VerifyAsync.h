/* Internal: tl-verify's token rules (design.md §3.1), for the passes that
 * lower tl.copy_async, tl.c2d_im2col_async and tl.wait. They may run on IR tl-verify has not
 * seen (a host compiler's own pipeline); they check the same rules and
 * report the same messages, so a user sees one set of errors. */
#ifndef TL_PASSES_VERIFY_VERIFYASYNC_H
#define TL_PASSES_VERIFY_VERIFYASYNC_H

#include <stdbool.h>
#include <stdint.h>

#include <mlir-c/IR.h>

/// What the one use of a !tl.token value is (design.md §3.1).
typedef enum TlTokenUseKind {
  TlTokenUnused,  /* none */
  TlTokenWaited,  /* an operand of a tl.wait */
  TlTokenJoined,  /* the joined operand of a later asynchronous op */
  TlTokenCarried, /* an init operand of an scf.for */
  TlTokenYielded, /* an operand of the scf.yield of an scf.for body */
  TlTokenMisused, /* anything else */
} TlTokenUseKind;

/// The first use of a token: its kind, its user and the operand position.
typedef struct TlTokenUse {
  TlTokenUseKind kind;
  MlirOperation user;
  intptr_t operand;
} TlTokenUse;

/// The first use of `token` (no checks).
TlTokenUse tlTokenUseOf(MlirValue token);
/// The body block argument of scf.for `loop` that its init operand
/// `initOperand` (>= 3) flows into.
MlirValue tlTokenIterArgOf(MlirOperation loop, intptr_t initOperand);

/// Checks an asynchronous op's token rules (its extra operands, its token
/// used exactly once and in place; a wait of it in order) and gives its
/// token's use. False after located errors.
bool tlAsyncCheckProducer(MlirOperation op, TlTokenUse *use);

/// Checks the token iter_args and results of an scf.for (each used exactly
/// once, in place). False after located errors.
bool tlAsyncCheckLoopTokens(MlirOperation loop);

/// Checks one tl.wait: every operand is the token of a tl.copy_async or a
/// tl.c2d_im2col_async earlier in the wait's block. False after located
/// errors.
bool tlAsyncCheckWait(MlirOperation wait);

/// The tl.wait that completes `copy` (a tl.copy_async or a
/// tl.c2d_im2col_async), after tlAsyncCheckProducer; for a lowering that
/// needs a direct wait (a joined or carried token is a located error
/// there). A null op after located errors.
MlirOperation tlAsyncWaitOf(MlirOperation copy);

#endif
