/* libFuzzer harness: tl-opt's whole path on arbitrary IR text.
 *
 * Each input is parsed as a module and, if it parses, compiled with
 * tl-to-nvvm (format=isa: in-process LLVM, no ptxas): tl-verify,
 * tl-legalize-regions, tl-infer-layouts, the lowerings, NVVM and PTX.
 * Diagnostics are expected and ignored; a crash, an abort (LLVM ERROR), a
 * sanitizer report or a leak is a bug. The context is rebuilt every few
 * hundred inputs so that uniqued attributes do not pile up.
 *
 * A structured mutator (issue 16 item 14) works on the text as IR: besides
 * libFuzzer's byte mutations it swaps a symbol name, an element type or a
 * memory space for a hostile one, deepens a bracket nest, or inserts a
 * statement of one of the classes hostile inputs reached (workgroup
 * allocas, dynamic shared memory, launch limits, tokens, pipelined loops),
 * so that those classes are reached from the seeds in a few steps. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

#include "tl-c/Dialect.h"
#include "tl-c/Passes.h"
#include "tl-c/Source.h"

static MlirContext ctx;
static unsigned uses;

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

/* Replacements for a token of the input, by kind. */
static const char *const kNames[] = {"@\"my-kernel\"", "@\"a b\"", "@\"1k\"",
                                     "@\"x*/ #e /*\"", "@k_param_0", "@WARP_SZ",
                                     "@$L__x", "@_"};
static const char *const kTypes[] = {"f128", "f80", "i128", "ui8", "si32", "i1",
                                     "f8E4M3FN", "tf32", "index", "bf16", "i4"};
static const char *const kSpaces[] = {"#gpu.address_space<workgroup>",
                                      "#gpu.address_space<private>",
                                      "#tl.fragment", "3", "1"};
static const char *const kStatements[] = {
    "%wg = memref.alloca() : memref<64xf32, #gpu.address_space<workgroup>>\n",
    "%dyn = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>\n",
    "%tok = \"tl.copy_async\"(%A, %S) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> !tl.token\n",
    "\"tl.wait\"(%tok) : (!tl.token) -> ()\n",
    "%j = \"tl.join\"(%tok) : (!tl.token) -> !tl.token\n",
    "scf.for %q = %c0 to %c4 step %c1 {\n} {tl.num_stages = 3 : i64}\n",
    "gpu.barrier\n",
};

static size_t rnd(unsigned *seed, size_t n) {
  *seed = *seed * 1103515245u + 12345u;
  return n ? (*seed >> 8) % n : 0;
}

/* Replaces data[at, at+len) by `text`, within maxSize; returns the size. */
static size_t splice(uint8_t *data, size_t size, size_t maxSize, size_t at,
                     size_t len, const char *text) {
  size_t n = strlen(text);
  if (at > size || len > size - at || size - len + n > maxSize)
    return size;
  memmove(data + at + n, data + at + len, size - at - len);
  memcpy(data + at, text, n);
  return size - len + n;
}

