/* embed: a kernel built through the tl C API, compiled to PTX, out of tree.
 *
 * Builds, without parsing any IR text (only attributes are parsed):
 *
 *   module attributes {gpu.container_module} {
 *     gpu.module @embed [#nvvm.target<chip = "sm_90a">] {
 *       gpu.func @tile_copy(%A: memref<256x256xf32>, %B: memref<256x256xf32>)
 *           workgroup(%S: memref<32x32xf32, #gpu.address_space<workgroup>>)
 *           kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
 *         %c32 = arith.constant 32 : index
 *         %bx = gpu.block_id x
 *         %by = gpu.block_id y
 *         %i = arith.muli %by, %c32 : index
 *         %j = arith.muli %bx, %c32 : index
 *         %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 32, 32>}
 *         "tl.copy"(%a, %S)
 *         %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 32, 32>}
 *         "tl.copy"(%S, %b)
 *         gpu.return
 *       }
 *     }
 *   }
 *
 * then verifies it (MLIR's verifier and tl-verify), runs tl-to-nvvm with
 * format=ptx (no ptxas needed), writes the PTX of the gpu.binary to a file
 * and prints the kernel ABI recorded on the binary.
 *
 *   usage: tl-embed [OUT.ptx [CHIP]]     (defaults: tile_copy.ptx, sm_90a)
 */
#include <stdio.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

#include "tl-c/Compile.h"
#include "tl-c/Dialect.h"
#include "tl-c/Ops.h"
#include "tl-c/Passes.h"

static MlirStringRef str(const char *s) { return mlirStringRefCreateFromCString(s); }

static void put(MlirStringRef s, void *stream) { fwrite(s.data, 1, s.length, stream); }

static MlirLogicalResult onDiagnostic(MlirDiagnostic d, void *userData) {
  (void)userData;
  fputs("tl-embed: ", stderr);
  mlirDiagnosticPrint(d, put, stderr);
  fputc('\n', stderr);
  return mlirLogicalResultSuccess();
}

static MlirNamedAttribute named(MlirContext ctx, const char *name, MlirAttribute attr) {
  return mlirNamedAttributeGet(mlirIdentifierGet(ctx, str(name)), attr);
}

static MlirAttribute parseAttr(MlirContext ctx, const char *text) {
  return mlirAttributeParseGet(ctx, str(text));
}

/* Creates an op from its parts and appends it to `block`. */
static MlirOperation append(MlirBlock block, const char *name, MlirLocation loc,
                            intptr_t nOperands, const MlirValue *operands,
                            intptr_t nResults, const MlirType *results,
                            intptr_t nAttrs, const MlirNamedAttribute *attrs) {
  MlirOperationState st = mlirOperationStateGet(str(name), loc);
  mlirOperationStateAddOperands(&st, nOperands, operands);
  mlirOperationStateAddResults(&st, nResults, results);
  mlirOperationStateAddAttributes(&st, nAttrs, attrs);
  MlirOperation op = mlirOperationCreate(&st);
  mlirBlockAppendOwnedOperation(block, op);
  return op;
}

/* Appends an op built by a tl-c/Ops.h builder (null: the builder failed and
 * said why through the diagnostic handler). */
static int appendBuilt(MlirBlock block, MlirOperation op) {
  if (mlirOperationIsNull(op))
    return 0;
  mlirBlockAppendOwnedOperation(block, op);
  return 1;
}

enum { TILE = 32, N = 256 };

