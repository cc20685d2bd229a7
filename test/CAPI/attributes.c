// RUN: tl-capi-attributes 2>&1 | FileCheck %s
// The tl type !tl.buffer_region, the attributes #tl.fragment and
// #tl.fragment_layout, and the scope of a memref, through the C API.
#include <stdio.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/IR.h>

#include "tl-c/Attributes.h"
#include "tl-c/Dialect.h"

static void printToStdout(MlirStringRef s, void *ud) {
  (void)ud;
  fwrite(s.data, 1, s.length, stdout);
}

static void printAttr(const char *label, MlirAttribute a) {
  printf("%s: ", label);
  if (mlirAttributeIsNull(a))
    printf("<null>");
  else
    mlirAttributePrint(a, printToStdout, NULL);
  printf("\n");
}

static void printType(const char *label, MlirType t) {
  printf("%s: ", label);
  if (mlirTypeIsNull(t))
    printf("<null>");
  else
    mlirTypePrint(t, printToStdout, NULL);
  printf("\n");
}

static void printMap(const char *label, MlirAffineMap m) {
  printf("%s: ", label);
  if (mlirAffineMapIsNull(m))
    printf("<null>");
  else
    mlirAffineMapPrint(m, printToStdout, NULL);
  printf("\n");
}

static MlirAttribute parseAttr(MlirContext ctx, const char *text) {
  return mlirAttributeParseGet(ctx, mlirStringRefCreateFromCString(text));
}

static MlirType parseType(MlirContext ctx, const char *text) {
  return mlirTypeParseGet(ctx, mlirStringRefCreateFromCString(text));
}

static MlirAffineExpr cst(MlirContext ctx, int64_t v) {
  return mlirAffineConstantExprGet(ctx, v);
}

static void testFragment(MlirContext ctx) {
  printf("testFragment\n");
  // CHECK-LABEL: testFragment
  MlirAttribute frag = tlFragmentAttrGet(ctx);
  printAttr("fragment", frag);
  // CHECK: fragment: #tl.fragment
  printf("is fragment: %d, parsed equal: %d\n", tlAttributeIsAFragment(frag),
         mlirAttributeEqual(frag, parseAttr(ctx, "#tl.fragment")));
  // CHECK: is fragment: 1, parsed equal: 1
  printf("others: workgroup %d, unit %d, null %d, layout %d\n",
         tlAttributeIsAFragment(parseAttr(ctx, "#gpu.address_space<workgroup>")),
         tlAttributeIsAFragment(mlirUnitAttrGet(ctx)),
         tlAttributeIsAFragment(mlirAttributeGetNull()),
         tlAttributeIsAFragmentLayout(frag));
  // CHECK: others: workgroup 0, unit 0, null 0, layout 0
}

