/* Internal: the names tl lets reach PTX, C and file names (issue 16).
 *
 * LLVM's NVPTX printer aborts the process on a symbol it cannot print
 * ("LLVM ERROR: Symbol name with unsupported characters": '-', a space, a
 * quote, a newline, NUL, non-ASCII), prints others that ptxas refuses (a
 * leading digit, '.', a lone '_' or '$', WARP_SZ), and lets a global named
 * like one of its own names be shadowed in PTX (k_param_0 in kernel k).
 * tl-to-nvvm therefore checks every name that reaches PTX before anything
 * is lowered, and tlEmitC checks every name that reaches C, rather than
 * mangling: a mangled kernel name would differ from the name the host
 * launches by. The rules (docs/passes.md, "Names"):
 *
 *   PTX  [A-Za-z_$][A-Za-z0-9_$]*, not a lone '_' or '$' (PTX's identifier
 *        grammar without '%', its register prefix), not WARP_SZ, and no
 *        prefix of the names LLVM gives its own labels and locals.
 *   C    [A-Za-z_][A-Za-z0-9_]* ('$' is a compiler extension).
 */
#ifndef TL_PASSES_NAMES_H
#define TL_PASSES_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include <mlir-c/IR.h>

#include "Support.h"

typedef enum TlNameRule { TlNamePtx, TlNameC } TlNameRule;

/// The rule as a pattern for messages, e.g. "[A-Za-z_][A-Za-z0-9_]*".
const char *tlNameRuleText(TlNameRule rule);

/// NULL when `name` follows `rule`; otherwise what is wrong with it, e.g.
/// "has '-' at byte 3" or "starts with a digit" (in buf, cap bytes, or a
/// literal).
const char *tlNameProblem(MlirStringRef name, TlNameRule rule, char *buf,
                          size_t cap);

/// Appends `name` in quotes with MLIR's string escapes ("a\22b", "\0A"),
/// so that any bytes, NUL included, print as readable text.
void tlStrAppendQuoted(TlStr *s, MlirStringRef name);

/// Appends a symbol reference as MLIR prints it: @name, or @"..." quoted
/// when it is not a bare identifier.
void tlStrAppendSymbol(TlStr *s, MlirStringRef name);

/// Checks the name of every gpu.module under `module` and of every symbol
/// directly inside one (gpu.func, func.func, llvm.func, memref.global,
/// llvm.mlir.global, ...) against the PTX rule, and that no symbol is
/// named <function>_param_<N>, the name PTX gives a parameter. Declarations
/// of LLVM intrinsics (llvm.*) are exempt: they never reach PTX. Emits an
/// error at each offending op; false when there was one.
bool tlCheckGpuSymbolNames(MlirOperation module);

#endif
