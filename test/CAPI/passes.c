// RUN: tl-capi-passes 2>&1 | FileCheck %s
// The tl pass registry, tl-verify as an MlirPass, and pipeline strings that
// mix tl and upstream passes (tlParsePassPipeline / tlOpPassManagerAddPipeline),
// with the pipelines they build and the errors they report.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

#include "tl-c/Dialect.h"
#include "tl-c/Passes.h"

typedef struct Buf {
  char *data;
  size_t len;
} Buf;

static void appendToBuf(MlirStringRef s, void *ud) {
  Buf *b = ud;
  b->data = realloc(b->data, b->len + s.length + 1);
  memcpy(b->data + b->len, s.data, s.length);
  b->len += s.length;
  b->data[b->len] = 0;
}

static void bufReset(Buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = 0;
}

static const char *bufGet(const Buf *b) { return b->data ? b->data : ""; }

static MlirStringRef ref(const char *s) {
  return mlirStringRefCreateFromCString(s);
}

// The whole kernel of design.md §2: valid IR for every tl rule.
static const char *kKernel =
    "module attributes {gpu.container_module} {\n"
    "  gpu.module @ex [#nvvm.target<chip = \"sm_90a\">] {\n"
    "    gpu.func @copy64(%A: memref<512x512xf32>, %B: memref<512x512xf32>)\n"
    "        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)\n"
    "        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {\n"
    "      %c64 = arith.constant 64 : index\n"
    "      %bx = gpu.block_id x\n"
    "      %by = gpu.block_id y\n"
    "      %i = arith.muli %by, %c64 : index\n"
    "      %j = arith.muli %bx, %c64 : index\n"
    "      %a = \"tl.region\"(%A, %i, %j) {access = 1 : i32} : "
    "(memref<512x512xf32>, index, index) -> !tl.buffer_region\n"
    "      \"tl.copy\"(%a, %S) {eviction_policy = \"evict_first\"} : "
    "(!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) "
    "-> ()\n"
    "      %b = \"tl.region\"(%B, %i, %j) {access = 2 : i32, extents = "
    "array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> "
    "!tl.buffer_region\n"
    "      \"tl.copy\"(%S, %b) : (memref<64x64xf32, "
    "#gpu.address_space<workgroup>>, !tl.buffer_region) -> ()\n"
    "      gpu.return\n"
    "    }\n"
    "  }\n"
    "  func.func @host(%x: index) -> index {\n"
    "    %0 = arith.addi %x, %x : index\n"
    "    %1 = arith.addi %x, %x : index\n"
    "    %2 = arith.muli %0, %1 : index\n"
    "    return %2 : index\n"
    "  }\n"
    "}\n";

static void testRegistry(void) {
  printf("testRegistry\n");
  // CHECK-LABEL: testRegistry
  intptr_t n = tlGetNumPasses();
  printf("passes: %ld\n", (long)n);
  // CHECK: passes: {{[1-9][0-9]*}}
  // Every entry is named tl-..., has a description, is found by its name
  // (the same entry) and has well-formed options.
  int wellFormed = 1;
  for (intptr_t i = 0; i < n; ++i) {
    const TlPassInfo *info = tlGetPassInfo(i);
    if (!info || strncmp(info->argument, "tl-", 3) || !info->description ||
        !*info->description || tlLookupPass(ref(info->argument)) != info ||
        info->numOptions < 0 || (info->numOptions && !info->options))
      wellFormed = 0;
    for (intptr_t k = 0; info && k < info->numOptions; ++k)
      if (!info->options[k].name || !info->options[k].defaultValue ||
          !info->options[k].description)
        wellFormed = 0;
  }
  printf("entries well formed: %d\n", wellFormed);
  // CHECK: entries well formed: 1
  printf("out of range: %d %d\n", tlGetPassInfo(-1) == NULL,
         tlGetPassInfo(n) == NULL);
  // CHECK: out of range: 1 1
  const TlPassInfo *verify = tlLookupPass(ref("tl-verify"));
  printf("tl-verify: %s, %ld options, described: %d\n",
         verify ? verify->argument : "NULL",
         verify ? (long)verify->numOptions : -1L,
         verify && strstr(verify->description, "change nothing") != NULL);
  // CHECK: tl-verify: tl-verify, 0 options, described: 1
  const char *notTl[] = {"canonicalize", "tl-verif", "tl-verify-x", "",
                         "TL-VERIFY"};
  for (size_t i = 0; i < sizeof notTl / sizeof notTl[0]; ++i)
    printf("lookup '%s': %s\n", notTl[i],
           tlLookupPass(ref(notTl[i])) ? "found" : "NULL");
  // CHECK: lookup 'canonicalize': NULL
  // CHECK: lookup 'tl-verif': NULL
  // CHECK: lookup 'tl-verify-x': NULL
  // CHECK: lookup '': NULL
  // CHECK: lookup 'TL-VERIFY': NULL
  // A name given with its length: "tl-verify" out of "tl-verifyXYZ".
  printf("lookup by length: %s\n",
         tlLookupPass(mlirStringRefCreate("tl-verifyXYZ", 9)) ? "found"
                                                              : "NULL");
  // CHECK: lookup by length: found
}

