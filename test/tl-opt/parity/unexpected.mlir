func.func @f(%a: i32) {
  // expected-error @+1 {{'arith.addi' op requires the same type for all operands and results}}
  %b = "arith.addi"(%a, %a) : (i32, i32) -> i64
  return
}
// An unexpected one:
func.func @g(%a: i32) {
  %b = "arith.addi"(%a, %a) : (i32, i32) -> i16
  return
}
