/* The instruction names and the instruction table (copy/Contract.h), and
 * the one test of "a copy op" (tl.copy or tl.copy_async) the copy passes
 * share. */
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>

#include "Contract.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Inst.h"
#include "Select.h"
#include "Support.h"

//===--------------------------------------------------------------------===//
// The copy ops
//===--------------------------------------------------------------------===//

bool tlIsCopyOp(MlirOperation op) {
  return tlOperationIsACopy(op) || tlOperationIsACopyAsync(op);
}

bool tlIsIm2ColOp(MlirOperation op) {
  return tlOperationIsAIm2Col(op) || tlOperationIsAnIm2ColAsync(op);
}

static MlirWalkResult collectCopy(MlirOperation op, void *list) {
  if (tlIsCopyOp(op))
    tlOpListPush(list, op);
  return MlirWalkResultAdvance;
}

void tlCollectCopies(MlirOperation root, TlOpList *list) {
  mlirOperationWalk(root, collectCopy, list, MlirWalkPreOrder);
}

//===--------------------------------------------------------------------===//
// The instruction table
//===--------------------------------------------------------------------===//

/* check, prefer and choose are tl-infer-layouts' (inst/Select.h); the
   lowerings are tl-lower-copy's (`copy`) and tl-lower-im2col's (`im2col`),
   inst/Inst.h. Synchronous rows emit; asynchronous rows issue and
   complete. simt and direct have no check: they are the fallbacks every
   copy can take. */
static const TlInstImpl kInsts[TlInstCount] = {
    [TlInstSimt] = {.inst = TlInstSimt,
                    .name = "simt",
                    .completion = TlCompleteSync,
                    .copy = {.read = tlSimtRead, .emit = tlSimtEmit},
                    .im2col = {.read = tlSimtIm2ColRead,
                               .emit = tlSimtIm2ColEmit}},
    [TlInstDirect] = {.inst = TlInstDirect,
                      .name = "direct",
                      .completion = TlCompleteSync,
                      .copy = {.read = tlDirectRead, .emit = tlDirectEmit}},
    [TlInstTmaLoad] = {.inst = TlInstTmaLoad,
                       .name = "tma_load",
                       .completion = TlCompleteMbarrier,
                       .check = tlSelTmaCheck,
                       .prefer = tlSelTmaPrefer,
                       .choose = tlSelTmaChoose,
                       .copy = {.read = tlTmaLoadRead,
                                .issue = tlTmaLoadIssue,
                                .complete = tlWaitMbarrier}},
    [TlInstTmaStore] = {.inst = TlInstTmaStore,
                        .name = "tma_store",
                        .completion = TlCompleteBulkGroup,
                        .check = tlSelTmaCheck,
                        .prefer = tlSelTmaPrefer,
                        .choose = tlSelTmaChoose,
                        .copy = {.read = tlTmaStoreRead,
                                 .issue = tlTmaStoreIssue,
                                 .complete = tlWaitBulkGroupRead}},
    [TlInstBulkLoad] = {.inst = TlInstBulkLoad,
                        .name = "bulk_load",
                        .completion = TlCompleteMbarrier,
                        .check = tlSelBulkCheck,
                        .prefer = tlSelBulkPrefer,
                        .choose = tlSelBulkChoose,
                        .copy = {.read = tlBulkLoadRead,
                                 .issue = tlBulkLoadIssue,
                                 .complete = tlWaitMbarrier}},
    [TlInstBulkStore] = {.inst = TlInstBulkStore,
                         .name = "bulk_store",
                         .completion = TlCompleteBulkGroup,
                         .check = tlSelBulkCheck,
                         .prefer = tlSelBulkPrefer,
                         .choose = tlSelBulkChoose,
                         .copy = {.read = tlBulkStoreRead,
                                  .issue = tlBulkStoreIssue,
                                  .complete = tlWaitBulkGroupRead}},
    [TlInstLdmatrix] = {.inst = TlInstLdmatrix,
                        .name = "ldmatrix",
                        .completion = TlCompleteSync,
                        .check = tlSelMmaCheck,
                        .prefer = tlSelMmaPrefer,
                        .choose = tlSelMmaChoose,
                        .copy = {.read = tlLdmatrixRead,
                                 .emit = tlLdmatrixEmit}},
    [TlInstStmatrix] = {.inst = TlInstStmatrix,
                        .name = "stmatrix",
                        .completion = TlCompleteSync,
                        .check = tlSelMmaCheck,
                        .prefer = tlSelMmaPrefer,
                        .choose = tlSelMmaChoose,
                        .copy = {.read = tlStmatrixRead,
                                 .emit = tlStmatrixEmit}},
    [TlInstCpAsync] = {.inst = TlInstCpAsync,
                       .name = "cp_async",
                       .completion = TlCompleteGroup,
                       .check = tlSelCpAsyncCheck,
                       .prefer = tlSelCpAsyncPrefer,
                       .copy = {.read = tlCpAsyncRead,
                                .issue = tlCpAsyncIssue,
                                .complete = tlCpAsyncComplete}},
    /* The mbarrier wait is tma_load's (copy/Mbarrier.c), under the tile's
       guard. */
    [TlInstTmaIm2Col] = {.inst = TlInstTmaIm2Col,
                         .name = "tma_im2col",
                         .completion = TlCompleteMbarrier,
                         .check = tlSelTmaIm2ColCheck,
                         .prefer = tlSelTmaIm2ColPrefer,
                         .im2col = {.read = tlTmaIm2ColRead,
                                    .issue = tlTmaIm2ColIssue,
                                    .complete = tlTmaIm2ColComplete}},
};

const TlInstImpl *tlInstImpl(TlInst inst) {
  return inst >= 0 && inst < TlInstCount ? &kInsts[inst] : NULL;
}

const char *tlInstName(TlInst inst) {
  return inst >= 0 && inst < TlInstCount ? kInsts[inst].name : "none";
}

TlInst tlInstParse(MlirStringRef name) {
  for (int i = 0; i < TlInstCount; ++i)
    if (strlen(kInsts[i].name) == name.length &&
        memcmp(kInsts[i].name, name.data, name.length) == 0)
      return (TlInst)i;
  return TlInstNone;
}

TlInst tlInstOf(MlirOperation op) {
  MlirAttribute a =
      mlirOperationGetAttributeByName(op, mlirStringRefCreateFromCString(TL_ATTR_INST));
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAString(a))
    return TlInstNone;
  return tlInstParse(mlirStringAttrGetValue(a));
}

