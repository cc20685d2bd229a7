// Stack memory and tl-to-nvvm-outline (support/Outline.c): a run that
// allocates stack memory whose pointer later runs use stays in the kernel
// (in a callee it would die at the return); stack memory allocated before a
// run is passed to it (a generic pointer, valid across the call). Every run
// here is one op (max-function-ops=1), the most cutting there is.
// RUN: tl-opt %s --tl-to-nvvm="format=isa max-function-ops=1" --mlir-print-ir-after-all -o /dev/null 2>&1 | FileCheck %s

// CHECK-LABEL: IR Dump After tl-to-nvvm-outline
// CHECK: gpu.func @k(
// CHECK: %[[BUF:.*]] = memref.alloca() : memref<4xf32>
// CHECK: call @k__part{{[0-9]+}}(%{{.*}}, %[[BUF]]) : (f32, memref<4xf32>) -> ()
// CHECK: %[[P:.*]] = llvm.alloca %{{.*}} x f32 : (i64) -> !llvm.ptr
// CHECK: call @k__part{{[0-9]+}}(%{{.*}}, %[[P]]) : (f32, !llvm.ptr) -> ()
// CHECK: gpu.return
// CHECK-NOT: alloca
// CHECK-LABEL: IR Dump After
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @k(%A: memref<128xf32>, %B: memref<128xf32>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %o1 = arith.constant 1 : i32
      %w32 = arith.constant 32 : i32
      %t = gpu.thread_id x
      %buf = memref.alloca() : memref<4xf32>
      %v = memref.load %A[%t] : memref<128xf32>
      memref.store %v, %buf[%c0] : memref<4xf32>
      %cond = arith.cmpi ult, %t, %c1 : index
      %r = scf.if %cond -> (f32) {
        %x = arith.addf %v, %v : f32
        scf.yield %x : f32
      } else {
        scf.yield %v : f32
      }
      %vec = vector.broadcast %r : f32 to vector<4xf32>
      %w = memref.load %buf[%c0] : memref<4xf32>
      %s = arith.addf %w, %r : f32
      %one = arith.constant 1 : i64
      %p = llvm.alloca %one x f32 : (i64) -> !llvm.ptr
      llvm.store %s, %p : f32, !llvm.ptr
      %q = llvm.load %p : !llvm.ptr -> f32
      %e = vector.extract %vec[0] : f32 from vector<4xf32>
      %z = arith.addf %q, %e : f32
      %sh, %ok = gpu.shuffle xor %z, %o1, %w32 : f32
      memref.store %sh, %B[%t] : memref<128xf32>
      gpu.return
    }
  }
}