/* Builds the module; a null module when a builder failed. */
static MlirModule buildModule(MlirContext ctx, const char *chip) {
  /* Dialects are registered in the context but loaded lazily: an op created
   * (mlirOperationCreate) before its dialect is loaded is an unregistered op.
   * Load every dialect whose ops are built here first. */
  static const char *const kDialects[] = {"arith", "gpu", "nvvm"};
  for (size_t d = 0; d < sizeof kDialects / sizeof *kDialects; ++d)
    if (mlirDialectIsNull(mlirContextGetOrLoadDialect(ctx, str(kDialects[d])))) {
      fprintf(stderr, "tl-embed: dialect '%s' is not registered\n", kDialects[d]);
      return (MlirModule){NULL};
    }

  MlirLocation loc = mlirLocationFileLineColGet(ctx, str("embed.c"), 1, 1);
  MlirModule module = mlirModuleCreateEmpty(loc);
  MlirOperation moduleOp = mlirModuleGetOperation(module);
  mlirOperationSetAttributeByName(moduleOp, str("gpu.container_module"),
                                  mlirUnitAttrGet(ctx));

  /* gpu.module @embed [#nvvm.target<chip = ...>] */
  char target[128];
  snprintf(target, sizeof target, "#nvvm.target<chip = \"%s\">", chip);
  MlirAttribute targetAttr = parseAttr(ctx, target);
  MlirNamedAttribute gmAttrs[] = {
      named(ctx, "sym_name", mlirStringAttrGet(ctx, str("embed"))),
      named(ctx, "targets", mlirArrayAttrGet(ctx, 1, &targetAttr)),
  };
  MlirRegion gmRegion = mlirRegionCreate();
  MlirBlock gmBody = mlirBlockCreate(0, NULL, NULL);
  mlirRegionAppendOwnedBlock(gmRegion, gmBody);
  MlirOperationState gmState = mlirOperationStateGet(str("gpu.module"), loc);
  mlirOperationStateAddAttributes(&gmState, 2, gmAttrs);
  mlirOperationStateAddOwnedRegions(&gmState, 1, &gmRegion);
  MlirOperation gpuModule = mlirOperationCreate(&gmState);
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(module), gpuModule);

  /* gpu.func @tile_copy(A, B) workgroup(S) kernel {known_block_size} */
  MlirType f32 = mlirF32TypeGet(ctx);
  int64_t globalShape[] = {N, N}, tileShape[] = {TILE, TILE};
  MlirType globalTy = mlirMemRefTypeContiguousGet(f32, 2, globalShape, mlirAttributeGetNull());
  MlirType sharedTy = mlirMemRefTypeContiguousGet(
      f32, 2, tileShape, parseAttr(ctx, "#gpu.address_space<workgroup>"));
  MlirType inputs[] = {globalTy, globalTy};
  MlirType fnTy = mlirFunctionTypeGet(ctx, 2, inputs, 0, NULL);
  int32_t block[] = {128, 1, 1};
  MlirNamedAttribute fnAttrs[] = {
      named(ctx, "sym_name", mlirStringAttrGet(ctx, str("tile_copy"))),
      named(ctx, "function_type", mlirTypeAttrGet(fnTy)),
      named(ctx, "gpu.kernel", mlirUnitAttrGet(ctx)),
      named(ctx, "known_block_size", mlirDenseI32ArrayGet(ctx, 3, block)),
      /* The block arguments after the function's are workgroup buffers. */
      named(ctx, "workgroup_attributions",
            mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), 1)),
  };
  MlirType argTys[] = {globalTy, globalTy, sharedTy};
  MlirLocation argLocs[] = {loc, loc, loc};
  MlirRegion fnRegion = mlirRegionCreate();
  MlirBlock body = mlirBlockCreate(3, argTys, argLocs);
  mlirRegionAppendOwnedBlock(fnRegion, body);
  MlirOperationState fnState = mlirOperationStateGet(str("gpu.func"), loc);
  mlirOperationStateAddAttributes(&fnState, 5, fnAttrs);
  mlirOperationStateAddOwnedRegions(&fnState, 1, &fnRegion);
  mlirBlockAppendOwnedOperation(gmBody, mlirOperationCreate(&fnState));

  MlirValue A = mlirBlockGetArgument(body, 0), B = mlirBlockGetArgument(body, 1);
  MlirValue S = mlirBlockGetArgument(body, 2);
  MlirType index = mlirIndexTypeGet(ctx);

  /* The tile origin: (block_id.y * 32, block_id.x * 32). */
  MlirNamedAttribute c32Attr = named(ctx, "value", mlirIntegerAttrGet(index, TILE));
  MlirValue c32 = mlirOperationGetResult(
      append(body, "arith.constant", loc, 0, NULL, 1, &index, 1, &c32Attr), 0);
  MlirValue bid[2];
  for (int d = 0; d < 2; ++d) {
    MlirNamedAttribute dim = named(ctx, "dimension", parseAttr(ctx, d ? "#gpu<dim y>" : "#gpu<dim x>"));
    bid[d] = mlirOperationGetResult(append(body, "gpu.block_id", loc, 0, NULL, 1, &index, 1, &dim), 0);
  }
  MlirValue rowOps[] = {bid[1], c32}, colOps[] = {bid[0], c32};
  MlirValue origin[] = {
      mlirOperationGetResult(append(body, "arith.muli", loc, 2, rowOps, 1, &index, 0, NULL), 0),
      mlirOperationGetResult(append(body, "arith.muli", loc, 2, colOps, 1, &index, 0, NULL), 0),
  };

  /* The tl ops, through tl-c/Ops.h: A[i:i+32, j:j+32] -> S -> B[...]. */
  int64_t extents[] = {TILE, TILE};
  MlirOperation a = tlRegionOpCreate(loc, A, 2, origin, TlAccessRead, 2, extents);
  if (!appendBuilt(body, a))
    goto fail;
  TlCopyOptions load = tlCopyOptionsGetDefault();
  load.evictionPolicy = TlEvictFirst;
  if (!appendBuilt(body, tlCopyOpCreate(loc, tlRegionOpGetResult(a), S, &load)))
    goto fail;
  MlirOperation b = tlRegionOpCreate(loc, B, 2, origin, TlAccessWrite, 2, extents);
  if (!appendBuilt(body, b))
    goto fail;
  if (!appendBuilt(body, tlCopyOpCreate(loc, S, tlRegionOpGetResult(b), NULL)))
    goto fail;
  append(body, "gpu.return", loc, 0, NULL, 0, NULL, 0, NULL);
  return module;

