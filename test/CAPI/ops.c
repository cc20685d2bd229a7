// RUN: tl-capi-ops 2>&1 | FileCheck %s
// Building and inspecting tl.region, tl.copy, tl.copy_async, tl.wait and
// tl.c2d_im2col through the C API: the generic form they print in, parsing
// it back, the inspectors (also on other ops), and the errors of the
// builders.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>

#include "tl-c/Attributes.h"
#include "tl-c/Dialect.h"
#include "tl-c/Ops.h"

#include "ops-fixture.h"

static void testBuildPrintParse(void) {
  printf("testBuildPrintParse\n");
  // CHECK-LABEL: testBuildPrintParse
  Fixture f;
  setUp(&f);
  MlirValue ij[2] = {arg(&f, ArgI), arg(&f, ArgJ)};

  // A BufferRegion (with extents) and a BufferLoad (without).
  int64_t extents[2] = {64, 64};
  MlirOperation region = tlRegionOpCreate(f.loc, arg(&f, ArgA), 2, ij,
                                          TlAccessRead, 2, extents);
  MlirOperation load =
      tlRegionOpCreate(f.loc, arg(&f, ArgA), 2, ij, TlAccessWrite, 0, NULL);
  // Zero extents given explicitly: an empty array, not a BufferLoad.
  MlirOperation empty = tlRegionOpCreate(f.loc, arg(&f, ArgA), 0, NULL,
                                         TlAccessReadWrite, 0, extents);
  printf("built: %d %d %d\n", !mlirOperationIsNull(region),
         !mlirOperationIsNull(load), !mlirOperationIsNull(empty));
  // CHECK: built: 1 1 1
  insert(&f, region);
  insert(&f, load);
  insert(&f, empty);

  printf("region: is %d buffer %d indices %ld (%d %d) idx2 %d access %d "
         "extents %d %ld [%lld %lld] ext9 %lld result-region %d\n",
         tlOperationIsARegion(region), argNo(&f, tlRegionOpGetBuffer(region)),
         (long)tlRegionOpGetNumIndices(region),
         argNo(&f, tlRegionOpGetIndex(region, 0)),
         argNo(&f, tlRegionOpGetIndex(region, 1)),
         argNo(&f, tlRegionOpGetIndex(region, 2)),
         (int)tlRegionOpGetAccess(region), tlRegionOpHasExtents(region),
         (long)tlRegionOpGetNumExtents(region),
         (long long)tlRegionOpGetExtent(region, 0),
         (long long)tlRegionOpGetExtent(region, 1),
         (long long)tlRegionOpGetExtent(region, 9),
         tlTypeIsABufferRegion(mlirValueGetType(tlRegionOpGetResult(region))));
  // CHECK: region: is 1 buffer 0 indices 2 (2 3) idx2 -1 access 1 extents 1 2 [64 64] ext9 0 result-region 1
  printf("load: access %d extents %d %ld ext0 %lld\n",
         (int)tlRegionOpGetAccess(load), tlRegionOpHasExtents(load),
         (long)tlRegionOpGetNumExtents(load),
         (long long)tlRegionOpGetExtent(load, 0));
  // CHECK: load: access 2 extents 0 0 ext0 0
  printf("empty: indices %ld access %d extents %d %ld\n",
         (long)tlRegionOpGetNumIndices(empty), (int)tlRegionOpGetAccess(empty),
         tlRegionOpHasExtents(empty), (long)tlRegionOpGetNumExtents(empty));
  // CHECK: empty: indices 0 access 3 extents 1 0

  // Copies: no options; every option; only some.
  MlirValue r = tlRegionOpGetResult(region);
  MlirValue w = tlRegionOpGetResult(load);
  MlirOperation plain = tlCopyOpCreate(f.loc, r, arg(&f, ArgS), NULL);
  TlCopyOptions all = tlCopyOptionsGetDefault();
  all.coalescedWidth = 4;
  all.disableTma = true;
  all.evictionPolicy = TlEvictLast;
  all.loopLayout = makeLayout(f.ctx);
  all.annotations = parseAttr(f.ctx, "{coalesced_width = 2 : i64}");
  MlirOperation full = tlCopyOpCreate(f.loc, arg(&f, ArgS), w, &all);
  TlCopyOptions some = tlCopyOptionsGetDefault();
  some.evictionPolicy = TlEvictFirst;
  MlirOperation partial = tlCopyOpCreate(f.loc, arg(&f, ArgA), arg(&f, ArgS), &some);
  printf("copies built: %d %d %d\n", !mlirOperationIsNull(plain),
         !mlirOperationIsNull(full), !mlirOperationIsNull(partial));
  // CHECK: copies built: 1 1 1
  insert(&f, plain);
  insert(&f, full);
  insert(&f, partial);

  printf("plain: is %d src-is-region %d dst %d\n", tlOperationIsACopy(plain),
         mlirValueEqual(tlCopyOpGetSource(plain), r),
         argNo(&f, tlCopyOpGetDestination(plain)));
  // CHECK: plain: is 1 src-is-region 1 dst 1
  TlCopyOptions o = tlCopyOpGetOptions(plain);
  printf("plain options: %lld %d %d %d %d\n", (long long)o.coalescedWidth,
         o.disableTma, (int)o.evictionPolicy,
         mlirAttributeIsNull(o.loopLayout), mlirAttributeIsNull(o.annotations));
  // CHECK: plain options: 0 0 0 1 1
  o = tlCopyOpGetOptions(full);
  // The annotation coalesced_width = 2 overrides the named 4.
  printf("full options: width %lld tma-off %d policy %s layout-same %d "
         "annotations-same %d\n",
         (long long)o.coalescedWidth, o.disableTma,
         tlEvictionPolicyGetName(o.evictionPolicy),
         mlirAttributeEqual(o.loopLayout, all.loopLayout),
         mlirAttributeEqual(o.annotations, all.annotations));
  // CHECK: full options: width 2 tma-off 1 policy evict_last layout-same 1 annotations-same 1
  o = tlCopyOpGetOptions(partial);
  printf("partial options: %lld %d %s\n", (long long)o.coalescedWidth,
         o.disableTma, tlEvictionPolicyGetName(o.evictionPolicy));
  // CHECK: partial options: 0 0 evict_first

  // im2col: square parameters are i64, non-square ones array<i64: h, w>.
  TlIm2ColParams sq = {{3, 3}, {1, 1}, {1, 1}, {1, 1}, TlEvictionDefault};
  MlirOperation square =
      tlIm2ColOpCreate(f.loc, arg(&f, ArgImg), arg(&f, ArgCol), arg(&f, ArgI),
                       arg(&f, ArgJ), &sq);
  MlirValue ij0[2] = {arg(&f, ArgI), arg(&f, ArgJ)};
  int64_t colExt[2] = {64, 64};
  MlirOperation colRegion = tlRegionOpCreate(f.loc, arg(&f, ArgCol), 2, ij0,
                                             TlAccessWrite, 2, colExt);
  insert(&f, square);
  insert(&f, colRegion);
  TlIm2ColParams rect = {{3, 5}, {2, 1}, {1, 1}, {1, 2}, TlEvictFirst};
  MlirOperation nonSquare = tlIm2ColOpCreate(
      f.loc, arg(&f, ArgImg), tlRegionOpGetResult(colRegion), arg(&f, ArgJ),
      arg(&f, ArgI), &rect);
  insert(&f, nonSquare);

  TlIm2ColParams p;
  bool ok = tlIm2ColOpGetParams(square, &p);
  printf("square: is %d ok %d k %lld,%lld s %lld,%lld d %lld,%lld p %lld,%lld "
         "ev %d img %d col %d nhw %d c %d\n",
         tlOperationIsAIm2Col(square), ok, (long long)p.kernel.h,
         (long long)p.kernel.w, (long long)p.stride.h, (long long)p.stride.w,
         (long long)p.dilation.h, (long long)p.dilation.w, (long long)p.pad.h,
         (long long)p.pad.w, (int)p.evictionPolicy,
         argNo(&f, tlIm2ColOpGetImage(square)),
         argNo(&f, tlIm2ColOpGetColumn(square)),
         argNo(&f, tlIm2ColOpGetNHWStep(square)),
         argNo(&f, tlIm2ColOpGetCStep(square)));
  // CHECK: square: is 1 ok 1 k 3,3 s 1,1 d 1,1 p 1,1 ev 0 img 5 col 6 nhw 2 c 3
  ok = tlIm2ColOpGetParams(nonSquare, &p);
  printf("non-square: ok %d k %lld,%lld s %lld,%lld d %lld,%lld p %lld,%lld "
         "ev %s col-is-region %d nhw %d c %d\n",
         ok, (long long)p.kernel.h, (long long)p.kernel.w,
         (long long)p.stride.h, (long long)p.stride.w, (long long)p.dilation.h,
         (long long)p.dilation.w, (long long)p.pad.h, (long long)p.pad.w,
         tlEvictionPolicyGetName(p.evictionPolicy),
         mlirValueEqual(tlIm2ColOpGetColumn(nonSquare),
                        tlRegionOpGetResult(colRegion)),
         argNo(&f, tlIm2ColOpGetNHWStep(nonSquare)),
         argNo(&f, tlIm2ColOpGetCStep(nonSquare)));
  // CHECK: non-square: ok 1 k 3,5 s 2,1 d 1,1 p 1,2 ev evict_first col-is-region 1 nhw 3 c 2

  MlirOperation moduleOp = mlirModuleGetOperation(f.module);
  printf("verifies: %d\n", mlirOperationVerify(moduleOp));
  // CHECK: verifies: 1
  char *text = printOp(moduleOp);
  printf("%s\n", text);
  // CHECK: #map = affine_map<(d0, d1) -> ((d0 * 16 + d1 floordiv 4) mod 128, d1 mod 4)>
  // CHECK: func.func @k(%arg0: memref<512x512xf32>, %arg1: memref<64x64xf32, #gpu.address_space<workgroup>>, %arg2: index, %arg3: index, %arg4: i32, %arg5: memref<2x32x32x16xf16>, %arg6: memref<64x144xf16, #gpu.address_space<workgroup>>) {
  // CHECK-NEXT: %0 = "tl.region"(%arg0, %arg2, %arg3) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
  // CHECK-NEXT: %1 = "tl.region"(%arg0, %arg2, %arg3) {access = 2 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
  // CHECK-NEXT: %2 = "tl.region"(%arg0) {access = 3 : i32, extents = array<i64>} : (memref<512x512xf32>) -> !tl.buffer_region
  // CHECK-NEXT: "tl.copy"(%0, %arg1) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
  // CHECK-NEXT: "tl.copy"(%arg1, %1) {annotations = {coalesced_width = 2 : i64}, coalesced_width = 4 : i64, disable_tma, eviction_policy = "evict_last", loop_layout = #tl.fragment_layout<#map, 128 : i64, 1 : i64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
  // CHECK-NEXT: "tl.copy"(%arg0, %arg1) {eviction_policy = "evict_first"} : (memref<512x512xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
  // CHECK-NEXT: "tl.c2d_im2col"(%arg5, %arg6, %arg2, %arg3) {dilation = 1 : i64, kernel = 3 : i64, pad = 1 : i64, stride = 1 : i64} : (memref<2x32x32x16xf16>, memref<64x144xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  // CHECK-NEXT: %3 = "tl.region"(%arg6, %arg2, %arg3) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x144xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  // CHECK-NEXT: "tl.c2d_im2col"(%arg5, %3, %arg3, %arg2) {dilation = 1 : i64, eviction_policy = "evict_first", kernel = array<i64: 3, 5>, pad = array<i64: 1, 2>, stride = array<i64: 2, 1>} : (memref<2x32x32x16xf16>, !tl.buffer_region, index, index) -> ()
  // CHECK-NEXT: return
  // CHECK-NEXT: }

  // The printed text parses back (IRDL verifies it) and prints the same.
  MlirModule again = mlirModuleCreateParse(f.ctx, mlirStringRefCreateFromCString(text));
  printf("reparsed: %d\n", !mlirModuleIsNull(again));
  // CHECK: reparsed: 1
  if (!mlirModuleIsNull(again)) {
    char *text2 = printOp(mlirModuleGetOperation(again));
    printf("same text: %d\n", strcmp(text, text2) == 0);
    // CHECK: same text: 1

    // The inspectors read the parsed ops as they read the built ones.
    MlirOperation func = mlirBlockGetFirstOperation(mlirModuleGetBody(again));
    MlirBlock b = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
    int counts[3] = {0, 0, 0};
    for (MlirOperation op = mlirBlockGetFirstOperation(b);
         !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
      counts[0] += tlOperationIsARegion(op);
      counts[1] += tlOperationIsACopy(op);
      counts[2] += tlOperationIsAIm2Col(op);
      if (tlOperationIsACopy(op) && tlCopyOpGetOptions(op).disableTma)
        printf("parsed full copy: width %lld layout-threads %lld\n",
               (long long)tlCopyOpGetOptions(op).coalescedWidth,
               (long long)tlFragmentLayoutAttrGetThreads(
                   tlCopyOpGetOptions(op).loopLayout));
      // CHECK: parsed full copy: width 2 layout-threads 128
    }
    printf("parsed: %d regions %d copies %d im2col\n", counts[0], counts[1],
           counts[2]);
    // CHECK: parsed: 4 regions 3 copies 2 im2col
    free(text2);
    mlirModuleDestroy(again);
  }
  free(text);
  printf("diagnostics: %d\n", f.diags);
  // CHECK: diagnostics: 0
  tearDown(&f);
}

