// Every source of a kernel's shared memory is counted in the ABI and
// checked against the chip's limits before anything is serialized
// (support/SharedSources.h, support/DynamicShared.h, issue 16).
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=isa | FileCheck %s

// llvm.mlir.globals in address space 3, named by llvm.mlir.addressof: 1000
// floats, then a struct {i8, f64} of 16 bytes at 8.
// CHECK-LABEL: gpu.binary @addressof
// CHECK-SAME: dynamic_shared_bytes = 0 : i64, name = "k"
// CHECK-SAME: static_shared_bytes = 4016 : i64
module attributes {gpu.container_module} {
  gpu.module @addressof [#nvvm.target<chip = "sm_90a">] {
    llvm.mlir.global internal @buf() {addr_space = 3 : i32, alignment = 4 : i64} : !llvm.array<1000 x f32>
    llvm.mlir.global internal @pair() {addr_space = 3 : i32} : !llvm.struct<(i8, f64)>
    gpu.func @k(%A: memref<4xf32>) kernel {
      %q = llvm.mlir.addressof @pair : !llvm.ptr<3>
      %b = llvm.load %q : !llvm.ptr<3> -> i8
      llvm.store %b, %q : i8, !llvm.ptr<3>
      %p = llvm.mlir.addressof @buf : !llvm.ptr<3>
      %v = llvm.load %p : !llvm.ptr<3> -> f32
      %c0 = arith.constant 0 : index
      memref.store %v, %A[%c0] : memref<4xf32>
      gpu.return
    }
  }
}

// -----

// Workgroup globals reached only through the device functions the kernel
// calls (func.call, llvm.call), each counted once: 256 + 8 bytes.
// CHECK-LABEL: gpu.binary @callees
// CHECK-SAME: static_shared_bytes = 264 : i64
module attributes {gpu.container_module} {
  gpu.module @callees [#nvvm.target<chip = "sm_90a">] {
    memref.global "private" @g : memref<64xf32, #gpu.address_space<workgroup>>
    func.func @leaf(%A: memref<4xf32>) {
      %c0 = arith.constant 0 : index
      %g = memref.get_global @g : memref<64xf32, #gpu.address_space<workgroup>>
      %v = memref.load %g[%c0] : memref<64xf32, #gpu.address_space<workgroup>>
      memref.store %v, %A[%c0] : memref<4xf32>
      return
    }
    llvm.mlir.global internal @flag() {addr_space = 3 : i32, alignment = 8 : i64} : i64
    llvm.func @lleaf() {
      %p = llvm.mlir.addressof @flag : !llvm.ptr<3>
      %v = llvm.load %p : !llvm.ptr<3> -> i64
      llvm.store %v, %p : i64, !llvm.ptr<3>
      llvm.return
    }
    func.func @mid(%A: memref<4xf32>) {
      func.call @leaf(%A) : (memref<4xf32>) -> ()
      func.call @leaf(%A) : (memref<4xf32>) -> ()
      llvm.call @lleaf() : () -> ()
      return
    }
    gpu.func @k(%A: memref<4xf32>) kernel {
      func.call @mid(%A) : (memref<4xf32>) -> ()
      gpu.return
    }
  }
}

// -----

// The kernel's own gpu.dynamic_shared_memory: the largest offset + size of
// its views (4096 + 64 * 4) is what the launcher must ask for; the static
// attribution stays static, and the window is external, not a one-byte
// static variable.
// CHECK-LABEL: gpu.binary @user_dynamic
// CHECK-SAME: dynamic_shared_bytes = 4352 : i64, name = "k"
// CHECK-SAME: static_shared_bytes = 128 : i64
// CHECK-SAME: .extern .shared .align 16 .b8 __dynamic_shmem__0[]
module attributes {gpu.container_module} {
  gpu.module @user_dynamic [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<4xf32>)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>) kernel {
      %d = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      %c0 = arith.constant 0 : index
      %c4096 = arith.constant 4096 : index
      %t0 = memref.view %d[%c0][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<16x16xf32, #gpu.address_space<workgroup>>
      %t1 = memref.view %d[%c4096][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<64xf32, #gpu.address_space<workgroup>>
      %v = memref.load %t1[%c0] : memref<64xf32, #gpu.address_space<workgroup>>
      memref.store %v, %t0[%c0, %c0] : memref<16x16xf32, #gpu.address_space<workgroup>>
      memref.store %v, %S[%c0] : memref<32xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}
