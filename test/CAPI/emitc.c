// RUN: tl-capi-emitc 2>&1 | FileCheck %s
// tlEmitC checks what reaches C itself, whoever built the module (issue 16,
// item 8): binary and kernel names that are no C identifiers, two names
// that become one C name, header names the source cannot #include. Each
// failure is an error through the context's diagnostics, and nothing is
// written.
#include <stdio.h>
#include <string.h>

#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>

#include "capi-test.h"
#include "tl-c/Dialect.h"
#include "tl-c/EmitC.h"


/* Counts the bytes written through a callback. */
static void count(MlirStringRef s, void *ud) { *(size_t *)ud += s.length; }

/* A module of one gpu.binary `bin` with kernels `kernels` (ABI entries). */
static MlirOperation parse(MlirContext ctx, const char *bin,
                           const char *kernels) {
  char text[2048];
  snprintf(text, sizeof text,
           "module attributes {gpu.container_module} {\n"
           "  gpu.binary %s {tl.abi = [%s]} "
           "[#gpu.object<#nvvm.target, assembly = \"ptx\">]\n"
           "}\n",
           bin, kernels);
  return mlirModuleGetOperation(
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(text)));
}

#define KERNEL(name)                                                          \
  "{block = array<i32: 1, 1, 1>, dynamic_shared_bytes = 0 : i64, name = "    \
  "\"" name "\", params = [], static_shared_bytes = 0 : i64}"

static void emit(const char *label, MlirOperation m, MlirStringRef header) {
  size_t src = 0, hdr = 0;
  bool ok = mlirLogicalResultIsSuccess(
      tlEmitC(m, header, count, &src, count, &hdr));
  printf("%s: %d, wrote %s\n", label, ok, src || hdr ? "something" : "nothing");
  mlirOperationDestroy(m);
}

int main(void) {
  MlirContext ctx = tlContextCreate();
  mlirContextAttachDiagnosticHandler(ctx, onDiag, NULL, NULL);
  MlirStringRef h = mlirStringRefCreateFromCString("k.h");

  emit("valid", parse(ctx, "@m", KERNEL("k") ", " KERNEL("_k2")), h);
  // CHECK: valid: 1, wrote something

  emit("binary", parse(ctx, "@\"x*/ #error injected /*\"", KERNEL("k")), h);
  // CHECK: diagnostic: emit C: gpu.binary @"x*/ #error injected /*" has no C name: the name has '*' at byte 2; names that reach C must match [A-Za-z_][A-Za-z0-9_]* (tl-c/EmitC.h)
  // CHECK-NEXT: binary: 0, wrote nothing
  emit("digit", parse(ctx, "@\"9m\"", KERNEL("k")), h);
  // CHECK: diagnostic: emit C: gpu.binary @"9m" has no C name: the name starts with a digit
  // CHECK-NEXT: digit: 0, wrote nothing
  emit("dollar", parse(ctx, "@m", KERNEL("a$b")), h);
  // CHECK: diagnostic: emit C: kernel "a$b" of gpu.binary @m has no C name: the name has '$' at byte 2
  // CHECK-NEXT: dollar: 0, wrote nothing
  emit("nul", parse(ctx, "@m", KERNEL("a\\00b")), h);
  // CHECK: diagnostic: emit C: kernel "a\00b" of gpu.binary @m has no C name: the name has a NUL byte at byte 2
  // CHECK-NEXT: nul: 0, wrote nothing
  emit("empty", parse(ctx, "@m", KERNEL("")), h);
  // CHECK: diagnostic: emit C: kernel "" of gpu.binary @m has no C name: the name is empty
  // CHECK-NEXT: empty: 0, wrote nothing
  emit("utf8", parse(ctx, "@m", KERNEL("caf\\C3\\A9")), h);
  // CHECK: diagnostic: emit C: kernel "caf\C3\A9" of gpu.binary @m has no C name: the name has non-ASCII byte 0xC3 at byte 4
  // CHECK-NEXT: utf8: 0, wrote nothing
  emit("clash", parse(ctx, "@m", KERNEL("k") ", " KERNEL("k")), h);
  // CHECK: diagnostic: emit C: kernel "k" of gpu.binary @m and kernel "k" of gpu.binary @m both become tl_launch_k in C
  // CHECK-NEXT: clash: 0, wrote nothing

  static const struct {
    const char *label, *name;
    size_t len;
  } headers[] = {
      {"quote", "a\"b.h", 5},   {"backslash", "a\\b.h", 5},
      {"newline", "a\nb.h", 5}, {"nul", "a\0b.h", 5},
      {"comment", "a/*b.h", 6}, {"slashes", "x//b.h", 6},
      {"empty", "", 0},
  };
  for (size_t i = 0; i < sizeof headers / sizeof *headers; ++i)
    emit(headers[i].label, parse(ctx, "@m", KERNEL("k")),
         mlirStringRefCreate(headers[i].name, headers[i].len));
  // CHECK: diagnostic: emit C: the header name "a\22b.h" cannot be #included: it has '"' at byte 2 (a header name has no '"', '\', ''', control bytes, "//" or "/*")
  // CHECK-NEXT: quote: 0, wrote nothing
  // CHECK: the header name "a\5Cb.h" cannot be #included: it has '\' at byte 2
  // CHECK-NEXT: backslash: 0, wrote nothing
  // CHECK: the header name "a\0Ab.h" cannot be #included: it has control byte 0x0A at byte 2
  // CHECK-NEXT: newline: 0, wrote nothing
  // CHECK: the header name "a\00b.h" cannot be #included: it has control byte 0x00 at byte 2
  // CHECK-NEXT: nul: 0, wrote nothing
  // CHECK: the header name "a/*b.h" cannot be #included: it has "/*" at byte 2
  // CHECK-NEXT: comment: 0, wrote nothing
  // CHECK: the header name "x//b.h" cannot be #included: it has "//" at byte 2
  // CHECK-NEXT: slashes: 0, wrote nothing
  // CHECK: the header name "" cannot be #included: it is empty
  // CHECK-NEXT: empty: 0, wrote nothing

  mlirContextDestroy(ctx);
  return 0;
}
