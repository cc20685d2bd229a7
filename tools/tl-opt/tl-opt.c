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
#include "Names.h"
#include "Output.h"
#include "Support.h"
#include "tl-c/Compile.h"
#include "tl-c/Dialect.h"
#include "tl-c/EmitC.h"
#include "tl-c/Passes.h"
#include "tl-c/Source.h"

typedef struct PassFlag {
  char *name;
  char *options; /* without braces; "" when none */
} PassFlag;

typedef struct Options {
  const char *input;
  const char *output;
  const char *pipeline;
  PassFlag *passes;
  size_t numPasses;
  const char *splitMarker; /* NULL: no splitting */
  bool verifyDiagnostics;
  bool printBefore, printAfter;
  bool allowUnregistered;
  bool printGeneric, printDebugInfo;
  const char *emitBinary; /* --emit-binary=<file> */
  bool emitC;             /* --emit=c */
  bool timing;            /* --mlir-timing */
} Options;

static void printHelp(void) {
  printf(
      "OVERVIEW: tl optimizer driver (the tl dialect, its passes, and every "
      "upstream MLIR dialect and pass)\n\n"
      "USAGE: tl-opt [options] [input file | -]\n\n"
      "OPTIONS:\n"
      "  -o <file>                     Output file (default: stdout)\n"
      "  --pass-pipeline=<pipeline>    A pipeline such as "
      "'builtin.module(tl-verify,gpu.module(canonicalize))'; tl and upstream "
      "passes mix freely\n"
      "  --<pass>[=<options>]          Add one pass (tl or upstream) to the "
      "top-level pipeline, in command-line order\n"
      "  --split-input-file[=<marker>] Split the input at lines starting with "
      "the marker (default '// -----') and process each chunk separately\n"
      "  --verify-diagnostics          Check that the emitted diagnostics "
      "match the expected-{error,warning,remark,note} comments\n"
      "  --mlir-print-ir-before-all    Print the IR before each pass\n"
      "  --mlir-print-ir-after-all     Print the IR after each pass\n"
      "  --mlir-print-op-generic       Print operations in the generic form\n"
      "  --mlir-print-debuginfo        Print locations\n"
      "  --mlir-timing                 Print the time of each pass of the "
      "pipeline to stderr\n"
      "  --allow-unregistered-dialect  Accept operations of unknown dialects\n"
      "  --emit=c                      After the pipeline, write C instead of "
      "MLIR: -o <file>.c gets the binaries embedded and one launcher per "
      "kernel, <file>.h their declarations (see tl-c/EmitC.h)\n"
      "  --emit-binary=<file>          After the pipeline, write the object of "
      "the gpu.binary (PTX, cubin or fatbin) to <file>; with several "
      "binaries, <file> must contain {name}\n"
      "  --help                        Show this help\n"
      "  --version                     Show the version of tl\n\n"
      "tl PASSES:\n");
  for (intptr_t i = 0; i < tlGetNumPasses(); ++i) {
    const TlPassInfo *p = tlGetPassInfo(i);
    printf("  --%-27s %s\n", p->argument, p->description);
    for (intptr_t j = 0; j < p->numOptions; ++j) {
      const TlPassOptionInfo *o = &p->options[j];
      printf("      %-24s %s (default: %s)\n", o->name, o->description,
             o->defaultValue[0] ? o->defaultValue : "\"\"");
    }
  }
  printf("\nUpstream passes (e.g. --canonicalize, --cse, "
         "--convert-gpu-to-nvvm) are documented by mlir-opt --help.\n");
}

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

static bool hasFlagPrefix(const char *arg, const char *flag,
                          const char **value) {
  size_t n = strlen(flag);
  if (strncmp(arg, flag, n))
    return false;
  if (arg[n] == 0) {
    *value = NULL;
    return true;
  }
  if (arg[n] == '=') {
    *value = arg + n + 1;
    return true;
  }
  return false;
}

static char *copyString(const char *s, size_t n) {
  char *c = malloc(n + 1);
  if (!c)
    abort();
  memcpy(c, s, n);
  c[n] = 0;
  return c;
}

