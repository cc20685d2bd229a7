/* tl-opt: an mlir-opt-style driver with the tl dialect and passes.
 *
 * Every upstream dialect and pass is available, so tl-opt stands in for
 * mlir-opt. tl passes are named in --pass-pipeline or as --tl-* flags;
 * upstream passes in --pass-pipeline or as --<pass-name>[=options] flags.
 * After parsing, tl-verify runs before anything else. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

#include "Diagnostics.h"
#include "Options.h"
#include "Names.h"
#include "Output.h"
#include "Support.h"
#include "tl-c/Compile.h"
#include "tl-c/Dialect.h"
#include "tl-c/EmitC.h"
#include "tl-c/Passes.h"
#include "tl-c/Source.h"

static bool readAll(const char *path, char **out, size_t *outLen) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) {
    fprintf(stderr, "tl-opt: cannot open input file '%s': %s\n", path,
            strerror(errno));
    return false;
  }
  TlStr s = {0};
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    tlStrAppend(&s, buf, n);
  bool err = ferror(f);
  if (f != stdin)
    fclose(f);
  if (err) {
    fprintf(stderr, "tl-opt: cannot read input file '%s'\n", path);
    tlStrFree(&s);
    return false;
  }
  tlStrAppend(&s, "", 0);
  *out = s.data;
  *outLen = s.len;
  return true;
}

static void reportPipelineError(MlirStringRef msg, void *userData) {
  (void)userData;
  fwrite(msg.data, 1, msg.length, stderr);
}

static bool addPassFlags(MlirOpPassManager pm, const Options *o) {
  for (size_t i = 0; i < o->numPasses; ++i) {
    const PassFlag *p = &o->passes[i];
    MlirStringRef name = mlirStringRefCreateFromCString(p->name);
    MlirLogicalResult r;
    if (tlLookupPass(name)) {
      r = tlOpPassManagerAddPass(pm, name,
                                 mlirStringRefCreateFromCString(p->options),
                                 reportPipelineError, NULL);
    } else {
      TlStr text = {0};
      tlStrAppendf(&text, "%s", p->name);
      if (p->options[0])
        tlStrAppendf(&text, "{%s}", p->options);
      TlStr why = {0};
      r = mlirOpPassManagerAddPipeline(
          pm, mlirStringRefCreate(text.data, text.len), tlStrCallback, &why);
      tlStrFree(&text);
      /* An unknown name is one message; MLIR's pipeline-parser error about
         it would only repeat it in other words. */
      if (mlirLogicalResultIsFailure(r) &&
          strstr(tlStrGet(&why), "does not refer to a registered pass")) {
        fprintf(stderr, "tl-opt: unknown option or pass '--%s' (see tl-opt "
                        "--help)\n", p->name);
        tlStrFree(&why);
        return false;
      }
      fwrite(tlStrGet(&why), 1, why.len, stderr);
      tlStrFree(&why);
    }
    if (mlirLogicalResultIsFailure(r)) {
      fprintf(stderr, "\ntl-opt: invalid options for '--%s'\n", p->name);
      return false;
    }
  }
  return true;
}

/* IRDL parses the custom form of its ops with no diagnostic at all: find a
   bare `tl.name` token (outside strings and comments) to say so. Returns the
   1-based line and column through line and col. */
