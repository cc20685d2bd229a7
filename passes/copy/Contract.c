/* The instruction names and the instruction table (copy/Contract.h). */
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>

#include "Contract.h"
#include "Select.h"

static const TlInstImpl kInsts[TlInstCount] = {
    [TlInstSimt] = {TlInstSimt, "simt", TlCompleteSync},
    [TlInstDirect] = {TlInstDirect, "direct", TlCompleteSync},
    [TlInstTmaLoad] = {TlInstTmaLoad, "tma_load", TlCompleteMbarrier,
                       .check = tlSelTmaCheck, .prefer = tlSelTmaPrefer,
                       .choose = tlSelTmaChoose},
    [TlInstTmaStore] = {TlInstTmaStore, "tma_store", TlCompleteBulkGroup,
                        .check = tlSelTmaCheck, .prefer = tlSelTmaPrefer,
                        .choose = tlSelTmaChoose},
    [TlInstBulkLoad] = {TlInstBulkLoad, "bulk_load", TlCompleteMbarrier,
                        .check = tlSelBulkCheck, .prefer = tlSelBulkPrefer,
                        .choose = tlSelBulkChoose},
    [TlInstBulkStore] = {TlInstBulkStore, "bulk_store", TlCompleteBulkGroup,
                         .check = tlSelBulkCheck, .prefer = tlSelBulkPrefer,
                         .choose = tlSelBulkChoose},
    [TlInstLdmatrix] = {TlInstLdmatrix, "ldmatrix", TlCompleteSync,
                        .check = tlSelMmaCheck, .prefer = tlSelMmaPrefer,
                        .choose = tlSelMmaChoose},
    [TlInstStmatrix] = {TlInstStmatrix, "stmatrix", TlCompleteSync,
                        .check = tlSelMmaCheck, .prefer = tlSelMmaPrefer,
                        .choose = tlSelMmaChoose},
    [TlInstCpAsync] = {TlInstCpAsync, "cp_async", TlCompleteGroup,
                       .check = tlSelCpAsyncCheck,
                       .prefer = tlSelCpAsyncPrefer},
    [TlInstTmaIm2Col] = {TlInstTmaIm2Col, "tma_im2col", TlCompleteMbarrier,
                         .check = tlSelTmaIm2ColCheck,
                         .prefer = tlSelTmaIm2ColPrefer},
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
