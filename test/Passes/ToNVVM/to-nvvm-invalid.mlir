// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=ptx -verify-diagnostics
// RUN: not tl-opt %s --tl-to-nvvm="format=elf" 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not tl-opt %s --tl-to-nvvm="chip=sm_99" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not tl-opt %s --tl-to-nvvm="features=+avx" 2>&1 | FileCheck %s --check-prefix=FEATURES
// RUN: not tl-opt %s --tl-to-nvvm="opt-level=7" 2>&1 | FileCheck %s --check-prefix=OPT
// FORMAT: tl-to-nvvm: format must be isa (or ptx), bin (or cubin) or fatbin, got 'elf'
// CHIP: tl-to-nvvm: unsupported chip 'sm_99'
// FEATURES: tl-to-nvvm: unsupported features '+avx': expected +ptxNN with NN between 60 and 88
// OPT: tl-to-nvvm: opt-level must be 0 to 3, got 7

module attributes {gpu.container_module} {
  // expected-error @+1 {{tl-to-nvvm: sm_90a needs PTX ISA 8.0 or newer, but the features say +ptx70}}
  gpu.module @m [#nvvm.target<chip = "sm_90a", features = "+ptx70">] {
  }
}

// -----

module attributes {gpu.container_module} {
  // expected-error @+1 {{tl-to-nvvm: the gpu.module must have exactly one #nvvm.target (it has 2 among 2 targets)}}
  gpu.module @m [#nvvm.target<chip = "sm_80">, #nvvm.target<chip = "sm_90">] {
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{tl-to-nvvm: kernel parameter 0 (memref<?x4xf32, strided<[8, 1]>>) has dynamic sizes and a non-identity layout; only row-major dynamic memrefs can be kernel parameters}}
    gpu.func @k(%A: memref<?x4xf32, strided<[8, 1]>>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{tl-to-nvvm: kernel parameter 1 (memref<4xf32, #gpu.address_space<workgroup>>) must be in global memory}}
    gpu.func @k(%A: memref<4xf32>, %B: memref<4xf32, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{tl-to-nvvm: kernel parameter 0 has type vector<4xf32>; expected a memref, an integer, index or float}}
    gpu.func @k(%v: vector<4xf32>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{tl-to-nvvm: the kernel needs 262144 bytes of shared memory per block (262144 of workgroup buffers in dynamic shared memory, 0 static); sm_90a allows at most 232448}}
    gpu.func @k(%A: memref<4xf32>) workgroup(%S: memref<256x256xf32, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}
