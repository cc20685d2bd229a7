// tl.wgmma_descriptor (docs/mma-interop.md): what IRDL and tl-verify check
// before layouts exist (tl-infer-layouts checks the rest:
// test/Passes/InferLayouts/wgmma-descriptor-invalid.mlir). One case per chunk.
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-verify

func.func @global(%G: memref<64x16xf16>) {
  // expected-error @+1 {{'tl.wgmma_descriptor' op tile must be in workgroup (shared) memory: wgmma reads its operands from shared memory, got memref<64x16xf16>}}
  %d = "tl.wgmma_descriptor"(%G) : (memref<64x16xf16>) -> i64
  return
}

// -----

func.func @fragment() {
  %F = memref.alloca() : memref<64x16xf16, #tl.fragment>
  // expected-error @+1 {{'tl.wgmma_descriptor' op tile must be in workgroup (shared) memory: wgmma reads its operands from shared memory, got memref<64x16xf16, #tl.fragment>}}
  %d = "tl.wgmma_descriptor"(%F) : (memref<64x16xf16, #tl.fragment>) -> i64
  return
}

// -----

func.func @rank_one(%S: memref<1024xf16, #gpu.address_space<workgroup>>) {
  // expected-error @+1 {{'tl.wgmma_descriptor' op tile must have rank 2 or more (rows x K), got rank 1}}
  %d = "tl.wgmma_descriptor"(%S) : (memref<1024xf16, #gpu.address_space<workgroup>>) -> i64
  return
}

// -----

func.func @no_extents(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) {
  %c0 = arith.constant 0 : index
  %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.wgmma_descriptor' op tile's tl.region needs extents: they are the rows and the K columns one wgmma reads}}
  %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
  return
}

// -----

func.func @not_a_region(%r: !tl.buffer_region) {
  // expected-error @+1 {{'tl.wgmma_descriptor' op tile must be a workgroup memref or a tl.region of one (a block argument)}}
  %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
  return
}

// -----

func.func @attribute(%S: memref<64x16xf16, #gpu.address_space<workgroup>>) {
  // expected-error @+1 {{'tl.wgmma_descriptor' op has an unknown attribute 'swizzle' (it takes none)}}
  %d = "tl.wgmma_descriptor"(%S) {swizzle = 128 : i64} : (memref<64x16xf16, #gpu.address_space<workgroup>>) -> i64
  return
}

// -----

func.func @result_type(%S: memref<64x16xf16, #gpu.address_space<workgroup>>) {
  // expected-error @+1 {{expected 'i64' but got 'i32'}}
  %d = "tl.wgmma_descriptor"(%S) : (memref<64x16xf16, #gpu.address_space<workgroup>>) -> i32
  return
}
