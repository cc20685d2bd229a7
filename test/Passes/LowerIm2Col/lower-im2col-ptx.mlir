// tl-lower-im2col's output through the whole upstream lowering
// (gpu-lower-to-nvvm-pipeline, sm_90a, PTX): each vector chunk stays one
// 16-byte access on both sides (ld.global.v4.b32 from the image,
// st.shared.v4.b32 into the tile), never scalarized; C = 3 (v = 1) uses
// 2-byte accesses. Each kernel reads the tile back after a barrier so that
// the shared stores are live; only what precedes bar.sync is im2col.
// RUN: split-file %s %t
// RUN: tl-opt %t/static.mlir --tl-lower-im2col -o %t/static.low.mlir
// RUN: tl-opt %t/static.low.mlir --pass-pipeline='builtin.module(gpu-lower-to-nvvm-pipeline{cubin-chip=sm_90a cubin-features=+ptx80 cubin-format=isa kernel-bare-ptr-calling-convention=true})' --emit-binary=%t/static.ptx -o /dev/null
// RUN: FileCheck %s < %t/static.ptx
// The PTX is also in the gpu.binary's assembly string.
// RUN: tl-opt %t/static.low.mlir --pass-pipeline='builtin.module(gpu-lower-to-nvvm-pipeline{cubin-chip=sm_90a cubin-features=+ptx80 cubin-format=isa kernel-bare-ptr-calling-convention=true})' | FileCheck %s --check-prefix=BINARY
// BINARY: gpu.binary @im2col
// BINARY-SAME: assembly = "{{.*}}ld.global.v4.b32
// Dynamic N, H, W need the descriptor calling convention (no bare pointers).
// RUN: tl-opt %t/dynamic.mlir --tl-lower-im2col -o %t/dynamic.low.mlir
// RUN: tl-opt %t/dynamic.low.mlir --pass-pipeline='builtin.module(gpu-lower-to-nvvm-pipeline{cubin-chip=sm_90a cubin-features=+ptx80 cubin-format=isa})' --emit-binary=%t/dynamic.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=DYN < %t/dynamic.ptx

// CHECK: .target sm_90a

// fp16 with C % 8 == 0, a 64x64 tile over 128 threads: 4 chunks of 8 halves
// per thread, each one 16-byte load and one 16-byte store (8 in all).
// CHECK-LABEL: .entry k3s1p1(
// CHECK: .shared .align 16
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// CHECK-COUNT-8: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)}}
// CHECK: bar.sync

// CHECK-LABEL: .entry k3s2p1(
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// CHECK-COUNT-8: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)}}
// CHECK: bar.sync

// CHECK-LABEL: .entry dil2_pad2(
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// CHECK-COUNT-8: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)}}
// CHECK: bar.sync

// CHECK-LABEL: .entry pad0(
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// CHECK-COUNT-8: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)}}
// CHECK: bar.sync

// CHECK-LABEL: .entry kernel31(
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// CHECK-COUNT-8: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)}}
// CHECK: bar.sync

// C = 3: v = 1, 16 chunks of one half per thread.
// CHECK-LABEL: .entry c3(
// CHECK-NOT: .v4.
// CHECK-COUNT-32: {{(ld\.global|st\.shared)\.b16}}
// CHECK-NOT: {{(ld|st)\.(global|shared)}}
// CHECK: bar.sync

// f32 with v = 8: one chunk of 32 bytes per thread, split in two 16-byte
// accesses per side.
// CHECK-LABEL: .entry f32_v8(
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|f)32}}
// CHECK-COUNT-4: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)}}
// CHECK: bar.sync

// i8 with v = 16: 2 chunks of 16 bytes per thread.
// CHECK-LABEL: .entry i8_v16(
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u|s)8}}
// CHECK-COUNT-4: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)}}
// CHECK: bar.sync

// DYN: .target sm_90a
// DYN-LABEL: .entry dynamic(
// DYN-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// DYN-COUNT-8: {{(ld\.global|st\.shared)\.v4\.b32}}
// DYN-NOT: {{(ld|st)\.(global|shared)}}
// DYN: bar.sync

//--- static.mlir
module attributes {gpu.container_module} {
  gpu.module @im2col [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k3s1p1(%Img: memref<8x32x32x64xf16>, %Out: memref<64x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<8x32x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %x = memref.load %S[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
      memref.store %x, %Out[%t, %c0] : memref<64x64xf16>
      gpu.return
    }
    gpu.func @k3s2p1(%Img: memref<8x32x30x64xf16>, %Out: memref<64x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<8x32x30x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %x = memref.load %S[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
      memref.store %x, %Out[%t, %c0] : memref<64x64xf16>
      gpu.return
    }
    gpu.func @dil2_pad2(%Img: memref<4x16x16x64xf16>, %Out: memref<64x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 2 : i64, pad = 2 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<4x16x16x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %x = memref.load %S[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
      memref.store %x, %Out[%t, %c0] : memref<64x64xf16>
      gpu.return
    }
    gpu.func @pad0(%Img: memref<2x16x16x64xf16>, %Out: memref<64x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 0 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<2x16x16x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %x = memref.load %S[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
      memref.store %x, %Out[%t, %c0] : memref<64x64xf16>
      gpu.return
    }
    gpu.func @kernel31(%Img: memref<2x16x10x64xf16>, %Out: memref<64x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = array<i64: 3, 1>, stride = array<i64: 2, 1>, dilation = 1 : i64, pad = array<i64: 1, 0>, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<2x16x10x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %x = memref.load %S[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
      memref.store %x, %Out[%t, %c0] : memref<64x64xf16>
      gpu.return
    }
    gpu.func @c3(%Img: memref<2x8x8x3xf16>, %Out: memref<64x32xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x32xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 1 : i64} : (memref<2x8x8x3xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %x = memref.load %S[%t, %c0] : memref<64x32xf16, #gpu.address_space<workgroup>>
      memref.store %x, %Out[%t, %c0] : memref<64x32xf16>
      gpu.return
    }
    gpu.func @f32_v8(%Img: memref<2x9x9x16xf32>, %Out: memref<32x32xf32>, %nhw: index, %cs: index)
        workgroup(%S: memref<32x32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64} : (memref<2x9x9x16xf32>, memref<32x32xf32, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %x = memref.load %S[%t, %c0] : memref<32x32xf32, #gpu.address_space<workgroup>>
      memref.store %x, %Out[%t, %c0] : memref<32x32xf32>
      gpu.return
    }
    gpu.func @i8_v16(%Img: memref<2x9x9x32xi8>, %Out: memref<64x64xi8>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 16 : i64} : (memref<2x9x9x32xi8>, memref<64x64xi8, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %x = memref.load %S[%t, %c0] : memref<64x64xi8, #gpu.address_space<workgroup>>
      memref.store %x, %Out[%t, %c0] : memref<64x64xi8>
      gpu.return
    }
  }
}

//--- dynamic.mlir
module attributes {gpu.container_module} {
  gpu.module @dyn [#nvvm.target<chip = "sm_90a">] {
    gpu.func @dynamic(%Img: memref<?x?x?x64xf16>, %Out: memref<64x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<?x?x?x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      %x = memref.load %S[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
      memref.store %x, %Out[%t, %c0] : memref<64x64xf16>
      gpu.return
    }
  }
}
