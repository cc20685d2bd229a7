// Sizes at the limits (issue 16): empty buffers (a static size 0; they
// used to reach tl-lower-copy's "base_shape entries must be positive" or,
// for an im2col image with C = 0, "failed to legalize operation
// 'gpu.func'", and N = 0 compiled), buffers of more than 2^63 bytes (their
// strides overflowed in C: UB, found with UBSan), and im2col parameters
// over 65536 (2P - D(K-1) - 1 overflowed for a dynamic H or W and
// compiled). The last case, at the limits, is accepted.
// RUN: tl-opt %s -split-input-file --tl-verify -verify-diagnostics
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=isa -verify-diagnostics -o /dev/null

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<0x64xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op source memref<0x64xf32> is empty (dimension 0 has size 0); tl ops need non-empty buffers}}
      "tl.copy"(%A, %S) : (memref<0x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<64x64xf32>)
        workgroup(%S: memref<64x0xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op destination memref<64x0xf32, #gpu.address_space<workgroup>> is empty (dimension 1 has size 0); tl ops need non-empty buffers}}
      "tl.copy"(%A, %S) : (memref<64x64xf32>, memref<64x0xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<4294967296x4294967296xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+1 {{'tl.region' op buffer memref<4294967296x4294967296xf32> has more than 2^63 bytes: its offsets and strides would overflow 64 bits}}
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<4294967296x4294967296xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<4294967296x4294967296xi8>, %B: memref<4294967296x4294967296xi8>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+2 {{'tl.copy' op source memref<4294967296x4294967296xi8> has more than 2^63 bytes: its offsets and strides would overflow 64 bits}}
      // expected-error @+1 {{'tl.copy' op destination memref<4294967296x4294967296xi8> has more than 2^63 bytes: its offsets and strides would overflow 64 bits}}
      "tl.copy"(%A, %B) : (memref<4294967296x4294967296xi8>, memref<4294967296x4294967296xi8>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<1073741824x1073741824x64xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+1 {{'tl.region' op buffer memref<1073741824x1073741824x64xf32> has more than 2^63 bytes: its offsets and strides would overflow 64 bits}}
      %a = "tl.region"(%A, %c0, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 64, 64>} : (memref<1073741824x1073741824x64xf32>, index, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%Img: memref<8x32x32x0xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      // expected-error @+1 {{'tl.c2d_im2col' op img memref<8x32x32x0xf16> is empty (dimension 3 has size 0); tl ops need non-empty buffers}}
      "tl.c2d_im2col"(%Img, %S, %bx, %bx) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<8x32x32x0xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%Img: memref<0x32x32x64xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      // expected-error @+1 {{'tl.c2d_im2col' op img memref<0x32x32x64xf16> is empty (dimension 0 has size 0); tl ops need non-empty buffers}}
      "tl.c2d_im2col"(%Img, %S, %bx, %bx) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<0x32x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%Img: memref<8x?x32x64xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      // expected-error @+1 {{'tl.c2d_im2col' op pad must be <= 65536, got array<i64: 4611686018427387904, 1>: larger values overflow the output-size arithmetic}}
      "tl.c2d_im2col"(%Img, %S, %bx, %bx) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = array<i64: 4611686018427387904, 1>} : (memref<8x?x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%Img: memref<8x?x32x64xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      // expected-error @+1 {{'tl.c2d_im2col' op dilation must be <= 65536, got 9223372036854775807 : i64: larger values overflow the output-size arithmetic}}
      "tl.c2d_im2col"(%Img, %S, %bx, %bx) {kernel = 3 : i64, stride = 1 : i64, dilation = 9223372036854775807 : i64, pad = 1 : i64} : (memref<8x?x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%Img: memref<8x?x32x64xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      // expected-error @+1 {{'tl.c2d_im2col' op kernel must be <= 65536, got 65537 : i64: larger values overflow the output-size arithmetic}}
      "tl.c2d_im2col"(%Img, %S, %bx, %bx) {kernel = 65537 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 0 : i64} : (memref<8x?x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%Img: memref<8x?x?x64xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      "tl.c2d_im2col"(%Img, %S, %bx, %bx) {kernel = 3 : i64, stride = 65536 : i64, dilation = 65536 : i64, pad = 65536 : i64} : (memref<8x?x?x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

