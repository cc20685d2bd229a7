/* tl-verify: every semantic rule of the tl ops that IRDL cannot express.
 *
 * IRDL checks structure only (operand kinds and counts, presence of the
 * required attributes). This pass walks every operation below the one it
 * runs on and, for each tl op, checks the rules of design.md §2/§3 that need C:
 * attribute kinds and values, ranks, extents, scopes, element types, the
 * im2col geometry, the thread count of the enclosing kernel, and the
 * tokens of the split-phase ops (tl.copy_async, tl.c2d_im2col_async,
 * tl.wait). Each
 * violation is one located error that names the rule and the values
 * involved, in MLIR's style ("'tl.copy' op ..."). The pass changes nothing;
 * it fails when any error was emitted. docs/verify.md lists every rule.
 *
 * This file holds the pass and the dispatch over the ops; the rule groups
 * are in passes/verify/ (Verifier.h). */
#include <stdint.h>
#include <stdlib.h>

#include <mlir-c/IR.h>

#include "PassSupport.h"
#include "Support.h"
#include "verify/Verifier.h"

/* Initialized with literals only: a const object is not a constant
   expression in C11 (clang refuses `{kInfo, ...}`). */
const TlPassDef tlVerifyPassDef = {
    {"tl-verify",
     "Check the semantic rules of every tl op (attributes, ranks, extents, "
     "scopes, im2col parameters, block size); change nothing",
     0, NULL},
    NULL, tlCreateVerifyPass};

static _Alignas(8) char kTypeId;

//===--------------------------------------------------------------------===//
// The pass
//===--------------------------------------------------------------------===//

/* IRDL guarantees the operand counts of parsed IR, but a pass manager
   does not verify its input: an op built through the C API (or an
   unregistered "tl.*" op) may reach this pass unverified. */
static bool checkNumOperands(Verifier *v, MlirOperation op, intptr_t min,
                             intptr_t max) {
  intptr_t n = mlirOperationGetNumOperands(op);
  if (n >= min && n <= max)
    return true;
  if (max == INTPTR_MAX || max == min)
    tlvFail(v, op, "has %lld operands, expected %lld%s (run the IR verifier)",
            (long long)n, (long long)min, max > min ? " or more" : "");
  else
    tlvFail(v, op,
            "has %lld operands, expected %lld to %lld (run the IR verifier)",
            (long long)n, (long long)min, (long long)max);
  return false;
}

static MlirWalkResult visit(MlirOperation op, void *userData) {
  Verifier *v = userData;
  if (tlOpIsNamed(op, "tl.region")) {
    if (checkNumOperands(v, op, 1, INTPTR_MAX))
      tlvVerifyRegion(v, op);
  } else if (tlOpIsNamed(op, "tl.copy")) {
    if (checkNumOperands(v, op, 2, 2))
      tlvVerifyCopy(v, op);
  } else if (tlOpIsNamed(op, "tl.copy_async")) {
    /* tl.copy's rules, then the token's (design.md §3.1). */
    if (checkNumOperands(v, op, 2, 3)) {
      tlvVerifyCopy(v, op);
      tlvVerifyAsyncProducer(v, op);
    }
  } else if (tlOpIsNamed(op, "tl.wait")) {
    tlvVerifyWait(v, op);
  } else if (tlOpIsNamed(op, "tl.join")) {
    tlvVerifyJoin(v, op);
  } else if (tlOpIsNamed(op, "tl.fragment_read")) {
    if (checkNumOperands(v, op, 1, 1) && mlirOperationGetNumResults(op) == 1)
      tlvVerifyFragmentAccess(v, op, false);
  } else if (tlOpIsNamed(op, "tl.fragment_write")) {
    if (checkNumOperands(v, op, 2, 2))
      tlvVerifyFragmentAccess(v, op, true);
  } else if (tlOpIsNamed(op, "tl.wgmma_descriptor")) {
    if (checkNumOperands(v, op, 1, 1) && mlirOperationGetNumResults(op) == 1)
      tlvVerifyWgmmaDescriptor(v, op);
  } else if (tlOpIsNamed(op, "gpu.func")) {
    tlvVerifyLaunchLimits(v, op);
  } else if (tlOpIsNamed(op, "scf.for")) {
    tlvVerifyLoopTokens(v, op);
  } else if (tlOpIsNamed(op, "tl.c2d_im2col")) {
    if (checkNumOperands(v, op, 4, 4))
      tlvVerifyIm2Col(v, op);
  } else if (tlOpIsNamed(op, "tl.c2d_im2col_async")) {
    /* tl.c2d_im2col's rules, then the token's (design.md §3.1). */
    if (checkNumOperands(v, op, 4, 5)) {
      tlvVerifyIm2Col(v, op);
      tlvVerifyAsyncProducer(v, op);
    }
  }
  /* Any other "tl.*" name cannot exist: IRDL rejects it at parse time. */
  tlvReleaseScratch(v);
  return MlirWalkResultAdvance;
}

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  Verifier v = {false, NULL, 0, 0};
  mlirOperationWalk(op, visit, &v, MlirWalkPreOrder);
  tlvReleaseScratch(&v);
  free(v.scratch);
  if (v.failed)
    mlirExternalPassSignalFailure(pass);
}

MlirPass tlCreateVerifyPass(void) {
  return tlCreateExternalPass(&kTypeId, &tlVerifyPassDef.info, 0, NULL, run,
                              NULL, 0);
}