// Runs `pm` on a fresh parse of kKernel; prints the result and the printed
// module's tl op count (the pass changes nothing).
static void runOnKernel(MlirContext ctx, MlirPassManager pm, const char *what) {
  MlirModule m = mlirModuleCreateParse(ctx, ref(kKernel));
  MlirLogicalResult r =
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(m));
  Buf b = {NULL, 0};
  mlirOperationPrint(mlirModuleGetOperation(m), appendToBuf, &b);
  int copies = 0;
  for (const char *p = bufGet(&b); (p = strstr(p, "\"tl.copy\"")); ++p)
    ++copies;
  printf("%s: %s, %d tl.copy left\n", what,
         mlirLogicalResultIsSuccess(r) ? "success" : "failure", copies);
  bufReset(&b);
  mlirModuleDestroy(m);
}

static void testVerifyPass(MlirContext ctx) {
  printf("testVerifyPass\n");
  // CHECK-LABEL: testVerifyPass
  MlirPassManager pm = mlirPassManagerCreateOnOperation(ctx, ref("builtin.module"));
  mlirPassManagerAddOwnedPass(pm, tlCreateVerifyPass());
  Buf b = {NULL, 0};
  mlirPrintPassPipeline(mlirPassManagerGetAsOpPassManager(pm), appendToBuf, &b);
  printf("pipeline: %s\n", bufGet(&b));
  // CHECK: pipeline: builtin.module(tl-verify)
  bufReset(&b);
  runOnKernel(ctx, pm, "tl-verify on the module");
  // CHECK: tl-verify on the module: success, 2 tl.copy left
  mlirPassManagerDestroy(pm);

  // Nested on gpu.module, and on gpu.func below it.
  pm = mlirPassManagerCreateOnOperation(ctx, ref("builtin.module"));
  MlirOpPassManager gm = mlirPassManagerGetNestedUnder(pm, ref("gpu.module"));
  mlirOpPassManagerAddOwnedPass(gm, tlCreateVerifyPass());
  MlirOpPassManager gf = mlirOpPassManagerGetNestedUnder(gm, ref("gpu.func"));
  mlirOpPassManagerAddOwnedPass(gf, tlCreateVerifyPass());
  mlirPrintPassPipeline(mlirPassManagerGetAsOpPassManager(pm), appendToBuf, &b);
  printf("pipeline: %s\n", bufGet(&b));
  // CHECK: pipeline: builtin.module(gpu.module(tl-verify,gpu.func(tl-verify)))
  bufReset(&b);
  runOnKernel(ctx, pm, "tl-verify nested");
  // CHECK: tl-verify nested: success, 2 tl.copy left
  mlirPassManagerDestroy(pm);

  // The C API has no mlirPassDestroy: a created pass must be handed to a
  // pass manager, which then owns it.
  MlirPass created = tlCreateVerifyPass();
  printf("created: %d\n", created.ptr != NULL);
  // CHECK: created: 1
  pm = mlirPassManagerCreateOnOperation(ctx, ref("builtin.module"));
  mlirPassManagerAddOwnedPass(pm, created);
  mlirPassManagerDestroy(pm);
}

// Parses `text` with tlParsePassPipeline (whole pipeline) or
// tlOpPassManagerAddPipeline (elements) into a new builtin.module pass
// manager; prints the result, the pipeline built and the error message.
static MlirPassManager build(MlirContext ctx, const char *text, bool whole) {
  MlirPassManager pm = mlirPassManagerCreateOnOperation(ctx, ref("builtin.module"));
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  Buf err = {NULL, 0};
  MlirLogicalResult r =
      whole ? tlParsePassPipeline(opm, ref(text), appendToBuf, &err)
            : tlOpPassManagerAddPipeline(opm, ref(text), appendToBuf, &err);
  Buf printed = {NULL, 0};
  mlirPrintPassPipeline(opm, appendToBuf, &printed);
  printf("[%s] %s\n  -> %s\n", text,
         mlirLogicalResultIsSuccess(r) ? "ok" : "FAILED", bufGet(&printed));
  if (err.len)
    printf("  error: %s\n", bufGet(&err));
  bufReset(&err);
  bufReset(&printed);
  return pm;
}

