/* tl-verify: the rules of !tl.token values (design.md §3.1, docs/verify.md).
 *
 * A token value is the result of an asynchronous op (tl.copy_async,
 * tl.c2d_im2col_async), a token iter_arg of an scf.for body, or a token
 * result of an scf.for. Tokens are linear: each is used exactly once, in
 * its own block, after it is defined, by one of
 *   - a tl.wait (which completes it),
 *   - a later tl.join of the same block (one token for several,
 *     completed when all of them are),
 *   - an scf.for init operand (the loop carries it into its body), or
 *   - the scf.yield of the loop body it is defined in (carried into the
 *     next iteration, then out as the loop's result).
 * So on every path each copy is completed exactly once. Misplaced waits
 * are reported at the wait, every other misuse at the user, a token
 * never used at its definition.
 *
 * Also here: tl.join's operands and the uses the lowering passes read
 * (tlTokenUseOf). */
#include <stdint.h>
#include <stdlib.h>

#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/IR.h>

#include "Support.h"
#include "VerifyAsync.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

//===--------------------------------------------------------------------===//
// Helpers
//===--------------------------------------------------------------------===//

bool tlvIsAsyncProducer(MlirOperation op) {
  return tlOpIsNamed(op, "tl.copy_async") ||
         tlOpIsNamed(op, "tl.c2d_im2col_async");
}

static bool isToken(MlirValue v) {
  return !mlirValueIsNull(v) && tlTypeIsAToken(mlirValueGetType(v));
}

/* The scf.for whose body block is `b`, or a null op. */
static MlirOperation loopOfBody(MlirBlock b) {
  MlirOperation p = mlirBlockGetParentOperation(b);
  if (mlirOperationIsNull(p) || !tlOpIsNamed(p, "scf.for"))
    return (MlirOperation){NULL};
  return p;
}

/* The block a token value belongs to and, for an op result, its op. */
static MlirBlock tokenBlock(MlirValue t, MlirOperation *def) {
  *def = (MlirOperation){NULL};
  if (mlirValueIsABlockArgument(t))
    return mlirBlockArgumentGetOwner(t);
  *def = mlirOpResultGetOwner(t);
  return mlirOperationGetBlock(*def);
}

//===--------------------------------------------------------------------===//
// What a use is (for the lowering passes too)
//===--------------------------------------------------------------------===//

static TlTokenUseKind kindOfUse(MlirOpOperand u) {
  MlirOperation user = mlirOpOperandGetOwner(u);
  intptr_t pos = mlirOpOperandGetOperandNumber(u);
  if (tlOpIsNamed(user, "tl.wait"))
    return TlTokenWaited;
  if (tlOpIsNamed(user, "tl.join"))
    return TlTokenJoined;
  if (tlOpIsNamed(user, "scf.for") && pos >= 3)
    return TlTokenCarried;
  if (tlOpIsNamed(user, "scf.yield") &&
      !mlirOperationIsNull(loopOfBody(mlirOperationGetBlock(user))))
    return TlTokenYielded;
  return TlTokenMisused;
}

TlTokenUse tlTokenUseOf(MlirValue token) {
  TlTokenUse r = {TlTokenUnused, {NULL}, 0};
  MlirOpOperand u = mlirValueGetFirstUse(token);
  if (mlirOpOperandIsNull(u))
    return r;
  r.kind = kindOfUse(u);
  r.user = mlirOpOperandGetOwner(u);
  r.operand = mlirOpOperandGetOperandNumber(u);
  return r;
}

MlirValue tlTokenIterArgOf(MlirOperation loop, intptr_t initOperand) {
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(loop, 0));
  return mlirBlockGetArgument(body, initOperand - 3 + 1);
}

//===--------------------------------------------------------------------===//
// One token value's uses
//===--------------------------------------------------------------------===//

/* "the token of the 'tl.copy_async' at line L, column C", "the token
   iter_arg #j of the scf.for at ...", "the token result #j of ...". */
static const char *tokenText(Verifier *v, MlirValue t) {
  TlStr s = {0};
  if (mlirValueIsABlockArgument(t)) {
    MlirOperation loop = loopOfBody(mlirBlockArgumentGetOwner(t));
    tlStrAppendf(&s, "the token iter_arg #%lld of the scf.for at %s",
                 (long long)mlirBlockArgumentGetArgNumber(t) - 1,
                 tlvWhere(v, loop));
  } else {
    MlirOperation def = mlirOpResultGetOwner(t);
    if (tlvIsAsyncProducer(def) || tlOpIsNamed(def, "tl.join"))
      tlStrAppendf(&s, "the token of the '%s' at %s", tlvOpName(v, def),
                   tlvWhere(v, def));
    else
      tlStrAppendf(&s, "the token result #%lld of the scf.for at %s",
                   (long long)mlirOpResultGetResultNumber(t),
                   tlvWhere(v, def));
  }
  return tlvKeep(v, &s);
}

