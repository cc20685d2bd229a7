// Input of print-ir-after-failure.test: a cast that reconcile-unrealized-casts
// cannot remove (not a test itself).
func.func @f(%a: i32) -> i64 {
  %b = builtin.unrealized_conversion_cast %a : i32 to i64
  return %b : i64
}
