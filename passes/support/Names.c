/* The names tl lets reach PTX and C: the rules, their messages, and
   tl-to-nvvm's check of every symbol of a gpu.module (Names.h). */
#include "Names.h"

#include <stdio.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>

static bool isLetter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Prefixes of the names LLVM's NVPTX printer makes up: branch labels,
   the local stack, unnamed globals, return values. A symbol with one could
   collide with, or be shadowed by, one of them. */
static const char *const kReservedPrefixes[] = {"$L__", "__local_depot",
                                                "__unnamed_", "func_retval"};

const char *tlNameRuleText(TlNameRule rule) {
  return rule == TlNamePtx ? "[A-Za-z_$][A-Za-z0-9_$]*"
                           : "[A-Za-z_][A-Za-z0-9_]*";
}

/* "'-'", "a space", "a NUL byte", "non-ASCII byte 0xC3", ... */
static void describeByte(unsigned char c, char *buf, size_t cap) {
  if (c == ' ')
    snprintf(buf, cap, "a space");
  else if (c == '\n')
    snprintf(buf, cap, "a newline");
  else if (c == 0)
    snprintf(buf, cap, "a NUL byte");
  else if (c < 0x20 || c == 0x7f)
    snprintf(buf, cap, "control byte 0x%02X", (unsigned)c);
  else if (c >= 0x80)
    snprintf(buf, cap, "non-ASCII byte 0x%02X", (unsigned)c);
  else
    snprintf(buf, cap, "'%c'", (char)c);
}

static bool hasPrefix(MlirStringRef s, const char *p) {
  size_t n = strlen(p);
  return s.length >= n && !memcmp(s.data, p, n);
}

const char *tlNameProblem(MlirStringRef name, TlNameRule rule, char *buf,
                          size_t cap) {
  if (name.length == 0)
    return "is empty";
  for (size_t i = 0; i < name.length; ++i) {
    unsigned char c = (unsigned char)name.data[i];
    if (isLetter(c) || c == '_' || (i > 0 && isDigit(c)) ||
        (rule == TlNamePtx && c == '$'))
      continue;
    if (i == 0 && isDigit(c))
      return "starts with a digit";
    char what[32];
    describeByte(c, what, sizeof what);
    snprintf(buf, cap, "has %s at byte %zu", what, i + 1);
    return buf;
  }
  if (rule != TlNamePtx)
    return NULL;
  if (name.length == 1)
    if (name.data[0] == '_' || name.data[0] == '$')
      return "is a lone '_' or '$' (PTX wants a letter, digit, '_' or '$' "
             "after one)";
  if (name.length == 7 && !memcmp(name.data, "WARP_SZ", 7))
    return "is WARP_SZ, a predefined identifier of PTX";
  for (size_t i = 0; i < sizeof kReservedPrefixes / sizeof *kReservedPrefixes;
       ++i)
    if (hasPrefix(name, kReservedPrefixes[i])) {
      snprintf(buf, cap, "starts with '%s', which LLVM's PTX printer uses "
                         "for names of its own", kReservedPrefixes[i]);
      return buf;
    }
  return NULL;
}

void tlStrAppendQuoted(TlStr *s, MlirStringRef name) {
  tlStrAppend(s, "\"", 1);
  for (size_t i = 0; i < name.length; ++i) {
    unsigned char c = (unsigned char)name.data[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
      tlStrAppend(s, (const char *)&c, 1);
    else
      tlStrAppendf(s, "\\%02X", (unsigned)c);
  }
  tlStrAppend(s, "\"", 1);
}

void tlStrAppendSymbol(TlStr *s, MlirStringRef name) {
  /* MLIR's bare-id: (letter | '_') (letter | digit | '_' | '$' | '.')*. */
  bool bare = name.length > 0 &&
              (isLetter((unsigned char)name.data[0]) || name.data[0] == '_');
  for (size_t i = 1; bare && i < name.length; ++i) {
    unsigned char c = (unsigned char)name.data[i];
    bare = isLetter(c) || isDigit(c) || c == '_' || c == '$' || c == '.';
  }
  tlStrAppend(s, "@", 1);
  if (bare)
    tlStrAppend(s, name.data, name.length);
  else
    tlStrAppendQuoted(s, name);
}

/* The symbol name of `op`; false when it has none. An empty name has a
   null data pointer, so presence is returned apart. */
static bool symName(MlirOperation op, MlirStringRef *name) {
  MlirAttribute a = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString("sym_name"));
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAString(a))
    return false;
  *name = mlirStringAttrGetValue(a);
  return true;
}

