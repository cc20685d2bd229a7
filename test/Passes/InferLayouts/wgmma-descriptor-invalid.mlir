// tl.wgmma_descriptor's errors in tl-infer-layouts (copy/WgmmaDesc.c): a
// tile whose layout wgmma cannot read. One case per chunk.
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-legalize-regions --tl-infer-layouts

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @sm80() workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma needs sm_90a, but the target is sm_80}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90">] {
    gpu.func @sm90() workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma needs sm_90a, but the target is sm_90}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @wide_rows() workgroup(%S: memref<64x128xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: wgmma reads K-major rows of one swizzle span (32, 64 or 128 bytes), but the buffer's rows are 256 bytes}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<64x128xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @narrow_rows() workgroup(%S: memref<64x8xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: wgmma reads K-major rows of one swizzle span (32, 64 or 128 bytes), but the buffer's rows are 16 bytes}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 8>} : (memref<64x8xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @buffer_rows() workgroup(%S: memref<60x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: the buffer has 60 rows, not a multiple of 8 (each 8-row swizzle atom must start at a multiple of 1024 bytes)}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 56, 16>} : (memref<60x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k_extent() workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: one wgmma reads 32 bytes of K per row (16 elements), but the region's innermost extent is 32}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @region_rows() workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: the region's 60 rows are not a positive multiple of 8 (wgmma's core matrices)}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 60, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k_index() workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: the region's index 8 of dimension 1 is not a multiple of 16}}
      %r = "tl.region"(%S, %c0, %c8) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @row_multiple() workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      %c4 = arith.constant 4 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: the region's index 4 of dimension 0 is not a multiple of 8}}
      %r = "tl.region"(%S, %c4, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

// A leading extent above 1.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @leading() workgroup(%S: memref<2x64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: the region's extent of dimension 0 is 2; only the last two (rows, K) may exceed 1}}
      %r = "tl.region"(%S, %c0, %c0, %c0) {access = 1 : i32, extents = array<i64: 2, 64, 16>} : (memref<2x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

// f64: not a wgmma element size.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @f64() workgroup(%S: memref<64x16xf64, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: wgmma reads 8-, 16- or 32-bit elements}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 4>} : (memref<64x16xf64, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

// A dynamic row index that cannot be proven in bounds, then one that cannot
// be proven a multiple of 8.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @dynamic(%i: index) workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: the region's index of dimension 0 is not provably in [0, 64] (a descriptor has no bounds check)}}
      %r = "tl.region"(%S, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      %t = gpu.thread_id x
      %c2 = arith.constant 2 : index
      %q = arith.divui %t, %c2 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: the region's index of dimension 0 is not provably a multiple of 8}}
      %s = "tl.region"(%S, %q, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %e = "tl.wgmma_descriptor"(%s) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

// A copy demands another swizzle for the buffer.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @conflict(%A: memref<128x64xf16>) workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      "tl.copy"(%A, %S) {annotations = {swizzle = 64 : i64}} : (memref<128x64xf16>, memref<128x64xf16, #gpu.address_space<workgroup>>) -> ()
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma reads this tile's 128-byte rows through the 128-byte swizzle, but the tl.copy at}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

// The user's tl.swizzle disagrees.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @user() workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 32 : i64}) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+2 {{'tl.wgmma_descriptor' op wgmma reads this tile's 128-byte rows through the 128-byte swizzle, but its tl.swizzle is 32}}
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

// A workgroup buffer that is not an
// attribution (a memref.alloca) is refused.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @alloca() kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %S = memref.alloca() : memref<64x16xf16, #gpu.address_space<workgroup>>
      // expected-error @+1 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: its buffer is not a workgroup attribution of the gpu.func}}
      %d = "tl.wgmma_descriptor"(%S) : (memref<64x16xf16, #gpu.address_space<workgroup>>) -> i64
      gpu.return
    }
  }
}

// -----

// An empty buffer.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @empty() workgroup(%S: memref<0x16xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: the buffer has 0 rows, not a multiple of 8 (each 8-row swizzle atom must start at a multiple of 256 bytes)}}
      %d = "tl.wgmma_descriptor"(%S) : (memref<0x16xf16, #gpu.address_space<workgroup>>) -> i64
      gpu.return
    }
  }
}

// -----

// A view with a layout (a subview of the attribution) is not a tile wgmma
// can address through a descriptor.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @strided() workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %v = memref.subview %S[0, 0] [64, 16] [1, 1] : memref<128x64xf16, #gpu.address_space<workgroup>> to memref<64x16xf16, strided<[64, 1]>, #gpu.address_space<workgroup>>
      // expected-error @+1 {{'tl.wgmma_descriptor' op wgmma cannot read this tile: its buffer needs a static shape and the identity layout}}
      %d = "tl.wgmma_descriptor"(%v) : (memref<64x16xf16, strided<[64, 1]>, #gpu.address_space<workgroup>>) -> i64
      gpu.return
    }
  }
}
