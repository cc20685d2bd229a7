/* tl-lower-copy: Lower every tl.copy to gpu/scf/arith/memref/vector/llvm ops following its inferred layout; insert the barriers later copies need. */
#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Dialect/LLVM.h>
#include <mlir-c/Dialect/MemRef.h>
#include <mlir-c/Dialect/SCF.h>
#include <mlir-c/Dialect/Vector.h>

#include "PassSupport.h"

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  (void)op;
  (void)pass;
}

static MlirLogicalResult add(MlirOpPassManager pm,
                             const TlOptionValues *options,
                             MlirStringCallback err, void *userData) {
  (void)options;
  (void)err;
  (void)userData;
  mlirOpPassManagerAddOwnedPass(pm, tlCreateLowerCopyPass());
  return mlirLogicalResultSuccess();
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlLowerCopyPassDef = {
    {"tl-lower-copy",
     "Lower every tl.copy to gpu/scf/arith/memref/vector/llvm ops following its inferred layout; insert the barriers later copies need",
     0, NULL},
    add};

static _Alignas(8) char kTypeId;

MlirPass tlCreateLowerCopyPass(void) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__scf__(),   mlirGetDialectHandle__vector__()};
  return tlCreateExternalPass(&kTypeId, &tlLowerCopyPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, NULL, 0);
}