static void buildAndRun(MlirContext ctx, const char *text, bool whole) {
  MlirPassManager pm = build(ctx, text, whole);
  runOnKernel(ctx, pm, "  run");
  mlirPassManagerDestroy(pm);
}

static void buildOnly(MlirContext ctx, const char *text, bool whole) {
  mlirPassManagerDestroy(build(ctx, text, whole));
}

static void testPipelines(MlirContext ctx) {
  printf("testPipelines\n");
  // CHECK-LABEL: testPipelines
  buildAndRun(ctx, "builtin.module(tl-verify)", true);
  // CHECK: [builtin.module(tl-verify)] ok
  // CHECK-NEXT: -> builtin.module(tl-verify)
  // CHECK-NEXT: run: success, 2 tl.copy left
  buildAndRun(ctx,
              "builtin.module(tl-verify,gpu.module(tl-verify,canonicalize),"
              "func.func(cse))",
              true);
  // CHECK: [builtin.module(tl-verify,gpu.module(tl-verify,canonicalize),func.func(cse))] ok
  // CHECK-NEXT: -> builtin.module(tl-verify,gpu.module(tl-verify,canonicalize{ max-iterations=10 max-num-rewrites=-1 region-simplify=normal test-convergence=false top-down=true}),func.func(cse))
  // CHECK-NEXT: run: success, 2 tl.copy left
  buildAndRun(ctx,
              " builtin.module ( canonicalize{max-iterations=3 top-down=false}"
              " , tl-verify , gpu.module( gpu.func (tl-verify) ) ) ",
              true);
  // CHECK: ok
  // CHECK-NEXT: -> builtin.module(canonicalize{ max-iterations=3 max-num-rewrites=-1 region-simplify=normal test-convergence=false top-down=false},tl-verify,gpu.module(gpu.func(tl-verify)))
  // CHECK-NEXT: run: success, 2 tl.copy left
  // Elements only; a tl pass with empty braces; an upstream-only anchor.
  buildAndRun(ctx, "tl-verify{},func.func(cse,canonicalize{max-iterations=3}),"
                   "gpu.module(tl-verify)",
              false);
  // CHECK: [tl-verify{},func.func(cse,canonicalize{max-iterations=3}),gpu.module(tl-verify)] ok
  // CHECK-NEXT: -> builtin.module(tl-verify,func.func(cse,canonicalize{ max-iterations=3 max-num-rewrites=-1 region-simplify=normal test-convergence=false top-down=true}),gpu.module(tl-verify))
  // CHECK-NEXT: run: success, 2 tl.copy left
  // Upstream only; an empty pipeline; upstream passes under any().
  buildOnly(ctx, "builtin.module(cse,any(canonicalize))", true);
  // CHECK: [builtin.module(cse,any(canonicalize))] ok
  // CHECK-NEXT: -> builtin.module(cse,any(canonicalize{ max-iterations=10 max-num-rewrites=-1 region-simplify=normal test-convergence=false top-down=true}))
  buildOnly(ctx, "builtin.module()", true);
  // CHECK: [builtin.module()] ok
  // CHECK-NEXT: -> builtin.module()
  buildOnly(ctx, "", false);
  // CHECK: [] ok
  // CHECK-NEXT: -> builtin.module()

  // Adding to a pass manager that already has passes appends.
  MlirPassManager pm = mlirPassManagerCreateOnOperation(ctx, ref("builtin.module"));
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  mlirOpPassManagerAddOwnedPass(opm, tlCreateVerifyPass());
  Buf err = {NULL, 0}, out = {NULL, 0};
  bool ok = mlirLogicalResultIsSuccess(
      tlOpPassManagerAddPipeline(opm, ref("cse,tl-verify"), appendToBuf, &err));
  printf("append: %d\n", ok);
  // CHECK: append: 1
  ok = mlirLogicalResultIsSuccess(tlOpPassManagerAddPass(
      opm, ref("tl-verify"), ref(""), appendToBuf, &err));
  printf("tlOpPassManagerAddPass: %d\n", ok);
  // CHECK: tlOpPassManagerAddPass: 1
  mlirPrintPassPipeline(opm, appendToBuf, &out);
  printf("appended: %s; errors: '%s'\n", bufGet(&out), bufGet(&err));
  // CHECK: appended: builtin.module(tl-verify,cse,tl-verify,tl-verify); errors: ''
  bufReset(&out);
  bufReset(&err);
  mlirPassManagerDestroy(pm);
}

