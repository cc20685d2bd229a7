/* The instruction names and the instruction table (copy/Contract.h). */
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>

#include "Contract.h"

static const TlInstImpl kInsts[TlInstCount] = {
    [TlInstSimt] = {.inst = TlInstSimt, .name = "simt", .completion = TlCompleteSync},
    [TlInstDirect] = {.inst = TlInstDirect, .name = "direct", .completion = TlCompleteSync},
    [TlInstTmaLoad] = {.inst = TlInstTmaLoad, .name = "tma_load", .completion = TlCompleteMbarrier},
    [TlInstTmaStore] = {.inst = TlInstTmaStore, .name = "tma_store", .completion = TlCompleteBulkGroup},
    [TlInstBulkLoad] = {.inst = TlInstBulkLoad, .name = "bulk_load", .completion = TlCompleteMbarrier},
    [TlInstBulkStore] = {.inst = TlInstBulkStore, .name = "bulk_store", .completion = TlCompleteBulkGroup},
    [TlInstLdmatrix] = {.inst = TlInstLdmatrix, .name = "ldmatrix", .completion = TlCompleteSync},
    [TlInstStmatrix] = {.inst = TlInstStmatrix, .name = "stmatrix", .completion = TlCompleteSync},
    [TlInstCpAsync] = {.inst = TlInstCpAsync, .name = "cp_async", .completion = TlCompleteGroup},
    [TlInstTmaIm2Col] = {.inst = TlInstTmaIm2Col, .name = "tma_im2col", .completion = TlCompleteMbarrier},
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
