/* Ranking the candidate instructions of a copy (docs/infer-layouts.md).
 *
 * Each kind of copy (by the scopes of its sides) has its candidates in
 * order of preference. One loop walks them: it runs each candidate's
 * capability check through the instruction table (copy/Contract.h), and
 * the candidate's preference rule (the user's demands, prefer-tma, the
 * measured default) takes it, passes over it, or fails the op. The walk
 * happens in phases, because what a check needs is known at different
 * times: the engines (TMA, bulk) need no fragment layout and are chosen
 * before the fragment groups; ldmatrix / stmatrix need the group's layout;
 * cp.async and TMA im2col the final vector width; simt and direct are the
 * fallbacks. */
#include <mlir-c/BuiltinAttributes.h>

#include "Select.h"

//===--------------------------------------------------------------------===//
// The candidates
//===--------------------------------------------------------------------===//

typedef enum Phase {
  PhaseEngine,  /* before the fragment layouts */
  PhaseLayout,  /* with the fragment layout, before coalesced_width */
  PhaseWidth,   /* with the final vector width */
  PhaseFallback /* always possible */
} Phase;

static const Phase kPhase[TlInstCount] = {
    [TlInstBulkLoad] = PhaseEngine, [TlInstBulkStore] = PhaseEngine,
    [TlInstTmaLoad] = PhaseEngine,  [TlInstTmaStore] = PhaseEngine,
    [TlInstLdmatrix] = PhaseLayout, [TlInstStmatrix] = PhaseLayout,
    [TlInstCpAsync] = PhaseWidth,   [TlInstTmaIm2Col] = PhaseWidth,
    [TlInstSimt] = PhaseFallback,   [TlInstDirect] = PhaseFallback,
};

/* Every copy considers the engines of its direction (a use_bulk / use_tma
   demand on a copy they cannot carry is an error with their reason). */
static const TlInst kGlobalToShared[] = {TlInstBulkLoad, TlInstTmaLoad,
                                         TlInstCpAsync, TlInstSimt};
static const TlInst kFromGlobal[] = {TlInstBulkLoad, TlInstTmaLoad, TlInstSimt};
static const TlInst kSharedToFragment[] = {TlInstBulkStore, TlInstTmaStore,
                                           TlInstLdmatrix, TlInstSimt};
static const TlInst kFragmentToShared[] = {TlInstBulkStore, TlInstTmaStore,
                                           TlInstStmatrix, TlInstSimt};
static const TlInst kFragmentToFragment[] = {TlInstBulkStore, TlInstTmaStore,
                                             TlInstDirect};
static const TlInst kOther[] = {TlInstBulkStore, TlInstTmaStore, TlInstSimt};
static const TlInst kIm2Col[] = {TlInstTmaIm2Col, TlInstSimt};

typedef struct Order {
  const TlInst *inst;
  size_t n;
} Order;

#define ORDER(a) ((Order){a, sizeof a / sizeof a[0]})

static Order orderOf(const TlSelect *it) {
  if (it->im2col)
    return ORDER(kIm2Col);
  TlScope from = it->s[0].scope, to = it->s[1].scope;
  if (from == TlScopeGlobal)
    return to == TlScopeShared ? ORDER(kGlobalToShared) : ORDER(kFromGlobal);
  if (from == TlScopeShared && to == TlScopeFragment)
    return ORDER(kSharedToFragment);
  if (from == TlScopeFragment && to == TlScopeShared)
    return ORDER(kFragmentToShared);
  if (from == TlScopeFragment && to == TlScopeFragment)
    return ORDER(kFragmentToFragment);
  return ORDER(kOther);
}

/* Walks the op's candidates of `phase`, most preferred first: the first
   one its preference takes (after its choice was recorded), or TlInstNone
   when there is none or a demand failed (it->ok is then false). */
static TlInst rank(TlSelect *it, Phase phase) {
  Order o = orderOf(it);
  for (size_t i = 0; i < o.n; ++i) {
    TlInst inst = o.inst[i];
    if (kPhase[inst] != phase)
      continue;
    const TlInstImpl *impl = tlInstImpl(inst);
    char *why = it->why[inst];
    why[0] = 0;
    bool can = !impl->check || impl->check(it, why, TL_SEL_WHY);
    TlSelVerdict v = impl->prefer ? impl->prefer(it, can, why, TL_SEL_WHY)
                     : can        ? TlSelTake
                                  : TlSelPass;
    if (v == TlSelFail) {
      it->ok = false;
      return TlInstNone;
    }
    if (v == TlSelTake) {
      it->inst = inst;
      if (impl->choose)
        impl->choose(it);
      return inst;
    }
  }
  return TlInstNone;
}

//===--------------------------------------------------------------------===//
// The phases
//===--------------------------------------------------------------------===//

void tlSelChooseEngines(TlSelect *it) { rank(it, PhaseEngine); }

/* The width the copy's layout allows, and its map (null: the default map,
   chosen with the final width); false when the copy's group failed. */
static bool layoutWidth(TlSelect *it, MlirAffineMap *map) {
  it->w = it->cand;
  *map = (MlirAffineMap){NULL};
  if (it->group >= 0) {
    TlSelFrag *r = &it->st->frags.f[it->group];
    if (r->failed)
      return false;
    TlStr name = {0};
    tlSelFragName(&name, r);
    tlSelLimitTo(&it->w, r->vf, "the layout of the fragment %s allows %lld",
                 tlStrGet(&name), (long long)r->vf);
    tlStrFree(&name);
    *map = r->ref;
    it->locals = r->locals;
  } else if (!mlirAttributeIsNull(it->loop)) {
    tlSelLimitTo(&it->w, it->loopVf, "the loop_layout allows %lld",
                 (long long)it->loopVf);
    *map = it->loopMap;
    it->locals = it->loopLocals;
  }
  return true;
}

void tlSelChooseFinal(TlSelect *it, MlirContext ctx) {
  (void)ctx;
  MlirAffineMap map;
  if (!layoutWidth(it, &map))
    return;
  TlInst inst = rank(it, PhaseLayout);
  if (!it->ok)
    return;
  if (!tlSelApplyDemand(it, &it->w)) {
    it->inst = TlInstNone;
    return;
  }
  it->v = it->w.v;
  if (inst == TlInstNone)
    inst = rank(it, PhaseWidth);
  if (!it->ok)
    return;
  if (inst == TlInstNone)
    rank(it, PhaseFallback);
  tlSelRecordThreadMap(it, map);
}