static bool findCustomSyntax(const Source *src, int *line, int *col,
                             char *name, size_t nameCap) {
  const char *p = src->text, *end = src->text + src->len;
  int l = 1, c = 1;
  bool inString = false;
  char prev = ' ';
  while (p < end) {
    char ch = *p;
    if (ch == '\n') {
      ++l;
      c = 1;
      inString = false;
      prev = ' ';
      ++p;
      continue;
    }
    if (inString) {
      if (ch == '\\' && p + 1 < end) {
        p += 2;
        c += 2;
        continue;
      }
      if (ch == '"')
        inString = false;
    } else if (ch == '"') {
      inString = true;
    } else if (ch == '/' && p + 1 < end && p[1] == '/') {
      while (p < end && *p != '\n')
        ++p;
      continue;
    } else if (!strncmp(p, "tl.", 3) && (size_t)(end - p) > 3 &&
               (p[3] == '_' || (p[3] >= 'a' && p[3] <= 'z')) &&
               !(prev == '_' || prev == '.' || prev == '!' || prev == '#' ||
                 prev == '@' || prev == '%' || prev == '^' || prev == '$' ||
                 (prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z') ||
                 (prev >= '0' && prev <= '9'))) {
      size_t n = 3;
      while (p + n < end && (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') ||
                             (p[n] >= '0' && p[n] <= '9')))
        ++n;
      /* `tl.num_stages = 3`, `{tl.swizzle = 128}`: an attribute name. */
      size_t k = n;
      while (p + k < end && (p[k] == ' ' || p[k] == '\t'))
        ++k;
      if (!(p + k < end && p[k] == '=')) {
        snprintf(name, nameCap, "%.*s", (int)n, p);
        *line = l;
        *col = c;
        return true;
      }
    }
    prev = ch;
    ++p;
    ++c;
  }
  return false;
}

static void writeChunk(MlirStringRef s, void *userData) {
  fwrite(s.data, 1, s.length, (FILE *)userData);
}

/* The printing flags of the output and the IR dumps (--mlir-print-*). */
static MlirOpPrintingFlags printingFlags(const Options *o) {
  MlirOpPrintingFlags flags = mlirOpPrintingFlagsCreate();
  if (o->printGeneric)
    mlirOpPrintingFlagsPrintGenericOpForm(flags);
  if (o->printDebugInfo)
    mlirOpPrintingFlagsEnableDebugInfo(flags, true, false);
  if (o->printLocalScope)
    mlirOpPrintingFlagsUseLocalScope(flags);
  if (o->elideElementsAttrs >= 0)
    mlirOpPrintingFlagsElideLargeElementsAttrs(flags, o->elideElementsAttrs);
  return flags;
}

static void printOp(FILE *out, MlirOperation op, const Options *o) {
  if (o->emitBytecode) {
    mlirOperationWriteBytecode(op, writeChunk, out);
    return;
  }
  MlirOpPrintingFlags flags = printingFlags(o);
  mlirOperationPrintWithFlags(op, flags, writeChunk, out);
  fputc('\n', out);
  mlirOpPrintingFlagsDestroy(flags);
}

/* Parses `src` into a builtin.module, as mlir-opt does: a lone module is
   kept, anything else goes into an implicit module. Returns null after the
   reason was emitted as a diagnostic. */
static MlirOperation parseModule(MlirContext ctx, const Source *src,
                                 DiagState *st, bool noImplicitModule) {
  if (mlirLogicalResultIsFailure(tlCheckSourceForParserCrashes(
          ctx, mlirStringRefCreate(src->text, src->len),
          mlirStringRefCreateFromCString(src->name))))
    return (MlirOperation){NULL};
  st->swallowTopLevelCount = !noImplicitModule;
  MlirOperation op = mlirOperationCreateParse(
      ctx, mlirStringRefCreate(src->text, src->len),
      mlirStringRefCreateFromCString(src->name));
  st->swallowTopLevelCount = false;
  if (!mlirOperationIsNull(op)) {
    if (tlOpIsNamed(op, "builtin.module") || noImplicitModule)
      return op;
    MlirModule m = mlirModuleCreateEmpty(mlirOperationGetLocation(op));
    mlirBlockAppendOwnedOperation(mlirModuleGetBody(m), op);
    return mlirModuleGetOperation(m);
  }
  if (st->sawTopLevelCount && !noImplicitModule) {
    /* Zero or several top-level operations: parse into an implicit module.
       Its locations are named "-"; diagnostics print the real name. */
    MlirModule m =
        mlirModuleCreateParse(ctx, mlirStringRefCreate(src->text, src->len));
    if (!mlirModuleIsNull(m))
      return mlirModuleGetOperation(m);
  }
  int line, col;
  char name[64];
  if (findCustomSyntax(src, &line, &col, name, sizeof name)) {
    char msg[512];
    snprintf(msg, sizeof msg,
             "'%s' is written in a custom assembly form, but tl ops are "
             "defined in IRDL and only have the generic form, e.g. "
             "\"tl.copy\"(%%src, %%dst) : (memref<...>, memref<...>) -> ()",
             name);
    emitErrorAt(ctx, src, line, col, msg);
  } else if (st->numDiagnostics == 0) {
    emitErrorAt(ctx, src, 1, 1,
                "failed to parse the input (the parser gave no reason: check "
                "for operations in a custom form that only has a generic "
                "form)");
  }
  return (MlirOperation){NULL};
}

/* Builds the user's pipeline into a new pass manager; null (after printing
   why) when the pipeline is invalid. */
static MlirPassManager buildPipeline(MlirContext ctx, const Options *o,
                                     MlirStringRef anchor) {
  MlirPassManager pm = mlirPassManagerCreateOnOperation(ctx, anchor);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  if (o->pipeline) {
    if (mlirLogicalResultIsFailure(tlParsePassPipeline(
            opm, mlirStringRefCreateFromCString(o->pipeline),
            reportPipelineError, NULL))) {
      fprintf(stderr, "\ntl-opt: invalid --pass-pipeline\n");
      mlirPassManagerDestroy(pm);
      return (MlirPassManager){NULL};
    }
  } else if (!addPassFlags(opm, o)) {
    mlirPassManagerDestroy(pm);
    return (MlirPassManager){NULL};
  }
  return pm;
}

/* --dump-pass-pipeline, in mlir-opt's form: "Pass Manager with N passes:",
   then the textual pipeline with one nested element per line. */
static void dumpPipeline(MlirPassManager pm) {
  TlStr text = {0};
  mlirPrintPassPipeline(mlirPassManagerGetAsOpPassManager(pm), tlStrCallback,
                        &text);
  const char *p = tlStrGet(&text);
  int depth = 0, braces = 0, top = 0;
  bool any = false;
  TlStr out = {0};
  for (; *p; ++p) {
    char c = *p;
    if (c == '{')
      ++braces;
    else if (c == '}')
      --braces;
    if (braces || (c != '(' && c != ')' && c != ',')) {
      if (depth == 1 && !any && c != ' ')
        any = true;
      tlStrAppend(&out, p, 1);
      continue;
    }
    if (c == '(') {
      ++depth;
      tlStrAppendf(&out, "(\n%*s", 2 * depth, "");
    } else if (c == ')') {
      --depth;
      tlStrAppendf(&out, "\n%*s)", 2 * depth, "");
    } else {
      if (depth == 1)
        ++top;
      tlStrAppendf(&out, ",\n%*s", 2 * depth, "");
    }
  }
  fprintf(stderr, "Pass Manager with %d passes:\n%s\n\n", any ? top + 1 : 0,
          tlStrGet(&out));
  tlStrFree(&out);
  tlStrFree(&text);
}

/* The pass manager's instrumentation from the flags: IR printing (on one
   thread, so that dumps come in order), verify-each, statistics, timing. */
static void instrument(MlirContext ctx, MlirPassManager pm, const Options *o) {
  bool after = o->printAfter || o->printAfterFailure;
  if (o->printBefore || after) {
    mlirContextEnableMultithreading(ctx, false);
    MlirOpPrintingFlags flags = printingFlags(o);
    mlirPassManagerEnableIRPrinting(
        pm, o->printBefore, o->printAfter, o->printModuleScope,
        o->printAfterChange, o->printAfterFailure, flags,
        mlirStringRefCreate(NULL, 0));
    mlirOpPrintingFlagsDestroy(flags);
  }
  mlirPassManagerEnableVerifier(pm, o->verifyEach);
  if (o->statistics)
    mlirPassManagerEnableStatistics(pm, o->statisticsDisplay
                                            ? MLIR_PASS_DISPLAY_MODE_PIPELINE
                                            : MLIR_PASS_DISPLAY_MODE_LIST);
  if (o->timing)
    mlirPassManagerEnableTiming(pm);
}

static bool runPasses(MlirContext ctx, MlirOperation module,
                      const Options *o) {
  /* tl-verify first, as mlir-opt verifies after parsing. The pass managers
     anchor on the top-level op (a builtin.module unless
     --no-implicit-module). */
  MlirStringRef anchor = mlirIdentifierStr(mlirOperationGetName(module));
  MlirPassManager verify = mlirPassManagerCreateOnOperation(ctx, anchor);
  mlirPassManagerAddOwnedPass(verify, tlCreateVerifyPass());
  bool ok = mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(verify, module));
  mlirPassManagerDestroy(verify);
  if (!ok || (!o->pipeline && !o->numPasses && !o->dumpPipeline))
    return ok;

  MlirPassManager pm = buildPipeline(ctx, o, anchor);
  if (mlirPassManagerIsNull(pm))
    return false;
  if (o->dumpPipeline)
    dumpPipeline(pm);
  instrument(ctx, pm, o);
  ok = mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(pm, module));
  mlirPassManagerDestroy(pm); /* prints the timing and statistics reports */
  return ok;
}