/* Returns 0 to go on, otherwise 1 + the exit status. */
static int parseArgs(int argc, char **argv, Options *o) {
  memset(o, 0, sizeof *o);
  o->input = "-";
  bool haveInput = false;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i], *v;
    if (!strcmp(a, "--help") || !strcmp(a, "-help") || !strcmp(a, "-h")) {
      printHelp();
      return 1;
    }
    if (!strcmp(a, "--version") || !strcmp(a, "-version")) {
      printf("tl-opt (tl %s) built on MLIR 22\n", tlGetVersion());
      return 1;
    }
    if (!strcmp(a, "-o")) {
      if (++i == argc) {
        fprintf(stderr, "tl-opt: -o needs a file name\n");
        return 2;
      }
      o->output = argv[i];
      continue;
    }
    if (!strncmp(a, "-o", 2) && a[2] && a[1] == 'o') {
      o->output = a + 2;
      continue;
    }
    if (a[0] != '-' || !strcmp(a, "-")) {
      if (haveInput) {
        fprintf(stderr, "tl-opt: more than one input file: '%s' and '%s'\n",
                o->input, a);
        return 2;
      }
      o->input = a;
      haveInput = true;
      continue;
    }
    /* Accept -flag and --flag alike, as mlir-opt does. */
    const char *f = a[1] == '-' ? a + 2 : a + 1;
    if (hasFlagPrefix(f, "pass-pipeline", &v)) {
      if (!v) {
        if (++i == argc) {
          fprintf(stderr, "tl-opt: --pass-pipeline needs a value\n");
          return 2;
        }
        v = argv[i];
      }
      o->pipeline = v;
    } else if (hasFlagPrefix(f, "split-input-file", &v)) {
      o->splitMarker = v && *v ? v : "// -----";
    } else if (!strcmp(f, "verify-diagnostics")) {
      o->verifyDiagnostics = true;
    } else if (!strcmp(f, "mlir-print-ir-before-all")) {
      o->printBefore = true;
    } else if (!strcmp(f, "mlir-print-ir-after-all")) {
      o->printAfter = true;
    } else if (!strcmp(f, "allow-unregistered-dialect")) {
      o->allowUnregistered = true;
    } else if (!strcmp(f, "mlir-print-op-generic")) {
      o->printGeneric = true;
    } else if (!strcmp(f, "mlir-timing")) {
      o->timing = true;
    } else if (!strcmp(f, "mlir-print-debuginfo")) {
      o->printDebugInfo = true;
    } else if (hasFlagPrefix(f, "emit", &v)) {
      if (!v || (strcmp(v, "c") && strcmp(v, "mlir"))) {
        fprintf(stderr, "tl-opt: --emit takes 'c' or 'mlir'\n");
        return 2;
      }
      o->emitC = !strcmp(v, "c");
    } else if (hasFlagPrefix(f, "emit-binary", &v)) {
      if (!v || !*v) {
        fprintf(stderr, "tl-opt: --emit-binary needs a file name\n");
        return 2;
      }
      o->emitBinary = v;
    } else {
      /* Anything else names a pass: --name or --name=options. */
      const char *eq = strchr(f, '=');
      size_t n = eq ? (size_t)(eq - f) : strlen(f);
      const char *opts = eq ? eq + 1 : "";
      size_t ol = strlen(opts);
      if (ol >= 2 && opts[0] == '{' && opts[ol - 1] == '}') {
        ++opts;
        ol -= 2;
      }
      o->passes = realloc(o->passes, sizeof(PassFlag) * (o->numPasses + 1));
      PassFlag *p = &o->passes[o->numPasses++];
      p->name = copyString(f, n);
      p->options = copyString(opts, ol);
    }
  }
  if (o->emitC) {
    size_t n = o->output ? strlen(o->output) : 0;
    if (n < 3 || strcmp(o->output + n - 2, ".c") || o->splitMarker) {
      fprintf(stderr, "tl-opt: --emit=c needs -o <file>.c (the header goes "
                      "to <file>.h) and no --split-input-file\n");
      return 2;
    }
  }
  if (o->emitBinary && o->splitMarker) {
    fprintf(stderr, "tl-opt: --emit-binary cannot be used with "
                    "--split-input-file\n");
    return 2;
  }
  if (o->pipeline && o->numPasses) {
    fprintf(stderr, "tl-opt: --pass-pipeline cannot be mixed with pass "
                    "flags such as --%s\n", o->passes[0].name);
    return 2;
  }
  return 0;
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
      r = mlirOpPassManagerAddPipeline(
          pm, mlirStringRefCreate(text.data, text.len), reportPipelineError,
          NULL);
      tlStrFree(&text);
    }
    if (mlirLogicalResultIsFailure(r)) {
      if (tlLookupPass(name))
        fprintf(stderr, "\ntl-opt: invalid options for '--%s'\n", p->name);
      else
        fprintf(stderr, "\ntl-opt: unknown option or pass '--%s' (see "
                        "tl-opt --help)\n", p->name);
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

static void printOp(FILE *out, MlirOperation op, const Options *o) {
  MlirOpPrintingFlags flags = mlirOpPrintingFlagsCreate();
  if (o->printGeneric)
    mlirOpPrintingFlagsPrintGenericOpForm(flags);
  if (o->printDebugInfo)
    mlirOpPrintingFlagsEnableDebugInfo(flags, true, false);
  mlirOperationPrintWithFlags(op, flags, writeChunk, out);
  fputc('\n', out);
  mlirOpPrintingFlagsDestroy(flags);
}

/* Parses `src` into a builtin.module, as mlir-opt does: a lone module is
   kept, anything else goes into an implicit module. Returns null after the
   reason was emitted as a diagnostic. */
static MlirOperation parseModule(MlirContext ctx, const Source *src,
                                 DiagState *st) {
  if (mlirLogicalResultIsFailure(tlCheckSourceForParserCrashes(
          ctx, mlirStringRefCreate(src->text, src->len),
          mlirStringRefCreateFromCString(src->name))))
    return (MlirOperation){NULL};
  st->swallowTopLevelCount = true;
  MlirOperation op = mlirOperationCreateParse(
      ctx, mlirStringRefCreate(src->text, src->len),
      mlirStringRefCreateFromCString(src->name));
  st->swallowTopLevelCount = false;
  if (!mlirOperationIsNull(op)) {
    if (tlOpIsNamed(op, "builtin.module"))
      return op;
    MlirModule m = mlirModuleCreateEmpty(mlirOperationGetLocation(op));
    mlirBlockAppendOwnedOperation(mlirModuleGetBody(m), op);
    return mlirModuleGetOperation(m);
  }
  if (st->sawTopLevelCount) {
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
static MlirPassManager buildPipeline(MlirContext ctx, const Options *o) {
  MlirPassManager pm = mlirPassManagerCreateOnOperation(
      ctx, mlirStringRefCreateFromCString("builtin.module"));
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

static bool runPasses(MlirContext ctx, MlirOperation module,
                      const Options *o) {
  /* tl-verify first, as mlir-opt verifies after parsing. */
  MlirPassManager verify = mlirPassManagerCreateOnOperation(
      ctx, mlirStringRefCreateFromCString("builtin.module"));
  mlirPassManagerAddOwnedPass(verify, tlCreateVerifyPass());
  bool ok = mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(verify, module));
  mlirPassManagerDestroy(verify);
  if (!ok || (!o->pipeline && !o->numPasses))
    return ok;

  MlirPassManager pm = buildPipeline(ctx, o);
  if (mlirPassManagerIsNull(pm))
    return false;
  if (o->printBefore || o->printAfter) {
    /* IR printing needs a single thread. */
    mlirContextEnableMultithreading(ctx, false);
    MlirOpPrintingFlags flags = mlirOpPrintingFlagsCreate();
    if (o->printGeneric)
      mlirOpPrintingFlagsPrintGenericOpForm(flags);
    mlirPassManagerEnableIRPrinting(pm, o->printBefore, o->printAfter, true,
                                    false, false, flags,
                                    mlirStringRefCreate(NULL, 0));
    mlirOpPrintingFlagsDestroy(flags);
  }
  if (o->timing)
    mlirPassManagerEnableTiming(pm);
  ok = mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(pm, module));
  mlirPassManagerDestroy(pm); /* prints the timing report */
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
  DiagState st;
  bool ok = diagStateInit(&st, src, o->verifyDiagnostics);
  mlirContextAttachDiagnosticHandler(ctx, diagHandler, &st, NULL);
  if (ok) {
    MlirOperation module = parseModule(ctx, src, &st);
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

static void freeOptions(Options *o) {
  for (size_t i = 0; i < o->numPasses; ++i) {
    free(o->passes[i].name);
    free(o->passes[i].options);
  }
  free(o->passes);
  o->passes = NULL;
  o->numPasses = 0;
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

static int run(Options *op) {
  Options o = *op;
  tlRegisterAllPasses();
  if (o.pipeline || o.numPasses) {
    /* Reject a bad pipeline before reading any input, as mlir-opt does. */
    MlirContext ctx = tlContextCreate();
    MlirPassManager pm = buildPipeline(ctx, &o);
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
