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
/// or upper_bound); the induction variable of an scf.for with known bounds
/// and a positive step ([lo(lb), hi(ub) - 1], inside its body);
/// arith.addi/subi/muli of known ranges; division and remainder
/// (divui, divsi, floordivsi, ceildivsi, remui, remsi) of a non-negative
/// range by a positive one, and remui by a positive range whatever the
/// dividend ([0, hi - 1]); min/max (minsi, minui, maxsi, maxui);
/// arith.select (the union of its two values' ranges). Anything else is
/// unknown.
/// Overflow makes the result unknown.
TlRange tlIndexRange(MlirValue v);

/// The largest divisor of `v` known to be a power of two, capped at 2^30
/// (so 0 gives 2^30): constants; arith.muli (the product of the operands'
/// divisors), arith.addi / arith.subi / arith.remui, min/max and
/// arith.select (the smaller of the two), an scf.for induction variable
/// (the smaller of its lower bound's and step's).
/// Anything else, gpu.block_id and gpu.thread_id included, gives 1. Never 0.
int64_t tlIndexDivisor(MlirValue v);

#endif
