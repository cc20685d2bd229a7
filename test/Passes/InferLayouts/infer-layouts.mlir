// SIMT inference: chip sm_70 (no TMA, cp.async or ldmatrix; TMA selection is in
// tma-infer.mlir, cp.async in cp-async.mlir).
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=chip=sm_70 | FileCheck %s
// Anchored on the gpu.module, as in a real pipeline, with the chip option:
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-legalize-regions,tl-infer-layouts{chip=sm_70}))' | FileCheck %s
// The report: one line per tl op on stderr.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts="report=true chip=sm_70" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// Idempotence: a second run changes nothing.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=chip=sm_70 > %t.1
// RUN: tl-opt %t.1 -split-input-file --tl-infer-layouts=chip=sm_70 > %t.2
// RUN: diff %t.1 %t.2
// The result re-parses, passes tl-verify and round-trips.
// RUN: tl-opt %t.1 -split-input-file --tl-verify | diff - %t.1
// The chip option must name a chip of tl's table (support/Target.c).
// RUN: not tl-opt %s --tl-infer-layouts=chip=gfx90a 2>&1 | FileCheck %s --check-prefix=CHIP
// CHIP: tl-infer-layouts: unsupported chip 'gfx90a' (supported: sm_70, sm_72,

// f32 tiles through shared memory: v = 128 / 32 = 4; thread = (f / 4) mod
// 128, local = (f / 512) * 4 + f mod 4 over the 64x64 base. The workgroup
// attribution gets llvm.align = 16.
// CHECK: #[[F32:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 4 + d0 * 16) mod 128, ((d1 + d0 * 64) floordiv 512) * 4 + d1 mod 4)>
// CHECK: gpu.func @f32_tile
// CHECK-SAME: workgroup(%{{.*}} : memref<64x64xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[F32]], 128 : i64, 1 : i64>, vector_width = 4 : i64}
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[F32]], 128 : i64, 1 : i64>, vector_width = 4 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @f32_tile(%A: memref<512x512xf32>, %B: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f32->f32: simt, v=4 (16-byte), 128 threads, 8 chunks per thread
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy shared->global [64x64] f32->f32: simt, v=4 (16-byte), 128 threads, 8 chunks per thread
      "tl.copy"(%S, %b) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// 16-bit and 8-bit elements: v = 8 (f16, bf16) and 16 (i8); the thread
// count is the product of known_block_size (64 * 2).
// CHECK: #[[V8:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 8 + d0 * 8) mod 128, ((d1 + d0 * 64) floordiv 1024) * 8 + d1 mod 8)>
// CHECK: #[[V16:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 16 + d0 * 4) mod 128, ((d1 + d0 * 64) floordiv 2048) * 16 + d1 mod 16)>
// CHECK: gpu.func @narrow_types
// CHECK-SAME: {llvm.align = 16 : i64}, %{{.*}} : memref<32x64xbf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<32x64xi8, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// CHECK: "tl.copy"{{.*}}thread_map = #tl.fragment_layout<#[[V8]], 128 : i64, 1 : i64>, vector_width = 8 : i64}
// CHECK: "tl.copy"{{.*}}thread_map = #tl.fragment_layout<#[[V8]], 128 : i64, 1 : i64>, vector_width = 8 : i64}
// CHECK: "tl.copy"{{.*}}thread_map = #tl.fragment_layout<#[[V16]], 128 : i64, 1 : i64>, vector_width = 16 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @narrow_types(%A: memref<256x256xf16>, %B: memref<256x256xbf16>, %C: memref<256x256xi8>)
        workgroup(%S: memref<32x64xf16, #gpu.address_space<workgroup>>, %T: memref<32x64xbf16, #gpu.address_space<workgroup>>, %U: memref<32x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 2, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [32x64] f16->f16: simt, v=8 (16-byte), 128 threads, 2 chunks per thread
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 1 : i32} : (memref<256x256xbf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [32x64] bf16->bf16: simt, v=8 (16-byte), 128 threads, 2 chunks per thread
      "tl.copy"(%b, %T) : (!tl.buffer_region, memref<32x64xbf16, #gpu.address_space<workgroup>>) -> ()
      %c = "tl.region"(%C, %c0, %c0) {access = 1 : i32} : (memref<256x256xi8>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [32x64] i8->i8: simt, v=16 (16-byte), 128 threads, 1 chunk per thread
      "tl.copy"(%c, %U) : (!tl.buffer_region, memref<32x64xi8, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// A casting copy takes the widest element: f16 -> f32 gives v = 4.
// CHECK: #[[CAST:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 4 + d0 * 16) mod 128, ((d1 + d0 * 64) floordiv 512) * 4 + d1 mod 4)>
// CHECK: gpu.func @cast
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[CAST]], 128 : i64, 1 : i64>, vector_width = 4 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @cast(%B: memref<256x256xf32>)
        workgroup(%S: memref<32x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32} : (memref<256x256xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy shared->global [32x64] f16->f32: simt, v=4 (16-byte), 128 threads, 4 chunks per thread
      "tl.copy"(%S, %b) : (memref<32x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Non-contiguous innermost dimensions give v = 1: a column of a row-major
// matrix (stride 64), and a column-major memref.
// CHECK: #[[COL:map[0-9]*]] = affine_map<(d0) -> (d0 mod 32, d0 floordiv 32)>
// CHECK: #[[CM:map[0-9]*]] = affine_map<(d0, d1) -> (d1 mod 32, d1 floordiv 32 + d0 * 2)>
// CHECK: gpu.func @noncontiguous
// CHECK: "tl.copy"{{.*}}base_shape = array<i64: 64>{{.*}}thread_map = #tl.fragment_layout<#[[COL]], 32 : i64, 1 : i64>, vector_width = 1 : i64}
// CHECK: "tl.copy"{{.*}}thread_map = #tl.fragment_layout<#[[CM]], 32 : i64, 1 : i64>, vector_width = 1 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @noncontiguous(%A: memref<64x64xf32>, %C: memref<64x64xf32, strided<[1, 64]>>)
        workgroup(%S: memref<64xf32, #gpu.address_space<workgroup>>, %T: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 1>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64] f32->f32: simt, v=1 (4-byte), 32 threads, 2 chunks per thread
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f32->f32: simt, v=1 (4-byte), 32 threads, 128 chunks per thread
      "tl.copy"(%C, %T) : (memref<64x64xf32, strided<[1, 64]>>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Alignment of the innermost index: a function argument has no known
// divisor (v = 1); bx * 64 keeps the full width; bx * 64 + j * 2 gives 2.
// CHECK: #[[A1:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 + d0 * 64) mod 128, (d1 + d0 * 64) floordiv 128)>
// CHECK: #[[A4:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 4 + d0 * 16) mod 128, ((d1 + d0 * 64) floordiv 512) * 4 + d1 mod 4)>
// CHECK: #[[A2:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 2 + d0 * 32) mod 128, ((d1 + d0 * 64) floordiv 256) * 2 + d1 mod 2)>
// CHECK: gpu.func @alignment
// CHECK: "tl.copy"{{.*}}thread_map = #tl.fragment_layout<#[[A1]], 128 : i64, 1 : i64>, vector_width = 1 : i64}
// CHECK: "tl.copy"{{.*}}thread_map = #tl.fragment_layout<#[[A4]], 128 : i64, 1 : i64>, vector_width = 4 : i64}
// CHECK: "tl.copy"{{.*}}thread_map = #tl.fragment_layout<#[[A2]], 128 : i64, 1 : i64>, vector_width = 2 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @alignment(%A: memref<512x512xf32>, %i: index, %j: index)
        workgroup(%S: memref<16x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c2 = arith.constant 2 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %j64 = arith.muli %bx, %c64 : index
      %j2 = arith.muli %j, %c2 : index
      %j64p2 = arith.addi %j64, %j2 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [16x64] f32->f32: simt, v=1 (4-byte), 128 threads, 8 chunks per thread
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<16x64xf32, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%A, %i, %j64) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [16x64] f32->f32: simt, v=4 (16-byte), 128 threads, 2 chunks per thread
      "tl.copy"(%b, %S) : (!tl.buffer_region, memref<16x64xf32, #gpu.address_space<workgroup>>) -> ()
      %c = "tl.region"(%A, %i, %j64p2) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [16x64] f32->f32: simt, v=2 (8-byte), 128 threads, 4 chunks per thread
      "tl.copy"(%c, %S) : (!tl.buffer_region, memref<16x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// A 1000x77 f16 matrix in 64x64 tiles: the last tiles hang over the edge,
// so the innermost dimension is bounds-checked, and 77 is odd (so is the
// row stride): v = 1. With 100 columns (divisible by 4, not 8): v = 4.
// CHECK: #[[E1:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 + d0 * 64) mod 256, (d1 + d0 * 64) floordiv 256)>
// CHECK: #[[E4:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 4 + d0 * 16) mod 256, ((d1 + d0 * 64) floordiv 1024) * 4 + d1 mod 4)>
// CHECK: gpu.func @boundary
// CHECK: "tl.region"(%arg0, %{{.*}}, %{{.*}}) {access = 1 : i32, bounds_check = array<i1: true, true>, extents = array<i64: 64, 64>}
// CHECK: "tl.copy"{{.*}}disable_tma, inst = "simt", thread_map = #tl.fragment_layout<#[[E1]], 256 : i64, 1 : i64>, vector_width = 1 : i64}
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[E1]], 256 : i64, 1 : i64>, vector_width = 1 : i64}
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[E4]], 256 : i64, 1 : i64>, vector_width = 4 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @boundary(%A: memref<1000x77xf16>, %B: memref<1000x77xf16>, %C: memref<1000x100xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 256, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<1000x77xf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f16->f16: simt, v=1 (2-byte), 256 threads, 16 chunks per thread
      "tl.copy"(%a, %S) {disable_tma} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<1000x77xf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy shared->global [64x64] f16->f16: simt, v=1 (2-byte), 256 threads, 16 chunks per thread
      "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %c = "tl.region"(%C, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<1000x100xf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f16->f16: simt, v=4 (8-byte), 256 threads, 4 chunks per thread
      "tl.copy"(%c, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// coalesced_width divides the inferred width and replaces it; an
// annotations entry overrides the named attribute.
// CHECK: #[[C2:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 2 + d0 * 32) mod 128, ((d1 + d0 * 64) floordiv 256) * 2 + d1 mod 2)>
// CHECK: #[[C1:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 + d0 * 64) mod 128, (d1 + d0 * 64) floordiv 128)>
// CHECK: gpu.func @coalesced
// CHECK: "tl.copy"{{.*}}coalesced_width = 2 : i64, inst = "simt", thread_map = #tl.fragment_layout<#[[C2]], 128 : i64, 1 : i64>, vector_width = 2 : i64}
// CHECK: "tl.copy"{{.*}}annotations = {coalesced_width = 1 : i64}{{.*}}coalesced_width = 4 : i64, inst = "simt", thread_map = #tl.fragment_layout<#[[C1]], 128 : i64, 1 : i64>, vector_width = 1 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @coalesced(%A: memref<64x64xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f32->f32: simt, v=2 (8-byte), 128 threads, 16 chunks per thread
      "tl.copy"(%A, %S) {coalesced_width = 2 : i64} : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy shared->global [64x64] f32->f32: simt, v=1 (4-byte), 128 threads, 32 chunks per thread
      "tl.copy"(%S, %A) {coalesced_width = 4 : i64, annotations = {coalesced_width = 1 : i64}} : (memref<64x64xf32, #gpu.address_space<workgroup>>, memref<64x64xf32>) -> ()
      gpu.return
    }
  }
}

// -----

// User loop layouts are checked and recorded unchanged as the thread map;
// their width is the largest v whose chunks of v locals are v consecutive
// elements of a row: 4 (a thread holds a row quarter), 2 (two pairs), 1
// (a thread holds a column).
// CHECK: #[[L4:map[0-9]*]] = affine_map<(d0, d1) -> (d0 * 4 + d1 floordiv 4, d1 mod 4)>
// CHECK: #[[L2:map[0-9]*]] = affine_map<(d0, d1) -> (d0 * 4 + (d1 mod 8) floordiv 2, (d1 floordiv 8) * 2 + d1 mod 2)>
// CHECK: #[[L1:map[0-9]*]] = affine_map<(d0, d1) -> (d1 * 4 + d0 floordiv 4, d0 mod 4)>
// CHECK: gpu.func @loop_layouts
// CHECK: "tl.copy"{{.*}}inst = "simt", loop_layout = #tl.fragment_layout<#[[L4]], 64 : i64, 1 : i64>, thread_map = #tl.fragment_layout<#[[L4]], 64 : i64, 1 : i64>, vector_width = 4 : i64}
// CHECK: "tl.copy"{{.*}}inst = "simt", loop_layout = #tl.fragment_layout<#[[L2]], 64 : i64, 1 : i64>, thread_map = #tl.fragment_layout<#[[L2]], 64 : i64, 1 : i64>, vector_width = 2 : i64}
// CHECK: "tl.copy"{{.*}}annotations = {loop_layout = #tl.fragment_layout<#[[L1]], 64 : i64, 1 : i64>}{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[L1]], 64 : i64, 1 : i64>, vector_width = 1 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @loop_layouts(%A: memref<16x16xf32>, %B: memref<16x16xf32>)
        workgroup(%S: memref<16x16xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [16x16] f32->f32: simt, v=4 (16-byte), 64 threads, 1 chunk per thread
      "tl.copy"(%A, %S) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + d1 floordiv 4, d1 mod 4)>, 64 : i64, 1 : i64>} : (memref<16x16xf32>, memref<16x16xf32, #gpu.address_space<workgroup>>) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy shared->global [16x16] f32->f32: simt, v=2 (8-byte), 64 threads, 2 chunks per thread
      "tl.copy"(%S, %B) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + (d1 mod 8) floordiv 2, (d1 floordiv 8) * 2 + d1 mod 2)>, 64 : i64, 1 : i64>} : (memref<16x16xf32, #gpu.address_space<workgroup>>, memref<16x16xf32>) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy shared->global [16x16] f32->f32: simt, v=1 (4-byte), 64 threads, 4 chunks per thread
      "tl.copy"(%S, %B) {annotations = {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d1 * 4 + d0 floordiv 4, d0 mod 4)>, 64 : i64, 1 : i64>}} : (memref<16x16xf32, #gpu.address_space<workgroup>>, memref<16x16xf32>) -> ()
      gpu.return
    }
  }
}

// -----

// A fragment shared by two copies of different element types: the f16 load
// could use 8, the store to f32 only 4; the fragment takes the smallest (4)
// and both copies use it. tl.layout goes on the memref.alloca; each copy's
// thread map is the fragment layout.
// CHECK: #[[FR:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 4 + d0 * 16) mod 128, ((d1 + d0 * 64) floordiv 512) * 4 + d1 mod 4)>
// CHECK: gpu.func @fragment_two_types
// CHECK: memref.alloca() {tl.layout = #tl.fragment_layout<#[[FR]], 128 : i64, 1 : i64>} : memref<32x64xf16, #tl.fragment>
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[FR]], 128 : i64, 1 : i64>, vector_width = 4 : i64}
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[FR]], 128 : i64, 1 : i64>, vector_width = 4 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @fragment_two_types(%A: memref<256x256xf16>, %B: memref<256x256xf32>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %F = memref.alloca() : memref<32x64xf16, #tl.fragment>
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->fragment [32x64] f16->f16: simt, v=4 (8-byte), 128 threads, 4 chunks per thread
      "tl.copy"(%a, %F) : (!tl.buffer_region, memref<32x64xf16, #tl.fragment>) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy fragment->global [32x64] f16->f32: simt, v=4 (16-byte), 128 threads, 4 chunks per thread
      "tl.copy"(%F, %b) : (memref<32x64xf16, #tl.fragment>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// A coalesced_width on one copy raises the fragment's width (the example
// examples/fragment_roundtrip.mlir): the f16 load demands 8, the f32 store
// keeps 4 (chunks of 4 inside the fragment's chunks of 8).
// CHECK: #[[RT:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 8 + d0 * 8) mod 128, ((d1 + d0 * 64) floordiv 1024) * 8 + d1 mod 8)>
// CHECK: gpu.func @fragment_coalesced
// CHECK: memref.alloca() {tl.layout = #tl.fragment_layout<#[[RT]], 128 : i64, 1 : i64>} : memref<32x64xf16, #tl.fragment>
// CHECK: "tl.copy"{{.*}}coalesced_width = 8 : i64, inst = "simt", thread_map = #tl.fragment_layout<#[[RT]], 128 : i64, 1 : i64>, vector_width = 8 : i64}
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[RT]], 128 : i64, 1 : i64>, vector_width = 4 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @fragment_coalesced(%A: memref<256x256xf16>, %B: memref<256x256xf32>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %F = memref.alloca() : memref<32x64xf16, #tl.fragment>
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->fragment [32x64] f16->f16: simt, v=8 (16-byte), 128 threads, 2 chunks per thread
      "tl.copy"(%a, %F) {coalesced_width = 8 : i64} : (!tl.buffer_region, memref<32x64xf16, #tl.fragment>) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy fragment->global [32x64] f16->f32: simt, v=4 (16-byte), 128 threads, 4 chunks per thread
      "tl.copy"(%F, %b) : (memref<32x64xf16, #tl.fragment>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// A user tl.layout is obeyed (and kept as written); a loop_layout that
// writes the same layout differently agrees with it. Its width is 2.
// CHECK: #[[U:map[0-9]*]] = affine_map<(d0, d1) -> (d0 * 4 + (d1 mod 8) floordiv 2, (d1 floordiv 8) * 2 + d1 mod 2)>
// CHECK: #[[ULL:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 mod 8) floordiv 2 + d0 * 4, d1 mod 2 + (d1 floordiv 8) * 2)>
// CHECK: gpu.func @fragment_user_layout
// CHECK: memref.alloca() {tl.layout = #tl.fragment_layout<#[[U]], 64 : i64, 1 : i64>} : memref<16x16xf32, #tl.fragment>
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[U]], 64 : i64, 1 : i64>, vector_width = 2 : i64}
// CHECK: "tl.copy"{{.*}}inst = "simt", loop_layout = #tl.fragment_layout<#[[ULL]], 64 : i64, 1 : i64>, thread_map = #tl.fragment_layout<#[[ULL]], 64 : i64, 1 : i64>, vector_width = 2 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @fragment_user_layout(%A: memref<16x16xf32>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + (d1 mod 8) floordiv 2, (d1 floordiv 8) * 2 + d1 mod 2)>, 64 : i64, 1 : i64>} : memref<16x16xf32, #tl.fragment>
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->fragment [16x16] f32->f32: simt, v=2 (8-byte), 64 threads, 2 chunks per thread
      "tl.copy"(%A, %F) : (memref<16x16xf32>, memref<16x16xf32, #tl.fragment>) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy fragment->global [16x16] f32->f32: simt, v=2 (8-byte), 64 threads, 2 chunks per thread
      "tl.copy"(%F, %A) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> ((d1 mod 8) floordiv 2 + d0 * 4, d1 mod 2 + (d1 floordiv 8) * 2)>, 64 : i64, 1 : i64>} : (memref<16x16xf32, #tl.fragment>, memref<16x16xf32>) -> ()
      gpu.return
    }
  }
}

// -----

// Fragment -> fragment with identical layouts is "direct". Fragments joined
// by a copy share one layout over their non-unit dimensions: the 1x64
// fragment's layout has d0 unused, and the copies' thread maps (over the base
// [64]) substitute 0 for it. Candidates 8 (f16 load), 4 (f16 -> f32), 4 (f32
// store): the fragments take 4; the store's coalesced_width 2 then applies.
// CHECK: #[[D2:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 4) mod 32, (d1 floordiv 128) * 4 + d1 mod 4)>
// CHECK: #[[D1:map[0-9]*]] = affine_map<(d0) -> ((d0 floordiv 4) mod 32, (d0 floordiv 128) * 4 + d0 mod 4)>
// CHECK: gpu.func @fragment_direct
// CHECK: memref.alloca() {tl.layout = #tl.fragment_layout<#[[D2]], 32 : i64, 1 : i64>} : memref<1x64xf16, #tl.fragment>
// CHECK: memref.alloca() {tl.layout = #tl.fragment_layout<#[[D1]], 32 : i64, 1 : i64>} : memref<64xf32, #tl.fragment>
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[D1]], 32 : i64, 1 : i64>, vector_width = 4 : i64}
// CHECK: "tl.copy"{{.*}}inst = "direct", thread_map = #tl.fragment_layout<#[[D1]], 32 : i64, 1 : i64>, vector_width = 4 : i64}
// CHECK: "tl.copy"{{.*}}coalesced_width = 2 : i64, inst = "simt", thread_map = #tl.fragment_layout<#[[D1]], 32 : i64, 1 : i64>, vector_width = 2 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @fragment_direct(%A: memref<64xf16>, %B: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() : memref<1x64xf16, #tl.fragment>
      %G = memref.alloca() : memref<64xf32, #tl.fragment>
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 64>} : (memref<64xf16>, index) -> !tl.buffer_region
      %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64>} : (memref<1x64xf16, #tl.fragment>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->fragment [64] f16->f16: simt, v=4 (8-byte), 32 threads, 1 chunk per thread
      "tl.copy"(%a, %f) : (!tl.buffer_region, !tl.buffer_region) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy fragment->fragment [64] f16->f32: direct, v=4 (16-byte), 32 threads, 1 chunk per thread
      "tl.copy"(%F, %G) : (memref<1x64xf16, #tl.fragment>, memref<64xf32, #tl.fragment>) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy fragment->global [64] f32->f32: simt, v=2 (8-byte), 32 threads, 2 chunks per thread
      "tl.copy"(%G, %B) {coalesced_width = 2 : i64} : (memref<64xf32, #tl.fragment>, memref<64xf32>) -> ()
      gpu.return
    }
  }
}

