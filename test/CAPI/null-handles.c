// RUN: tl-capi-null-handles 2>&1 | FileCheck %s
// The C API contract on null handles and invalid arguments: every function
// returns its documented sentinel (null, 0, false, failure) and nothing
// crashes.
#include <stdio.h>
#include <string.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

#include "tl-c/Attributes.h"
#include "tl-c/Compile.h"
#include "tl-c/Dialect.h"
#include "tl-c/EmitC.h"
#include "tl-c/Ops.h"
#include "tl-c/Passes.h"
#include "tl-c/Source.h"

static void sink(MlirStringRef s, void *ud) {
  (void)ud;
  printf("  reported: %.*s\n", (int)s.length, s.data);
}

static void testDialect(void) {
  MlirContext ctx = {NULL};
  printf("dialect: load %d loaded %d\n",
         mlirLogicalResultIsSuccess(tlContextLoadDialect(ctx)),
         tlContextIsDialectLoaded(ctx));
  // CHECK-LABEL: dialect: load 0 loaded 0
}

static void testAttributes(void) {
  MlirContext ctx = {NULL};
  MlirType t = {NULL};
  MlirAttribute a = {NULL};
  MlirAffineMap m = {NULL};
  printf("attributes: scope %d region %d/%d fragment %d/%d layout %d/%d map %d "
         "threads %lld replicate %lld\n",
         (int)tlMemRefTypeGetScope(t), mlirTypeIsNull(tlBufferRegionTypeGet(ctx)),
         tlTypeIsABufferRegion(t), mlirAttributeIsNull(tlFragmentAttrGet(ctx)),
         tlAttributeIsAFragment(a),
         mlirAttributeIsNull(tlFragmentLayoutAttrGet(m, 128, 1)),
         tlAttributeIsAFragmentLayout(a),
         mlirAffineMapIsNull(tlFragmentLayoutAttrGetMap(a)),
         (long long)tlFragmentLayoutAttrGetThreads(a),
         (long long)tlFragmentLayoutAttrGetReplicate(a));
  // CHECK-LABEL: attributes: scope -1 region 1/0 fragment 1/0 layout 1/0 map 1 threads 0 replicate 0
  printf("scope name: %s\n", tlScopeGetName((TlScope)42));
  // CHECK: scope name: invalid
}

static void testOps(void) {
  MlirLocation loc = {NULL};
  MlirValue v = {NULL};
  MlirOperation op = {NULL};
  int64_t ext[1] = {4};
  TlIm2ColParams params;
  memset(&params, 0, sizeof params);
  printf("builders: region %d copy %d im2col %d im2col-null-params %d\n",
         mlirOperationIsNull(tlRegionOpCreate(loc, v, 1, &v, TlAccessRead, 1, ext)),
         mlirOperationIsNull(tlCopyOpCreate(loc, v, v, NULL)),
         mlirOperationIsNull(tlIm2ColOpCreate(loc, v, v, v, v, &params)),
         mlirOperationIsNull(tlIm2ColOpCreate(loc, v, v, v, v, NULL)));
  // CHECK-LABEL: builders: region 1 copy 1 im2col 1 im2col-null-params 1
  TlCopyOptions o = tlCopyOpGetOptions(op);
  printf("inspectors: isa %d%d%d buffer %d indices %ld index %d access %d "
         "extents %d/%ld/%lld result %d src %d dst %d options %lld/%d/%d "
         "img %d params %d\n",
         tlOperationIsARegion(op), tlOperationIsACopy(op),
         tlOperationIsAIm2Col(op), mlirValueIsNull(tlRegionOpGetBuffer(op)),
         (long)tlRegionOpGetNumIndices(op),
         mlirValueIsNull(tlRegionOpGetIndex(op, 0)),
         (int)tlRegionOpGetAccess(op), tlRegionOpHasExtents(op),
         (long)tlRegionOpGetNumExtents(op),
         (long long)tlRegionOpGetExtent(op, 0),
         mlirValueIsNull(tlRegionOpGetResult(op)),
         mlirValueIsNull(tlCopyOpGetSource(op)),
         mlirValueIsNull(tlCopyOpGetDestination(op)),
         (long long)o.coalescedWidth, o.disableTma, (int)o.evictionPolicy,
         mlirValueIsNull(tlIm2ColOpGetImage(op)),
         tlIm2ColOpGetParams(op, &params));
  // CHECK: inspectors: isa 000 buffer 1 indices 0 index 1 access 0 extents 0/0/0 result 1 src 1 dst 1 options 0/0/0 img 1 params 0
  printf("eviction name: %s\n",
         tlEvictionPolicyGetName(TlEvictionDefault) ? "set" : "null");
  // CHECK: eviction name: null
}

