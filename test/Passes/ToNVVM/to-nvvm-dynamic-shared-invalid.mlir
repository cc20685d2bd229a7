// Workgroup buffers beyond 48 KiB go to dynamic shared memory, but static
// plus dynamic must fit the chip's opt-in maximum per block (sm_90a: 227
// KiB, sm_86: 99 KiB, the smallest of a module's targets), checked before
// anything is serialized; buffers that cannot be views of the dynamic
// shared memory are refused where they are declared.
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=ptx -verify-diagnostics

// sm_90a: 232449 bytes, one over 227 KiB.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    // expected-error @+1 {{tl-to-nvvm: the kernel needs 232449 bytes of shared memory per block (232449 of workgroup buffers in dynamic shared memory, 0 static); sm_90a allows at most 232448}}
    gpu.func @k(%A: memref<4xf32>)
        workgroup(%S0: memref<128x1024xi8, #gpu.address_space<workgroup>>,
                  %S1: memref<101377xi8, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}

// -----

// sm_90a: the buffers alone fit (227 KiB exactly), the static workgroup
// global the kernel names (8 bytes, padded to the window's alignment of 16)
// does not.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    memref.global "private" @bar : memref<1xi64, #gpu.address_space<workgroup>> {alignment = 8 : i64}
    // expected-error @+1 {{tl-to-nvvm: the kernel needs 232464 bytes of shared memory per block (232448 of workgroup buffers in dynamic shared memory, 8 static); sm_90a allows at most 232448}}
    gpu.func @k(%A: memref<4xi64>)
        workgroup(%S: memref<227x1024xi8, #gpu.address_space<workgroup>>) kernel {
      %c0 = arith.constant 0 : index
      %g = memref.get_global @bar : memref<1xi64, #gpu.address_space<workgroup>>
      %v = memref.load %g[%c0] : memref<1xi64, #gpu.address_space<workgroup>>
      memref.store %v, %A[%c0] : memref<4xi64>
      gpu.return
    }
  }
}

// -----

// sm_86: 100 KiB is over its 99 KiB (sm_80 allows 163 KiB).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_86">] {
    // expected-error @+1 {{tl-to-nvvm: the kernel needs 102400 bytes of shared memory per block (102400 of workgroup buffers in dynamic shared memory, 0 static); sm_86 allows at most 101376}}
    gpu.func @k(%A: memref<4xf32>)
        workgroup(%S: memref<100x256xf32, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}

// -----

// A kernel that uses gpu.dynamic_shared_memory itself keeps it.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    // expected-error @+1 {{tl-to-nvvm: the kernel's workgroup buffers and globals take 65536 bytes of shared memory, more than the 49152 a block may declare statically, and the kernel uses gpu.dynamic_shared_memory itself, so tl cannot move its buffers there}}
    gpu.func @k(%A: memref<4xf32>)
        workgroup(%S: memref<64x256xf32, #gpu.address_space<workgroup>>) kernel {
      %d = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}

// -----

// A column-major buffer is no memref.view of bytes.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    // expected-error @+1 {{tl-to-nvvm: workgroup attribution 1 (memref<64x256xf32, strided<[1, 64]>, #gpu.address_space<workgroup>>) cannot move to dynamic shared memory: it is not a static row-major memref}}
    gpu.func @k(%A: memref<4xf32>)
        workgroup(%S0: memref<16xf32, #gpu.address_space<workgroup>>,
                  %S1: memref<64x256xf32, strided<[1, 64]>, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}

// -----

// Workgroup globals stay static: over 48 KiB of them cannot be launched.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    memref.global "private" @big : memref<12289xf32, #gpu.address_space<workgroup>>
    // expected-error @+1 {{tl-to-nvvm: the workgroup globals the kernel names take 49156 bytes of static shared memory; a block may declare at most 49152 statically}}
    gpu.func @k(%A: memref<4xf32>)
        workgroup(%S: memref<16xf32, #gpu.address_space<workgroup>>) kernel {
      %c0 = arith.constant 0 : index
      %g = memref.get_global @big : memref<12289xf32, #gpu.address_space<workgroup>>
      %v = memref.load %g[%c0] : memref<12289xf32, #gpu.address_space<workgroup>>
      memref.store %v, %S[%c0] : memref<16xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}