/* A name that may replace {name} in --emit-binary's path: no directory
   separator, NUL, "." or "..", nothing empty. */
static bool isFileName(MlirStringRef name) {
  if (name.length == 0 || (name.length <= 2 && name.data[0] == '.' &&
                           name.data[name.length - 1] == '.'))
    return false;
  return !memchr(name.data, '/', name.length) &&
         !memchr(name.data, 0, name.length);
}

/* Writes the object of every gpu.binary in `module` (--emit-binary). */
static bool emitBinaries(MlirOperation module, const Options *o) {
  intptr_t n = tlModuleGetNumBinaries(module);
  bool templ = strstr(o->emitBinary, "{name}") != NULL;
  if (n == 0) {
    fprintf(stderr, "tl-opt: --emit-binary: the result has no gpu.binary "
                    "(run tl-to-nvvm first)\n");
    return false;
  }
  if (n > 1 && !templ) {
    fprintf(stderr, "tl-opt: --emit-binary: the result has %ld binaries; "
                    "put {name} in the file name to write each\n", (long)n);
    return false;
  }
  for (intptr_t i = 0; i < n; ++i) {
    MlirOperation b = tlModuleGetBinary(module, i);
    MlirStringRef name = tlBinaryGetName(b);
    TlStr path = {0};
    const char *at = strstr(o->emitBinary, "{name}");
    if (at && !isFileName(name)) {
      TlStr q = {0};
      tlStrAppendSymbol(&q, name);
      fprintf(stderr, "tl-opt: --emit-binary: gpu.binary %s cannot stand "
                      "for {name} in a file name\n", tlStrGet(&q));
      tlStrFree(&q);
      return false;
    }
    if (at) {
      tlStrAppend(&path, o->emitBinary, (size_t)(at - o->emitBinary));
      tlStrAppend(&path, name.data, name.length);
      tlStrAppendf(&path, "%s", at + 6);
    } else {
      tlStrAppendf(&path, "%s", o->emitBinary);
    }
    MlirStringRef obj = tlBinaryGetObject(b, NULL);
    FILE *f = openOutput(tlStrGet(&path));
    bool ok = f && fwrite(obj.data, 1, obj.length, f) == obj.length;
    if (f && !ok)
      fprintf(stderr, "tl-opt: cannot write '%s': %s\n", tlStrGet(&path),
              strerror(errno));
    tlStrFree(&path);
    if (!ok)
      return false;
  }
  return true;
}