fail:
  mlirModuleDestroy(module);
  return (MlirModule){NULL};
}

/* MLIR's verifier (structure, IRDL) then tl-verify (tl's semantic rules). */
static int verify(MlirContext ctx, MlirOperation moduleOp) {
  if (!mlirOperationVerify(moduleOp))
    return 0;
  MlirPassManager pm = mlirPassManagerCreateOnOperation(ctx, str("builtin.module"));
  mlirPassManagerAddOwnedPass(pm, tlCreateVerifyPass());
  MlirLogicalResult ok = mlirPassManagerRunOnOp(pm, moduleOp);
  mlirPassManagerDestroy(pm);
  return mlirLogicalResultIsSuccess(ok);
}

static const char *kParamKinds[] = {"invalid", "pointer", "scalar", "tensormap"};

static void printABI(MlirOperation binary) {
  MlirStringRef name = tlBinaryGetName(binary);
  for (intptr_t k = 0; k < tlBinaryGetNumKernels(binary); ++k) {
    TlKernelInfo info;
    if (!tlBinaryGetKernel(binary, k, &info))
      continue;
    printf("kernel %.*s.%.*s block=%d,%d,%d static_smem=%lld dynamic_smem=%lld params=%ld\n",
           (int)name.length, name.data, (int)info.name.length, info.name.data,
           info.block[0], info.block[1], info.block[2],
           (long long)info.staticSharedBytes, (long long)info.dynamicSharedBytes,
           (long)info.numParams);
    for (intptr_t p = 0; p < info.numParams; ++p) {
      TlParamInfo param;
      if (!tlBinaryGetKernelParam(binary, k, p, &param))
        continue;
      printf("  param %ld: %s ", (long)p, kParamKinds[param.kind]);
      mlirTypePrint(param.type, put, stdout);
      if (!mlirAttributeIsNull(param.tensorMap)) {
        fputc(' ', stdout);
        mlirAttributePrint(param.tensorMap, put, stdout);
      }
      fputc('\n', stdout);
    }
  }
}

int main(int argc, char **argv) {
  const char *outPath = argc > 1 ? argv[1] : "tile_copy.ptx";
  const char *chip = argc > 2 ? argv[2] : "sm_90a";
  printf("tl %s\n", tlGetVersion());

  tlRegisterAllPasses();
  MlirContext ctx = tlContextCreate(); /* every upstream dialect + tl */
  if (mlirContextIsNull(ctx)) {
    fprintf(stderr, "tl-embed: cannot create a context with tl loaded\n");
    return 1;
  }
  mlirContextAttachDiagnosticHandler(ctx, onDiagnostic, NULL, NULL);

  int rc = 1;
  MlirModule module = buildModule(ctx, chip);
  if (mlirModuleIsNull(module))
    goto done;
  MlirOperation moduleOp = mlirModuleGetOperation(module);
  if (!verify(ctx, moduleOp)) {
    fprintf(stderr, "tl-embed: the built module does not verify\n");
    goto destroy;
  }
  printf("built and verified:\n");
  mlirOperationPrint(moduleOp, put, stdout);
  printf("\n");

  TlCompileOptions options = {NULL, NULL, "ptx", -1}; /* chip: the #nvvm.target */
  if (mlirLogicalResultIsFailure(tlCompileModule(moduleOp, &options))) {
    fprintf(stderr, "tl-embed: tl-to-nvvm failed\n");
    goto destroy;
  }
  if (tlModuleGetNumBinaries(moduleOp) != 1) {
    fprintf(stderr, "tl-embed: expected one gpu.binary\n");
    goto destroy;
  }
  MlirOperation binary = tlModuleGetBinary(moduleOp, 0);
  TlBinaryFormat format;
  MlirStringRef object = tlBinaryGetObject(binary, &format);
  FILE *out = fopen(outPath, "wb");
  if (!out || fwrite(object.data, 1, object.length, out) != object.length ||
      fclose(out) != 0) {
    fprintf(stderr, "tl-embed: cannot write %s\n", outPath);
    goto destroy;
  }
  printf("wrote %s: %zu bytes of %s\n", outPath, object.length,
         format == TlBinaryFormatPTX ? "PTX" : "binary");
  printABI(binary);
  rc = 0;

destroy:
  mlirModuleDestroy(module);
done:
  mlirContextDestroy(ctx);
  return rc;
}
