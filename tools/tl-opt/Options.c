/* tl-opt's command line: mlir-opt-22's flags that the MLIR C API can
   support, tl-opt's own, and one message for the mlir-opt flags it cannot
   (docs/tl-opt.md). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Options.h"
#include "tl-c/Dialect.h"
#include "tl-c/Passes.h"

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
      "  --mlir-print-ir-after-change  With --mlir-print-ir-after-all: only "
      "when the pass changed the IR\n"
      "  --mlir-print-ir-after-failure Print the IR after a pass that failed\n"
      "  --mlir-print-ir-module-scope  Print the whole module in IR dumps\n"
      "  --mlir-print-local-scope      Print types and attributes inline, "
      "without aliases\n"
      "  --mlir-elide-elementsattrs-if-larger=<n> Elide elements attributes "
      "with more than n elements\n"
      "  --mlir-disable-threading      Run passes on one thread\n"
      "  --mlir-pass-statistics[-display=list|pipeline] Print pass "
      "statistics\n"
      "  --verify-each[=false]         Verify the IR after each pass "
      "(default true)\n"
      "  --verify-diagnostics=only-expected Check only that the expected "
      "diagnostics are emitted\n"
      "  --emit-bytecode               Write the result as MLIR bytecode\n"
      "  --dump-pass-pipeline          Print the pipeline before running it\n"
      "  --list-passes                 List tl's passes (upstream: "
      "mlir-opt-22 --list-passes)\n"
      "  --show-dialects               List the dialects\n"
      "  --no-implicit-module          Do not wrap the input in a "
      "builtin.module; passes anchor on its top-level op\n"
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

/* A boolean flag's value: absent (true), true/false/1/0. */
static bool boolValue(const char *v, bool *out, const char *flag) {
  if (!v || !strcmp(v, "true") || !strcmp(v, "1")) {
    *out = true;
    return true;
  }
  if (!strcmp(v, "false") || !strcmp(v, "0")) {
    *out = false;
    return true;
  }
  fprintf(stderr, "tl-opt: --%s takes true or false, got '%s'\n", flag, v);
  return false;
}

/* mlir-opt-22 flags that need parts of MLIR the C API does not expose
   (the action framework, the debugger hook, LLVM's debug output, IR
   printing of value users or stack traces, reproducers). */
static bool unsupportedFlag(const char *f) {
  static const char *const kFlags[] = {
      "debug", "debug-only", "mlir-print-stacktrace-on-diagnostic",
      "mlir-print-value-users", "mlir-enable-debugger-hook",
      "log-actions-to", "log-mlir-actions-filter", "mlir-debug-counter",
      "mlir-pretty-debuginfo", "mlir-print-elementsattrs-with-hex-if-larger",
      "mlir-print-unique-ssa-ids", "mlir-print-op-on-diagnostic",
      "mlir-pass-pipeline-crash-reproducer", "mlir-pass-pipeline-local-reproducer",
      "run-reproducer", "mlir-generate-reproducer", "irdl-file",
      "load-pass-plugin", "load-dialect-plugin", "mlir-print-ir-before",
      "mlir-print-ir-after", "mlir-print-ir-tree-dir", "dump-pass-pipeline-dot",
      "mlir-timing-display", "split-input-file-marker", "emit-bytecode-version",
      "allow-unregistered-dialects", "show-dialect-plugins",
      "mlir-disable-diagnostic-notes", "mlir-diagnostic-verbosity-level",
      "verify-roundtrip", "mlir-very-unsafe-disable-verifier-on-parsing"};
  const char *eq = strchr(f, '=');
  size_t n = eq ? (size_t)(eq - f) : strlen(f);
  for (size_t i = 0; i < sizeof kFlags / sizeof kFlags[0]; ++i)
    if (strlen(kFlags[i]) == n && !strncmp(f, kFlags[i], n))
      return true;
  return false;
}

