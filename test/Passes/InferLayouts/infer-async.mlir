// tl-infer-layouts decides a tl.copy_async like the same tl.copy (the same
// instruction and attributes, a report line naming 'tl.copy_async'), except
// for the defaults: a split-phase copy or im2col defaults to an
// asynchronous instruction on sm_90a (TMA, else cp.async), a synchronous
// one to SIMT (docs/performance.md, "Defaults").
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts="report=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// Idempotence: a second run changes nothing.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts > %t.1
// RUN: tl-opt %t.1 -split-input-file --tl-infer-layouts | diff - %t.1

// SIMT (sm_90a, TMA and cp.async refused): a copy_async and the same tl.copy
// get the same thread map and vector width; the workgroup buffers are
// aligned.
// CHECK: #[[F32:map[0-9]*]] = affine_map<(d0, d1) -> ((d1 floordiv 4 + d0 * 16) mod 128, ((d1 + d0 * 64) floordiv 512) * 4 + d1 mod 4)>
// CHECK: gpu.func @simt
// CHECK-SAME: workgroup(%{{.*}} : memref<64x64xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<64x64xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// CHECK: %[[T:.*]] = "tl.copy_async"{{.*}}base_shape = array<i64: 64, 64>, base_side = "dst", disable_tma, inst = "simt", thread_map = #tl.fragment_layout<#[[F32]], 128 : i64, 1 : i64>, vector_width = 4 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
// CHECK: "tl.copy"{{.*}}base_shape = array<i64: 64, 64>, base_side = "dst", disable_tma, inst = "simt", thread_map = #tl.fragment_layout<#[[F32]], 128 : i64, 1 : i64>, vector_width = 4 : i64} : (!tl.buffer_region, !tl.buffer_region) -> ()
// CHECK: "tl.wait"(%[[T]])
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @simt(%A: memref<512x512xf32>)
        workgroup(%S0: memref<64x64xf32, #gpu.address_space<workgroup>>, %S1: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %i) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-async.mlir:[[@LINE+1]]:12: tl.copy_async global->shared [64x64] f32->f32: simt, v=4 (16-byte), 128 threads, 8 chunks per thread
      %t = "tl.copy_async"(%a, %S0) {annotations = {use_cp_async = false}, disable_tma} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      // REPORT: infer-async.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f32->f32: simt, v=4 (16-byte), 128 threads, 8 chunks per thread
      "tl.copy"(%a, %S1) {annotations = {use_cp_async = false}, disable_tma} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// The defaults on sm_90a: a copy_async takes TMA, the same tl.copy SIMT
// (with the measured reason); a copy_async TMA cannot take (disable_tma)
// takes cp.async.
// CHECK: gpu.func @defaults
// CHECK: "tl.copy_async"{{.*}}inst = "tma_load"
// CHECK: "tl.copy"{{.*}}inst = "simt"
// CHECK: "tl.copy_async"{{.*}}inst = "cp_async"
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @defaults(%A: memref<512x512xf32>)
        workgroup(%S0: memref<64x64xf32, #gpu.address_space<workgroup>>, %S1: memref<64x64xf32, #gpu.address_space<workgroup>>, %S2: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %i) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: infer-async.mlir:[[@LINE+1]]:12: tl.copy_async global->shared [64x64] f32->f32: tma_load, box [64, 64] x1
      %t = "tl.copy_async"(%a, %S0) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      // REPORT: infer-async.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f32->f32: simt, v=4 (16-byte), 128 threads, 8 chunks per thread (TMA not used: a tl.copy defaults to SIMT, measured level with TMA on the H200 (docs/performance.md); use_tma = true or prefer-tma selects TMA)
      "tl.copy"(%a, %S1) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      // REPORT: infer-async.mlir:[[@LINE+1]]:13: tl.copy_async global->shared [64x64] f32->f32: cp_async, v=4 (16-byte)
      %t2 = "tl.copy_async"(%a, %S2) {disable_tma} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      "tl.wait"(%t2) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// cp.async on sm_80 (the default there), with the same reasons reported.
// CHECK: gpu.func @cp_async
// CHECK: "tl.copy_async"{{.*}}inst = "cp_async", thread_map = {{.*}}, vector_width = 8 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @cp_async(%A: memref<256x256xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-async.mlir:[[@LINE+1]]:12: tl.copy_async global->shared [64x64] f16->f16: cp_async, v=8 (16-byte), 128 threads, 4 chunks per thread (TMA not used: chip sm_80 has no TMA)
      %t = "tl.copy_async"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      // REPORT-SAME: ; completes on a cp.async group at the tl.wait at [[@LINE+1]]:7
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// TMA through annotations use_tma (and its options, as on tl.copy): the box
// and swizzle are recorded on the copy_async; the shared buffer is aligned
// for the swizzle.
// CHECK: gpu.func @tma
// CHECK-SAME: {llvm.align = 1024 : i64, tl.swizzle = 128 : i64}
// CHECK: "tl.copy_async"{{.*}}inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 128 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
// CHECK: "tl.copy_async"{{.*}}inst = "tma_store", tma_box = array<i64: 64, 64>, tma_swizzle = 128 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @tma(%A: memref<256x256xf16>, %B: memref<256x256xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-async.mlir:[[@LINE+1]]:12: tl.copy_async global->shared [64x64] f16->f16: tma_load, box [64, 64] x1, swizzle 128, 8192 bytes
      %t = "tl.copy_async"(%a, %S) {annotations = {use_tma = true, swizzle = 128 : i64}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      // REPORT-SAME: ; completes on an mbarrier at the tl.wait at [[@LINE+1]]:7
      "tl.wait"(%t) : (!tl.token) -> ()
      %b = "tl.region"(%B, %i, %i) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // REPORT: infer-async.mlir:[[@LINE+1]]:12: tl.copy_async shared->global [64x64] f16->f16: tma_store
      %u = "tl.copy_async"(%S, %b) {annotations = {use_tma = true}} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
      // REPORT-SAME: ; completes on a bulk async-group at the tl.wait at [[@LINE+1]]:7
      "tl.wait"(%u) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// A 1-D bulk copy through annotations use_bulk.
// CHECK: gpu.func @bulk
// CHECK: "tl.copy_async"{{.*}}inst = "bulk_load"{{.*}} -> !tl.token
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @bulk(%A: memref<4096xf32>)
        workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 4, 1, 1>} {
      %c1024 = arith.constant 1024 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c1024 : index
      %a = "tl.region"(%A, %i) {access = 1 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      // REPORT: infer-async.mlir:[[@LINE+1]]:12: tl.copy_async global->shared [1024] f32->f32: bulk_load
      %t = "tl.copy_async"(%a, %S) {annotations = {use_bulk = true}} : (!tl.buffer_region, memref<1024xf32, #gpu.address_space<workgroup>>) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// tl.c2d_im2col_async: by default TMA im2col on sm_90a, where the same
// tl.c2d_im2col defaults to SIMT; its report line names it.
// CHECK: gpu.func @im2col
// CHECK: %[[I:.*]] = "tl.c2d_im2col_async"(%{{.*}}) {dilation = 1 : i64, inst = "tma_im2col", kernel = 3 : i64
// CHECK: "tl.c2d_im2col"(%{{.*}}) {dilation = 1 : i64, inst = "simt", kernel = 3 : i64, pad = 1 : i64, stride = 2 : i64, thread_map = #tl.fragment_layout<#{{map[0-9]*}}, 128 : i64, 1 : i64>, vector_width = 8 : i64} : {{.*}} -> ()
// CHECK: "tl.wait"(%[[I]])
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @im2col(%Img: memref<2x9x7x16xf16>)
        workgroup(%S0: memref<32x16xf16, #gpu.address_space<workgroup>>, %S1: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      // REPORT: infer-async.mlir:[[@LINE+1]]:12: tl.c2d_im2col_async global->shared [32x16] f16->f16: tma_im2col
      %t = "tl.c2d_im2col_async"(%Img, %S0, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      // REPORT: infer-async.mlir:[[@LINE+1]]:7: tl.c2d_im2col global->shared [32x16] f16->f16: simt, v=8 (16-byte), 128 threads, 1 chunk per thread (TMA not used: a tl.c2d_im2col defaults to SIMT, measured level with TMA on the H200
      "tl.c2d_im2col"(%Img, %S1, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}
