/* The instruction names and the instruction table (copy/Contract.h). */
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>

#include "Contract.h"
#include "Inst.h"

/* Rows: inst, name, completion, check, choose, read, emit, issue,
   complete. Synchronous rows emit; asynchronous rows issue and complete. */
static const TlInstImpl kInsts[TlInstCount] = {
    [TlInstSimt] = {TlInstSimt, "simt", TlCompleteSync, NULL, NULL,
                    tlSimtRead, tlSimtEmit, NULL, NULL},
    [TlInstDirect] = {TlInstDirect, "direct", TlCompleteSync, NULL, NULL,
                      tlDirectRead, tlDirectEmit, NULL, NULL},
    [TlInstTmaLoad] = {TlInstTmaLoad, "tma_load", TlCompleteMbarrier, NULL,
                       NULL, tlTmaLoadRead, NULL, tlTmaLoadIssue,
                       tlWaitMbarrier},
    [TlInstTmaStore] = {TlInstTmaStore, "tma_store", TlCompleteBulkGroup,
                        NULL, NULL, tlTmaStoreRead, NULL, tlTmaStoreIssue,
                        tlWaitBulkGroupRead},
    [TlInstBulkLoad] = {TlInstBulkLoad, "bulk_load", TlCompleteMbarrier,
                        NULL, NULL, tlBulkLoadRead, NULL, tlBulkLoadIssue,
                        tlWaitMbarrier},
    [TlInstBulkStore] = {TlInstBulkStore, "bulk_store", TlCompleteBulkGroup,
                         NULL, NULL, tlBulkStoreRead, NULL, tlBulkStoreIssue,
                         tlWaitBulkGroupRead},
    [TlInstLdmatrix] = {TlInstLdmatrix, "ldmatrix", TlCompleteSync, NULL,
                        NULL, tlLdmatrixRead, tlLdmatrixEmit, NULL, NULL},
    [TlInstStmatrix] = {TlInstStmatrix, "stmatrix", TlCompleteSync, NULL,
                        NULL, tlStmatrixRead, tlStmatrixEmit, NULL, NULL},
    [TlInstCpAsync] = {TlInstCpAsync, "cp_async", TlCompleteGroup, NULL, NULL,
                       tlCpAsyncRead, NULL, tlCpAsyncIssue,
                       tlCpAsyncComplete},
    /* Emitted by tl-lower-im2col, whose table is its own. */
    [TlInstTmaIm2Col] = {TlInstTmaIm2Col, "tma_im2col", TlCompleteMbarrier},
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

const char *tlInstNameList(void) {
  return "\"simt\", \"direct\", \"tma_load\", \"tma_store\", \"bulk_load\", "
         "\"bulk_store\", \"ldmatrix\", \"stmatrix\", \"cp_async\", "
         "\"tma_im2col\"";
}
