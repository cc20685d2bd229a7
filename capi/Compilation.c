/* tl-c/Compilation.h: text in, binaries out, in a context of its own, for
 * bindings that cannot hold MLIR handles (python/tl, docs/python.md). */
#include "tl-c/Compilation.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Diagnostics.h>

#include "Builders.h"
#include "Diag.h"
#include "PassSupport.h"
#include "Support.h"
#include "tl-c/Dialect.h"
#include "tl-c/EmitC.h"
#include "tl-c/Source.h"

struct TlCompilation {
  bool ok;
  TlStr diags, report, module, emitSource, emitHeader;
  MlirContext ctx;
  MlirModule result;
  TlStr *abi; /* one per binary */
  intptr_t numBinaries;
};

static pthread_mutex_t reportLock = PTHREAD_MUTEX_INITIALIZER;

static const char *severity(MlirDiagnosticSeverity s) {
  return s == MlirDiagnosticError     ? "error"
         : s == MlirDiagnosticWarning ? "warning"
         : s == MlirDiagnosticNote    ? "note"
                                      : "remark";
}

/* Collects a diagnostic and its notes: "<loc>: <severity>: <message>". */
static void collect(TlStr *out, MlirDiagnostic d) {
  MlirStringRef file;
  int line, col;
  if (tlLocationFileLineCol(mlirDiagnosticGetLocation(d), &file, &line, &col))
    tlStrAppendf(out, "%.*s:%d:%d", (int)file.length, file.data, line, col);
  else
    mlirLocationPrint(mlirDiagnosticGetLocation(d), tlStrCallback, out);
  tlStrAppendf(out, ": %s: ", severity(mlirDiagnosticGetSeverity(d)));
  mlirDiagnosticPrint(d, tlStrCallback, out);
  tlStrAppend(out, "\n", 1);
  for (intptr_t i = 0; i < mlirDiagnosticGetNumNotes(d); ++i)
    collect(out, mlirDiagnosticGetNote(d, i));
}

static MlirLogicalResult onDiag(MlirDiagnostic d, void *ud) {
  collect(ud, d);
  return mlirLogicalResultSuccess();
}

/* A JSON string of `s`. */
static void jsonString(TlStr *out, MlirStringRef s) {
  tlStrAppend(out, "\"", 1);
  for (size_t i = 0; i < s.length; ++i) {
    unsigned char ch = (unsigned char)s.data[i];
    if (ch == '"' || ch == '\\')
      tlStrAppendf(out, "\\%c", ch);
    else if (ch < 0x20)
      tlStrAppendf(out, "\\u%04x", ch);
    else
      tlStrAppend(out, (const char *)&s.data[i], 1);
  }
  tlStrAppend(out, "\"", 1);
}

static void jsonType(TlStr *out, MlirType t) {
  TlStr s = {0};
  mlirTypePrint(t, tlStrCallback, &s);
  jsonString(out, mlirStringRefCreate(s.data, s.len));
  tlStrFree(&s);
}

/* A tensor-map descriptor's fields: integers, i64 arrays and strings. */
static void jsonMap(TlStr *out, MlirAttribute dict) {
  tlStrAppend(out, "{", 1);
  for (intptr_t i = 0; i < mlirDictionaryAttrGetNumElements(dict); ++i) {
    MlirNamedAttribute na = mlirDictionaryAttrGetElement(dict, i);
    if (i)
      tlStrAppend(out, ", ", 2);
    jsonString(out, mlirIdentifierStr(na.name));
    tlStrAppend(out, ": ", 2);
    MlirAttribute a = na.attribute;
    if (mlirAttributeIsAInteger(a)) {
      tlStrAppendf(out, "%lld", (long long)mlirIntegerAttrGetValueInt(a));
    } else if (mlirAttributeIsADenseI64Array(a)) {
      tlStrAppend(out, "[", 1);
      for (intptr_t k = 0; k < mlirDenseArrayGetNumElements(a); ++k)
        tlStrAppendf(out, "%s%lld", k ? ", " : "",
                     (long long)mlirDenseI64ArrayGetElement(a, k));
      tlStrAppend(out, "]", 1);
    } else if (mlirAttributeIsAString(a)) {
      jsonString(out, mlirStringAttrGetValue(a));
    } else {
      tlStrAppend(out, "null", 4);
    }
  }
  tlStrAppend(out, "}", 1);
}

