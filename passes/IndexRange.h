/* Internal: the range of values an index may take, for bounds proofs. */
#ifndef TL_PASSES_INDEXRANGE_H
#define TL_PASSES_INDEXRANGE_H

#include <stdbool.h>
#include <stdint.h>

#include <mlir-c/IR.h>

/// A closed interval [lo, hi]; `known` is false when nothing is known.
typedef struct TlRange {
  bool known;
  int64_t lo, hi;
} TlRange;

/// The range of `v`: constants; gpu.thread_id (bounded by the function's
/// known_block_size or the op's upper_bound), gpu.block_id (known_grid_size
/// or upper_bound); arith.addi/subi/muli of known ranges. Anything else is
/// unknown. Overflow makes the result unknown.
TlRange tlIndexRange(MlirValue v);

#endif