static void testFragmentLayout(MlirContext ctx) {
  printf("testFragmentLayout\n");
  // CHECK-LABEL: testFragmentLayout
  // (d0, d1) -> (d0 * 4 + d1 floordiv 8, d1 mod 8): 16x32 tile, 64 threads.
  MlirAffineExpr d0 = mlirAffineDimExprGet(ctx, 0);
  MlirAffineExpr d1 = mlirAffineDimExprGet(ctx, 1);
  MlirAffineExpr flat =
      mlirAffineAddExprGet(mlirAffineMulExprGet(d0, cst(ctx, 32)), d1);
  MlirAffineExpr results[2] = {mlirAffineFloorDivExprGet(flat, cst(ctx, 8)),
                               mlirAffineModExprGet(d1, cst(ctx, 8))};
  MlirAffineMap map = mlirAffineMapGet(ctx, 2, 0, 2, results);
  MlirAttribute layout = tlFragmentLayoutAttrGet(map, 64, 2);
  printAttr("layout", layout);
  // CHECK: layout: #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + d1 floordiv 8, d1 mod 8)>, 64 : i64, 2 : i64>
  printf("is layout: %d, is fragment: %d\n", tlAttributeIsAFragmentLayout(layout),
         tlAttributeIsAFragment(layout));
  // CHECK: is layout: 1, is fragment: 0
  MlirAffineMap back = tlFragmentLayoutAttrGetMap(layout);
  printMap("map", back);
  // CHECK: map: (d0, d1) -> (d0 * 4 + d1 floordiv 8, d1 mod 8)
  printf("map equal: %d, threads: %lld, replicate: %lld\n",
         !mlirAffineMapIsNull(back) && mlirAffineMapEqual(back, map),
         (long long)tlFragmentLayoutAttrGetThreads(layout),
         (long long)tlFragmentLayoutAttrGetReplicate(layout));
  // CHECK: map equal: 1, threads: 64, replicate: 2

  // The same attribute written by hand, with a symbol and nested brackets.
  MlirAttribute parsed = parseAttr(
      ctx, "#tl.fragment_layout<affine_map<(d0)[s0] -> (d0 mod s0, "
           "(d0 floordiv s0) * 2)>, 32 : i64, 1 : i64>");
  printMap("parsed map", tlFragmentLayoutAttrGetMap(parsed));
  // CHECK: parsed map: (d0)[s0] -> (d0 mod s0, (d0 floordiv s0) * 2)
  printf("parsed threads: %lld, replicate: %lld\n",
         (long long)tlFragmentLayoutAttrGetThreads(parsed),
         (long long)tlFragmentLayoutAttrGetReplicate(parsed));
  // CHECK: parsed threads: 32, replicate: 1

  // Invalid arguments: a null attribute.
  MlirAffineMap oneResult = mlirAffineMapGet(ctx, 2, 0, 1, results);
  MlirAffineExpr three[3] = {d0, d1, d0};
  MlirAffineMap threeResults = mlirAffineMapGet(ctx, 2, 0, 3, three);
  printf("invalid: 1-result %d, 3-results %d, threads 0 %d, threads -4 %d, "
         "replicate 0 %d, null map %d\n",
         mlirAttributeIsNull(tlFragmentLayoutAttrGet(oneResult, 64, 1)),
         mlirAttributeIsNull(tlFragmentLayoutAttrGet(threeResults, 64, 1)),
         mlirAttributeIsNull(tlFragmentLayoutAttrGet(map, 0, 1)),
         mlirAttributeIsNull(tlFragmentLayoutAttrGet(map, -4, 1)),
         mlirAttributeIsNull(tlFragmentLayoutAttrGet(map, 64, 0)),
         mlirAttributeIsNull(
             tlFragmentLayoutAttrGet((MlirAffineMap){NULL}, 64, 1)));
  // CHECK: invalid: 1-result 1, 3-results 1, threads 0 1, threads -4 1, replicate 0 1, null map 1

  // Getters on something else: null / 0.
  MlirAttribute other = parseAttr(ctx, "affine_map<(d0) -> (d0, d0)>");
  printf("not a layout: is %d map-null %d threads %lld replicate %lld, "
         "null: is %d map-null %d threads %lld\n",
         tlAttributeIsAFragmentLayout(other),
         mlirAffineMapIsNull(tlFragmentLayoutAttrGetMap(other)),
         (long long)tlFragmentLayoutAttrGetThreads(other),
         (long long)tlFragmentLayoutAttrGetReplicate(other),
         tlAttributeIsAFragmentLayout(mlirAttributeGetNull()),
         mlirAffineMapIsNull(tlFragmentLayoutAttrGetMap(mlirAttributeGetNull())),
         (long long)tlFragmentLayoutAttrGetThreads(mlirAttributeGetNull()));
  // CHECK: not a layout: is 0 map-null 1 threads 0 replicate 0, null: is 0 map-null 1 threads 0
}

static void testBufferRegion(MlirContext ctx) {
  printf("testBufferRegion\n");
  // CHECK-LABEL: testBufferRegion
  MlirType region = tlBufferRegionTypeGet(ctx);
  printType("type", region);
  // CHECK: type: !tl.buffer_region
  printf("is region: %d, parsed equal: %d, index: %d, memref: %d, null: %d\n",
         tlTypeIsABufferRegion(region),
         mlirTypeEqual(region, parseType(ctx, "!tl.buffer_region")),
         tlTypeIsABufferRegion(mlirIndexTypeGet(ctx)),
         tlTypeIsABufferRegion(parseType(ctx, "memref<4xf32>")),
         tlTypeIsABufferRegion((MlirType){NULL}));
  // CHECK: is region: 1, parsed equal: 1, index: 0, memref: 0, null: 0
}