//===--------------------------------------------------------------------===//
// Options: annotations override the named attributes; wrong kinds
//===--------------------------------------------------------------------===//

static const char *kOptions =
    "func.func @o(%A: memref<64xf32>, %B: memref<64xf32>) {\n"
    // 0: bool disable_tma
    "  \"tl.copy\"(%A, %B) {disable_tma = true} : (memref<64xf32>, memref<64xf32>) -> ()\n"
    // 1: bool false
    "  \"tl.copy\"(%A, %B) {disable_tma = false} : (memref<64xf32>, memref<64xf32>) -> ()\n"
    // 2: annotations override unit disable_tma / eviction / width
    "  \"tl.copy\"(%A, %B) {disable_tma, eviction_policy = \"evict_last\", "
    "coalesced_width = 8 : i64, annotations = {disable_tma = false, "
    "eviction_policy = \"evict_first\", coalesced_width = 2 : i64}} : "
    "(memref<64xf32>, memref<64xf32>) -> ()\n"
    // 3: options only in annotations (unit, and unrelated keys ignored)
    "  \"tl.copy\"(%A, %B) {annotations = {disable_tma, coalesced_width = 16 "
    ": i64, pad_value = 0.0 : f32}} : (memref<64xf32>, memref<64xf32>) -> ()\n"
    // 4: wrong kinds read as unset; an unknown policy reads as invalid
    "  \"tl.copy\"(%A, %B) {coalesced_width = \"four\", disable_tma = 1 : i32, "
    "eviction_policy = \"evict_sometimes\", loop_layout = 3 : i64} : "
    "(memref<64xf32>, memref<64xf32>) -> ()\n"
    // 5: an annotation of the wrong kind overrides to unset
    "  \"tl.copy\"(%A, %B) {coalesced_width = 8 : i64, eviction_policy = "
    "\"evict_last\", annotations = {coalesced_width = \"x\", eviction_policy "
    "= 2 : i64}} : (memref<64xf32>, memref<64xf32>) -> ()\n"
    // 6: annotations that are not a dictionary are ignored
    "  \"tl.copy\"(%A, %B) {coalesced_width = 4 : i32, annotations = [1]} : "
    "(memref<64xf32>, memref<64xf32>) -> ()\n"
    "  return\n"
    "}\n";

