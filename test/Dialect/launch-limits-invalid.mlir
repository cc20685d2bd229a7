// A kernel declared beyond the launch limits compiles but can never launch
// (issue 16): known_block_size x, y <= 1024, z <= 64, at most 1024 threads;
// known_grid_size x <= 2^31 - 1, y, z <= 65535. tl-verify checks every
// gpu.func, with tl ops or not.
// RUN: tl-opt %s -split-input-file --tl-verify -verify-diagnostics

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op @k has known_block_size = array<i32: 2048, 1, 1>: x is 2048, more than the 1024 a launch allows (x <= 1024, y <= 1024, z <= 64)}}
    gpu.func @k() kernel attributes {known_block_size = array<i32: 2048, 1, 1>} {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op @k has known_block_size = array<i32: 1, 1, 65>: z is 65, more than the 64 a launch allows}}
    gpu.func @k() kernel attributes {known_block_size = array<i32: 1, 1, 65>} {
      gpu.return
    }
  }
}

// -----

// Each entry fits, the product does not; with a tile copy, which used to
// get a message about empty (thread, local) slots.
module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op @k has known_block_size = array<i32: 1024, 1024, 1>: 1048576 threads per block, more than the 1024 a launch allows}}
    gpu.func @k(%A: memref<64x64xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 1024, 1024, 1>} {
      "tl.copy"(%A, %S) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// The largest entries: the product is 2^36, well past int32.
module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op @k has known_block_size = array<i32: 1024, 1024, 64>: 67108864 threads per block}}
    gpu.func @k() kernel attributes {known_block_size = array<i32: 1024, 1024, 64>} {
      gpu.return
    }
  }
}

// -----

// int32 maxima: the block-size product would overflow an int64.
module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op @k has known_block_size = array<i32: 2147483647, 2147483647, 2147483647>: x is 2147483647}}
    gpu.func @k(%A: memref<64x64xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 2147483647, 2147483647, 2147483647>} {
      "tl.copy"(%A, %S) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op @k has known_grid_size = array<i32: 1, 65536, 1>: y is 65536, more than the 65535 a launch allows (x <= 2147483647, y <= 65535, z <= 65535)}}
    gpu.func @k() kernel attributes {known_block_size = array<i32: 32, 32, 1>, known_grid_size = array<i32: 1, 65536, 1>} {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{'gpu.func' op @k has known_grid_size = array<i32: 1, 1, 70000>: z is 70000}}
    gpu.func @k() kernel attributes {known_grid_size = array<i32: 1, 1, 70000>} {
      gpu.return
    }
  }
}

// -----

// At the limits: accepted.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<64x64xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 16, 1, 64>, known_grid_size = array<i32: 2147483647, 65535, 65535>} {
      "tl.copy"(%A, %S) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
