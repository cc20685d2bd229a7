// tl-lower-copy's output through the whole upstream lowering: the PTX must
// use 16-byte vector accesses (fp16 and i8 tiles included), keep fragments
// in registers, predicate boundary tiles and carry the eviction qualifiers.
// RUN: tl-opt %s --tl-lower-copy -o %t.mlir
// RUN: tl-opt %t.mlir --pass-pipeline='builtin.module(gpu-lower-to-nvvm-pipeline{cubin-chip=sm_90a cubin-features=+ptx80 cubin-format=isa kernel-bare-ptr-calling-convention=true})' --emit-binary=%t.ptx -o /dev/null
// RUN: FileCheck %s < %t.ptx
// The PTX is also in the gpu.binary's assembly string.
// RUN: tl-opt %t.mlir --pass-pipeline='builtin.module(gpu-lower-to-nvvm-pipeline{cubin-chip=sm_90a cubin-features=+ptx80 cubin-format=isa kernel-bare-ptr-calling-convention=true})' | FileCheck %s --check-prefix=BINARY
// BINARY: gpu.binary @lc
// BINARY-SAME: assembly = "{{.*}}ld.global.v4.b32

// The examples through the whole tl-to-nvvm pipeline (tl-legalize-regions,
// tl-infer-layouts, tl-lower-copy, ...).
// RUN: tl-opt %examples/tile_copy.mlir --tl-to-nvvm="format=ptx prefer-tma=true" --emit-binary=%t.tile.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=TILE < %t.tile.ptx
// On sm_90a both copies are TMA copies (docs/tma.md; SIMT: tma-lower.mlir).
// TILE-NOT: {{(ld|st)\.(global|shared)(\.L1::evict_first)?\.(b|f)32}}
// TILE: cp.async.bulk.tensor.2d.shared::cluster.global
// TILE: bar.sync
// TILE: cp.async.bulk.tensor.2d.global.shared::cta
// RUN: tl-opt %examples/fragment_roundtrip.mlir --tl-to-nvvm="format=ptx prefer-tma=true" --emit-binary=%t.frag.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=FRAG < %t.frag.ptx
// FRAG-NOT: .local
// FRAG-COUNT-2: ld.global.v4.b32
// FRAG-COUNT-4: st.global.v4.b32
// FRAG-NOT: .local

// CHECK: .target sm_90a

// f32: 16-byte global loads, shared stores, a barrier, and back.
// CHECK-LABEL: .entry f32_tile(
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|f)32}}
// CHECK-COUNT-16: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK: bar.sync
// CHECK-COUNT-16: {{(ld\.shared|st\.global)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|f)32}}
// CHECK: ret;

// f16 with v = 8: 8 halves are 4 b32 registers; never 2-byte accesses.
// CHECK-LABEL: .entry f16_tile(
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// CHECK-COUNT-8: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// CHECK: bar.sync
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// CHECK-COUNT-8: {{(ld\.shared|st\.global)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u)16}}
// CHECK: ret;

// i8 with v = 16.
// CHECK-LABEL: .entry i8_tile(
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u|s)8}}
// CHECK-COUNT-4: {{(ld\.global|st\.shared)\.v4\.b32}}
// CHECK: bar.sync
// CHECK-COUNT-4: {{(ld\.shared|st\.global)\.v4\.b32}}
// CHECK-NOT: {{(ld|st)\.(global|shared)\.(b|u|s)8}}
// CHECK: ret;

// f16 -> f32 with v = 8: one 16-byte load, conversions, two 16-byte stores.
// CHECK-LABEL: .entry cast_tile(
// CHECK: ld.global.v4.b32
// CHECK: cvt.f32.f16
// CHECK: st.shared.v4.b32
// CHECK: st.shared.v4.b32
// CHECK: ret;

// A fragment lives in registers: no local memory.
// CHECK-LABEL: .entry fragment_roundtrip(
// CHECK-NOT: .local
// CHECK-NOT: {{(ld|st)\.local}}
// CHECK: ld.global.v4.b32
// CHECK-NOT: {{(ld|st)\.local}}
// CHECK: st.global.v4.b32
// CHECK-NOT: {{(ld|st)\.local}}
// CHECK: ret;

// A boundary tile: predicated loads and stores, still 16 bytes wide.
// CHECK-LABEL: .entry boundary_tile(
// CHECK: setp.{{.*}}
// CHECK: @%p{{[0-9]+}} bra
// CHECK: ld.global.v4.b32
// CHECK: bar.sync
// CHECK: st.global.v4.b32
// CHECK: ret;

// Eviction priorities through inline PTX.
// CHECK-LABEL: .entry eviction(
// CHECK: ld.global.L1::evict_last.v4.b32 {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}}, [%rd{{[0-9]+}}];
// CHECK: st.shared.v4.b32
// CHECK: bar.sync
// CHECK: st.global.L1::evict_first.v4.b32 [%rd{{[0-9]+}}], {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}};
// CHECK: ret;

// Narrow accesses with a policy: 8, 4, 2 and 1 bytes.
// CHECK-LABEL: .entry eviction_narrow(
// CHECK-DAG: ld.global.L1::evict_first.v2.b32
// CHECK-DAG: st.global.L1::evict_last.b32
// CHECK-DAG: ld.global.L1::evict_first.b16
// CHECK-DAG: st.global.L1::evict_last.b8
// CHECK: ret;