static void testOptions(void) {
  printf("testOptions\n");
  // CHECK-LABEL: testOptions
  MlirContext ctx = tlContextCreate();
  MlirModule m = mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kOptions));
  printf("parsed: %d\n", !mlirModuleIsNull(m));
  // CHECK: parsed: 1
  MlirOperation func = mlirBlockGetFirstOperation(mlirModuleGetBody(m));
  MlirBlock b = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  int i = 0;
  for (MlirOperation op = mlirBlockGetFirstOperation(b);
       tlOperationIsACopy(op); op = mlirOperationGetNextInBlock(op), ++i) {
    TlCopyOptions o = tlCopyOpGetOptions(op);
    printf("copy %d: width %lld tma-off %d policy %d layout %d annotations %d\n",
           i, (long long)o.coalescedWidth, o.disableTma, (int)o.evictionPolicy,
           !mlirAttributeIsNull(o.loopLayout),
           !mlirAttributeIsNull(o.annotations));
  }
  // CHECK: copy 0: width 0 tma-off 1 policy 0 layout 0 annotations 0
  // CHECK: copy 1: width 0 tma-off 0 policy 0 layout 0 annotations 0
  // CHECK: copy 2: width 2 tma-off 0 policy 2 layout 0 annotations 1
  // CHECK: copy 3: width 16 tma-off 1 policy 0 layout 0 annotations 1
  // CHECK: copy 4: width 0 tma-off 0 policy -1 layout 0 annotations 0
  // CHECK: copy 5: width 0 tma-off 0 policy 0 layout 0 annotations 1
  // CHECK: copy 6: width 4 tma-off 0 policy 0 layout 0 annotations 0
  mlirModuleDestroy(m);
  mlirContextDestroy(ctx);
}

