// Upstream-only input of the parity tests (not a test itself: lit.local.cfg).
func.func @f(%a: i32) -> i32 {
  %c = arith.constant 0 : i32
  %b = arith.addi %a, %c : i32
  %d = arith.muli %b, %b : i32
  %e = arith.muli %b, %b : i32
  %s = arith.addi %d, %e : i32
  return %s : i32
}
func.func @g() -> tensor<8xi32> {
  %c = arith.constant dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi32>
  return %c : tensor<8xi32>
}
func.func @h(%m: memref<4xf32, strided<[1], offset: ?>>) -> memref<4xf32, strided<[1], offset: ?>> {
  return %m : memref<4xf32, strided<[1], offset: ?>>
}