static void testPasses(void) {
  MlirOpPassManager pm = {NULL};
  MlirStringRef empty = mlirStringRefCreate(NULL, 0);
  MlirStringRef bad = mlirStringRefCreate(NULL, 3);
  printf("passes: lookup %d info %d\n", tlLookupPass(empty) == NULL,
         tlGetPassInfo(-1) == NULL && tlGetPassInfo(tlGetNumPasses()) == NULL);
  // CHECK-LABEL: passes: lookup 1 info 1
  printf("add %d\n", mlirLogicalResultIsSuccess(tlOpPassManagerAddPass(
                         pm, mlirStringRefCreateFromCString("tl-verify"), empty,
                         sink, NULL)));
  // CHECK-NEXT: reported: tlOpPassManagerAddPass: null pass manager or string
  // CHECK-NEXT: add 0
  printf("pipeline %d\n", mlirLogicalResultIsSuccess(tlOpPassManagerAddPipeline(
                              pm, mlirStringRefCreateFromCString("tl-verify"),
                              sink, NULL)));
  // CHECK-NEXT: reported: tlOpPassManagerAddPipeline: null pass manager or text
  // CHECK-NEXT: pipeline 0
  printf("parse %d\n", mlirLogicalResultIsSuccess(
                           tlParsePassPipeline(pm, bad, NULL, NULL)));
  // CHECK-NEXT: parse 0
}

static void testCompile(void) {
  MlirOperation op = {NULL};
  TlBinaryFormat f = TlBinaryFormatPTX;
  TlKernelInfo k;
  TlParamInfo p;
  /* Separate statements: argument evaluation order is unspecified. */
  long objectLength = (long)tlBinaryGetObject(op, &f).length;
  printf("compile: run %d binaries %ld binary %d name %ld object %ld/%d "
         "kernels %ld kernel %d param %d\n",
         mlirLogicalResultIsSuccess(tlCompileModule(op, NULL)),
         (long)tlModuleGetNumBinaries(op),
         mlirOperationIsNull(tlModuleGetBinary(op, 0)),
         (long)tlBinaryGetName(op).length, objectLength, (int)f, (long)tlBinaryGetNumKernels(op), tlBinaryGetKernel(op, 0, &k),
         tlBinaryGetKernelParam(op, 0, 0, &p));
  // CHECK-LABEL: compile: run 0 binaries 0 binary 1 name 0 object 0/0 kernels 0 kernel 0 param 0
  printf("emit C: %d\n",
         mlirLogicalResultIsSuccess(tlEmitC(op, mlirStringRefCreate("k.h", 3),
                                            sink, NULL, sink, NULL)));
  // CHECK-NEXT: emit C: 0
  MlirContext ctx = {NULL};
  printf("source check: %d\n",
         mlirLogicalResultIsSuccess(tlCheckSourceForParserCrashes(
             ctx, mlirStringRefCreate("x", 1), mlirStringRefCreate("f", 1))));
  // CHECK-NEXT: source check: 0
}

int main(void) {
  testDialect();
  testAttributes();
  testOps();
  testPasses();
  testCompile();
  return 0;
}
