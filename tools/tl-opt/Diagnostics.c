#include "Diag.h"
#include "Diagnostics.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Support.h"

static const char *severityName(int s) {
  switch (s) {
  case MlirDiagnosticError:
    return "error";
  case MlirDiagnosticWarning:
    return "warning";
  case MlirDiagnosticNote:
    return "note";
  default:
    return "remark";
  }
}

/* Prints line `line` of the source and a caret under column `col`,
   followed by `tail` ("~~~" marks a range, as mlir-opt's). */
static void printSourceLine(const Source *src, int line, int col,
                            const char *tail) {
  const char *p = src->text, *end = src->text + src->len;
  for (int l = 1; l < line && p < end; ++l) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      return;
    p = nl + 1;
  }
  if (p >= end)
    return;
  const char *e = memchr(p, '\n', (size_t)(end - p));
  if (!e)
    e = end;
  fprintf(stderr, "%.*s\n", (int)(e - p), p);
  fprintf(stderr, "%*s^%s\n", col > 1 ? col - 1 : 0, "", tail);
}

static void printDiagnostic(const DiagState *st, MlirDiagnostic d,
                            const char *prefix) {
  MlirStringRef file;
  int line = 0, col = 0;
  TlStr msg = {0};
  mlirDiagnosticPrint(d, tlStrCallback, &msg);
  int sev = (int)mlirDiagnosticGetSeverity(d);
  if (tlLocationFileLineCol(mlirDiagnosticGetLocation(d), &file, &line, &col)) {
    /* Chunks parsed without a name are called "-": show the real one. */
    if (file.length == 1 && file.data[0] == '-')
      file = mlirStringRefCreateFromCString(st->src->name);
    fprintf(stderr, "%.*s:%d:%d: %s: %s%s\n", (int)file.length, file.data,
            line, col, severityName(sev), prefix, tlStrGet(&msg));
    if (line > 0 && strlen(st->src->name) == file.length &&
        !memcmp(st->src->name, file.data, file.length))
      printSourceLine(st->src, line, col, "");
  } else {
    TlStr where = {0};
    mlirLocationPrint(mlirDiagnosticGetLocation(d), tlStrCallback, &where);
    fprintf(stderr, "%s: %s: %s%s\n", tlStrGet(&where), severityName(sev),
            prefix, tlStrGet(&msg));
    tlStrFree(&where);
  }
  tlStrFree(&msg);
}

static bool matchExpected(DiagState *st, MlirDiagnostic d) {
  MlirStringRef file;
  int line = 0, col = 0;
  if (!tlLocationFileLineCol(mlirDiagnosticGetLocation(d), &file, &line, &col))
    line = 0;
  int sev = (int)mlirDiagnosticGetSeverity(d);
  TlStr msg = {0};
  mlirDiagnosticPrint(d, tlStrCallback, &msg);
  bool found = false;
  for (size_t i = 0; i < st->numExpected && !found; ++i) {
    Expected *e = &st->expected[i];
    if (!e->matched && e->severity == sev && e->line == line &&
        strstr(tlStrGet(&msg), e->message)) {
      e->matched = true;
      found = true;
    }
  }
  tlStrFree(&msg);
  return found;
}

/* MLIR attaches "see current operation: ..." to verifier errors. mlir-opt
   turns that off under --verify-diagnostics; the C API cannot, so such notes
   are skipped there instead. */
static bool isOperationDumpNote(MlirDiagnostic d) {
  TlStr msg = {0};
  mlirDiagnosticPrint(d, tlStrCallback, &msg);
  bool dump = !strncmp(tlStrGet(&msg), "see current operation:", 22);
  tlStrFree(&msg);
  return dump;
}

static void handleOne(DiagState *st, MlirDiagnostic d, bool isNote) {
  int sev = (int)mlirDiagnosticGetSeverity(d);
  if (st->verify && isNote && isOperationDumpNote(d))
    return;
  ++st->numDiagnostics;
  if (sev == MlirDiagnosticError)
    ++st->numErrors;
  if (!st->verify) {
    printDiagnostic(st, d, "");
  } else if (!matchExpected(st, d) && !st->onlyExpected) {
    st->verifyFailed = true;
    printDiagnostic(st, d, sev == MlirDiagnosticError     ? "unexpected error: "
                           : sev == MlirDiagnosticWarning ? "unexpected warning: "
                           : sev == MlirDiagnosticNote    ? "unexpected note: "
                                                          : "unexpected remark: ");
  }
  intptr_t n = mlirDiagnosticGetNumNotes(d);
  for (intptr_t i = 0; i < n; ++i)
    handleOne(st, mlirDiagnosticGetNote(d, i), true);
}

MlirLogicalResult diagHandler(MlirDiagnostic diag, void *userData) {
  DiagState *st = userData;
  if (st->swallowTopLevelCount) {
    TlStr msg = {0};
    mlirDiagnosticPrint(diag, tlStrCallback, &msg);
    bool drop = strstr(tlStrGet(&msg),
                       "source must contain a single top-level operation");
    tlStrFree(&msg);
    if (drop) {
      st->sawTopLevelCount = true;
      return mlirLogicalResultSuccess();
    }
  }
  handleOne(st, diag, false);
  return mlirLogicalResultSuccess();
}