/* --emit=c: the source to `out` (the -o file), the header beside it. */
static bool emitC(MlirOperation module, const Options *o, FILE *out) {
  TlStr headerPath = {0};
  tlStrAppend(&headerPath, o->output, strlen(o->output) - 1);
  tlStrAppend(&headerPath, "h", 1);
  const char *base = strrchr(tlStrGet(&headerPath), '/');
  base = base ? base + 1 : tlStrGet(&headerPath);
  TlStr src = {0}, hdr = {0};
  bool ok = mlirLogicalResultIsSuccess(
      tlEmitC(module, mlirStringRefCreateFromCString(base), tlStrCallback,
              &src, tlStrCallback, &hdr));
  if (ok) {
    FILE *h = openOutput(tlStrGet(&headerPath));
    ok = h && fwrite(tlStrGet(&hdr), 1, hdr.len, h) == hdr.len;
    if (h && !ok)
      fprintf(stderr, "tl-opt: cannot write '%s': %s\n",
              tlStrGet(&headerPath), strerror(errno));
    if (ok)
      fwrite(tlStrGet(&src), 1, src.len, out);
  }
  tlStrFree(&src);
  tlStrFree(&hdr);
  tlStrFree(&headerPath);
  return ok;
}

/* Processes one buffer. Returns true on success. */
static bool processBuffer(const Source *src, const Options *o, FILE *out) {
  MlirContext ctx = tlContextCreate();
  if (mlirContextIsNull(ctx)) {
    fprintf(stderr, "tl-opt: the tl dialect failed to load\n");
    return false;
  }
  mlirContextSetAllowUnregisteredDialects(ctx, o->allowUnregistered);
  if (o->disableThreading)
    mlirContextEnableMultithreading(ctx, false);
  DiagState st;
  bool ok = diagStateInit(&st, src, o->verifyDiagnostics, o->onlyExpected);
  mlirContextAttachDiagnosticHandler(ctx, diagHandler, &st, NULL);
  if (ok) {
    MlirOperation module = parseModule(ctx, src, &st, o->noImplicitModule);
    ok = !mlirOperationIsNull(module) && runPasses(ctx, module, o);
    if (ok && o->emitBinary)
      ok = emitBinaries(module, o);
    if (ok && o->emitC)
      ok = emitC(module, o, out);
    else if (ok)
      printOp(out, module, o);
    if (!mlirOperationIsNull(module))
      mlirOperationDestroy(module);
    if (o->verifyDiagnostics)
      ok = diagStateFinish(&st) && (st.numErrors > 0 || ok);
  }
  diagStateFree(&st);
  mlirContextDestroy(ctx);
  return ok;
}

