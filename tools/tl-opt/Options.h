/* tl-opt's command line (Options.c): the flags it shares with mlir-opt-22
   and its own (--emit, --emit-binary), parsed into Options. */
#ifndef TL_OPT_OPTIONS_H
#define TL_OPT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
  bool onlyExpected; /* --verify-diagnostics=only-expected */
  bool printBefore, printAfter;
  bool printAfterChange, printAfterFailure, printModuleScope;
  bool printLocalScope;
  int64_t elideElementsAttrs; /* -1: none */
  bool disableThreading;
  bool verifyEach; /* true unless --verify-each=false */
  bool emitBytecode;
  bool dumpPipeline, listPasses, showDialects;
  bool statistics;
  int statisticsDisplay; /* MlirPassDisplayMode */
  bool noImplicitModule;
  bool allowUnregistered;
  bool printGeneric, printDebugInfo;
  const char *emitBinary; /* --emit-binary=<file> */
  bool emitC;             /* --emit=c */
  bool timing;            /* --mlir-timing */
} Options;

/// Parses argv into *o (cleared first). Returns 0 to go on, otherwise 1 +
/// the exit status (after --help, --version or a message on stderr).
int parseArgs(int argc, char **argv, Options *o);
/// Frees what parseArgs allocated.
void freeOptions(Options *o);

#endif