/* The mlir-opt flags that only switch something on. */
static const struct {
  const char *name;
  size_t field; /* offsetof(Options, the bool it sets) */
} kSwitches[] = {
    {"mlir-print-ir-before-all", offsetof(Options, printBefore)},
    {"mlir-print-ir-after-all", offsetof(Options, printAfter)},
    {"mlir-print-ir-after-change", offsetof(Options, printAfterChange)},
    {"mlir-print-ir-after-failure", offsetof(Options, printAfterFailure)},
    {"mlir-print-ir-module-scope", offsetof(Options, printModuleScope)},
    {"mlir-print-local-scope", offsetof(Options, printLocalScope)},
    {"mlir-print-op-generic", offsetof(Options, printGeneric)},
    {"mlir-print-debuginfo", offsetof(Options, printDebugInfo)},
    {"mlir-timing", offsetof(Options, timing)},
    {"mlir-disable-threading", offsetof(Options, disableThreading)},
    {"mlir-pass-statistics", offsetof(Options, statistics)},
    {"emit-bytecode", offsetof(Options, emitBytecode)},
    {"dump-pass-pipeline", offsetof(Options, dumpPipeline)},
    {"list-passes", offsetof(Options, listPasses)},
    {"show-dialects", offsetof(Options, showDialects)},
    {"no-implicit-module", offsetof(Options, noImplicitModule)},
};

/* The mlir-opt flags of printing, pass instrumentation and the output
   (docs/tl-opt.md). Returns -1 when `f` is none of them, else 0, or 2
   after a message. */
static int parseOutputFlag(const char *f, Options *o) {
  const char *v;
  for (size_t i = 0; i < sizeof kSwitches / sizeof kSwitches[0]; ++i)
    if (!strcmp(f, kSwitches[i].name)) {
      *(bool *)((char *)o + kSwitches[i].field) = true;
      return 0;
    }
  if (hasFlagPrefix(f, "mlir-elide-elementsattrs-if-larger", &v)) {
    char *e = NULL;
    long long n = v ? strtoll(v, &e, 10) : -1;
    if (!v || !*v || *e || n < 0) {
      fprintf(stderr, "tl-opt: --mlir-elide-elementsattrs-if-larger needs "
                      "a non-negative integer\n");
      return 2;
    }
    o->elideElementsAttrs = n;
  } else if (hasFlagPrefix(f, "verify-each", &v)) {
    if (!boolValue(v, &o->verifyEach, "verify-each"))
      return 2;
  } else if (hasFlagPrefix(f, "mlir-pass-statistics-display", &v)) {
    if (!v || (strcmp(v, "list") && strcmp(v, "pipeline"))) {
      fprintf(stderr, "tl-opt: --mlir-pass-statistics-display takes 'list' "
                      "or 'pipeline'\n");
      return 2;
    }
    o->statisticsDisplay = !strcmp(v, "pipeline");
  } else {
    return -1;
  }
  return 0;
}

int parseArgs(int argc, char **argv, Options *o) {
  memset(o, 0, sizeof *o);
  o->input = "-";
  o->elideElementsAttrs = -1;
  o->verifyEach = true;
  bool haveInput = false;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i], *v;
    int r;
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
    } else if (hasFlagPrefix(f, "verify-diagnostics", &v)) {
      if (v && strcmp(v, "all") && strcmp(v, "only-expected")) {
        fprintf(stderr, "tl-opt: --verify-diagnostics takes 'all' or "
                        "'only-expected', got '%s'\n", v);
        return 2;
      }
      o->verifyDiagnostics = true;
      o->onlyExpected = v && !strcmp(v, "only-expected");
    } else if ((r = parseOutputFlag(f, o)) >= 0) {
      if (r)
        return r;
    } else if (unsupportedFlag(f)) {
      fprintf(stderr, "tl-opt: --%.*s is an mlir-opt flag that the MLIR 22 C "
                      "API does not expose, so tl-opt cannot support it "
                      "(docs/tl-opt.md)\n",
              (int)strcspn(f, "="), f);
      return 2;
    } else if (!strcmp(f, "allow-unregistered-dialect")) {
      o->allowUnregistered = true;
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

void freeOptions(Options *o) {
  for (size_t i = 0; i < o->numPasses; ++i) {
    free(o->passes[i].name);
    free(o->passes[i].options);
  }
  free(o->passes);
  o->passes = NULL;
  o->numPasses = 0;
}

