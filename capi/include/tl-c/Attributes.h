/*===-- tl-c/Attributes.h - tl types, attributes and scopes --------*- C -*-===*\
|*                                                                            *|
|* The tl type !tl.buffer_region, the memory-space attribute #tl.fragment,    *|
|* the layout attribute #tl.fragment_layout<map, threads, replicate>, and the *|
|* scope (global / shared / fragment) of a memref. Every getter returns a     *|
|* null handle (or 0) when tl is not loaded in the context or the arguments   *|
|* are invalid; attributes and types are owned by their context.              *|
\*===----------------------------------------------------------------------===*/
#ifndef TL_C_ATTRIBUTES_H
#define TL_C_ATTRIBUTES_H

#include <mlir-c/AffineMap.h>
#include <mlir-c/IR.h>

#ifdef __cplusplus
extern "C" {
#endif

/// TileLang's buffer scopes. The order is the scope level of design.md §3
/// (fragment 2, shared 1, global 0); TlScopeInvalid is any other memory space.
typedef enum TlScope {
  TlScopeInvalid = -1,
  TlScopeGlobal = 0,
  TlScopeShared = 1,
  TlScopeFragment = 2,
} TlScope;

/// Returns the scope of a memref type: no memory space or
/// #gpu.address_space<global> is global, #gpu.address_space<workgroup> is
/// shared, #tl.fragment is fragment. TlScopeInvalid for anything else,
/// including a type that is not a memref.
TlScope tlMemRefTypeGetScope(MlirType type);

/// Returns "global", "shared", "fragment" or "invalid" (static strings).
const char *tlScopeGetName(TlScope scope);

/// Returns the type !tl.buffer_region; null if tl is not loaded in `ctx`.
MlirType tlBufferRegionTypeGet(MlirContext ctx);

/// Returns true if `type` is !tl.buffer_region.
bool tlTypeIsABufferRegion(MlirType type);

/// Returns the type !tl.token (the result of tl.copy_async, consumed by
/// tl.wait); null if tl is not loaded in `ctx`.
MlirType tlTokenTypeGet(MlirContext ctx);

/// Returns true if `type` is !tl.token.
bool tlTypeIsAToken(MlirType type);

/// Returns the memory-space attribute #tl.fragment; null if tl is not loaded.
MlirAttribute tlFragmentAttrGet(MlirContext ctx);

/// Returns true if `attr` is #tl.fragment.
bool tlAttributeIsAFragment(MlirAttribute attr);

/// Returns #tl.fragment_layout<map, threads : i64, replicate : i64>. `map`
/// goes from tile indices to (thread, local index): it must have exactly two
/// results; `threads` must be > 0 and `replicate` >= 1. Returns a null
/// attribute (and emits nothing) when any of this does not hold or tl is not
/// loaded.
MlirAttribute tlFragmentLayoutAttrGet(MlirAffineMap map, int64_t threads,
                                      int64_t replicate);

/// Returns true if `attr` is a #tl.fragment_layout.
bool tlAttributeIsAFragmentLayout(MlirAttribute attr);

/// Parameters of a #tl.fragment_layout. Each returns a null map / 0 when
/// `attr` is not a fragment layout or its parameter has the wrong kind.
MlirAffineMap tlFragmentLayoutAttrGetMap(MlirAttribute attr);
int64_t tlFragmentLayoutAttrGetThreads(MlirAttribute attr);
int64_t tlFragmentLayoutAttrGetReplicate(MlirAttribute attr);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_ATTRIBUTES_H */
