/* Emitting C launchers with the compiled binaries embedded. */
#include "tl-c/EmitC.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Names.h"
#include "Support.h"
#include "tl-c/Compile.h"

/* The C type of a scalar parameter; NULL when it has none. */
static const char *scalarCType(MlirType t) {
  if (mlirTypeIsAIndex(t))
    return "int64_t";
  if (mlirTypeIsAInteger(t)) {
    switch (mlirIntegerTypeGetWidth(t)) {
    case 1:
    case 8:
      return "int8_t";
    case 16:
      return "int16_t";
    case 32:
      return "int32_t";
    case 64:
      return "int64_t";
    default:
      return NULL;
    }
  }
  if (mlirTypeIsAF32(t))
    return "float";
  if (mlirTypeIsAF64(t))
    return "double";
  if (mlirTypeIsAF16(t) || mlirTypeIsABF16(t))
    return "uint16_t";
  return NULL;
}

static MlirAttribute mapField(MlirAttribute map, const char *name) {
  return mlirDictionaryAttrGetElementByName(
      map, mlirStringRefCreateFromCString(name));
}

/* An integer field of a tensor-map descriptor; -1 when missing. */
static int64_t mapInt(MlirAttribute map, const char *name) {
  MlirAttribute a = mapField(map, name);
  return !mlirAttributeIsNull(a) && mlirAttributeIsAInteger(a)
             ? mlirIntegerAttrGetValueInt(a)
             : -1;
}

/* Emits "d.<field>[i] = v;" for each element of an i64 array field. */
static void emitArray(TlStr *s, MlirAttribute map, const char *name,
                      const char *field) {
  MlirAttribute a = mapField(map, name);
  if (mlirAttributeIsNull(a) || !mlirAttributeIsADenseI64Array(a))
    return;
  for (intptr_t i = 0; i < mlirDenseArrayGetNumElements(a); ++i)
    tlStrAppendf(s, "    d.%s[%ld] = %lld;\n", field, (long)i,
                 (long long)mlirDenseI64ArrayGetElement(a, i));
}

/* Checks the descriptor of a tensor-map parameter: its kind and the memref
   parameter it maps. */
static bool validMap(MlirOperation bin, intptr_t k, MlirAttribute map,
                     intptr_t numParams) {
  MlirAttribute kind = mapField(map, "kind");
  int64_t buffer = mapInt(map, "buffer");
  if (mlirAttributeIsNull(kind) || !mlirAttributeIsAString(kind) ||
      buffer < 0 || buffer >= numParams || mapInt(map, "data_type") < 0 ||
      mapInt(map, "swizzle") < 0 || mapInt(map, "l2_promotion") < 0)
    return false;
  TlParamInfo target;
  return tlBinaryGetKernelParam(bin, k, buffer, &target) &&
         target.kind == TlParamPointer;
}

static void emit(MlirStringCallback cb, void *ud, TlStr *s) {
  cb(mlirStringRefCreate(tlStrGet(s), s->len), ud);
}

/* Appends text that lands inside a generated block comment: bytes outside
   printable ASCII become '.', and a star and a slash (either order), two
   question marks (a C11 trigraph could splice a line) and a final
   backslash are broken with a space, so no text (a memref's string memory
   space, say) can end the comment or warn about it. */
static void appendCommentText(TlStr *s, const char *text, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    char c = text[i];
    if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
      c = '.';
    tlStrAppend(s, &c, 1);
    if ((c == '*' && i + 1 < n && text[i + 1] == '/') ||
        (c == '/' && i + 1 < n && text[i + 1] == '*') ||
        (c == '?' && i + 1 < n && text[i + 1] == '?') ||
        (c == '\\' && i + 1 == n))
      tlStrAppend(s, " ", 1);
  }
}

static void appendCommentType(TlStr *s, MlirType t) {
  TlStr text = {0};
  tlStrAppendType(&text, t);
  appendCommentText(s, tlStrGet(&text), text.len);
  tlStrFree(&text);
}

