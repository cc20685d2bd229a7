// tl-to-nvvm's prepare step (issue 16): memref parameters are bare
// pointers and need a static strided layout (an affine map or a dynamic
// stride or offset used to fail in the NVVM conversion with "failed to
// legalize operation 'gpu.func'"); tl ops compile only inside a gpu.func of
// a gpu.module (in a func.func they used to get "run tl-legalize-regions
// first"); and tl-to-nvvm runs on the builtin.module (nested, adding its
// steps failed with "Can't add pass 'ConvertFuncToLLVMPass'").
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=isa -verify-diagnostics -o /dev/null
// RUN: not tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-to-nvvm))' 2>&1 | FileCheck %s --check-prefix=NEST
// RUN: not tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(cse,tl-to-nvvm{format=isa}))' 2>&1 | FileCheck %s --check-prefix=NEST
// NEST: tl-to-nvvm must run on the builtin.module (it turns each gpu.module into a gpu.binary), but it is nested under 'gpu.module': use --pass-pipeline='builtin.module(tl-to-nvvm)'
// NEST-NOT: Can't add pass

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op parameter 0 (memref<64x64xf32, affine_map<(d0, d1) -> (d1, d0)>>) cannot be passed: its layout is not strided; memref parameters are bare pointers and need a static (strided) layout}}
    gpu.func @k(%A: memref<64x64xf32, affine_map<(d0, d1) -> (d1, d0)>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op parameter 0 (memref<64x64xf32, strided<[?, ?], offset: ?>>) cannot be passed: its layout has a dynamic stride or offset; memref parameters are bare pointers and need a static (strided) layout}}
    gpu.func @k(%A: memref<64x64xf32, strided<[?, ?], offset: ?>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op parameter 0 (memref<64x64xf32, strided<[128, 1], offset: ?>>) cannot be passed: its layout has a dynamic stride or offset; memref parameters are bare pointers and need a static (strided) layout}}
    gpu.func @k(%A: memref<64x64xf32, strided<[128, 1], offset: ?>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op parameter 0 (memref<64x64xf32, affine_map<(d0, d1) -> (d1, d0)>>) cannot be passed: its layout is not strided; memref parameters are bare pointers and need a static (strided) layout}}
    gpu.func @h(%A: memref<64x64xf32, affine_map<(d0, d1) -> (d1, d0)>>) {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op parameter 0 (memref<?x64xf32>) cannot be passed: it has a dynamic shape (only kernels take dynamic memrefs); memref parameters are bare pointers and need a static (strided) layout}}
    gpu.func @h(%A: memref<?x64xf32>) {
      gpu.return
    }
  }
}

// -----

module {
  func.func @f(%A: memref<64x64xf32>, %B: memref<64x64xf32, #gpu.address_space<workgroup>>) {
    // expected-error @+1 {{'tl.copy' op is not inside a gpu.func of a gpu.module (its parent is 'func.func'): tl-to-nvvm compiles tl ops only in kernels and device functions (gpu.launch bodies are outlined first)}}
    "tl.copy"(%A, %B) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    func.func @f(%A: memref<64x64xf32>, %B: memref<64x64xf32, #gpu.address_space<workgroup>>) {
      // expected-error @+1 {{'tl.copy' op is in a func.func of a gpu.module: tl-to-nvvm compiles tl ops in gpu.func kernels and device functions only; make it a gpu.func (without `kernel`) of the gpu.module, or move the copy into the kernel}}
      "tl.copy"(%A, %B) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      return
    }
  }
}

// -----

// Static strides and a static offset: accepted.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<64x64xf32, strided<[128, 1], offset: 4>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      gpu.return
    }
  }
}