static const char *kIm2ColForms =
    "func.func @i(%img: memref<1x8x8x4xf32>, %col: memref<16x36xf32>, %s: index) {\n"
    // 0: mixed forms
    "  \"tl.c2d_im2col\"(%img, %col, %s, %s) {kernel = array<i64: 3, 3>, "
    "stride = 2 : i64, dilation = 1 : i32, pad = array<i64: 0, 1>, "
    "eviction_policy = \"evict_normal\"} : (memref<1x8x8x4xf32>, "
    "memref<16x36xf32>, index, index) -> ()\n"
    // 1: wrong kinds: a string, a 3-element array, a float
    "  \"tl.c2d_im2col\"(%img, %col, %s, %s) {kernel = \"3\", stride = "
    "array<i64: 1, 1, 1>, dilation = 1.0 : f32, pad = 0 : i64} : "
    "(memref<1x8x8x4xf32>, memref<16x36xf32>, index, index) -> ()\n"
    // 2: an unknown eviction policy
    "  \"tl.c2d_im2col\"(%img, %col, %s, %s) {kernel = 3 : i64, stride = 1 : "
    "i64, dilation = 1 : i64, pad = 1 : i64, eviction_policy = \"keep\"} : "
    "(memref<1x8x8x4xf32>, memref<16x36xf32>, index, index) -> ()\n"
    "  return\n"
    "}\n";

