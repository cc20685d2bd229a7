// Shared memory that cannot be launched, or cannot be counted, is refused
// before anything is serialized, also with format=isa (no ptxas).
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=isa -verify-diagnostics

// A 240 KB workgroup global and no attributions: over the 48 KiB of static
// shared memory a block may declare.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    memref.global "private" @big : memref<61440xf32, #gpu.address_space<workgroup>>
    // expected-error @+1 {{tl-to-nvvm: the workgroup globals the kernel names take 245760 bytes of static shared memory; a block may declare at most 49152 statically}}
    gpu.func @k(%A: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %g = memref.get_global @big : memref<61440xf32, #gpu.address_space<workgroup>>
      %v = memref.load %g[%c0] : memref<61440xf32, #gpu.address_space<workgroup>>
      memref.store %v, %A[%c0] : memref<4xf32>
      gpu.return
    }
  }
}

// -----

// The same through llvm.mlir.addressof in a function the kernel calls.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    llvm.mlir.global internal @big() {addr_space = 3 : i32} : !llvm.array<200 x !llvm.array<64 x f32>>
    llvm.func @touch() {
      %p = llvm.mlir.addressof @big : !llvm.ptr<3>
      %v = llvm.load %p : !llvm.ptr<3> -> f32
      llvm.store %v, %p : f32, !llvm.ptr<3>
      llvm.return
    }
    // expected-error @+1 {{tl-to-nvvm: the workgroup globals the kernel names take 51200 bytes of static shared memory}}
    gpu.func @k() kernel {
      llvm.call @touch() : () -> ()
      gpu.return
    }
  }
}

// -----

// A view at an offset that is not a constant: the launch size is unknown.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%o: index) kernel {
      %d = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      // expected-error @+1 {{tl-to-nvvm: a memref.view of gpu.dynamic_shared_memory needs a constant offset and a static shape, so that the bytes the kernel needs at launch can be counted}}
      %t = memref.view %d[%o][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<64xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}

// -----

// A view of dynamic shape.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%n: index) kernel {
      %c0 = arith.constant 0 : index
      %d = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      // expected-error @+1 {{a memref.view of gpu.dynamic_shared_memory needs a constant offset and a static shape}}
      %t = memref.view %d[%c0][%n] : memref<?xi8, #gpu.address_space<workgroup>> to memref<?xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}

// -----

// The bytes used directly.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%i: index) kernel {
      %d = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      %c1 = arith.constant 1 : i8
      // expected-error @+1 {{tl-to-nvvm: gpu.dynamic_shared_memory used other than through memref.view, so the bytes the kernel needs at launch cannot be counted}}
      memref.store %c1, %d[%i] : memref<?xi8, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}

// -----

// The views reach past the chip's opt-in maximum (sm_86: 99 KiB).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_86">] {
    // expected-error @+1 {{tl-to-nvvm: the kernel needs 102528 bytes of shared memory per block (102400 of the kernel's gpu.dynamic_shared_memory in dynamic shared memory, 128 static); sm_86 allows at most 101376}}
    gpu.func @k()
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>) kernel {
      %c0 = arith.constant 0 : index
      %d = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      %t = memref.view %d[%c0][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<100x256xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}
