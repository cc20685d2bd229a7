/* Internal: when a tl.c2d_im2col can use TMA im2col (docs/im2col.md,
 * "The TMA path").
 *
 * TMA im2col (sm_90+) loads the whole (BM, BK) col tile with one
 * cp.async.bulk.tensor.4d...im2col from a rank-4 CUtensorMap over the NHWC
 * image, dims innermost first (C, W, H, N): channelsPerPixel = BK,
 * pixelsPerColumn = BM, elementStrides {1, SW, SH, 1}, lower corner
 * {-PW, -PH}, upper corner {PW - (KW-1)*DW, PH - (KH-1)*DH} (corner arrays
 * are W first, as the driver wants them). */
#ifndef TL_PASSES_IM2COLTMA_H
#define TL_PASSES_IM2COLTMA_H

#include <stdbool.h>
#include <stddef.h>

#include <mlir-c/IR.h>

#include "TensorMap.h"

/// Whether `im2col` (a tl.c2d_im2col) can be lowered with TMA im2col. On
/// success fills `desc` (kind "im2col"; `buffer` is the image's gpu.func
/// input index) and returns true. Otherwise writes into `reason`
/// (reasonCap bytes, NUL-terminated, may be NULL when reasonCap is 0) why
/// not, e.g. "C = 24 is not a multiple of BK = 16", and returns false.
///
/// `chip` (e.g. "sm_90a", may be NULL) is used only when the enclosing
/// gpu.module names no #nvvm.target: otherwise every #nvvm.target chip of
/// the module must be sm_90 or later. Nothing in the IR is changed.
bool tlIm2ColCanUseTMA(MlirOperation im2col, const char *chip,
                       TlTensorMapDesc *desc, char *reason, size_t reasonCap);

#endif