/* Whether use u of t (defined in `block`, by `def` when an op result) is in
   place: in the block, after the definition; a yield only in the body
   the value was defined in. Waits are checked at the wait. */
static bool useInPlace(MlirOpOperand u, MlirBlock block, MlirOperation def) {
  MlirOperation user = mlirOpOperandGetOwner(u);
  if (!mlirBlockEqual(mlirOperationGetBlock(user), block))
    return false;
  return mlirOperationIsNull(def) || mlirOperationIsBeforeInBlock(def, user);
}

/* The never-used error, at the definition (or the loop). */
static void neverUsed(Verifier *v, MlirValue t) {
  MlirOperation def;
  tokenBlock(t, &def);
  if (!mlirOperationIsNull(def) &&
      (tlvIsAsyncProducer(def) || tlOpIsNamed(def, "tl.join"))) {
    tlvFail(v, def,
            "token is never waited for: every token of a %s must be waited "
            "exactly once, by a later tl.wait of its block (or joined or "
            "carried by an scf.for)",
            tlvOpName(v, def));
    return;
  }
  MlirOperation loop = mlirOperationIsNull(def)
                           ? loopOfBody(mlirBlockArgumentGetOwner(t))
                           : def;
  tlvFail(v, loop,
          "%s is never waited for: a carried token must be used exactly "
          "once (waited, joined or carried on)",
          tokenText(v, t));
}

/* Whether use a comes before use b (block order, then operand order). */
static bool useBefore(MlirOpOperand a, MlirOpOperand b) {
  MlirOperation x = mlirOpOperandGetOwner(a), y = mlirOpOperandGetOwner(b);
  if (mlirOperationEqual(x, y))
    return mlirOpOperandGetOperandNumber(a) < mlirOpOperandGetOperandNumber(b);
  return mlirOperationIsBeforeInBlock(x, y);
}

/* The error at a second use `u` of t, whose first use is `first`. */
static void usedTwice(Verifier *v, MlirValue t, MlirOpOperand first,
                      MlirOpOperand u) {
  MlirOperation f = mlirOpOperandGetOwner(first), user = mlirOpOperandGetOwner(u);
  if (kindOfUse(first) == TlTokenWaited && mlirOperationEqual(f, user))
    tlvFail(v, user,
            "token waited twice: operands #%lld and #%lld are the same token "
            "(each token is waited exactly once)",
            (long long)mlirOpOperandGetOperandNumber(first),
            (long long)mlirOpOperandGetOperandNumber(u));
  else if (kindOfUse(first) == TlTokenWaited)
    tlvFail(v, user,
            "token waited twice: the tl.wait at %s already waited for it "
            "(each token is waited exactly once)",
            tlvWhere(v, f));
  else
    tlvFail(v, user,
            "token used twice: the '%s' at %s already %s %s (each token is "
            "used exactly once)",
            tlvOpName(v, f), tlvWhere(v, f),
            kindOfUse(first) == TlTokenJoined ? "joins" : "carries",
            tokenText(v, t));
}

void tlvVerifyTokenUses(Verifier *v, MlirValue t) {
  MlirOperation def;
  MlirBlock block = tokenBlock(t, &def);
  MlirOpOperand first = {NULL};
  bool any = false;
  /* Misplaced and misused uses first; the earliest in-place one is the
     use, every other in-place one a second use. */
  for (MlirOpOperand u = mlirValueGetFirstUse(t); !mlirOpOperandIsNull(u);
       u = mlirOpOperandGetNextUse(u)) {
    MlirOperation user = mlirOpOperandGetOwner(u);
    TlTokenUseKind k = kindOfUse(u);
    any = true;
    if (k == TlTokenMisused) {
      tlvFail(v, user,
              "uses %s: a token may only be used by tl.wait, tl.join, or "
              "carried by an scf.for",
              tokenText(v, t));
    } else if (!useInPlace(u, block, def)) {
      if (k != TlTokenWaited && k != TlTokenJoined) /* they say it */
        tlvFail(v, user,
                "uses %s outside its block or before it: a token is used in "
                "its own block, after it is defined",
                tokenText(v, t));
    } else if (mlirOpOperandIsNull(first) || useBefore(u, first)) {
      first = u;
    }
  }
  if (!any) {
    neverUsed(v, t);
    return;
  }
  for (MlirOpOperand u = mlirValueGetFirstUse(t); !mlirOpOperandIsNull(u);
       u = mlirOpOperandGetNextUse(u))
    if (!mlirOpOperandIsNull(first) && u.ptr != first.ptr &&
        kindOfUse(u) != TlTokenMisused && useInPlace(u, block, def))
      usedTwice(v, t, first, u);
}

//===--------------------------------------------------------------------===//
// scf.for: its token iter_args and results
//===--------------------------------------------------------------------===//