static void testScopes(MlirContext ctx) {
  printf("testScopes\n");
  // CHECK-LABEL: testScopes
  const char *types[] = {
      "memref<4xf32>",
      "memref<4xf32, #gpu.address_space<global>>",
      "memref<4xf32, #gpu.address_space<workgroup>>",
      "memref<4xf32, #gpu.address_space<private>>",
      "memref<4xf32, #tl.fragment>",
      "memref<4xf32, 3>",
      "memref<?x4xf32, strided<[4, 1]>, #gpu.address_space<workgroup>>",
      "tensor<4xf32>",
      "f32",
  };
  for (size_t i = 0; i < sizeof types / sizeof types[0]; ++i) {
    MlirType t = parseType(ctx, types[i]);
    TlScope s = tlMemRefTypeGetScope(t);
    printf("%s -> %d %s\n", types[i], (int)s, tlScopeGetName(s));
  }
  // CHECK: memref<4xf32> -> 0 global
  // CHECK-NEXT: memref<4xf32, #gpu.address_space<global>> -> 0 global
  // CHECK-NEXT: memref<4xf32, #gpu.address_space<workgroup>> -> 1 shared
  // CHECK-NEXT: memref<4xf32, #gpu.address_space<private>> -> -1 invalid
  // CHECK-NEXT: memref<4xf32, #tl.fragment> -> 2 fragment
  // CHECK-NEXT: memref<4xf32, 3> -> -1 invalid
  // CHECK-NEXT: memref<?x4xf32, strided<[4, 1]>, #gpu.address_space<workgroup>> -> 1 shared
  // CHECK-NEXT: tensor<4xf32> -> -1 invalid
  // CHECK-NEXT: f32 -> -1 invalid
  printf("null type -> %d; names: %s %s %s %s %s\n",
         (int)tlMemRefTypeGetScope((MlirType){NULL}),
         tlScopeGetName(TlScopeGlobal), tlScopeGetName(TlScopeShared),
         tlScopeGetName(TlScopeFragment), tlScopeGetName(TlScopeInvalid),
         tlScopeGetName((TlScope)7));
  // CHECK: null type -> -1; names: global shared fragment invalid invalid
}

static void testNotLoaded(void) {
  printf("testNotLoaded\n");
  // CHECK-LABEL: testNotLoaded
  MlirContext ctx = mlirContextCreate(); // builtin only, no tl
  MlirAffineExpr r[2] = {mlirAffineDimExprGet(ctx, 0), cst(ctx, 0)};
  MlirAffineMap map = mlirAffineMapGet(ctx, 1, 0, 2, r);
  printf("no tl: region %d fragment %d layout %d\n",
         mlirTypeIsNull(tlBufferRegionTypeGet(ctx)),
         mlirAttributeIsNull(tlFragmentAttrGet(ctx)),
         mlirAttributeIsNull(tlFragmentLayoutAttrGet(map, 32, 1)));
  // CHECK: no tl: region 1 fragment 1 layout 1
  printf("no tl: is-region(index) %d is-fragment(unit) %d "
         "is-layout(map) %d scope(memref) %s\n",
         tlTypeIsABufferRegion(mlirIndexTypeGet(ctx)),
         tlAttributeIsAFragment(mlirUnitAttrGet(ctx)),
         tlAttributeIsAFragmentLayout(mlirAffineMapAttrGet(map)),
         tlScopeGetName(tlMemRefTypeGetScope(parseType(ctx, "memref<4xf32>"))));
  // CHECK: no tl: is-region(index) 0 is-fragment(unit) 0 is-layout(map) 0 scope(memref) global

  // With unregistered dialects allowed, tl's spellings parse as opaque
  // attributes and types of an unknown dialect: they are not tl's.
  mlirContextSetAllowUnregisteredDialects(ctx, true);
  MlirAttribute opaqueLayout =
      parseAttr(ctx, "#tl.fragment_layout<affine_map<(d0) -> (d0, 0)>, 32 : "
                     "i64, 1 : i64>");
  MlirAttribute opaqueFragment = parseAttr(ctx, "#tl.fragment");
  MlirType opaqueRegion = parseType(ctx, "!tl.buffer_region");
  printf("opaque parsed: %d %d %d\n", !mlirAttributeIsNull(opaqueLayout),
         !mlirAttributeIsNull(opaqueFragment), !mlirTypeIsNull(opaqueRegion));
  // CHECK: opaque parsed: 1 1 1
  printf("opaque: is-layout %d threads %lld is-fragment %d is-region %d "
         "loaded %d\n",
         tlAttributeIsAFragmentLayout(opaqueLayout),
         (long long)tlFragmentLayoutAttrGetThreads(opaqueLayout),
         tlAttributeIsAFragment(opaqueFragment),
         tlTypeIsABufferRegion(opaqueRegion), tlContextIsDialectLoaded(ctx));
  // CHECK: opaque: is-layout 0 threads 0 is-fragment 0 is-region 0 loaded 0
  mlirContextDestroy(ctx);
}

int main(void) {
  // Unbuffered, so that anything MLIR writes to stderr stays in order.
  setvbuf(stdout, NULL, _IONBF, 0);
  MlirContext ctx = tlContextCreate();
  testFragment(ctx);
  testFragmentLayout(ctx);
  testBufferRegion(ctx);
  testScopes(ctx);
  mlirContextDestroy(ctx);
  testNotLoaded();
  return 0;
}