#m_f32 = affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 4) mod 128, ((d0 * 64 + d1) floordiv 512) * 4 + (d0 * 64 + d1) mod 4)>
#m_f16 = affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>
#m_i8 = affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 16) mod 128, ((d0 * 64 + d1) floordiv 2048) * 16 + (d0 * 64 + d1) mod 16)>
#m_32x64_v8 = affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>
#m_v2 = affine_map<(d0) -> ((d0 floordiv 2) mod 32, (d0 floordiv 64) * 2 + d0 mod 2)>
#m_v1 = affine_map<(d0) -> (d0 mod 32, d0 floordiv 32)>
module attributes {gpu.container_module} {
  gpu.module @lc [#nvvm.target<chip = "sm_90a">] {
    gpu.func @f32_tile(%A: memref<512x512xf32>, %B: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #tl.fragment_layout<#m_f32, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %s2 = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%s2, %b) {base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #tl.fragment_layout<#m_f32, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }

    gpu.func @f16_tile(%A: memref<512x512xf16>, %B: memref<512x512xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<#m_f16, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %s2 = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%s2, %b) {base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<#m_f16, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }

    gpu.func @i8_tile(%A: memref<512x512xi8>, %B: memref<512x512xi8>)
        workgroup(%S: memref<64x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xi8>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xi8, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 16 : i64, thread_map = #tl.fragment_layout<#m_i8, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %s2 = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xi8, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xi8>, index, index) -> !tl.buffer_region
      "tl.copy"(%s2, %b) {base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 16 : i64, thread_map = #tl.fragment_layout<#m_i8, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }

    gpu.func @cast_tile(%A: memref<512x512xf16>, %B: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<#m_f16, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %s2 = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%s2, %b) {base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #tl.fragment_layout<#m_f32, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }

    gpu.func @fragment_roundtrip(%A: memref<256x256xf16>, %B: memref<256x256xf32>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c32 = arith.constant 32 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c32 : index
      %j = arith.muli %bx, %c64 : index
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<#m_32x64_v8, 128 : i64, 1 : i64>} : memref<32x64xf16, #tl.fragment>
      %G = memref.alloca() {tl.layout = #tl.fragment_layout<#m_32x64_v8, 128 : i64, 1 : i64>} : memref<32x64xf32, #tl.fragment>
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<32x64xf16, #tl.fragment>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %f) {base_shape = array<i64: 32, 64>, base_side = "dst", inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<#m_32x64_v8, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %f2 = "tl.region"(%F, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<32x64xf16, #tl.fragment>, index, index) -> !tl.buffer_region
      %g = "tl.region"(%G, %c0, %c0) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<32x64xf32, #tl.fragment>, index, index) -> !tl.buffer_region
      "tl.copy"(%f2, %g) {base_shape = array<i64: 32, 64>, base_side = "src", inst = "direct"} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %g2 = "tl.region"(%G, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<32x64xf32, #tl.fragment>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%g2, %b) {base_shape = array<i64: 32, 64>, base_side = "src", inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<#m_32x64_v8, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }

    gpu.func @boundary_tile(%A: memref<100x100xf32>, %B: memref<100x100xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, bounds_check = array<i1: true, true>, extents = array<i64: 64, 64>} : (memref<100x100xf32>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #tl.fragment_layout<#m_f32, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %s2 = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, bounds_check = array<i1: true, true>, extents = array<i64: 64, 64>} : (memref<100x100xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%s2, %b) {base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #tl.fragment_layout<#m_f32, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }

    gpu.func @eviction(%A: memref<512x512xf16>, %B: memref<512x512xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", eviction_policy = "evict_last", inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<#m_f16, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %s2 = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%s2, %b) {annotations = {eviction_policy = "evict_first"}, base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<#m_f16, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }

    gpu.func @eviction_narrow(%A: memref<128xf32>, %B: memref<128xf32>, %H: memref<64xf16>, %C: memref<64xi8>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 128>} : (memref<128xf32>, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c0) {access = 2 : i32, extents = array<i64: 128>} : (memref<128xf32>, index) -> !tl.buffer_region
      "tl.copy"(%a, %b) {base_shape = array<i64: 128>, base_side = "src", eviction_policy = "evict_first", inst = "simt", vector_width = 2 : i64, thread_map = #tl.fragment_layout<#m_v2, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %a2 = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 128>} : (memref<128xf32>, index) -> !tl.buffer_region
      %b2 = "tl.region"(%B, %c0) {access = 2 : i32, extents = array<i64: 128>} : (memref<128xf32>, index) -> !tl.buffer_region
      "tl.copy"(%a2, %b2) {base_shape = array<i64: 128>, base_side = "src", eviction_policy = "evict_last", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<#m_v1, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %h = "tl.region"(%H, %c0) {access = 1 : i32, extents = array<i64: 64>} : (memref<64xf16>, index) -> !tl.buffer_region
      %c = "tl.region"(%C, %c0) {access = 2 : i32, extents = array<i64: 64>} : (memref<64xi8>, index) -> !tl.buffer_region
      "tl.copy"(%h, %c) {annotations = {eviction_policy = "evict_first"}, base_shape = array<i64: 64>, base_side = "src", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<#m_v1, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %h2 = "tl.region"(%H, %c0) {access = 1 : i32, extents = array<i64: 64>} : (memref<64xf16>, index) -> !tl.buffer_region
      %c2 = "tl.region"(%C, %c0) {access = 2 : i32, extents = array<i64: 64>} : (memref<64xi8>, index) -> !tl.buffer_region
      "tl.copy"(%h2, %c2) {eviction_policy = "evict_last", base_shape = array<i64: 64>, base_side = "src", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<#m_v1, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
