/* Internal helpers shared by the dialect, the passes and the C API. */
#ifndef TL_DIALECT_SUPPORT_H
#define TL_DIALECT_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <mlir-c/IR.h>

/// A growable, always NUL-terminated string. Zero-initialize, then append;
/// tlStrFree releases it.
typedef struct TlStr {
  char *data;
  size_t len, cap;
} TlStr;

void tlStrAppend(TlStr *s, const char *text, size_t n);
void tlStrAppendf(TlStr *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tlStrFree(TlStr *s);
/// The text, "" for an empty string.
const char *tlStrGet(const TlStr *s);
/// An MlirStringCallback appending to the TlStr in userData.
void tlStrCallback(MlirStringRef text, void *userData);

/// Appends the printed form of an attribute / type / affine map.
void tlStrAppendAttr(TlStr *s, MlirAttribute attr);
void tlStrAppendType(TlStr *s, MlirType type);

/// True when the printed form of `attr` equals `text`.
bool tlAttrPrintsAs(MlirAttribute attr, const char *text);
/// True when the printed form of `attr` starts with `prefix`.
bool tlAttrPrintsWithPrefix(MlirAttribute attr, const char *prefix);

/// True when `op` is named `name`.
bool tlOpIsNamed(MlirOperation op, const char *name);

/// Emits an error at `loc` with a printf-style message.
void tlEmitErrorf(MlirLocation loc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/// Copies into `out` (capacity `cap`) the quoted value of `key = "..."` in
/// a printed attribute (e.g. the chip of an #nvvm.target). False when the
/// key is absent or the value does not fit.
bool tlPrintedParam(const char *text, const char *key, char *out, size_t cap);

/// Appends "AxBx?xC" for a shape (ShapedType dims; dynamic as '?').
void tlStrAppendShape(TlStr *s, intptr_t rank, const int64_t *dims);

#endif