// The printed form of a mixed pipeline (tl passes print under their
// argument) parses back with tlParsePassPipeline to the same pipeline.
static void testPrintedRoundTrip(MlirContext ctx) {
  printf("testPrintedRoundTrip\n");
  // CHECK-LABEL: testPrintedRoundTrip
  const char *text = "builtin.module(tl-verify,gpu.module(tl-verify,"
                     "canonicalize{max-iterations=3}),func.func(cse))";
  MlirPassManager pm1 = mlirPassManagerCreateOnOperation(ctx, ref("builtin.module"));
  MlirPassManager pm2 = mlirPassManagerCreateOnOperation(ctx, ref("builtin.module"));
  Buf p1 = {NULL, 0}, p2 = {NULL, 0}, err = {NULL, 0};
  bool ok1 = mlirLogicalResultIsSuccess(tlParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm1), ref(text), appendToBuf, &err));
  mlirPrintPassPipeline(mlirPassManagerGetAsOpPassManager(pm1), appendToBuf, &p1);
  bool ok2 = mlirLogicalResultIsSuccess(tlParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm2), ref(bufGet(&p1)), appendToBuf, &err));
  mlirPrintPassPipeline(mlirPassManagerGetAsOpPassManager(pm2), appendToBuf, &p2);
  printf("round trip: %d %d same %d errors '%s'\n", ok1, ok2,
         strcmp(bufGet(&p1), bufGet(&p2)) == 0, bufGet(&err));
  // CHECK: round trip: 1 1 same 1 errors ''
  bufReset(&p1);
  bufReset(&p2);
  bufReset(&err);
  mlirPassManagerDestroy(pm1);
  mlirPassManagerDestroy(pm2);
}