/* Maps bytes outside [A-Za-z0-9_] to '_': only for the include guard, made
   from the header name. Binary and kernel names are checked instead
   (checkNames), so the C names are the MLIR names. */
static void appendIdentifier(TlStr *s, MlirStringRef name) {
  for (size_t i = 0; i < name.length; ++i) {
    char c = name.data[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_';
    tlStrAppend(s, ok ? &c : "_", 1);
  }
}

/* The source #includes `name` between quotes: C11 (6.4.7) leaves '\'',
   '\\' and a slash followed by a slash or a star undefined there, and '"'
   or a newline would end it. */
static bool checkHeaderName(MlirStringRef name, MlirLocation loc) {
  const char *problem = name.length ? NULL : "is empty";
  char buf[64];
  for (size_t i = 0; !problem && i < name.length; ++i) {
    unsigned char c = (unsigned char)name.data[i];
    char next = i + 1 < name.length ? name.data[i + 1] : 0;
    if (c < 0x20 || c == 0x7f)
      snprintf(buf, sizeof buf, "has control byte 0x%02X at byte %zu",
               (unsigned)c, i + 1);
    else if (c == '/' && (next == '/' || next == '*'))
      snprintf(buf, sizeof buf, "has \"/%c\" at byte %zu", next, i + 1);
    else if (c == '"' || c == '\\' || c == '\'')
      snprintf(buf, sizeof buf, "has '%c' at byte %zu", (char)c, i + 1);
    else
      continue;
    problem = buf;
  }
  if (!problem)
    return true;
  TlStr q = {0};
  tlStrAppendQuoted(&q, name);
  tlEmitErrorf(loc, "emit C: the header name %s cannot be #included: it %s "
                    "(a header name has no '\"', '\\', ''', control bytes, "
                    "\"//\" or \"/*\")",
               tlStrGet(&q), problem);
  tlStrFree(&q);
  return false;
}

/* One name the generated C defines, and what it comes from. */
typedef struct CName {
  TlStr name, what;
} CName;

/* Adds prefix+name (a name of `bin`, or of its kernel when `kernel`) to
   `names`; false after an error at `bin` when `name` is not a C identifier
   or an earlier entry became the same C name. */
static bool addCName(CName *names, intptr_t *n, const char *prefix,
                     MlirStringRef name, bool kernel, MlirOperation bin) {
  CName *c = &names[*n];
  memset(c, 0, sizeof *c);
  if (kernel) {
    tlStrAppendf(&c->what, "kernel ");
    tlStrAppendQuoted(&c->what, name);
    tlStrAppendf(&c->what, " of ");
  }
  tlStrAppendf(&c->what, "gpu.binary ");
  tlStrAppendSymbol(&c->what, tlBinaryGetName(bin));
  char buf[96];
  const char *problem = tlNameProblem(name, TlNameC, buf, sizeof buf);
  MlirLocation loc = mlirOperationGetLocation(bin);
  bool ok = !problem;
  if (problem)
    tlEmitErrorf(loc, "emit C: %s has no C name: the name %s; names that "
                      "reach C must match %s (tl-c/EmitC.h)",
                 tlStrGet(&c->what), problem, tlNameRuleText(TlNameC));
  else {
    tlStrAppendf(&c->name, "%s", prefix);
    tlStrAppend(&c->name, name.data, name.length);
  }
  for (intptr_t i = 0; ok && i < *n; ++i)
    if (names[i].name.len == c->name.len &&
        !memcmp(tlStrGet(&names[i].name), tlStrGet(&c->name), c->name.len)) {
      tlEmitErrorf(loc, "emit C: %s and %s both become %s in C",
                   tlStrGet(&names[i].what), tlStrGet(&c->what),
                   tlStrGet(&c->name));
      ok = false;
    }
  if (ok) {
    ++*n;
    return true;
  }
  tlStrFree(&c->name);
  tlStrFree(&c->what);
  return false;
}

/* Every name the C defines from a binary or kernel name (tl_image_<b>,
   tl_binary_<b>, tl_launch_<k>) is the MLIR name behind a prefix, so it is
   checked to be a C identifier, and to be unique, before anything is
   written: tlEmitC takes any module, not only what tl-to-nvvm checked. */
static bool checkNames(MlirOperation module, intptr_t nb) {
  intptr_t cap = 0, n = 0;
  for (intptr_t b = 0; b < nb; ++b)
    cap += 2 + tlBinaryGetNumKernels(tlModuleGetBinary(module, b));
  CName *names = malloc(sizeof(CName) * (size_t)cap);
  bool ok = true;
  for (intptr_t b = 0; b < nb && ok; ++b) {
    MlirOperation bin = tlModuleGetBinary(module, b);
    MlirStringRef bname = tlBinaryGetName(bin);
    ok = addCName(names, &n, "tl_image_", bname, false, bin) &&
         addCName(names, &n, "tl_binary_", bname, false, bin);
    for (intptr_t k = 0; k < tlBinaryGetNumKernels(bin) && ok; ++k) {
      TlKernelInfo ki;
      if (tlBinaryGetKernel(bin, k, &ki))
        ok = addCName(names, &n, "tl_launch_", ki.name, true, bin);
    }
  }
  for (intptr_t i = 0; i < n; ++i) {
    tlStrFree(&names[i].name);
    tlStrFree(&names[i].what);
  }
  free(names);
  return ok;
}

/* Checks every binary and kernel of `module` (nb binaries) before anything
   is written; false after an error at `loc`. */
static bool checkBinaries(MlirOperation module, intptr_t nb, MlirLocation loc) {
  for (intptr_t b = 0; b < nb; ++b) {
    MlirOperation bin = tlModuleGetBinary(module, b);
    MlirStringRef bname = tlBinaryGetName(bin);
    TlBinaryFormat fmt;
    MlirStringRef obj = tlBinaryGetObject(bin, &fmt);
    if (obj.length == 0 || fmt == TlBinaryFormatUnknown) {
      tlEmitErrorf(loc, "emit C: gpu.binary @%.*s has no PTX, cubin or "
                        "fatbin object", (int)bname.length, bname.data);
      return false;
    }
    if (tlBinaryGetNumKernels(bin) == 0) {
      tlEmitErrorf(loc, "emit C: gpu.binary @%.*s has no kernel ABI "
                        "(tl.abi): compile it with tl-to-nvvm",
                   (int)bname.length, bname.data);
      return false;
    }
    for (intptr_t k = 0; k < tlBinaryGetNumKernels(bin); ++k) {
      TlKernelInfo ki;
      if (!tlBinaryGetKernel(bin, k, &ki)) {
        tlEmitErrorf(loc, "emit C: malformed tl.abi on gpu.binary @%.*s",
                     (int)bname.length, bname.data);
        return false;
      }
      for (intptr_t p = 0; p < ki.numParams; ++p) {
        TlParamInfo pi;
        if (!tlBinaryGetKernelParam(bin, k, p, &pi) ||
            (pi.kind == TlParamScalar && !scalarCType(pi.type)) ||
            (pi.kind == TlParamTensorMap &&
             !validMap(bin, k, pi.tensorMap, ki.numParams))) {
          tlEmitErrorf(loc, "emit C: parameter %ld of kernel %.*s has no C "
                            "type", (long)p, (int)ki.name.length,
                       ki.name.data);
          return false;
        }
      }
    }
  }
  return true;
}

/* The encoding of tensor-map parameter p (descriptor `m`) into the
   launcher's map<p>, and its kernel argument. Tensor maps are not launcher
   parameters: the launcher encodes them from the pointers they map. */
static void emitTensorMap(TlStr *maps, TlStr *args, intptr_t p,
                          MlirAttribute m) {
  MlirStringRef kind = mlirStringAttrGetValue(mapField(m, "kind"));
  bool im2col = kind.length == 6 && !memcmp(kind.data, "im2col", 6);
  MlirAttribute dims = mapField(m, "global_dim");
  tlStrAppendf(maps, "  _Alignas(64) unsigned char map%ld[128];\n"
                      "  {\n    %s d;\n    memset(&d, 0, sizeof d);\n"
                      "    d.dataType = %lld;\n    d.rank = %ld;\n",
               (long)p, im2col ? "TlrtIm2colMapDesc" : "TlrtTiledMapDesc",
               (long long)mapInt(m, "data_type"),
               (long)mlirDenseArrayGetNumElements(dims));
  emitArray(maps, m, "global_dim", "globalDim");
  emitArray(maps, m, "global_strides", "globalStrides");
  /* Dynamic sizes (docs/dynamic.md): global_dim -1 is the run-time
     size p<buffer>_dim<dims_from[k]>; every stride -1 is the element
     size times the inner sizes. */
  MlirAttribute from = mapField(m, "dims_from");
  if (!im2col && !mlirAttributeIsNull(from) &&
      mlirAttributeIsADenseI64Array(from)) {
    MlirAttribute gs = mapField(m, "global_strides");
    intptr_t nd = mlirDenseArrayGetNumElements(dims);
    for (intptr_t i = 0; i < nd; ++i)
      if (mlirDenseI64ArrayGetElement(dims, i) < 0)
        tlStrAppendf(maps, "    d.globalDim[%ld] = (uint64_t)p%lld_dim%lld;\n",
                     (long)i, (long long)mapInt(m, "buffer"),
                     (long long)mlirDenseI64ArrayGetElement(from, i));
    for (intptr_t i = 0; i + 1 < nd; ++i)
      if (mlirDenseI64ArrayGetElement(gs, i) < 0) {
        if (i == 0)
          tlStrAppendf(maps, "    d.globalStrides[0] = %lldu * d.globalDim[0];\n",
                       (long long)mapInt(m, "element_bytes"));
        else
          tlStrAppendf(maps, "    d.globalStrides[%ld] = d.globalStrides[%ld] * d.globalDim[%ld];\n",
                       (long)i, (long)(i - 1), (long)i);
      }
  }
  emitArray(maps, m, "element_strides", "elementStrides");
  if (im2col) {
    emitArray(maps, m, "lower_corner", "lowerCorner");
    emitArray(maps, m, "upper_corner", "upperCorner");
    tlStrAppendf(maps, "    d.channelsPerPixel = %lld;\n"
                        "    d.pixelsPerColumn = %lld;\n",
                 (long long)mapInt(m, "channels_per_pixel"),
                 (long long)mapInt(m, "pixels_per_column"));
  } else {
    emitArray(maps, m, "box", "boxDim");
  }
  tlStrAppendf(maps, "    d.swizzle = %lld;\n    d.l2Promotion = %lld;\n"
                      "    int rc = tlrtGet%sMap(&d, p%lld, map%ld);\n"
                      "    if (rc)\n      return rc;\n  }\n",
               (long long)mapInt(m, "swizzle"),
               (long long)mapInt(m, "l2_promotion"),
               im2col ? "Im2col" : "Tiled",
               (long long)mapInt(m, "buffer"), (long)p);
  tlStrAppendf(args, "%smap%ld", p ? ", " : "", (long)p);
}

/* The header's comment on kernel k of `bin`: block, static and dynamic
   shared memory (the ABI's) and each parameter's MLIR type. */
static void emitKernelDoc(TlStr *hdr, MlirOperation bin, intptr_t k,
                          const TlKernelInfo *ki, MlirStringRef bname) {
  tlStrAppendf(hdr, "/* Kernel %.*s of gpu.binary @%.*s: block "
                     "%dx%dx%d, %lld bytes of static and %lld bytes of "
                     "dynamic shared memory.\n",
               (int)ki->name.length, ki->name.data, (int)bname.length,
               bname.data, ki->block[0], ki->block[1], ki->block[2],
               (long long)ki->staticSharedBytes,
               (long long)ki->dynamicSharedBytes);
  for (intptr_t p = 0; p < ki->numParams; ++p) {
    TlParamInfo pi;
    tlBinaryGetKernelParam(bin, k, p, &pi);
    if (pi.kind == TlParamTensorMap) {
      tlStrAppendf(hdr, "   (tensor map of p%lld, encoded by the launcher)\n",
                   (long long)mapInt(pi.tensorMap, "buffer"));
      continue;
    }
    if (pi.kind == TlParamSize) {
      tlStrAppendf(hdr, "   p%ld_dim%ld: run-time size of dimension %ld of p%ld\n",
                   (long)pi.buffer, (long)pi.dim, (long)pi.dim,
                   (long)pi.buffer);
      continue;
    }
    tlStrAppendf(hdr, "   p%ld: %s ", (long)p,
                 pi.kind == TlParamPointer ? "device address of"
                                           : "scalar");
    appendCommentType(hdr, pi.type);
    tlStrAppendf(hdr, "\n");
  }
}

/* Kernel k of `bin`: its prototype and comment in the header, its
   launcher (tensor-map encoding, module load, launch) in the source.
   `image` names the embedded binary. */
static void emitLauncher(TlStr *src, TlStr *hdr, MlirOperation bin,
                         intptr_t k, MlirStringRef bname, const char *image) {
  TlKernelInfo ki;
  tlBinaryGetKernel(bin, k, &ki);
  TlStr proto = {0};
  tlStrAppendf(&proto, "int tl_launch_");
  appendIdentifier(&proto, ki.name);
  tlStrAppendf(&proto, "(void *stream, tlrt_dim3 grid");
  TlStr args = {0}, maps = {0};
  for (intptr_t p = 0; p < ki.numParams; ++p) {
    TlParamInfo pi;
    tlBinaryGetKernelParam(bin, k, p, &pi);
    if (pi.kind == TlParamTensorMap) {
      emitTensorMap(&maps, &args, p, pi.tensorMap);
      continue;
    }
    if (pi.kind == TlParamSize) {
      tlStrAppendf(&proto, ", int64_t p%ld_dim%ld", (long)pi.buffer,
                   (long)pi.dim);
      tlStrAppendf(&args, "%s&p%ld_dim%ld", p ? ", " : "", (long)pi.buffer,
                   (long)pi.dim);
      continue;
    }
    tlStrAppendf(&proto, ", %s p%ld",
                 pi.kind == TlParamPointer ? "uint64_t"
                                           : scalarCType(pi.type),
                 (long)p);
    tlStrAppendf(&args, "%s&p%ld", p ? ", " : "", (long)p);
  }
  tlStrAppendf(&proto, ")");
  emitKernelDoc(hdr, bin, k, &ki, bname);
  tlStrAppendf(hdr, " */\n%s;\n\n", tlStrGet(&proto));
  tlStrAppendf(src, "%s {\n%s", tlStrGet(&proto), tlStrGet(&maps));
  tlStrAppendf(src, "  TlrtModule *module;\n"
                     "  int rc = tlrtLoadModule(%s, sizeof %s, &module);\n"
                     "  if (rc)\n    return rc;\n",
               image, image);
  if (ki.numParams)
    tlStrAppendf(src, "  void *args[] = {%s};\n", tlStrGet(&args));
  else
    tlStrAppendf(src, "  void **args = NULL;\n");
  tlStrAppendf(src,
               "  tlrt_dim3 block = {%d, %d, %d};\n"
               "  return tlrtLaunch(module, \"%.*s\", grid, block, %lld, "
               "stream, args);\n}\n\n",
               ki.block[0] ? ki.block[0] : 1, ki.block[1] ? ki.block[1] : 1,
               ki.block[2] ? ki.block[2] : 1, (int)ki.name.length,
               ki.name.data, (long long)ki.dynamicSharedBytes);
  tlStrFree(&proto);
  tlStrFree(&args);
  tlStrFree(&maps);
}

MlirLogicalResult tlEmitC(MlirOperation module, MlirStringRef headerName,
                          MlirStringCallback source, void *sourceUd,
                          MlirStringCallback header, void *headerUd) {
  if (mlirOperationIsNull(module) || !source || !header)
    return mlirLogicalResultFailure();
  MlirLocation loc = mlirOperationGetLocation(module);
  intptr_t nb = tlModuleGetNumBinaries(module);
  if (nb == 0) {
    tlEmitErrorf(loc, "emit C: the module has no gpu.binary (run tl-to-nvvm "
                      "first)");
    return mlirLogicalResultFailure();
  }
  if (!checkHeaderName(headerName, loc) || !checkNames(module, nb) ||
      !checkBinaries(module, nb, loc))
    return mlirLogicalResultFailure();

  TlStr src = {0}, hdr = {0};
  TlStr guard = {0};
  tlStrAppend(&guard, "TL_GENERATED_", 13);
  appendIdentifier(&guard, headerName);
  tlStrAppendf(&hdr, "/* Generated by tl (tlEmitC): do not edit. */\n"
                     "#ifndef %s\n#define %s\n\n"
                     "#include <stddef.h>\n#include <stdint.h>\n\n#include \"tlrt.h\"\n\n"
                     "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n",
               tlStrGet(&guard), tlStrGet(&guard));
  tlStrFree(&guard);
  tlStrAppendf(&src, "/* Generated by tl (tlEmitC): do not edit. */\n"
                     "#include \"%.*s\"\n\n#include <stddef.h>\n#include <string.h>\n\n",
               (int)headerName.length, headerName.data);
  for (intptr_t b = 0; b < nb; ++b) {
    MlirOperation bin = tlModuleGetBinary(module, b);
    MlirStringRef bname = tlBinaryGetName(bin);
    TlBinaryFormat fmt;
    MlirStringRef obj = tlBinaryGetObject(bin, &fmt);
    TlStr image = {0};
    tlStrAppend(&image, "tl_image_", 9);
    appendIdentifier(&image, bname);
    tlStrAppendf(&src, "/* gpu.binary @%.*s: %s, %zu bytes. */\n"
                       "static const unsigned char %s[] __attribute__((aligned(16))) = {",
                 (int)bname.length, bname.data,
                 fmt == TlBinaryFormatPTX     ? "PTX"
                 : fmt == TlBinaryFormatCubin ? "cubin"
                                              : "fatbin",
                 obj.length, tlStrGet(&image));
    for (size_t i = 0; i < obj.length; ++i)
      tlStrAppendf(&src, "%s%u,", i % 20 ? "" : "\n  ",
                   (unsigned)(unsigned char)obj.data[i]);
    tlStrAppendf(&src, "\n};\n\n");
    /* The image itself, for hosts that load it with tlrtLoadModule. */
    tlStrAppendf(&src, "const void *tl_binary_");
    appendIdentifier(&src, bname);
    tlStrAppendf(&src, "(size_t *size) {\n  *size = sizeof %s;\n  return %s;\n}\n\n",
                 tlStrGet(&image), tlStrGet(&image));
    tlStrAppendf(&hdr, "/* The %s image of gpu.binary @%.*s and its size. */\n"
                       "const void *tl_binary_",
                 fmt == TlBinaryFormatPTX     ? "PTX"
                 : fmt == TlBinaryFormatCubin ? "cubin"
                                              : "fatbin",
                 (int)bname.length, bname.data);
    appendIdentifier(&hdr, bname);
    tlStrAppendf(&hdr, "(size_t *size);\n\n");
    for (intptr_t k = 0; k < tlBinaryGetNumKernels(bin); ++k)
      emitLauncher(&src, &hdr, bin, k, bname, tlStrGet(&image));
    tlStrFree(&image);
  }
  tlStrAppendf(&hdr, "#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
  emit(source, sourceUd, &src);
  emit(header, headerUd, &hdr);
  tlStrFree(&src);
  tlStrFree(&hdr);
  return mlirLogicalResultSuccess();
}
