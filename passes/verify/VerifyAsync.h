/* Internal: tl-verify's token rules (design.md §3.1), for the passes that
 * lower tl.copy_async, tl.c2d_im2col_async and tl.wait. They may run on IR tl-verify has not
 * seen (a host compiler's own pipeline); they check the same rules and
 * report the same messages, so a user sees one set of errors. */
#ifndef TL_PASSES_VERIFY_VERIFYASYNC_H
#define TL_PASSES_VERIFY_VERIFYASYNC_H

#include <stdbool.h>

#include <mlir-c/IR.h>

/// Checks one tl.wait: every operand is the token of a tl.copy_async or a
/// tl.c2d_im2col_async earlier in the wait's block. False after located
/// errors.
bool tlAsyncCheckWait(MlirOperation wait);

/// The tl.wait that completes `copy` (a tl.copy_async or a
/// tl.c2d_im2col_async), after checking the uses of its token (only
/// tl.wait, exactly once, a later op of its block). A null op after
/// located errors.
MlirOperation tlAsyncWaitOf(MlirOperation copy);

#endif