static void testIm2ColForms(void) {
  printf("testIm2ColForms\n");
  // CHECK-LABEL: testIm2ColForms
  MlirContext ctx = tlContextCreate();
  MlirModule m =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kIm2ColForms));
  printf("parsed: %d\n", !mlirModuleIsNull(m));
  // CHECK: parsed: 1
  MlirOperation func = mlirBlockGetFirstOperation(mlirModuleGetBody(m));
  MlirBlock b = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  int i = 0;
  for (MlirOperation op = mlirBlockGetFirstOperation(b);
       tlOperationIsAIm2Col(op); op = mlirOperationGetNextInBlock(op), ++i) {
    TlIm2ColParams p;
    bool ok = tlIm2ColOpGetParams(op, &p);
    printf("im2col %d: ok %d k %lld,%lld s %lld,%lld d %lld,%lld p %lld,%lld "
           "ev %d\n",
           i, ok, (long long)p.kernel.h, (long long)p.kernel.w,
           (long long)p.stride.h, (long long)p.stride.w,
           (long long)p.dilation.h, (long long)p.dilation.w,
           (long long)p.pad.h, (long long)p.pad.w, (int)p.evictionPolicy);
  }
  // CHECK: im2col 0: ok 1 k 3,3 s 2,2 d 1,1 p 0,1 ev 1
  // CHECK: im2col 1: ok 0 k 0,0 s 0,0 d 0,0 p 0,0 ev 0
  // CHECK: im2col 2: ok 0 k 3,3 s 1,1 d 1,1 p 1,1 ev -1
  mlirModuleDestroy(m);
  mlirContextDestroy(ctx);
}

//===--------------------------------------------------------------------===//
// Inspectors on other ops and on null
//===--------------------------------------------------------------------===//