/* Splits `text` at lines starting with `marker`. Each chunk is padded with
   newlines so that its line numbers are the file's. */
static bool processSplit(const char *name, const char *text, size_t len,
                         const Options *o, FILE *out) {
  bool ok = true;
  size_t markerLen = strlen(o->splitMarker);
  const char *p = text, *end = text + len, *chunk = text;
  int line = 1, chunkLine = 1;
  bool first = true;
  for (;;) {
    bool atEnd = p >= end;
    bool isMarker = !atEnd && (size_t)(end - p) >= markerLen &&
                    !strncmp(p, o->splitMarker, markerLen);
    if (atEnd || isMarker) {
      TlStr buf = {0};
      for (int i = 1; i < chunkLine; ++i)
        tlStrAppend(&buf, "\n", 1);
      tlStrAppend(&buf, chunk, (size_t)(p - chunk));
      Source src = {name, tlStrGet(&buf), buf.len};
      if (!first)
        fprintf(out, "// -----\n");
      first = false;
      ok &= processBuffer(&src, o, out);
      fflush(out);
      tlStrFree(&buf);
      if (atEnd)
        break;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    p = nl ? nl + 1 : end;
    ++line;
    if (isMarker) {
      chunk = p;
      chunkLine = line;
    }
  }
  return ok;
}

static int run(Options *o);

int main(int argc, char **argv) {
  Options o;
  int rc = parseArgs(argc, argv, &o);
  if (!rc)
    rc = 1 + run(&o);
  freeOptions(&o);
  return rc - 1;
}

/* --show-dialects, as mlir-opt prints it. The C API has no list of the
   registered dialects' names: every dialect mlir-opt-22 registers (but its
   test dialects) is looked up by name, and tl; the count is checked against
   the context's, so a dialect this list lacks is reported, not hidden. */
static int showDialects(void) {
  static const char *const kNames[] = {
      "acc", "affine", "amdgpu", "amx", "arith", "arm_neon", "arm_sme",
      "arm_sve", "async", "bufferization", "builtin", "cf", "complex", "dlti",
      "emitc", "func", "gpu", "index", "irdl", "linalg", "llvm", "math",
      "memref", "ml_program", "mpi", "nvgpu", "nvvm", "omp", "pdl",
      "pdl_interp", "ptr", "quant", "rocdl", "scf", "shape", "shard", "smt",
      "sparse_tensor", "spirv", "tensor", "tl", "tosa", "transform", "ub",
      "vector", "wasmssa", "x86vector", "xegpu", "xevm"};
  MlirContext ctx = tlContextCreate();
  intptr_t found = 0;
  printf("Available Dialects: ");
  for (size_t i = 0; i < sizeof kNames / sizeof kNames[0]; ++i) {
    MlirStringRef n = mlirStringRefCreateFromCString(kNames[i]);
    if (mlirDialectIsNull(mlirContextGetOrLoadDialect(ctx, n)))
      continue;
    printf("%s%s", found++ ? "," : "", kNames[i]);
  }
  printf("\n");
  /* The count includes tl (IRDL registers the dialect it loads). */
  intptr_t registered = mlirContextGetNumRegisteredDialects(ctx);
  mlirContextDestroy(ctx);
  if (registered > found) {
    fprintf(stderr, "tl-opt: %ld registered dialects are not in tl-opt's "
                    "list of names (tools/tl-opt/tl-opt.c)\n",
            (long)(registered - found));
    return 1;
  }
  return 0;
}

/* --list-passes: tl's passes in mlir-opt's format. The C API cannot list
   the upstream pass registry; mlir-opt-22 --list-passes does. */
static void listPasses(void) {
  printf("Available Passes:\n");
  for (intptr_t i = 0; i < tlGetNumPasses(); ++i) {
    const TlPassInfo *p = tlGetPassInfo(i);
    printf("  --%-40s -   %s\n", p->argument, p->description);
    for (intptr_t j = 0; j < p->numOptions; ++j)
      printf("    --%-38s - %s\n", p->options[j].name,
             p->options[j].description);
  }
  printf("Upstream passes: every pass of mlir-opt-22 --list-passes (the MLIR "
         "22 C API cannot enumerate them)\n");
}

static int run(Options *op) {
  Options o = *op;
  tlRegisterAllPasses();
  if (o.showDialects)
    return showDialects();
  if (o.listPasses) {
    listPasses();
    return 0;
  }
  if (o.pipeline || o.numPasses) {
    /* Reject a bad pipeline before reading any input, as mlir-opt does. */
    MlirContext ctx = tlContextCreate();
    MlirPassManager pm =
        buildPipeline(ctx, &o, mlirStringRefCreateFromCString("builtin.module"));
    bool valid = !mlirPassManagerIsNull(pm);
    if (valid)
      mlirPassManagerDestroy(pm);
    mlirContextDestroy(ctx);
    if (!valid)
      return 1;
  }
  char *text;
  size_t len;
  if (!readAll(o.input, &text, &len))
    return 1;
  FILE *out = stdout;
  if (o.output && strcmp(o.output, "-")) {
    out = openOutput(o.output);
    if (!out) {
      free(text);
      return 1;
    }
  }
  const char *name = strcmp(o.input, "-") ? o.input : "<stdin>";
  bool ok;
  if (o.splitMarker) {
    ok = processSplit(name, text, len, &o, out);
  } else {
    Source src = {name, text, len};
    ok = processBuffer(&src, &o, out);
  }
  free(text);
  if (!finishOutputs(ok))
    return 1;
  return ok ? 0 : 1;
}
