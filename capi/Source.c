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
    prev = c;
    ++p;
    ++col;
  }
  return ok ? mlirLogicalResultSuccess() : mlirLogicalResultFailure();
}