static void testInspectorsOnOtherOps(void) {
  printf("testInspectorsOnOtherOps\n");
  // CHECK-LABEL: testInspectorsOnOtherOps
  Fixture f;
  setUp(&f);
  MlirOperation ops[2] = {f.ret, {NULL}};
  const char *names[2] = {"func.return", "null"};
  // A copy-like op that is not a tl.copy: same operands and attributes.
  for (int i = 0; i < 2; ++i) {
    MlirOperation op = ops[i];
    TlCopyOptions o = tlCopyOpGetOptions(op);
    TlIm2ColParams p = {{7, 7}, {7, 7}, {7, 7}, {7, 7}, TlEvictLast};
    bool ok = tlIm2ColOpGetParams(op, &p);
    printf("%s: is %d%d%d region %d %ld %d %d %d %ld %lld %d copy %d %d "
           "options %lld %d %d %d %d im2col %d %d %d %d params %d %lld %lld %d\n",
           names[i], tlOperationIsARegion(op), tlOperationIsACopy(op),
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
           mlirAttributeIsNull(o.loopLayout), mlirAttributeIsNull(o.annotations),
           mlirValueIsNull(tlIm2ColOpGetImage(op)),
           mlirValueIsNull(tlIm2ColOpGetColumn(op)),
           mlirValueIsNull(tlIm2ColOpGetNHWStep(op)),
           mlirValueIsNull(tlIm2ColOpGetCStep(op)), ok,
           (long long)p.kernel.h, (long long)p.pad.w, (int)p.evictionPolicy);
  }
  // CHECK: func.return: is 000 region 1 0 1 0 0 0 0 1 copy 1 1 options 0 0 0 1 1 im2col 1 1 1 1 params 0 0 0 0
  // CHECK: null: is 000 region 1 0 1 0 0 0 0 1 copy 1 1 options 0 0 0 1 1 im2col 1 1 1 1 params 0 0 0 0

  // An op of another dialect that carries tl's attribute names is not a tl
  // op: its attributes are not read.
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("arith.constant"), f.loc);
  MlirNamedAttribute attrs[2] = {
      mlirNamedAttributeGet(
          mlirIdentifierGet(f.ctx, mlirStringRefCreateFromCString("value")),
          parseAttr(f.ctx, "1 : index")),
      mlirNamedAttributeGet(
          mlirIdentifierGet(f.ctx, mlirStringRefCreateFromCString("access")),
          parseAttr(f.ctx, "1 : i32"))};
  mlirOperationStateAddAttributes(&st, 2, attrs);
  MlirType index = mlirIndexTypeGet(f.ctx);
  mlirOperationStateAddResults(&st, 1, &index);
  MlirOperation cst = mlirOperationCreate(&st);
  printf("arith.constant with access: %d\n", (int)tlRegionOpGetAccess(cst));
  // CHECK: arith.constant with access: 0
  mlirOperationDestroy(cst);
  printf("params(NULL): %d\n", tlIm2ColOpGetParams(f.ret, NULL));
  // CHECK: params(NULL): 0
  tearDown(&f);
}

//===--------------------------------------------------------------------===//
// Builder errors: null op + an error at the location
//===--------------------------------------------------------------------===//