// -----

// im2col: v = gcd(128 / 16, C, BK) = 8 for C = 64 and BK = 64 or 32 (a
// region of a larger shared buffer), 2 for C = 6; the thread map is the
// default over the (BM, BK) tile.
// CHECK: #[[I8:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 8 + d0 * 8) mod 128, ((d1 + d0 * 64) floordiv 1024) * 8 + d1 mod 8)>
// CHECK: #[[I8R:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 8 + d0 * 4) mod 128, ((d1 + d0 * 32) floordiv 1024) * 8 + d1 mod 8)>
// CHECK: #[[I2:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 2 + d0 * 32) mod 128, ((d1 + d0 * 64) floordiv 256) * 2 + d1 mod 2)>
// CHECK: gpu.func @im2col
// CHECK-SAME: workgroup(%{{.*}} : memref<64x64xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<128x32xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// CHECK: "tl.c2d_im2col"{{.*}}inst = "simt"{{.*}}thread_map = #tl.fragment_layout<#[[I8]], 128 : i64, 1 : i64>, vector_width = 8 : i64}
// CHECK: "tl.c2d_im2col"{{.*}}inst = "simt"{{.*}}thread_map = #tl.fragment_layout<#[[I8R]], 128 : i64, 1 : i64>, vector_width = 8 : i64}
// CHECK: "tl.c2d_im2col"{{.*}}inst = "simt"{{.*}}thread_map = #tl.fragment_layout<#[[I2]], 128 : i64, 1 : i64>, vector_width = 2 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @im2col(%Img: memref<8x32x32x64xf16>, %Img6: memref<8x32x32x6xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>, %T: memref<128x32xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %c0 = arith.constant 0 : index
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.c2d_im2col global->shared [64x64] f16->f16: simt, v=8 (16-byte), 128 threads, 4 chunks per thread
      "tl.c2d_im2col"(%Img, %S, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<8x32x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      %t = "tl.region"(%T, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<128x32xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.c2d_im2col global->shared [64x32] f16->f16: simt, v=8 (16-byte), 128 threads, 2 chunks per thread
      "tl.c2d_im2col"(%Img, %t, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<8x32x32x64xf16>, !tl.buffer_region, index, index) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.c2d_im2col global->shared [64x64] f16->f16: simt, v=2 (4-byte), 128 threads, 16 chunks per thread
      "tl.c2d_im2col"(%Img6, %S, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<8x32x32x6xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// Workgroup attributions touched by a tl op get llvm.align >= 16: a larger
// value is kept, a smaller one raised (other entries kept); an untouched
// attribution is left alone. Shared buffers that are not attributions have
// only their element alignment (v = 1) unless allocated with `alignment`.
// CHECK: gpu.func @shared_alignment
// CHECK-SAME: workgroup(%{{.*}} : memref<64xf32, #gpu.address_space<workgroup>> {llvm.align = 128 : i64}, %{{.*}} : memref<64xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<64xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64, tl.note = 1 : i64})
// CHECK: "tl.copy"{{.*}}vector_width = 4 : i64}
// CHECK: "tl.copy"{{.*}}vector_width = 4 : i64}
// CHECK: "tl.copy"{{.*}}vector_width = 1 : i64}
// CHECK: "tl.copy"{{.*}}vector_width = 2 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @shared_alignment(%A: memref<64xf32>)
        workgroup(%S: memref<64xf32, #gpu.address_space<workgroup>> {llvm.align = 128 : i64}, %U: memref<64xf32, #gpu.address_space<workgroup>>, %V: memref<64xf32, #gpu.address_space<workgroup>> {llvm.align = 8 : i64, tl.note = 1 : i64})
        kernel attributes {known_block_size = array<i32: 16, 1, 1>} {
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64] f32->f32: simt, v=4 (16-byte), 16 threads, 1 chunk per thread
      "tl.copy"(%A, %S) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64] f32->f32: simt, v=4 (16-byte), 16 threads, 1 chunk per thread
      "tl.copy"(%A, %V) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      %P = memref.alloca() : memref<64xf32, #gpu.address_space<workgroup>>
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64] f32->f32: simt, v=1 (4-byte), 16 threads, 4 chunks per thread
      "tl.copy"(%A, %P) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      %Q = memref.alloca() {alignment = 8 : i64} : memref<64xf32, #gpu.address_space<workgroup>>
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->shared [64] f32->f32: simt, v=2 (8-byte), 16 threads, 2 chunks per thread
      "tl.copy"(%A, %Q) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// A copy that already carries `inst` keeps its attributes (the pass is
// idempotent); its thread map constrains the fragment like a loop_layout, so
// the new copy follows it (width 2: pairs of consecutive elements).
// CHECK: #[[P:map[0-9]*]] = affine_map<(d0) -> (d0 floordiv 2, d0 mod 2)>
// CHECK: gpu.func @pre_inferred
// CHECK: memref.alloca() {tl.layout = #tl.fragment_layout<#[[P]], 32 : i64, 1 : i64>} : memref<64xf32, #tl.fragment>
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[P]], 32 : i64, 1 : i64>, vector_width = 1 : i64}
// CHECK: "tl.copy"{{.*}}inst = "simt", thread_map = #tl.fragment_layout<#[[P]], 32 : i64, 1 : i64>, vector_width = 2 : i64}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @pre_inferred(%A: memref<64xf32>, %B: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %F = memref.alloca() : memref<64xf32, #tl.fragment>
      %a = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 64>} : (memref<64xf32>, index) -> !tl.buffer_region
      %f = "tl.region"(%F, %c0) {access = 2 : i32, extents = array<i64: 64>} : (memref<64xf32, #tl.fragment>, index) -> !tl.buffer_region
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy global->fragment [64] f32->f32: simt, v=1 (4-byte), 32 threads, 2 chunks per thread
      "tl.copy"(%a, %f) {base_shape = array<i64: 64>, base_side = "dst", inst = "simt", thread_map = #tl.fragment_layout<affine_map<(d0) -> (d0 floordiv 2, d0 mod 2)>, 32 : i64, 1 : i64>, vector_width = 1 : i64} : (!tl.buffer_region, !tl.buffer_region) -> ()
      // REPORT: infer-layouts.mlir:[[@LINE+1]]:7: tl.copy fragment->global [64] f32->f32: simt, v=2 (8-byte), 32 threads, 1 chunk per thread
      "tl.copy"(%F, %B) : (memref<64xf32, #tl.fragment>, memref<64xf32>) -> ()
      gpu.return
    }
  }
}