static void testPipelineErrors(MlirContext ctx) {
  printf("testPipelineErrors\n");
  // CHECK-LABEL: testPipelineErrors
  buildOnly(ctx, "builtin.module(tl-verify,no-such-pass)", true);
  // An upstream error comes from MLIR's parser, after tl-verify was added
  // (a failed pass manager is only good for destroying).
  // CHECK: [builtin.module(tl-verify,no-such-pass)] FAILED
  // CHECK-NEXT: -> builtin.module(tl-verify)
  // CHECK-NEXT: error: MLIR Textual PassPipeline Parser:1:1: error: 'no-such-pass' does not refer to a registered pass or pass pipeline
  buildOnly(ctx, "builtin.module(tl-verify,gpu.module(tl-verify)", true);
  // CHECK: [builtin.module(tl-verify,gpu.module(tl-verify)] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 14: unbalanced '('
  buildOnly(ctx, "tl-verify,gpu.module(tl-verify", false);
  // CHECK: [tl-verify,gpu.module(tl-verify] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 20: unbalanced '('
  // A closer must match its opener (issue 16): '}' does not close '('.
  buildOnly(ctx, "builtin.module(tl-verify}", true);
  // CHECK: [builtin.module(tl-verify}] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 24: '}' does not close the '(' at offset 14
  buildOnly(ctx, "builtin.module(gpu.module(tl-verify)}", true);
  // CHECK: [builtin.module(gpu.module(tl-verify)}] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 36: '}' does not close the '(' at offset 14
  buildOnly(ctx, "tl-verify,gpu.module(tl-infer-layouts{chip=sm_80)}", false);
  // CHECK: [tl-verify,gpu.module(tl-infer-layouts{chip=sm_80)}] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 48: ')' does not close the '{' at offset 37
  // One chip table (support/Target.c) for every pass option.
  buildOnly(ctx, "builtin.module(gpu.module(tl-infer-layouts{chip=sm_1000}))",
            true);
  // CHECK: [builtin.module(gpu.module(tl-infer-layouts{chip=sm_1000}))] FAILED
  // CHECK: error: tl-infer-layouts: unsupported chip 'sm_1000' (supported: sm_70,
  buildOnly(ctx, "builtin.module(tl-verify canonicalize)", true);
  // CHECK: [builtin.module(tl-verify canonicalize)] FAILED
  // CHECK-NEXT: -> builtin.module()
  // Offsets count from the start of the text given, which is shown.
  // CHECK-NEXT: error: invalid pass pipeline at offset 25: expected ',' between pipeline elements
  // CHECK-NEXT: {{^  builtin.module\(tl-verify canonicalize\)$}}
  // CHECK-NEXT: {{^                           \^$}}
  buildOnly(ctx, "func.func(tl-verify)", true);
  // CHECK: [func.func(tl-verify)] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: pipeline anchored on 'func.func' cannot run on the pass manager's 'builtin.module'
  buildOnly(ctx, "builtin.module(tl-verify{frobnicate=1})", true);
  // CHECK: [builtin.module(tl-verify{frobnicate=1})] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: tl-verify: unknown option 'frobnicate' (this pass takes no options)
  buildOnly(ctx, "builtin.module(tl-verify(cse))", true);
  // CHECK: [builtin.module(tl-verify(cse))] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 15: a tl pass cannot have a nested pipeline
  buildOnly(ctx, "builtin.module(cse,any(tl-verify))", true);
  // CHECK: [builtin.module(cse,any(tl-verify))] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 19: tl passes cannot be nested under 'any': name the operation (e.g. gpu.module)
  buildOnly(ctx, "cse,any(gpu.module(tl-verify))", false);
  // CHECK: [cse,any(gpu.module(tl-verify))] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 4: tl passes cannot be nested under 'any'
  buildOnly(ctx, "builtin.module(gpu.module{x=1}(tl-verify))", true);
  // CHECK: [builtin.module(gpu.module{x=1}(tl-verify))] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 25: an operation anchor takes no options
  buildOnly(ctx, "builtin.module(tl-verify,,cse)", true);
  // CHECK: [builtin.module(tl-verify,,cse)] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 25: expected a pass or an operation name
  buildOnly(ctx, "builtin.module(cse) extra", true);
  // CHECK: [builtin.module(cse) extra] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 19: unexpected text after the pipeline
  buildOnly(ctx, "tl-verify", true);
  // CHECK: [tl-verify] FAILED
  // CHECK-NEXT: -> builtin.module()
  // CHECK-NEXT: error: invalid pass pipeline at offset 9: expected 'anchor(...)', e.g. 'builtin.module(tl-verify)'
  buildOnly(ctx, "builtin.module(canonicalize{max-iterations=many})", true);
  // MLIR reports a bad upstream option value in two parts: LLVM's option
  // parser writes the reason to stderr, the callback gets the summary.
  // CHECK: for the --max-iterations option: 'many' value invalid for long argument!
  // CHECK: [builtin.module(canonicalize{max-iterations=many})] FAILED
  // CHECK: error:
  // CHECK-NEXT: failed to add `canonicalize` with options `max-iterations=many`

  // tlOpPassManagerAddPass by name.
  MlirPassManager pm = mlirPassManagerCreateOnOperation(ctx, ref("builtin.module"));
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  Buf err = {NULL, 0};
  bool ok = mlirLogicalResultIsSuccess(
      tlOpPassManagerAddPass(opm, ref("cse"), ref(""), appendToBuf, &err));
  printf("add cse: %d, error: %s\n", ok, bufGet(&err));
  // CHECK: add cse: 0, error: 'cse' is not a tl pass
  bufReset(&err);
  ok = mlirLogicalResultIsSuccess(tlOpPassManagerAddPass(
      opm, ref("tl-verify"), ref("x=1"), appendToBuf, &err));
  printf("add with option: %d, error: %s\n", ok, bufGet(&err));
  // CHECK: add with option: 0, error: tl-verify: unknown option 'x' (this pass takes no options)
  bufReset(&err);
  // A NULL callback: failure without a message.
  printf("null callback: %d\n",
         mlirLogicalResultIsSuccess(tlOpPassManagerAddPipeline(
             opm, ref("tl-verify("), NULL, NULL)));
  // CHECK: null callback: 0
  mlirPassManagerDestroy(pm);
}

int main(void) {
  // Unbuffered, so that what MLIR writes to stderr stays in order.
  setvbuf(stdout, NULL, _IONBF, 0);
  tlRegisterAllPasses();
  testRegistry();
  MlirContext ctx = tlContextCreate();
  testVerifyPass(ctx);
  testPipelines(ctx);
  testPrintedRoundTrip(ctx);
  testPipelineErrors(ctx);
  mlirContextDestroy(ctx);
  return 0;
}
