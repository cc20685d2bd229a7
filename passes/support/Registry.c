/* The table of tl passes, their options, and creation by name. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "PassSupport.h"

static const TlPassDef *const kPasses[] = {
    &tlVerifyPassDef,
    &tlPipelinePassDef,
    &tlLegalizeRegionsPassDef,
    &tlInferLayoutsPassDef,
    &tlLowerCopyPassDef,
    &tlLowerIm2ColPassDef,
    &tlToNVVMPassDef,
};
static const intptr_t kNumPasses = sizeof(kPasses) / sizeof(kPasses[0]);

intptr_t tlGetNumPasses(void) { return kNumPasses; }

const TlPassInfo *tlGetPassInfo(intptr_t pos) {
  return pos >= 0 && pos < kNumPasses ? &kPasses[pos]->info : NULL;
}

static const TlPassDef *lookupDef(MlirStringRef name) {
  for (intptr_t i = 0; i < kNumPasses; ++i) {
    const char *arg = kPasses[i]->info.argument;
    if (strlen(arg) == name.length && memcmp(arg, name.data, name.length) == 0)
      return kPasses[i];
  }
  return NULL;
}

const TlPassInfo *tlLookupPass(MlirStringRef argument) {
  const TlPassDef *def = lookupDef(argument);
  return def ? &def->info : NULL;
}

void tlReport(MlirStringCallback cb, void *userData, const char *fmt, ...) {
  if (!cb)
    return;
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
  cb(mlirStringRefCreate(buf, len), userData);
}

//===--------------------------------------------------------------------===//
// External passes
//===--------------------------------------------------------------------===//

typedef struct ExternalPassState {
  TlPassRunFn run;
  size_t size;
  unsigned char bytes[]; /* the pass's own state */
} ExternalPassState;

static ExternalPassState *copyState(TlPassRunFn run, const void *bytes,
                                    size_t size) {
  ExternalPassState *s = malloc(sizeof(ExternalPassState) + size);
  if (!s)
    abort(); /* out of memory: nothing sensible is left to do */
  s->run = run;
  s->size = size;
  if (size)
    memcpy(s->bytes, bytes, size);
  return s;
}

static void passConstruct(void *userData) { (void)userData; }
static void passDestruct(void *userData) { free(userData); }
static void *passClone(void *userData) {
  ExternalPassState *s = userData;
  return copyState(s->run, s->bytes, s->size);
}
static void passRun(MlirOperation op, MlirExternalPass pass, void *userData) {
  ExternalPassState *s = userData;
  s->run(op, pass, s->bytes);
}

MlirPass tlCreateExternalPass(void *typeIdStorage, const TlPassInfo *info,
                              intptr_t nDependentDialects,
                              MlirDialectHandle *dependentDialects,
                              TlPassRunFn run, const void *state,
                              size_t stateSize) {
  MlirExternalPassCallbacks callbacks = {passConstruct, passDestruct, NULL,
                                         passClone, passRun};
  return mlirCreateExternalPass(
      mlirTypeIDCreate(typeIdStorage),
      mlirStringRefCreateFromCString(info->argument),
      mlirStringRefCreateFromCString(info->argument),
      mlirStringRefCreateFromCString(info->description),
      mlirStringRefCreate("", 0), nDependentDialects, dependentDialects,
      callbacks, copyState(run, state, stateSize));
}

//===--------------------------------------------------------------------===//
// Options: "key=value key2=value", values possibly quoted or braced.
//===--------------------------------------------------------------------===//

static bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool parseOptionValue(const TlPassInfo *info, intptr_t idx,
                             const char *v, size_t n, TlOptionValues *out,
                             MlirStringCallback err, void *ud) {
  const TlPassOptionInfo *o = &info->options[idx];
  char buf[TL_MAX_OPTION_STRING];
  if (n >= sizeof buf) {
    tlReport(err, ud, "%s: value of option '%s' is too long", info->argument,
             o->name);
    return false;
  }
  memcpy(buf, v, n);
  buf[n] = 0;
  switch (o->kind) {
  case TlPassOptionBool:
    if (!strcmp(buf, "true") || !strcmp(buf, "1") || n == 0)
      out->boolValue[idx] = true;
    else if (!strcmp(buf, "false") || !strcmp(buf, "0"))
      out->boolValue[idx] = false;
    else {
      tlReport(err, ud, "%s: option '%s' expects true or false, got '%s'",
               info->argument, o->name, buf);
      return false;
    }
    return true;
  case TlPassOptionInt: {
    char *end = NULL;
    long long x = n ? strtoll(buf, &end, 0) : 0;
    if (!n || *end) {
      tlReport(err, ud, "%s: option '%s' expects an integer, got '%s'",
               info->argument, o->name, buf);
      return false;
    }
    out->intValue[idx] = x;
    return true;
  }
  case TlPassOptionString:
    if (n >= 2 && (buf[0] == '"' || buf[0] == '\'') && buf[n - 1] == buf[0]) {
      memmove(buf, buf + 1, n - 2);
      buf[n - 2] = 0;
    }
    strcpy(out->stringValue[idx], buf);
    return true;
  }
  return false;
}

static bool setDefaults(const TlPassInfo *info, TlOptionValues *out,
                        MlirStringCallback err, void *ud) {
  memset(out, 0, sizeof *out);
  out->count = info->numOptions;
  for (intptr_t i = 0; i < info->numOptions; ++i) {
    const char *d = info->options[i].defaultValue;
    if (!parseOptionValue(info, i, d, strlen(d), out, err, ud))
      return false;
  }
  return true;
}

static bool parseOptions(const TlPassInfo *info, MlirStringRef text,
                         TlOptionValues *out, MlirStringCallback err,
                         void *ud) {
  if (!setDefaults(info, out, err, ud))
    return false;
  const char *p = text.data, *end = text.data + text.length;
  while (p < end) {
    while (p < end && isSpace(*p))
      ++p;
    if (p == end)
      break;
    const char *key = p;
    while (p < end && !isSpace(*p) && *p != '=')
      ++p;
    size_t keyLen = (size_t)(p - key);
    const char *val = p;
    size_t valLen = 0;
    if (p < end && *p == '=') {
      val = ++p;
      int depth = 0;
      char quote = 0;
      while (p < end) {
        char c = *p;
        if (quote) {
          if (c == quote)
            quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '{') {
          ++depth;
        } else if (c == '}') {
          --depth;
        } else if (isSpace(c) && depth == 0) {
          break;
        }
        ++p;
      }
      valLen = (size_t)(p - val);
    }
    intptr_t idx = -1;
    for (intptr_t i = 0; i < info->numOptions; ++i)
      if (strlen(info->options[i].name) == keyLen &&
          !memcmp(info->options[i].name, key, keyLen))
        idx = i;
    if (idx < 0) {
      tlReport(err, ud, "%s: unknown option '%.*s'%s", info->argument,
               (int)keyLen, key,
               info->numOptions ? "" : " (this pass takes no options)");
      return false;
    }
    if (info->options[idx].kind != TlPassOptionBool && val == p &&
        valLen == 0 && (val == key + keyLen)) {
      tlReport(err, ud, "%s: option '%.*s' needs a value", info->argument,
               (int)keyLen, key);
      return false;
    }
    if (!parseOptionValue(info, idx, val, valLen, out, err, ud))
      return false;
  }
  return true;
}

MlirLogicalResult tlOpPassManagerAddPass(MlirOpPassManager pm,
                                         MlirStringRef argument,
                                         MlirStringRef options,
                                         MlirStringCallback err,
                                         void *userData) {
  if (!pm.ptr || (!argument.data && argument.length) ||
      (!options.data && options.length)) {
    tlReport(err, userData, "tlOpPassManagerAddPass: null pass manager or "
                            "string");
    return mlirLogicalResultFailure();
  }
  const TlPassDef *def = lookupDef(argument);
  if (!def) {
    tlReport(err, userData, "'%.*s' is not a tl pass", (int)argument.length,
             argument.data);
    return mlirLogicalResultFailure();
  }
  TlOptionValues values;
  if (!parseOptions(&def->info, options, &values, err, userData))
    return mlirLogicalResultFailure();
  if (!def->add) {
    mlirOpPassManagerAddOwnedPass(pm, def->create());
    return mlirLogicalResultSuccess();
  }
  return def->add(pm, &values, err, userData);
}
