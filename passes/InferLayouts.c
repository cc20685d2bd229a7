/* tl-infer-layouts: Choose each tl op's instruction, vector width and thread map, and the layouts of fragment and shared buffers (attributes only). */
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
  mlirOpPassManagerAddOwnedPass(pm, tlCreateInferLayoutsPass());
  return mlirLogicalResultSuccess();
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlInferLayoutsPassDef = {
    {"tl-infer-layouts",
     "Choose each tl op's instruction, vector width and thread map, and the layouts of fragment and shared buffers (attributes only)",
     0, NULL},
    add};

static _Alignas(8) char kTypeId;

MlirPass tlCreateInferLayoutsPass(void) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__scf__(),   mlirGetDialectHandle__vector__()};
  return tlCreateExternalPass(&kTypeId, &tlInferLayoutsPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, NULL, 0);
}
