/* tl-lower-im2col: Lower every tl.c2d_im2col to gpu/scf/arith/memref/vector ops following its inferred layout. */
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
  mlirOpPassManagerAddOwnedPass(pm, tlCreateLowerIm2ColPass());
  return mlirLogicalResultSuccess();
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlLowerIm2ColPassDef = {
    {"tl-lower-im2col",
     "Lower every tl.c2d_im2col to gpu/scf/arith/memref/vector ops following its inferred layout",
     0, NULL},
    add};

static _Alignas(8) char kTypeId;

MlirPass tlCreateLowerIm2ColPass(void) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__scf__(),   mlirGetDialectHandle__vector__()};
  return tlCreateExternalPass(&kTypeId, &tlLowerIm2ColPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, NULL, 0);
}
