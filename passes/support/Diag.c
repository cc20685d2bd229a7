/* The located-error helper (support/Diag.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "Diag.h"
#include "Support.h"

void tlOpErrorV(MlirOperation op, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  size_t cap = n > 0 ? (size_t)n + 1 : 1;
  char *buf = malloc(cap);
  if (!buf)
    abort();
  vsnprintf(buf, cap, fmt, ap);
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(op));
  tlEmitErrorf(mlirOperationGetLocation(op), "'%.*s' op %s", (int)name.length,
               name.data, buf);
  free(buf);
}

void tlOpError(MlirOperation op, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tlOpErrorV(op, fmt, ap);
  va_end(ap);
}

const char *tlOpWhere(MlirOperation op, char *buf, size_t cap) {
  MlirLocation loc = mlirOperationGetLocation(op);
  for (int depth = 0; depth < 8; ++depth) {
    if (mlirLocationIsAName(loc))
      loc = mlirLocationNameGetChildLoc(loc);
    else if (mlirLocationIsACallSite(loc))
      loc = mlirLocationCallSiteGetCallee(loc);
    else
      break;
  }
  TlStr s = {0};
  if (mlirLocationIsAFileLineColRange(loc))
    tlStrAppendf(&s, "line %d, column %d",
                 mlirLocationFileLineColRangeGetStartLine(loc),
                 mlirLocationFileLineColRangeGetStartColumn(loc));
  else
    mlirLocationPrint(loc, tlStrCallback, &s);
  snprintf(buf, cap, "%s", tlStrGet(&s));
  tlStrFree(&s);
  return buf;
}

bool tlLocationFileLineCol(MlirLocation loc, MlirStringRef *file, int *line,
                        int *col) {
  for (int depth = 0; depth < 16 && !mlirLocationIsNull(loc); ++depth) {
    if (mlirLocationIsAFileLineColRange(loc)) {
      *file = mlirIdentifierStr(mlirLocationFileLineColRangeGetFilename(loc));
      *line = mlirLocationFileLineColRangeGetStartLine(loc);
      *col = mlirLocationFileLineColRangeGetStartColumn(loc);
      return true;
    }
    if (mlirLocationIsAName(loc)) {
      loc = mlirLocationNameGetChildLoc(loc);
    } else if (mlirLocationIsACallSite(loc)) {
      loc = mlirLocationCallSiteGetCallee(loc);
    } else if (mlirLocationIsAFused(loc)) {
      if (mlirLocationFusedGetNumLocations(loc) < 1)
        return false;
      MlirLocation *locs = malloc(
          sizeof(MlirLocation) * (size_t)mlirLocationFusedGetNumLocations(loc));
      if (!locs)
        abort();
      mlirLocationFusedGetLocations(loc, locs);
      MlirLocation first = locs[0];
      free(locs);
      loc = first;
    } else {
      return false;
    }
  }
  return false;
}
