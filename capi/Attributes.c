/* tl types, attributes and scopes. IRDL-defined types and attributes have
   no C accessors of their own: they are built by parsing their printed form
   and read back through it. */
#include "tl-c/Attributes.h"

#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Support.h"
#include "tl-c/Dialect.h"

const char *tlScopeGetName(TlScope scope) {
  switch (scope) {
  case TlScopeGlobal:
    return "global";
  case TlScopeShared:
    return "shared";
  case TlScopeFragment:
    return "fragment";
  default:
    return "invalid";
  }
}

TlScope tlMemRefTypeGetScope(MlirType type) {
  if (mlirTypeIsNull(type) || !mlirTypeIsAMemRef(type))
    return TlScopeInvalid;
  MlirAttribute space = mlirMemRefTypeGetMemorySpace(type);
  /* Printed forms, so that asking never loads a dialect or emits anything. */
  if (mlirAttributeIsNull(space) ||
      tlAttrPrintsAs(space, "#gpu.address_space<global>"))
    return TlScopeGlobal;
  if (tlAttrPrintsAs(space, "#gpu.address_space<workgroup>"))
    return TlScopeShared;
  if (tlAttributeIsAFragment(space))
    return TlScopeFragment;
  return TlScopeInvalid;
}

MlirType tlBufferRegionTypeGet(MlirContext ctx) {
  if (!tlContextIsDialectLoaded(ctx))
    return (MlirType){NULL};
  return mlirTypeParseGet(ctx,
                          mlirStringRefCreateFromCString("!tl.buffer_region"));
}

bool tlTypeIsABufferRegion(MlirType type) {
  if (mlirTypeIsNull(type))
    return false;
  MlirType region = tlBufferRegionTypeGet(mlirTypeGetContext(type));
  return !mlirTypeIsNull(region) && mlirTypeEqual(type, region);
}

MlirType tlTokenTypeGet(MlirContext ctx) {
  if (!tlContextIsDialectLoaded(ctx))
    return (MlirType){NULL};
  return mlirTypeParseGet(ctx, mlirStringRefCreateFromCString("!tl.token"));
}

bool tlTypeIsAToken(MlirType type) {
  if (mlirTypeIsNull(type))
    return false;
  MlirType token = tlTokenTypeGet(mlirTypeGetContext(type));
  return !mlirTypeIsNull(token) && mlirTypeEqual(type, token);
}

MlirAttribute tlFragmentAttrGet(MlirContext ctx) {
  if (!tlContextIsDialectLoaded(ctx))
    return (MlirAttribute){NULL};
  return mlirAttributeParseGet(ctx,
                               mlirStringRefCreateFromCString("#tl.fragment"));
}

bool tlAttributeIsAFragment(MlirAttribute attr) {
  if (mlirAttributeIsNull(attr))
    return false;
  MlirAttribute frag = tlFragmentAttrGet(mlirAttributeGetContext(attr));
  return !mlirAttributeIsNull(frag) && mlirAttributeEqual(attr, frag);
}

MlirAttribute tlFragmentLayoutAttrGet(MlirAffineMap map, int64_t threads,
                                      int64_t replicate) {
  if (mlirAffineMapIsNull(map) || mlirAffineMapGetNumResults(map) != 2 ||
      threads <= 0 || replicate < 1)
    return (MlirAttribute){NULL};
  MlirContext ctx = mlirAffineMapGetContext(map);
  if (!tlContextIsDialectLoaded(ctx))
    return (MlirAttribute){NULL};
  TlStr s = {0};
  tlStrAppendf(&s, "#tl.fragment_layout<");
  tlStrAppendAttr(&s, mlirAffineMapAttrGet(map));
  tlStrAppendf(&s, ", %lld : i64, %lld : i64>", (long long)threads,
               (long long)replicate);
  MlirAttribute attr =
      mlirAttributeParseGet(ctx, mlirStringRefCreate(s.data, s.len));
  tlStrFree(&s);
  return attr;
}

bool tlAttributeIsAFragmentLayout(MlirAttribute attr) {
  /* Without tl loaded (and unregistered dialects allowed) the same spelling
     parses as an opaque attribute that prints identically: not ours. */
  if (mlirAttributeIsNull(attr) || mlirAttributeIsAOpaque(attr) ||
      !tlContextIsDialectLoaded(mlirAttributeGetContext(attr)))
    return false;
  return tlAttrPrintsWithPrefix(attr, "#tl.fragment_layout<");
}

/* Parses parameter `pos` of a printed "#tl.fragment_layout<p0, p1, p2>". */
static MlirAttribute layoutParam(MlirAttribute attr, int pos) {
  if (!tlAttributeIsAFragmentLayout(attr))
    return (MlirAttribute){NULL};
  TlStr s = {0};
  tlStrAppendAttr(&s, attr);
  const char *p = s.data + strlen("#tl.fragment_layout<");
  const char *end = s.data + s.len - 1; /* the closing '>' */
  const char *start = p;
  int depth = 0, index = 0;
  MlirAttribute result = {NULL};
  for (; p <= end; ++p) {
    bool atEnd = p == end;
    char c = atEnd ? ',' : *p;
    if (c == '<' || c == '(' || c == '[' || c == '{')
      ++depth;
    else if (c == '-' && p + 1 < end && p[1] == '>')
      ++p; /* the arrow of an affine map: not a closing bracket */
    else if (c == '>' || c == ')' || c == ']' || c == '}')
      --depth;
    else if (c == ',' && depth == 0) {
      if (index == pos) {
        /* mlirAttributeParseGet refuses leading spaces ("found trailing
           characters"): skip them. */
        while (start < p && *start == ' ')
          ++start;
        result = mlirAttributeParseGet(
            mlirAttributeGetContext(attr),
            mlirStringRefCreate(start, (size_t)(p - start)));
        break;
      }
      ++index;
      start = p + 1;
    }
  }
  tlStrFree(&s);
  return result;
}

MlirAffineMap tlFragmentLayoutAttrGetMap(MlirAttribute attr) {
  MlirAttribute m = layoutParam(attr, 0);
  if (mlirAttributeIsNull(m) || !mlirAttributeIsAAffineMap(m))
    return (MlirAffineMap){NULL};
  return mlirAffineMapAttrGetValue(m);
}

static int64_t intParam(MlirAttribute attr, int pos) {
  MlirAttribute a = layoutParam(attr, pos);
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAInteger(a))
    return 0;
  return mlirIntegerAttrGetValueInt(a);
}

int64_t tlFragmentLayoutAttrGetThreads(MlirAttribute attr) {
  return intParam(attr, 1);
}

int64_t tlFragmentLayoutAttrGetReplicate(MlirAttribute attr) {
  return intParam(attr, 2);
}
