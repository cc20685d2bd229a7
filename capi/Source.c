/* Text checks for inputs that crash MLIR 22's parser (found by fuzzing). */
#include "tl-c/Source.h"

#include <stdio.h>
#include <string.h>

#include <mlir-c/Diagnostics.h>

static bool isIdent(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$' ||
         c == '!' || c == '#' || c == '-';
}

/* Nesting: MLIR's parser (and the walks, the verifier and the printer
   after it) recurse once per nested region, attribute, type or
   parenthesis: about 2.6 KB of stack per scf.for level, so 3,000 levels
   overflow an 8 MB stack and 400 a 1 MB one. Brackets ( [ { < count
   (a '>' of "->" or ">=" does not close); TL_SOURCE_MAX_NESTING bounds
   the depth, far above any real kernel and safe on a 1 MB stack. */
typedef struct Nesting {
  int depth, worst;
  unsigned line, col; /* where the bound was first passed */
} Nesting;

static void nest(Nesting *n, const char *p, const char *begin,
                 const char *end, unsigned line, unsigned col) {
  char c = *p;
  bool closeAngle = c == '>' && !(p > begin && p[-1] == '-') &&
                    !(p + 1 < end && p[1] == '=');
  if (c == '(' || c == '[' || c == '{' || c == '<') {
    if (++n->depth > TL_SOURCE_MAX_NESTING && n->worst <= TL_SOURCE_MAX_NESTING) {
      n->line = line;
      n->col = col;
    }
    if (n->depth > n->worst)
      n->worst = n->depth;
  } else if ((c == ')' || c == ']' || c == '}' || closeAngle) && n->depth > 0) {
    --n->depth;
  }
}

MlirLogicalResult tlCheckSourceForParserCrashes(MlirContext ctx,
                                                MlirStringRef text,
                                                MlirStringRef name) {
  static const char *const kDenseArrayTypes[] = {"i1",  "i8",  "i16", "i32",
                                                 "i64", "f32", "f64"};
  if (mlirContextIsNull(ctx) || (!text.data && text.length))
    return mlirLogicalResultFailure();
  const char *p = text.data, *end = text.data + text.length;
  unsigned line = 1, col = 1;
  bool inString = false, ok = true;
  char prev = ' ';
  Nesting depth = {0, 0, 0, 0};
  while (p < end) {
    char c = *p;
    if (c == '\n') {
      ++line;
      col = 1;
      inString = false;
      prev = ' ';
      ++p;
      continue;
    }
    if (inString) {
      if (c == '\\' && p + 1 < end) {
        p += 2;
        col += 2;
        continue;
      }
      if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '/' && p + 1 < end && p[1] == '/') {
      while (p < end && *p != '\n')
        ++p;
      continue;
    } else if ((size_t)(end - p) > 6 && !memcmp(p, "array<", 6) &&
               !isIdent(prev)) {
      const char *t = p + 6;
      while (t < end && (*t == ' ' || *t == '\t'))
        ++t;
      const char *te = t;
      while (te < end && *te != ':' && *te != '>' && *te != ' ' &&
             *te != '\n')
        ++te;
      size_t n = (size_t)(te - t);
      /* `array<64 x f32>`, an LLVM array type in short form (a count, then
         x), is not a dense array attribute. */
      bool count = n > 0;
      for (const char *q = t; q < te; ++q)
        count &= *q >= '0' && *q <= '9';
      const char *after = te;
      while (after < end && (*after == ' ' || *after == '\t'))
        ++after;
      if (count && after < end && *after == 'x')
        n = 0;
      bool known = false;
      for (size_t i = 0; i < 7; ++i)
        known |= strlen(kDenseArrayTypes[i]) == n &&
                 !memcmp(kDenseArrayTypes[i], t, n);
      if (!known && n > 0) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "dense array attributes take i1, i8, i16, i32, i64, f32 or "
                 "f64 elements, not '%.*s' (MLIR 22's parser would crash on "
                 "this)",
                 (int)(n > 40 ? 40 : n), t);
        mlirEmitError(mlirLocationFileLineColGet(ctx, name, line, col), msg);
        ok = false;
      }
    }
    if (!inString)
      nest(&depth, p, text.data, end, line, col);
    prev = c;
    ++p;
    ++col;
  }
  if (depth.worst > TL_SOURCE_MAX_NESTING) {
    char msg[256];
    snprintf(msg, sizeof msg,
             "the input nests brackets %d deep; tl accepts at most %d "
             "(MLIR's recursive parser would overflow the stack)",
             depth.worst, TL_SOURCE_MAX_NESTING);
    mlirEmitError(mlirLocationFileLineColGet(ctx, name, depth.line, depth.col),
                  msg);
    ok = false;
  }
  return ok ? mlirLogicalResultSuccess() : mlirLogicalResultFailure();
}

MlirModule tlModuleCreateParse(MlirContext ctx, MlirStringRef text,
                               MlirStringRef name) {
  if (mlirLogicalResultIsFailure(tlCheckSourceForParserCrashes(ctx, text, name)))
    return (MlirModule){NULL};
  MlirOperation op = mlirOperationCreateParse(ctx, text, name);
  if (mlirOperationIsNull(op))
    return (MlirModule){NULL};
  if (mlirStringRefEqual(mlirIdentifierStr(mlirOperationGetName(op)),
                         mlirStringRefCreateFromCString("builtin.module")))
    return mlirModuleFromOperation(op);
  /* Not a module: an implicit one around it, as mlir-opt does. */
  MlirModule m = mlirModuleCreateEmpty(mlirOperationGetLocation(op));
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(m), op);
  return m;
}
