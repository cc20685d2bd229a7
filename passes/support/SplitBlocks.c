/* tl-to-nvvm-split-blocks (support/SplitBlocks.h).
 *
 * Why: convert-scf-to-cf lowers each scf.if by splitting its block at the
 * op, which moves every later op of the block (each op's parent is
 * updated): a block of n lowered copies, each with its guard scf.if, costs
 * O(n^2). 5,000 copies in one kernel took 23 s there, 68% of the whole
 * compile. Cutting the function's blocks into chunks of at most
 * TL_SPLIT_BLOCK_OPS ops first bounds what each split moves, so the
 * lowering is linear. The chunks are cut from the end, so each op moves
 * once; each chunk ends in a cf.br to the next (a straight line: every
 * value still dominates its uses). Blocks under other ops' regions (scf
 * bodies, which must stay single blocks) are left alone; kernels below
 * the bound are untouched, so their output is unchanged. */
#include "SplitBlocks.h"

#include <stdlib.h>

#include <mlir-c/Dialect/ControlFlow.h>

#include "IRBuild.h"
#include "PassSupport.h"
#include "Support.h"

/* Cuts `block` (in `region`) into chunks of at most TL_SPLIT_BLOCK_OPS. */
static void splitBlock(MlirRegion region, MlirBlock block, MlirLocation loc) {
  size_t n = 0, cap = 0;
  MlirOperation *ops = NULL;
  for (MlirOperation op = mlirBlockGetFirstOperation(block);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    if (n == cap) {
      cap = cap ? 2 * cap : 1024;
      ops = realloc(ops, sizeof *ops * cap);
      if (!ops)
        abort();
    }
    ops[n++] = op;
  }
  if (n <= TL_SPLIT_BLOCK_OPS) {
    free(ops);
    return;
  }
  /* Chunk k is ops [k*K, (k+1)*K); from the last one back, each moves into
     a new block placed right after `block`, ahead of the later chunks. */
  size_t K = TL_SPLIT_BLOCK_OPS, chunks = (n + K - 1) / K;
  MlirBlock next = {NULL};
  for (size_t k = chunks - 1; k >= 1; --k) {
    MlirBlock b = mlirBlockCreate(0, NULL, NULL);
    mlirRegionInsertOwnedBlockAfter(region, block, b);
    size_t end = (k + 1) * K < n ? (k + 1) * K : n;
    for (size_t i = k * K; i < end; ++i) {
      mlirOperationRemoveFromParent(ops[i]);
      mlirBlockAppendOwnedOperation(b, ops[i]);
    }
    if (!mlirBlockIsNull(next)) {
      MlirOperationState st = mlirOperationStateGet(
          mlirStringRefCreateFromCString("cf.br"), loc);
      mlirOperationStateAddSuccessors(&st, 1, &next);
      mlirBlockAppendOwnedOperation(b, mlirOperationCreate(&st));
    }
    next = b;
  }
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("cf.br"), loc);
  mlirOperationStateAddSuccessors(&st, 1, &next);
  mlirBlockAppendOwnedOperation(block, mlirOperationCreate(&st));
  free(ops);
}

static MlirWalkResult splitFunc(MlirOperation op, void *ud) {
  (void)ud;
  if (!tlOpIsNamed(op, "gpu.func"))
    return MlirWalkResultAdvance;
  MlirRegion body = mlirOperationGetRegion(op, 0);
  MlirLocation loc = mlirOperationGetLocation(op);
  /* The blocks as they are now (splitting adds blocks after each). */
  size_t n = 0, cap = 0;
  MlirBlock *blocks = NULL;
  for (MlirBlock b = mlirRegionGetFirstBlock(body); !mlirBlockIsNull(b);
       b = mlirBlockGetNextInRegion(b)) {
    if (n == cap) {
      cap = cap ? 2 * cap : 8;
      blocks = realloc(blocks, sizeof *blocks * cap);
      if (!blocks)
        abort();
    }
    blocks[n++] = b;
  }
  for (size_t i = 0; i < n; ++i)
    splitBlock(body, blocks[i], loc);
  free(blocks);
  return MlirWalkResultSkip;
}

static void run(MlirOperation root, MlirExternalPass pass, void *state) {
  (void)pass;
  (void)state;
  mlirOperationWalk(root, splitFunc, NULL, MlirWalkPreOrder);
}

static const TlPassInfo kInfo = {
    "tl-to-nvvm-split-blocks",
    "Cut long gpu.func blocks into chained chunks so that the scf -> cf "
    "lowering stays linear",
    0, NULL};

static _Alignas(8) char kTypeId;

MlirPass tlCreateSplitBlocksPass(void) {
  MlirDialectHandle cf = mlirGetDialectHandle__cf__();
  return tlCreateExternalPass(&kTypeId, &kInfo, 1, &cf, run, NULL, 0);
}