static void testBuilderErrors(void) {
  printf("testBuilderErrors\n");
  // CHECK-LABEL: testBuilderErrors
  Fixture f;
  setUp(&f);
  MlirValue A = arg(&f, ArgA), S = arg(&f, ArgS), I = arg(&f, ArgI),
            X = arg(&f, ArgX), img = arg(&f, ArgImg), col = arg(&f, ArgCol);
  MlirValue none = {NULL};
  MlirValue iX[2] = {I, X};
  MlirValue iNone[2] = {I, none};

  // tl.region
  report(&f, "region(index buffer)",
         tlRegionOpCreate(f.loc, I, 0, NULL, TlAccessRead, 0, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.region: buffer must be a memref value, got 'index'
  // CHECK-NEXT: region(index buffer) -> null
  report(&f, "region(null buffer)",
         tlRegionOpCreate(f.loc, none, 0, NULL, TlAccessRead, 0, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.region: buffer is a null value
  // CHECK-NEXT: region(null buffer) -> null
  report(&f, "region(i32 index)",
         tlRegionOpCreate(f.loc, A, 2, iX, TlAccessRead, 0, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.region: index #1 must be an index value, got 'i32'
  // CHECK-NEXT: region(i32 index) -> null
  report(&f, "region(null index)",
         tlRegionOpCreate(f.loc, A, 2, iNone, TlAccessRead, 0, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.region: index #1 is a null value
  // CHECK-NEXT: region(null index) -> null
  report(&f, "region(indices missing)",
         tlRegionOpCreate(f.loc, A, 2, NULL, TlAccessRead, 0, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.region: invalid index list (2 indices, no array)
  // CHECK-NEXT: region(indices missing) -> null
  int64_t ext[1] = {4};
  report(&f, "region(negative extents)",
         tlRegionOpCreate(f.loc, A, 0, NULL, TlAccessRead, -1, ext));
  // CHECK: diag error: loc("ops.c":1:2): tl.region: negative number of extents (-1)
  // CHECK-NEXT: region(negative extents) -> null

  // tl.copy
  report(&f, "copy(i32 src)", tlCopyOpCreate(f.loc, X, S, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.copy: source must be a memref or a !tl.buffer_region value, got 'i32'
  // CHECK-NEXT: copy(i32 src) -> null
  report(&f, "copy(index dst)", tlCopyOpCreate(f.loc, A, I, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.copy: destination must be a memref or a !tl.buffer_region value, got 'index'
  // CHECK-NEXT: copy(index dst) -> null
  report(&f, "copy(null dst)", tlCopyOpCreate(f.loc, A, none, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.copy: destination is a null value
  // CHECK-NEXT: copy(null dst) -> null
  TlCopyOptions bad = tlCopyOptionsGetDefault();
  bad.evictionPolicy = TlEvictionInvalid;
  report(&f, "copy(invalid policy)", tlCopyOpCreate(f.loc, A, S, &bad));
  // CHECK: diag error: loc("ops.c":1:2): tl.copy: invalid eviction policy -1
  // CHECK-NEXT: copy(invalid policy) -> null
  bad = tlCopyOptionsGetDefault();
  bad.annotations = parseAttr(f.ctx, "[1, 2]");
  report(&f, "copy(array annotations)", tlCopyOpCreate(f.loc, A, S, &bad));
  // CHECK: diag error: loc("ops.c":1:2): tl.copy: annotations must be a dictionary attribute, got [1, 2]
  // CHECK-NEXT: copy(array annotations) -> null

  // tl.c2d_im2col
  TlIm2ColParams p = {{3, 3}, {1, 1}, {1, 1}, {1, 1}, TlEvictionDefault};
  report(&f, "im2col(no params)", tlIm2ColOpCreate(f.loc, img, col, I, I, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.c2d_im2col: no parameters given
  // CHECK-NEXT: im2col(no params) -> null
  MlirOperation region =
      tlRegionOpCreate(f.loc, img, 0, NULL, TlAccessRead, 0, NULL);
  insert(&f, region);
  report(&f, "im2col(region img)",
         tlIm2ColOpCreate(f.loc, tlRegionOpGetResult(region), col, I, I, &p));
  // CHECK: diag error: loc("ops.c":1:2): tl.c2d_im2col: image must be a memref value, got '!tl.buffer_region'
  // CHECK-NEXT: im2col(region img) -> null
  report(&f, "im2col(index col)", tlIm2ColOpCreate(f.loc, img, I, I, I, &p));
  // CHECK: diag error: loc("ops.c":1:2): tl.c2d_im2col: column must be a memref or a !tl.buffer_region value, got 'index'
  // CHECK-NEXT: im2col(index col) -> null
  report(&f, "im2col(i32 nhw)", tlIm2ColOpCreate(f.loc, img, col, X, I, &p));
  // CHECK: diag error: loc("ops.c":1:2): tl.c2d_im2col: nhw_step must be an index value, got 'i32'
  // CHECK-NEXT: im2col(i32 nhw) -> null
  report(&f, "im2col(memref c)", tlIm2ColOpCreate(f.loc, img, col, I, A, &p));
  // CHECK: diag error: loc("ops.c":1:2): tl.c2d_im2col: c_step must be an index value, got 'memref<512x512xf32>'
  // CHECK-NEXT: im2col(memref c) -> null
  p.evictionPolicy = (TlEvictionPolicy)7;
  report(&f, "im2col(policy 7)", tlIm2ColOpCreate(f.loc, img, col, I, I, &p));
  // CHECK: diag error: loc("ops.c":1:2): tl.c2d_im2col: invalid eviction policy 7
  // CHECK-NEXT: im2col(policy 7) -> null

  // A null location: nothing to report at, a null op and no diagnostic.
  int before = f.diags;
  MlirLocation noLoc = {NULL};
  report(&f, "region(null loc)",
         tlRegionOpCreate(noLoc, A, 0, NULL, TlAccessRead, 0, NULL));
  // CHECK: region(null loc) -> null
  printf("diagnostics for the null location: %d\n", f.diags - before);
  // CHECK: diagnostics for the null location: 0

  // Operands from another context.
  Fixture g;
  setUp(&g);
  report(&f, "copy(foreign src)", tlCopyOpCreate(f.loc, arg(&g, ArgA), S, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.copy: source belongs to another context
  // CHECK-NEXT: copy(foreign src) -> null
  bad = tlCopyOptionsGetDefault();
  bad.loopLayout = makeLayout(g.ctx);
  report(&f, "copy(foreign layout)", tlCopyOpCreate(f.loc, A, S, &bad));
  // CHECK: diag error: loc("ops.c":1:2): tl.copy: loop_layout belongs to another context
  // CHECK-NEXT: copy(foreign layout) -> null
  tearDown(&g);

  printf("module still verifies: %d\n",
         mlirOperationVerify(mlirModuleGetOperation(f.module)));
  // CHECK: module still verifies: 1
  tearDown(&f);
}

static void testNotLoaded(void) {
  printf("testNotLoaded\n");
  // CHECK-LABEL: testNotLoaded
  // A context without tl (builtin types only): builders refuse.
  MlirContext ctx = mlirContextCreate();
  int diags = 0;
  mlirContextAttachDiagnosticHandler(ctx, diagHandler, &diags, NULL);
  MlirType memref = mlirMemRefTypeContiguousGet(
      mlirF32TypeGet(ctx), 1, (int64_t[]){8}, mlirAttributeGetNull());
  MlirBlock block = mlirBlockCreate(1, &memref,
                                    (MlirLocation[]){mlirLocationUnknownGet(ctx)});
  MlirValue buf = mlirBlockGetArgument(block, 0);
  MlirLocation loc = mlirLocationNameGet(
      ctx, mlirStringRefCreateFromCString("here"), mlirLocationUnknownGet(ctx));
  report(NULL, "region(no tl)",
         tlRegionOpCreate(loc, buf, 0, NULL, TlAccessRead, 0, NULL));
  // CHECK: diag error: loc("here"): tl.region: the tl dialect is not loaded in this context
  // CHECK-NEXT: region(no tl) -> null
  report(NULL, "copy(no tl)", tlCopyOpCreate(loc, buf, buf, NULL));
  // CHECK: diag error: loc("here"): tl.copy: the tl dialect is not loaded in this context
  // CHECK-NEXT: copy(no tl) -> null
  TlIm2ColParams p = {{1, 1}, {1, 1}, {1, 1}, {0, 0}, TlEvictionDefault};
  report(NULL, "im2col(no tl)", tlIm2ColOpCreate(loc, buf, buf, buf, buf, &p));
  // CHECK: diag error: loc("here"): tl.c2d_im2col: the tl dialect is not loaded in this context
  // CHECK-NEXT: im2col(no tl) -> null
  printf("diagnostics: %d\n", diags);
  // CHECK: diagnostics: 3
  mlirBlockDestroy(block);
  mlirContextDestroy(ctx);
}

static void testEvictionNames(void) {
  printf("testEvictionNames\n");
  // CHECK-LABEL: testEvictionNames
  for (int p = -2; p <= 4; ++p) {
    const char *name = tlEvictionPolicyGetName((TlEvictionPolicy)p);
    printf("%d:%s ", p, name ? name : "NULL");
  }
  printf("\n");
  // CHECK: -2:NULL -1:NULL 0:NULL 1:evict_normal 2:evict_first 3:evict_last 4:NULL
  TlCopyOptions d = tlCopyOptionsGetDefault();
  printf("defaults: %lld %d %d %d %d\n", (long long)d.coalescedWidth,
         d.disableTma, (int)d.evictionPolicy, mlirAttributeIsNull(d.loopLayout),
         mlirAttributeIsNull(d.annotations));
  // CHECK: defaults: 0 0 0 1 1
}

//===--------------------------------------------------------------------===//
// tl.copy_async and tl.wait
//===--------------------------------------------------------------------===//

int main(void) {
  // Unbuffered, so that anything MLIR writes to stderr stays in order.
  setvbuf(stdout, NULL, _IONBF, 0);
  testBuildPrintParse();
  testOptions();
  testIm2ColForms();
  testInspectorsOnOtherOps();
  testBuilderErrors();
  testNotLoaded();
  testEvictionNames();
  return 0;
}
