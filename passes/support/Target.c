/* The one reader of #nvvm.target (support/Target.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>

#include "Support.h"
#include "Target.h"

int tlChipSm(const char *chip) {
  if (!chip || strncmp(chip, "sm_", 3) != 0 || chip[3] < '0' || chip[3] > '9')
    return -1;
  return atoi(chip + 3);
}

/* Per chip: the PTX ISA version it needs at least (PTX ISA release notes)
   and the most shared memory one block may use, static plus dynamic, with
   the opt-in (CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN): the
   CUDA C++ Programming Guide's "Technical Specifications per Compute
   Capability", row "Maximum amount of shared memory per thread block":
   7.0/7.2 96 KB, 7.5 64 KB, 8.0/8.7 163 KB, 8.6/8.9 99 KB, 9.0 and 10.0
   227 KB, 12.0 99 KB (CUTLASS's cutlass/arch/arch.h has the same numbers:
   sm100_smem_capacity_bytes = 232448, sm120_smem_capacity_bytes =
   101376). */
static const struct {
  const char *chip;
  int ptx;
  int64_t sharedOptIn;
} kChips[] = {{"sm_70", 60, 98304},    {"sm_72", 61, 98304},
              {"sm_75", 63, 65536},    {"sm_80", 70, 166912},
              {"sm_86", 71, 101376},   {"sm_87", 74, 166912},
              {"sm_89", 78, 101376},   {"sm_90", 78, 232448},
              {"sm_90a", 80, 232448},  {"sm_100", 86, 232448},
              {"sm_100a", 86, 232448}, {"sm_120", 87, 101376},
              {"sm_120a", 87, 101376}};

const char tlChipList[] = "sm_70, sm_72, sm_75, sm_80, sm_86, sm_87, sm_89, "
                          "sm_90, sm_90a, sm_100, sm_100a, sm_120, sm_120a";

int tlChipMinPtx(const char *chip) {
  if (!chip)
    return -1;
  for (size_t i = 0; i < sizeof kChips / sizeof kChips[0]; ++i)
    if (!strcmp(kChips[i].chip, chip))
      return kChips[i].ptx;
  return -1;
}

bool tlChipCheck(const char *pass, const char *chip, char *msg, size_t cap) {
  if (chip && tlChipMinPtx(chip) >= 0)
    return true;
  if (msg && cap)
    snprintf(msg, cap, "%s: unsupported chip '%.64s' (supported: %s)", pass,
             chip ? chip : "", tlChipList);
  return false;
}

typedef struct ChipWalk {
  const char *pass;
  bool ok;
} ChipWalk;

static MlirWalkResult checkModuleChips(MlirOperation op, void *userData) {
  ChipWalk *w = userData;
  if (!tlOpIsNamed(op, "gpu.module"))
    return MlirWalkResultAdvance;
  TlTarget t[TL_MAX_TARGETS];
  intptr_t n = tlModuleTargets(op, t, TL_MAX_TARGETS);
  for (intptr_t i = 0; i < n && i < TL_MAX_TARGETS; ++i) {
    char msg[256];
    if (!tlChipCheck(w->pass, t[i].chip, msg, sizeof msg)) {
      tlEmitErrorf(mlirOperationGetLocation(op), "%s", msg);
      w->ok = false;
    }
  }
  return MlirWalkResultSkip;
}

bool tlCheckTargetChips(MlirOperation op, const char *pass) {
  ChipWalk w = {pass, true};
  mlirOperationWalk(op, checkModuleChips, &w, MlirWalkPreOrder);
  return w.ok;
}

int64_t tlChipSharedOptIn(const char *chip) {
  if (!chip)
    return -1;
  for (size_t i = 0; i < sizeof kChips / sizeof kChips[0]; ++i)
    if (!strcmp(kChips[i].chip, chip))
      return kChips[i].sharedOptIn;
  return -1;
}

static TlTarget targetFor(const char *chip) {
  TlTarget t = {.ptx = 0};
  snprintf(t.chip, sizeof t.chip, "%s", chip);
  t.sm = tlChipSm(t.chip);
  return t;
}

intptr_t tlModuleTargets(MlirOperation op, TlTarget *out, intptr_t cap) {
  MlirOperation m = op;
  while (!mlirOperationIsNull(m) && !tlOpIsNamed(m, "gpu.module"))
    m = mlirOperationGetParentOperation(m);
  if (mlirOperationIsNull(m))
    return 0;
  MlirAttribute targets =
      mlirOperationGetAttributeByName(m, mlirStringRefCreateFromCString("targets"));
  if (mlirAttributeIsNull(targets) || !mlirAttributeIsAArray(targets))
    return 0;
  intptr_t n = 0;
  for (intptr_t i = 0; i < mlirArrayAttrGetNumElements(targets); ++i) {
    MlirAttribute a = mlirArrayAttrGetElement(targets, i);
    if (!tlAttrPrintsWithPrefix(a, "#nvvm.target"))
      continue;
    if (n < cap) {
      TlStr s = {0};
      tlStrAppendAttr(&s, a);
      TlTarget *t = &out[n];
      if (!tlPrintedParam(tlStrGet(&s), "chip", t->chip, sizeof t->chip))
        snprintf(t->chip, sizeof t->chip, "sm_50"); /* NVVMTargetAttr's default */
      t->sm = tlChipSm(t->chip);
      t->ptx = 0;
      if (!tlPrintedParam(tlStrGet(&s), "features", t->features, sizeof t->features))
        t->features[0] = 0;
      const char *p = strstr(t->features, "+ptx");
      if (p)
        t->ptx = atoi(p + 4);
      tlStrFree(&s);
    }
    ++n;
  }
  return n;
}

TlTarget tlTargetOf(MlirOperation op, const char *defaultChip, bool *stated) {
  TlTarget t[1];
  bool have = tlModuleTargets(op, t, 1) > 0;
  if (stated)
    *stated = have;
  return have ? t[0] : targetFor(defaultChip);
}

TlTarget tlLowestTarget(MlirOperation op, const char *defaultChip) {
  TlTarget t[TL_MAX_TARGETS];
  intptr_t n = tlModuleTargets(op, t, TL_MAX_TARGETS);
  if (n > TL_MAX_TARGETS)
    n = TL_MAX_TARGETS;
  if (n == 0)
    return targetFor(defaultChip);
  intptr_t best = 0;
  for (intptr_t i = 1; i < n; ++i)
    if (t[i].sm < t[best].sm)
      best = i;
  return t[best];
}
