/* Internal: tl-to-nvvm's step that keeps the upstream scf -> cf lowering
 * linear (support/SplitBlocks.c). */
#ifndef TL_PASSES_SUPPORT_SPLITBLOCKS_H
#define TL_PASSES_SUPPORT_SPLITBLOCKS_H

#include <mlir-c/Pass.h>

/// Ops per block above which a function's blocks are cut into chunks.
#define TL_SPLIT_BLOCK_OPS 256

/// Creates `tl-to-nvvm-split-blocks`: cuts every block of a gpu.func's body
/// holding more than TL_SPLIT_BLOCK_OPS ops into a chain of blocks of at
/// most that many, joined by cf.br (semantics unchanged).
MlirPass tlCreateSplitBlocksPass(void);

#endif