/* The first occurrence at or after `from` of a byte in `set`, or size. */
static size_t findAny(const uint8_t *data, size_t size, size_t from,
                      const char *set) {
  for (size_t i = from; i < size; ++i)
    if (strchr(set, data[i]))
      return i;
  return size;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t maxSize,
                               unsigned int seed) {
  size_t at = rnd(&seed, size + 1);
  switch (rnd(&seed, 12)) { /* 5 in 12 structured, the rest libFuzzer's */
  case 0: { /* a symbol name: @ up to a non-identifier byte */
    size_t s = findAny(data, size, at, "@");
    size_t e = s + 1;
    while (e < size && (data[e] == '_' || data[e] == '$' ||
                        (data[e] >= '0' && data[e] <= '9') ||
                        ((data[e] | 32) >= 'a' && (data[e] | 32) <= 'z')))
      ++e;
    return s < size ? splice(data, size, maxSize, s, e - s,
                             kNames[rnd(&seed, sizeof kNames / sizeof *kNames)])
                    : size;
  }
  case 1: { /* an element type: the token after an 'x' of a shape */
    size_t s = findAny(data, size, at, "x");
    size_t e = s + 1;
    while (e < size && ((data[e] >= '0' && data[e] <= '9') ||
                        ((data[e] | 32) >= 'a' && (data[e] | 32) <= 'z')))
      ++e;
    return s < size ? splice(data, size, maxSize, s + 1, e - s - 1,
                             kTypes[rnd(&seed, sizeof kTypes / sizeof *kTypes)])
                    : size;
  }
  case 2: { /* a memory space: after ", " in a memref, up to '>' */
    size_t s = findAny(data, size, at, "#");
    size_t e = findAny(data, size, s, ">,");
    return s < size && e < size
               ? splice(data, size, maxSize, s, e - s + (data[e] == '>'),
                        kSpaces[rnd(&seed, sizeof kSpaces / sizeof *kSpaces)])
               : size;
  }
  case 3: { /* deepen a nest: wrap a bracket's opening in more of it */
    size_t s = findAny(data, size, at, "([{<");
    if (s >= size)
      return size;
    char open[2] = {(char)data[s], 0};
    for (size_t k = rnd(&seed, 64); k > 0 && size < maxSize; --k)
      size = splice(data, size, maxSize, s, 0, open);
    return size;
  }
  case 4: { /* a statement of a hostile class at a line start */
    size_t s = findAny(data, size, at, "\n");
    return s < size ? splice(data, size, maxSize, s + 1, 0,
                             kStatements[rnd(&seed, sizeof kStatements /
                                                        sizeof *kStatements)])
                    : size;
  }
  default:
    return LLVMFuzzerMutate(data, size, maxSize);
  }
}

static MlirLogicalResult ignore(MlirDiagnostic d, void *userData) {
  (void)d;
  (void)userData;
  return mlirLogicalResultSuccess();
}

static void freshContext(void) {
  if (!mlirContextIsNull(ctx))
    mlirContextDestroy(ctx);
  ctx = tlContextCreate();
  mlirContextEnableMultithreading(ctx, false);
  mlirContextAttachDiagnosticHandler(ctx, ignore, NULL, NULL);
  uses = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  tlRegisterAllPasses();
  freshContext();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (++uses > 500)
    freshContext();
  /* MLIR's lexer reads source buffers up to a NUL terminator (as tl-opt's
     input buffers have): give it one. */
  char *text = malloc(size + 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = 0;
  /* As tl-opt does: refuse the constructs MLIR 22's parser crashes on. */
  if (mlirLogicalResultIsFailure(tlCheckSourceForParserCrashes(
          ctx, mlirStringRefCreate(text, size),
          mlirStringRefCreateFromCString("fuzz.mlir")))) {
    free(text);
    return 0;
  }
  MlirOperation op = mlirOperationCreateParse(
      ctx, mlirStringRefCreate(text, size),
      mlirStringRefCreateFromCString("fuzz.mlir"));
  free(text);
  if (mlirOperationIsNull(op))
    return 0;
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(op));
  if (name.length == 14 && !memcmp(name.data, "builtin.module", 14)) {
    MlirPassManager pm = mlirPassManagerCreateOnOperation(
        ctx, mlirStringRefCreateFromCString("builtin.module"));
    if (mlirLogicalResultIsSuccess(tlOpPassManagerAddPass(
            mlirPassManagerGetAsOpPassManager(pm),
            mlirStringRefCreateFromCString("tl-to-nvvm"),
            mlirStringRefCreateFromCString("format=isa"), NULL, NULL)))
      mlirPassManagerRunOnOp(pm, op);
    mlirPassManagerDestroy(pm);
  }
  mlirOperationDestroy(op);
  return 0;
}