/* Returns the line number designated by "@..." at `p` (just past '@'). */
static bool designatedLine(const char **pp, int commentLine, int numLines,
                           const char *const *lineStarts, int *line) {
  const char *p = *pp;
  if (!strncmp(p, "above", 5)) {
    *line = commentLine - 1;
    p += 5;
  } else if (!strncmp(p, "below", 5)) {
    *line = commentLine + 1;
    p += 5;
  } else if (!strncmp(p, "unknown", 7)) {
    *line = 0;
    p += 7;
  } else if (*p == '+' || *p == '-') {
    char sign = *p++;
    if (!isdigit((unsigned char)*p))
      return false;
    long off = strtol(p, (char **)&p, 10);
    *line = sign == '+' ? commentLine + (int)off : commentLine - (int)off;
  } else {
    return false;
  }
  (void)numLines;
  (void)lineStarts;
  *pp = p;
  return true;
}

bool diagStateInit(DiagState *st, const Source *src, bool verify,
                   bool onlyExpected) {
  memset(st, 0, sizeof *st);
  st->src = src;
  st->verify = verify;
  st->onlyExpected = onlyExpected;
  if (!verify)
    return true;
  static const char *const kinds[] = {"error", "warning", "note", "remark"};
  static const int sevs[] = {MlirDiagnosticError, MlirDiagnosticWarning,
                             MlirDiagnosticNote, MlirDiagnosticRemark};
  const char *p = src->text, *end = src->text + src->len;
  bool ok = true;
  for (int line = 1; p < end; ++line) {
    const char *e = memchr(p, '\n', (size_t)(end - p));
    if (!e)
      e = end;
    size_t n = (size_t)(e - p);
    char *copy = malloc(n + 1);
    memcpy(copy, p, n);
    copy[n] = 0;
    for (char *q = strstr(copy, "expected-"); q; q = strstr(q + 1, "expected-")) {
      const char *k = q + 9;
      int kind = -1;
      for (int i = 0; i < 4; ++i)
        if (!strncmp(k, kinds[i], strlen(kinds[i])) &&
            !isalnum((unsigned char)k[strlen(kinds[i])]) &&
            k[strlen(kinds[i])] != '-') {
          kind = i;
          k += strlen(kinds[i]);
        }
      if (kind < 0)
        continue;
      while (*k == ' ')
        ++k;
      int target = line;
      if (*k == '@') {
        ++k;
        if (!designatedLine(&k, line, 0, NULL, &target)) {
          fprintf(stderr, "%s:%d: error: malformed line designator after "
                          "expected-%s (use @+N, @-N, @above, @below or "
                          "@unknown)\n", src->name, line, kinds[kind]);
          ok = false;
          continue;
        }
      }
      while (*k == ' ')
        ++k;
      const char *open = !strncmp(k, "{{", 2) ? k : NULL;
      const char *close = open ? strstr(open + 2, "}}") : NULL;
      /* The message ends at the last "}}" on the line. */
      for (const char *c = close; c; c = strstr(c + 2, "}}"))
        close = c;
      if (!open || !close) {
        fprintf(stderr, "%s:%d: error: expected-%s needs a message in "
                        "{{...}}\n", src->name, line, kinds[kind]);
        ok = false;
        continue;
      }
      st->expected = realloc(st->expected,
                             sizeof(Expected) * (st->numExpected + 1));
      Expected *x = &st->expected[st->numExpected++];
      x->severity = sevs[kind];
      x->line = target;
      x->commentLine = line;
      x->commentCol = (int)(q - copy) + 1;
      size_t ml = (size_t)(close - (open + 2));
      x->message = malloc(ml + 1);
      memcpy(x->message, open + 2, ml);
      x->message[ml] = 0;
      x->matched = false;
    }
    free(copy);
    p = e + 1;
  }
  return ok;
}

bool diagStateFinish(DiagState *st) {
  if (!st->verify)
    return true;
  for (size_t i = 0; i < st->numExpected; ++i) {
    Expected *e = &st->expected[i];
    if (e->matched)
      continue;
    st->verifyFailed = true;
    /* mlir-opt's form: the designator's line and column, then the line. */
    fprintf(stderr, "%s:%d:%d: error: expected %s \"%s\" was not produced\n",
            st->src->name, e->commentLine, e->commentCol,
            severityName(e->severity), e->message);
    /* The caret's range is as long as the message, as mlir-opt's. */
    size_t ml = strlen(e->message);
    char tail[64];
    size_t nt = ml > 1 ? (ml - 1 < sizeof tail - 1 ? ml - 1 : sizeof tail - 1) : 0;
    memset(tail, '~', nt);
    tail[nt] = 0;
    printSourceLine(st->src, e->commentLine, e->commentCol, tail);
  }
  return !st->verifyFailed;
}

void diagStateFree(DiagState *st) {
  for (size_t i = 0; i < st->numExpected; ++i)
    free(st->expected[i].message);
  free(st->expected);
  st->expected = NULL;
  st->numExpected = 0;
}

void emitErrorAt(MlirContext ctx, const Source *src, int line, int col,
                 const char *message) {
  MlirLocation loc = mlirLocationFileLineColGet(
      ctx, mlirStringRefCreateFromCString(src->name), (unsigned)line,
      (unsigned)col);
  mlirEmitError(loc, message);
}