static void jsonAbi(TlStr *out, MlirOperation binary) {
  static const char *const kinds[] = {"invalid", "ptr", "scalar", "tensormap",
                                      "size"};
  tlStrAppend(out, "[", 1);
  for (intptr_t k = 0; k < tlBinaryGetNumKernels(binary); ++k) {
    TlKernelInfo ki;
    if (!tlBinaryGetKernel(binary, k, &ki))
      continue;
    tlStrAppendf(out, "%s{\"name\": ", k ? ", " : "");
    jsonString(out, ki.name);
    tlStrAppendf(out,
                 ", \"block\": [%d, %d, %d], \"static_shared_bytes\": %lld, "
                 "\"dynamic_shared_bytes\": %lld, \"params\": [",
                 ki.block[0], ki.block[1], ki.block[2],
                 (long long)ki.staticSharedBytes,
                 (long long)ki.dynamicSharedBytes);
    for (intptr_t p = 0; p < ki.numParams; ++p) {
      TlParamInfo pi;
      if (!tlBinaryGetKernelParam(binary, k, p, &pi))
        continue;
      tlStrAppendf(out, "%s{\"kind\": \"%s\", \"type\": ", p ? ", " : "",
                   kinds[pi.kind <= TlParamSize ? pi.kind : 0]);
      jsonType(out, pi.type);
      if (pi.kind == TlParamTensorMap && !mlirAttributeIsNull(pi.tensorMap)) {
        tlStrAppend(out, ", \"map\": ", 9);
        jsonMap(out, pi.tensorMap);
      }
      if (pi.kind == TlParamSize)
        tlStrAppendf(out, ", \"buffer\": %ld, \"dim\": %ld", (long)pi.buffer,
                     (long)pi.dim);
      tlStrAppend(out, "}", 1);
    }
    tlStrAppend(out, "]}", 2);
  }
  tlStrAppend(out, "]", 1);
}

static void compile(TlCompilation *c, const char *source, const char *name,
                    const TlCompileOptions *options, bool report) {
  c->result = tlModuleCreateParse(c->ctx, mlirStringRefCreateFromCString(source),
                                  mlirStringRefCreateFromCString(name));
  if (mlirModuleIsNull(c->result))
    return;
  MlirOperation op = mlirModuleGetOperation(c->result);
  TlCompileOptions defaults = {NULL, NULL, NULL, -1};
  if (mlirLogicalResultIsFailure(
          tlCapiCompileModule(op, options ? options : &defaults, report)))
    return;
  c->ok = true;
  mlirOperationPrint(op, tlStrCallback, &c->module);
  c->numBinaries = tlModuleGetNumBinaries(op);
  c->abi = calloc((size_t)c->numBinaries + 1, sizeof(TlStr));
  if (!c->abi)
    abort();
  for (intptr_t i = 0; i < c->numBinaries; ++i)
    jsonAbi(&c->abi[i], tlModuleGetBinary(op, i));
}

