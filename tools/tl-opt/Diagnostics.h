/* tl-opt's diagnostic handling: printing with source context, and
   --verify-diagnostics (expected-error/warning/remark/note comments). */
#ifndef TL_OPT_DIAGNOSTICS_H
#define TL_OPT_DIAGNOSTICS_H

#include <stdbool.h>
#include <stddef.h>

#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>

/// One input buffer (a whole file or one split chunk padded with newlines so
/// that line numbers are those of the file).
typedef struct Source {
  const char *name; /* as given on the command line, "<stdin>" for "-" */
  const char *text; /* NUL-terminated */
  size_t len;
} Source;

typedef struct Expected {
  int severity; /* MlirDiagnosticSeverity */
  int line;     /* 1-based; 0 for @unknown */
  int commentLine;
  int commentCol; /* 1-based column of "expected-" */
  char *message;
  bool matched;
} Expected;

typedef struct DiagState {
  const Source *src;
  bool verify;       /* --verify-diagnostics */
  bool onlyExpected; /* --verify-diagnostics=only-expected: others ignored */
  int numErrors;     /* errors seen (printed or matched) */
  int numDiagnostics;
  bool verifyFailed; /* an unexpected or missing diagnostic */
  /* While parsing: drop "source must contain a single top-level operation"
     (tl-opt then parses into an implicit module) and remember it. */
  bool swallowTopLevelCount;
  bool sawTopLevelCount;
  Expected *expected;
  size_t numExpected;
} DiagState;

/// Prepares `st` for `src`; with `verify`, collects the expected-*
/// designators from its text (`onlyExpected`: diagnostics no designator
/// expects are ignored, as mlir-opt's --verify-diagnostics=only-expected).
/// Returns false (after printing why) on a malformed designator.
bool diagStateInit(DiagState *st, const Source *src, bool verify,
                   bool onlyExpected);
void diagStateFree(DiagState *st);

/// The MLIR diagnostic handler: userData is a DiagState.
MlirLogicalResult diagHandler(MlirDiagnostic diag, void *userData);

/// With --verify-diagnostics: reports every expected diagnostic that was not
/// produced. Returns false when any diagnostic was missing or unexpected.
bool diagStateFinish(DiagState *st);

/// Reports a problem at (line, col) of `src` through the context, so that
/// --verify-diagnostics sees it like any other error.
void emitErrorAt(MlirContext ctx, const Source *src, int line, int col,
                 const char *message);

#endif