void tlvVerifyLoopTokens(Verifier *v, MlirOperation loop) {
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(loop, 0));
  if (mlirBlockIsNull(body))
    return;
  for (intptr_t i = 0; i < mlirOperationGetNumResults(loop); ++i) {
    MlirValue r = mlirOperationGetResult(loop, i);
    if (!isToken(r) || mlirBlockGetNumArguments(body) <= i + 1)
      continue;
    tlvVerifyTokenUses(v, mlirBlockGetArgument(body, i + 1));
    tlvVerifyTokenUses(v, r);
  }
}

//===--------------------------------------------------------------------===//
// tl.wait
//===--------------------------------------------------------------------===//

/* Whether `t` is a token value: an asynchronous op's result, a token
   iter_arg or result of an scf.for. */
static bool isTokenValue(MlirValue t) {
  if (!isToken(t))
    return false;
  if (mlirValueIsABlockArgument(t))
    return !mlirOperationIsNull(loopOfBody(mlirBlockArgumentGetOwner(t))) &&
           mlirBlockArgumentGetArgNumber(t) > 0;
  MlirOperation def = mlirOpResultGetOwner(t);
  return tlvIsAsyncProducer(def) || tlOpIsNamed(def, "tl.join") ||
         tlOpIsNamed(def, "scf.for");
}

/* Each operand of a tl.wait or tl.join is a token value of its block,
   defined before it. An empty tl.wait is valid and does nothing. */
static void checkTokenOperands(Verifier *v, MlirOperation op) {
  intptr_t n = mlirOperationGetNumOperands(op);
  for (intptr_t i = 0; i < n; ++i) {
    MlirValue t = mlirOperationGetOperand(op, i);
    if (!isTokenValue(t)) {
      tlvFail(v, op,
              "operand #%lld is %s; it must be the token of a "
              "'tl.copy_async' op or a 'tl.c2d_im2col_async' op (or one an "
              "scf.for carries)",
              (long long)i, tlvProducerText(v, t));
      continue;
    }
    MlirOperation def;
    MlirBlock b = tokenBlock(t, &def);
    bool sameBlock = mlirBlockEqual(b, mlirOperationGetBlock(op));
    if (sameBlock &&
        (mlirOperationIsNull(def) || mlirOperationIsBeforeInBlock(def, op)))
      continue;
    if (!mlirOperationIsNull(def) && tlvIsAsyncProducer(def)) {
      tlvFail(v, op,
              "operand #%lld is the token of a '%s' %s (%s): a %s must "
              "be a later op of the block of its %s",
              (long long)i, tlvOpName(v, def),
              sameBlock ? "that comes after it" : "in another block",
              tlvWhere(v, def), tlvOpName(v, op), tlvOpName(v, def));
      continue;
    }
    tlvFail(v, op,
            "operand #%lld is %s %s: a %s must be a later op of the "
            "block of its token",
            (long long)i, tokenText(v, t),
            sameBlock ? "that comes after it" : "in another block",
            tlvOpName(v, op));
  }
}

void tlvVerifyWait(Verifier *v, MlirOperation op) { checkTokenOperands(v, op); }

/* tl.join: its operands as a wait's; its token as any other. */
void tlvVerifyJoin(Verifier *v, MlirOperation op) {
  if (mlirOperationGetNumResults(op) != 1) {
    tlvFail(v, op, "has %lld results, expected 1 (run the IR verifier)",
            (long long)mlirOperationGetNumResults(op));
    return;
  }
  if (mlirOperationGetNumOperands(op) == 0)
    tlvFail(v, op, "joins no token: a tl.join needs at least one");
  checkTokenOperands(v, op);
  /* Joined copies may share one barrier, armed once for all of them: they
     must all be issued, or none. */
  MlirValue pred = {NULL};
  MlirOperation first = {NULL};
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(op); ++i) {
    MlirValue t = mlirOperationGetOperand(op, i);
    if (!mlirValueIsAOpResult(t) || !tlvIsAsyncProducer(mlirOpResultGetOwner(t)))
      continue;
    MlirOperation c = mlirOpResultGetOwner(t);
    MlirValue p = tlAsyncOpGetPredicate(c);
    if (mlirOperationIsNull(first)) {
      first = c;
      pred = p;
    } else if (mlirValueIsNull(p) != mlirValueIsNull(pred) ||
               (!mlirValueIsNull(p) && !mlirValueEqual(p, pred))) {
      tlvFail(v, op,
              "joins copies with different predicates (operand #%lld and the "
              "'%s' at %s): joined copies share one barrier, so they share "
              "one predicate",
              (long long)i, tlvOpName(v, first), tlvWhere(v, first));
      break;
    }
  }
  tlvVerifyTokenUses(v, mlirOperationGetResult(op, 0));
}