TlCompilation *tlCompilationCreate(const char *source, const char *name,
                                   const TlCompileOptions *options,
                                   bool report) {
  TlCompilation *c = calloc(1, sizeof *c);
  if (!c)
    abort();
  c->ctx = tlContextCreate();
  if (mlirContextIsNull(c->ctx)) {
    tlStrAppendf(&c->diags, "error: the tl dialect failed to load\n");
    return c;
  }
  /* One thread: the report's lines come in the module's order. */
  mlirContextEnableMultithreading(c->ctx, false);
  mlirContextAttachDiagnosticHandler(c->ctx, onDiag, &c->diags, NULL);
  if (!source) {
    tlStrAppendf(&c->diags, "error: no source\n");
    return c;
  }
  if (report) {
    pthread_mutex_lock(&reportLock);
    tlSetReportSink(tlStrCallback, &c->report);
  }
  compile(c, source, name ? name : "<source>", options, report);
  if (report) {
    tlSetReportSink(NULL, NULL);
    pthread_mutex_unlock(&reportLock);
  }
  return c;
}

void tlCompilationDestroy(TlCompilation *c) {
  if (!c)
    return;
  if (!mlirModuleIsNull(c->result))
    mlirModuleDestroy(c->result);
  if (!mlirContextIsNull(c->ctx))
    mlirContextDestroy(c->ctx);
  for (intptr_t i = 0; i < c->numBinaries; ++i)
    tlStrFree(&c->abi[i]);
  free(c->abi);
  tlStrFree(&c->diags);
  tlStrFree(&c->report);
  tlStrFree(&c->module);
  tlStrFree(&c->emitSource);
  tlStrFree(&c->emitHeader);
  free(c);
}

bool tlCompilationSucceeded(const TlCompilation *c) { return c && c->ok; }

const char *tlCompilationGetDiagnostics(const TlCompilation *c) {
  return c ? tlStrGet(&c->diags) : "";
}

const char *tlCompilationGetReport(const TlCompilation *c) {
  return c ? tlStrGet(&c->report) : "";
}

const char *tlCompilationGetModule(const TlCompilation *c) {
  return c ? tlStrGet(&c->module) : "";
}

intptr_t tlCompilationGetNumBinaries(const TlCompilation *c) {
  return c ? c->numBinaries : 0;
}

static MlirOperation binaryAt(const TlCompilation *c, intptr_t pos) {
  if (!c || pos < 0 || pos >= c->numBinaries)
    return (MlirOperation){NULL};
  return tlModuleGetBinary(mlirModuleGetOperation(c->result), pos);
}

const char *tlCompilationGetBinaryName(const TlCompilation *c, intptr_t pos) {
  MlirOperation b = binaryAt(c, pos);
  /* A symbol name's storage is the context's and NUL-terminated. */
  return mlirOperationIsNull(b) ? "" : tlBinaryGetName(b).data;
}

const void *tlCompilationGetObject(const TlCompilation *c, intptr_t pos,
                                   size_t *size, TlBinaryFormat *format) {
  MlirOperation b = binaryAt(c, pos);
  TlBinaryFormat f = TlBinaryFormatUnknown;
  MlirStringRef o = {NULL, 0};
  if (!mlirOperationIsNull(b))
    o = tlBinaryGetObject(b, &f);
  if (size)
    *size = o.length;
  if (format)
    *format = f;
  return o.data;
}

const char *tlCompilationGetABI(const TlCompilation *c, intptr_t pos) {
  if (!c || pos < 0 || pos >= c->numBinaries)
    return "[]";
  return tlStrGet(&c->abi[pos]);
}

bool tlCompilationEmitC(TlCompilation *c, const char *headerName,
                        const char **source, const char **header) {
  if (!c)
    return false;
  tlStrFree(&c->emitSource);
  tlStrFree(&c->emitHeader);
  bool ok = c->ok && headerName &&
            mlirLogicalResultIsSuccess(tlEmitC(
                mlirModuleGetOperation(c->result),
                mlirStringRefCreateFromCString(headerName), tlStrCallback,
                &c->emitSource, tlStrCallback, &c->emitHeader));
  if (!ok) {
    tlStrFree(&c->emitSource);
    tlStrFree(&c->emitHeader);
  }
  if (source)
    *source = tlStrGet(&c->emitSource);
  if (header)
    *header = tlStrGet(&c->emitHeader);
  return ok;
}