static bool isFunction(MlirOperation op) {
  return tlOpIsNamed(op, "gpu.func") || tlOpIsNamed(op, "func.func") ||
         tlOpIsNamed(op, "llvm.func");
}

/* A declaration of an LLVM intrinsic (llvm.nvvm.read.ptx.sreg.tid.x):
   LLVM lowers its calls, the name never reaches PTX. */
static bool isIntrinsicDecl(MlirOperation op, MlirStringRef name) {
  if (!isFunction(op) || !hasPrefix(name, "llvm."))
    return false;
  return mlirOperationGetNumRegions(op) == 0 ||
         mlirBlockIsNull(
             mlirRegionGetFirstBlock(mlirOperationGetRegion(op, 0)));
}

/* The error at `op`: its name breaks the PTX rule (`problem`), or, when
   `shadowed` is set, is the PTX name of a parameter of that function. */
static void nameError(MlirOperation op, MlirStringRef name,
                      const char *problem, const char *shadowed) {
  TlStr sym = {0};
  tlStrAppendSymbol(&sym, name);
  MlirStringRef o = mlirIdentifierStr(mlirOperationGetName(op));
  if (shadowed)
    tlEmitErrorf(mlirOperationGetLocation(op),
                 "tl-to-nvvm: %.*s %s: PTX gives this name to a parameter of "
                 "%s, which would shadow the symbol there; rename it",
                 (int)o.length, o.data, tlStrGet(&sym), shadowed);
  else
    tlEmitErrorf(mlirOperationGetLocation(op),
                 "tl-to-nvvm: %.*s %s: the name %s; the names of gpu.modules "
                 "and of their symbols reach PTX and C and must match %s "
                 "(docs/passes.md, \"Names\")",
                 (int)o.length, o.data, tlStrGet(&sym), problem,
                 tlNameRuleText(TlNamePtx));
  tlStrFree(&sym);
}

/* Is `name` "<f>_param_<N>" for a function f of `body`? Then PTX would
   resolve it to f's parameter N inside f. */
static bool shadowsParam(MlirBlock body, MlirStringRef name, TlStr *fn) {
  static const char kParam[] = "_param_";
  size_t n = sizeof kParam - 1;
  for (size_t at = name.length; at-- > 0;) {
    if (at + n >= name.length || memcmp(name.data + at, kParam, n))
      continue;
    for (size_t i = at + n; i < name.length; ++i)
      if (!isDigit((unsigned char)name.data[i]))
        return false;
    for (MlirOperation f = mlirBlockGetFirstOperation(body);
         !mlirOperationIsNull(f); f = mlirOperationGetNextInBlock(f)) {
      MlirStringRef fname;
      if (at > 0 && isFunction(f) && symName(f, &fname) &&
          fname.length == at && !memcmp(fname.data, name.data, at)) {
        tlStrAppendSymbol(fn, fname);
        return true;
      }
    }
    return false;
  }
  return false;
}

static bool checkGpuModule(MlirOperation mod) {
  char buf[160];
  bool ok = true;
  MlirStringRef name = mlirStringRefCreate(NULL, 0);
  symName(mod, &name);
  const char *problem = tlNameProblem(name, TlNamePtx, buf, sizeof buf);
  if (problem) {
    nameError(mod, name, problem, NULL);
    ok = false;
  }
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(mod, 0));
  if (mlirBlockIsNull(body))
    return ok;
  for (MlirOperation op = mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    if (!symName(op, &name) || isIntrinsicDecl(op, name))
      continue;
    problem = tlNameProblem(name, TlNamePtx, buf, sizeof buf);
    TlStr fn = {0};
    bool shadows = !problem && shadowsParam(body, name, &fn);
    if (problem || shadows) {
      nameError(op, name, problem, shadows ? tlStrGet(&fn) : NULL);
      ok = false;
    }
    tlStrFree(&fn);
  }
  return ok;
}

static MlirWalkResult checkWalk(MlirOperation op, void *userData) {
  if (!tlOpIsNamed(op, "gpu.module"))
    return MlirWalkResultAdvance;
  if (!checkGpuModule(op))
    *(bool *)userData = false;
  return MlirWalkResultSkip;
}

bool tlCheckGpuSymbolNames(MlirOperation module) {
  bool ok = true;
  mlirOperationWalk(module, checkWalk, &ok, MlirWalkPreOrder);
  return ok;
}
