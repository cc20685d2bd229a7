/* cp.async (docs/mma-copies.md): global -> shared copies of 4, 8 or 16
 * bytes per thread that bypass the registers, completed through cp.async
 * groups. */
#include <stdio.h>
#include <stdlib.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Select.h"

//===--------------------------------------------------------------------===//
// Selection (tl-infer-layouts)
//===--------------------------------------------------------------------===//

/* Whether a global -> shared copy with vector width v can be cp.async
   (docs/mma-copies.md). */
bool tlSelCpAsyncCheck(TlSelect *it, char *why, size_t cap) {
  int64_t v = it->v;
  if (it->s[0].scope != TlScopeGlobal || it->s[1].scope != TlScopeShared)
    TL_SEL_NO("cp.async copies global to shared memory only");
  TlTarget t = tlSelTarget(it);
  if (t.sm < 80)
    TL_SEL_NO("chip %s has no cp.async (sm_80+)", t.chip);
  if (t.ptx && t.ptx < 70)
    TL_SEL_NO(
        "cp.async needs PTX ISA 7.0, but the target's features say +ptx%d",
        t.ptx);
  if (!mlirAttributeIsNull(it->loop))
    TL_SEL_NO("a loop_layout is given (SIMT only)");
  if (!mlirTypeEqual(it->s[0].elt, it->s[1].elt))
    TL_SEL_NO("the copy casts its elements (cp.async moves bytes)");
  if (it->s[0].bits % 8 != 0)
    TL_SEL_NO("sub-byte elements");
  int64_t bytes = v * (it->s[0].bits / 8);
  if (bytes != 4 && bytes != 8 && bytes != 16)
    TL_SEL_NO("chunks of %lld bytes (v=%lld); cp.async moves 4, 8 or 16",
              (long long)bytes, (long long)v);
  TlCopyOptions o = tlCopyOpGetOptions(it->op);
  if (o.evictionPolicy == TlEvictFirst || o.evictionPolicy == TlEvictLast)
    TL_SEL_NO("an eviction_policy is set (cp.async has no L1 eviction "
              "qualifier)");
  if (!tlSelSafeValueIsZero(&o))
    TL_SEL_NO("safe_value is not 0 (cp.async fills with zeros)");
  return true;
}

/* The default global -> shared path on sm_80..sm_89, chosen by annotations
   use_cp_async = true elsewhere. */
TlSelVerdict tlSelCpAsyncPrefer(TlSelect *s, bool can, char *why, size_t cap) {
  int sm = tlSelTarget(s).sm;
  bool dflt = sm >= 80 && sm < 90;
  bool want = s->useCpAsync == 1 || (s->useCpAsync < 0 && dflt);
  if (s->useCpAsync == 1 && !can) {
    tlSelError(s->st, s->op,
               "use_cp_async = true, but cp.async cannot be "
               "used: %s",
               why);
    return TlSelFail;
  }
  if (can && want)
    return TlSelTake;
  if (can && s->useCpAsync == 0)
    snprintf(why, cap, "use_cp_async = false");
  else if (!dflt && s->useCpAsync < 0)
    why[0] = 0; /* not cp.async's chip: nothing to report */
  return TlSelPass;
}
