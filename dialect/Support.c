#include "Support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Diagnostics.h>

void tlStrAppend(TlStr *s, const char *text, size_t n) {
  if (s->len + n + 1 > s->cap) {
    size_t cap = s->cap ? s->cap : 64;
    while (cap < s->len + n + 1)
      cap *= 2;
    char *data = realloc(s->data, cap);
    if (!data)
      abort(); /* out of memory */
    s->data = data;
    s->cap = cap;
  }
  memcpy(s->data + s->len, text, n);
  s->len += n;
  s->data[s->len] = 0;
}

void tlStrAppendf(TlStr *s, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n > 0) {
    char *buf = malloc((size_t)n + 1);
    if (!buf)
      abort();
    vsnprintf(buf, (size_t)n + 1, fmt, ap2);
    tlStrAppend(s, buf, (size_t)n);
    free(buf);
  }
  va_end(ap2);
}

void tlStrFree(TlStr *s) {
  free(s->data);
  s->data = NULL;
  s->len = s->cap = 0;
}

const char *tlStrGet(const TlStr *s) { return s->data ? s->data : ""; }

void tlStrCallback(MlirStringRef text, void *userData) {
  tlStrAppend((TlStr *)userData, text.data, text.length);
}

void tlStrAppendAttr(TlStr *s, MlirAttribute attr) {
  if (mlirAttributeIsNull(attr))
    tlStrAppendf(s, "<<null>>");
  else
    mlirAttributePrint(attr, tlStrCallback, s);
}

void tlStrAppendType(TlStr *s, MlirType type) {
  if (mlirTypeIsNull(type))
    tlStrAppendf(s, "<<null>>");
  else
    mlirTypePrint(type, tlStrCallback, s);
}

bool tlAttrPrintsAs(MlirAttribute attr, const char *text) {
  if (mlirAttributeIsNull(attr))
    return false;
  TlStr s = {0};
  tlStrAppendAttr(&s, attr);
  bool eq = strcmp(tlStrGet(&s), text) == 0;
  tlStrFree(&s);
  return eq;
}

bool tlAttrPrintsWithPrefix(MlirAttribute attr, const char *prefix) {
  if (mlirAttributeIsNull(attr))
    return false;
  TlStr s = {0};
  tlStrAppendAttr(&s, attr);
  bool eq = strncmp(tlStrGet(&s), prefix, strlen(prefix)) == 0;
  tlStrFree(&s);
  return eq;
}

bool tlOpIsNamed(MlirOperation op, const char *name) {
  if (mlirOperationIsNull(op))
    return false;
  MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(op));
  return n.length == strlen(name) && memcmp(n.data, name, n.length) == 0;
}

void tlEmitErrorf(MlirLocation loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *buf = malloc(n > 0 ? (size_t)n + 1 : 1);
  if (!buf)
    abort();
  va_start(ap, fmt);
  vsnprintf(buf, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
  va_end(ap);
  mlirEmitError(loc, buf);
  free(buf);
}

void tlStrAppendShape(TlStr *s, intptr_t rank, const int64_t *dims) {
  for (intptr_t i = 0; i < rank; ++i) {
    if (i)
      tlStrAppend(s, "x", 1);
    if (mlirShapedTypeIsDynamicSize(dims[i]))
      tlStrAppend(s, "?", 1);
    else
      tlStrAppendf(s, "%lld", (long long)dims[i]);
  }
}

bool tlPrintedParam(const char *text, const char *key, char *out, size_t cap) {
  char pat[64];
  snprintf(pat, sizeof pat, "%s = \"", key);
  const char *p = strstr(text, pat);
  if (!p)
    return false;
  p += strlen(pat);
  const char *q = strchr(p, '"');
  if (!q || (size_t)(q - p) >= cap)
    return false;
  memcpy(out, p, (size_t)(q - p));
  out[q - p] = 0;
  return true;
}
