// Shared memory that upstream would lower silently wrong is refused before
// anything runs (support/SharedSources.h, issue 16).
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=isa -verify-diagnostics

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<64xf32>) kernel {
      // expected-error @+1 {{tl-to-nvvm: memref.alloca of memref<64xf32, #gpu.address_space<workgroup>>: shared memory cannot be allocated on the stack (it would become a per-thread stack slot addressed as shared); declare the buffer as a workgroup attribution of the gpu.func (workgroup(%buf : ...))}}
      %s = memref.alloca() : memref<64xf32, #gpu.address_space<workgroup>>
      %c0 = arith.constant 0 : index
      %v = memref.load %A[%c0] : memref<64xf32>
      memref.store %v, %s[%c0] : memref<64xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k() kernel {
      // expected-error @+1 {{tl-to-nvvm: memref.alloc of memref<64xf32, 3>: shared memory cannot be allocated at run time}}
      %s = memref.alloc() : memref<64xf32, 3>
      gpu.return
    }
  }
}

// -----

// In a device function the kernel calls, too.
module attributes {gpu.container_module} {
  gpu.module @m {
    func.func @helper() {
      // expected-error @+1 {{memref.alloca of memref<8xi32, #gpu.address_space<workgroup>>}}
      %s = memref.alloca() : memref<8xi32, #gpu.address_space<workgroup>>
      return
    }
    gpu.func @k() kernel {
      func.call @helper() : () -> ()
      gpu.return
    }
  }
}

// -----

// The lowering allocates 64 * 64 floats (16 KiB) but row 63 starts at
// element 63 * 128: out-of-bounds shared stores.
module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{tl-to-nvvm: workgroup attribution 0 (memref<64x64xf32, strided<[128, 1]>, #gpu.address_space<workgroup>>) is not row-major from offset 0: it would be allocated 4096 elements but its layout reaches 8128; declare the whole buffer and take a memref.subview of it}}
    gpu.func @k(%A: memref<64x64xf32>)
        workgroup(%S: memref<64x64xf32, strided<[128, 1]>, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.copy"(%A, %S) : (memref<64x64xf32>, memref<64x64xf32, strided<[128, 1]>, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{tl-to-nvvm: workgroup attribution 1 (memref<16xf32, strided<[1], offset: 8>, #gpu.address_space<workgroup>>) is not row-major from offset 0: it would be allocated 16 elements but its layout reaches 24}}
    gpu.func @k()
        workgroup(%S: memref<16xf32, #gpu.address_space<workgroup>>,
                  %T: memref<16xf32, strided<[1], offset: 8>, #gpu.address_space<workgroup>>)
        kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{tl-to-nvvm: private attribution 0 (memref<4x4xf32, strided<[8, 1]>, 5>) is not row-major from offset 0: it would be allocated 16 elements but its layout reaches 28}}
    gpu.func @k() private(%P: memref<4x4xf32, strided<[8, 1]>, 5>) kernel {
      gpu.return
    }
  }
}

// -----

// A dense permutation (column-major) reaches exactly its elements: kept.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k() workgroup(%S: memref<4x4xf32, strided<[1, 4]>, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{tl-to-nvvm: workgroup attribution 0 (memref<4x4xf32, affine_map<(d0, d1) -> (d1, d0)>, #gpu.address_space<workgroup>>) has a layout tl cannot size (static non-negative strides and offset needed); use the identity layout}}
    gpu.func @k() workgroup(%S: memref<4x4xf32, affine_map<(d0, d1) -> (d1, d0)>, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}

// -----

// An attribution in another memory space than its kind's: the upstream
// lowering crashed on it (found by tl-fuzz-ir's structured mutator).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    // expected-error @+1 {{tl-to-nvvm: workgroup attribution 0 (memref<100x256xf32, #tl.fragment>) is not in workgroup memory (#gpu.address_space<workgroup>)}}
    gpu.func @k(%A: memref<4xf32>)
        workgroup(%S: memref<100x256xf32, #tl.fragment>) kernel {
      gpu.return
    }
  }
}

// -----

// (A gpu address space of the other kind is the gpu dialect's own error.)
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    // expected-error @+1 {{'gpu.func' op expected memory space private in attribution}}
    gpu.func @k(%A: memref<4xf32>)
        private(%P: memref<16xf32, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    // expected-error @+1 {{tl-to-nvvm: private attribution 0 (memref<16xf32, #tl.fragment>) is not in private memory (#gpu.address_space<private>)}}
    gpu.func @k(%A: memref<4xf32>)
        private(%P: memref<16xf32, #tl.fragment>) kernel {
      gpu.return
    }
  }
}
