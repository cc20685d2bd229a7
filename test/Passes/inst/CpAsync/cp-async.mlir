// cp.async (docs/mma-copies.md): selection per chip and the lowering.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true | FileCheck %s --check-prefix=INFER
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts="report prefer-tma=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy | FileCheck %s --check-prefix=LOWER

// sm_80, sm_86, sm_89: the default global -> shared path; boundary tiles
// zero-fill through src-size; commit + wait, then the barrier before the
// reader.
// INFER-LABEL: gpu.func @edge
// INFER: inst = "cp_async"{{.*}}vector_width = 4
// INFER: inst = "simt"
// REPORT: tl.copy global->shared [32x32] f32->f32: cp_async, v=4 (16-byte), 128 threads, 2 chunks per thread (TMA not used: chip sm_80 has no TMA)
// LOWER-LABEL: gpu.func @edge
// LOWER: %[[IN:.*]] = arith.andi
// LOWER: llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// LOWER: arith.select %[[IN]], %{{.*}}, %{{.*}} : index
// LOWER: llvm.addrspacecast %{{.*}} : !llvm.ptr to !llvm.ptr<1>
// LOWER: %[[SZ:.*]] = arith.select %[[IN]], %c16_i32, %c0_i32 : i32
// LOWER: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache =  cg, %[[SZ]]
// LOWER: nvvm.cp.async.shared.global
// LOWER-NEXT: nvvm.cp.async.commit.group
// LOWER-NEXT: nvvm.cp.async.wait.group 0
// LOWER: gpu.barrier
// LOWER-NOT: nvvm.cp.async
// LOWER: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @edge(%A: memref<100x100xf32>, %B: memref<128x128xf32>)
        workgroup(%S: memref<32x32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c32 = arith.constant 32 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c32 : index
      %j = arith.muli %bx, %c32 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 32, 32>} : (memref<100x100xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32x32xf32, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 32, 32>} : (memref<128x128xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : (memref<32x32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// 4- and 8-byte chunks use .ca; sm_86 and sm_89 select cp.async too.
// INFER-LABEL: gpu.func @small
// INFER: inst = "cp_async"{{.*}}vector_width = 2
// INFER: inst = "cp_async"{{.*}}vector_width = 2
// LOWER-LABEL: gpu.func @small
// LOWER: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 4, cache =  ca
// LOWER: nvvm.cp.async.commit.group
// LOWER: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 8, cache =  ca
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_86">] {
    gpu.func @small(%A: memref<64x64xf16>, %C: memref<64x64xf32>)
        workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>, %T: memref<16x16xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 16, 16>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {coalesced_width = 2 : i64} : (!tl.buffer_region, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      %c = "tl.region"(%C, %c0, %c0) {access = 1 : i32, extents = array<i64: 16, 16>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%c, %T) {coalesced_width = 2 : i64} : (!tl.buffer_region, memref<16x16xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Fallbacks with their reasons: 2-byte chunks, a cast, an eviction policy,
// use_cp_async = false; sm_90a keeps TMA unless use_cp_async = true.
// INFER-LABEL: gpu.func @fallback
// INFER-COUNT-4: inst = "simt"
// INFER: inst = "tma_load"
// INFER: inst = "cp_async"
// REPORT: f16->f16: simt, v=1 (2-byte), 32 threads, 8 chunks per thread (TMA not used: chip sm_89 has no TMA) (cp.async not used: chunks of 2 bytes (v=1); cp.async moves 4, 8 or 16)
// REPORT: f16->f32: simt, v=4 (16-byte), 32 threads, 2 chunks per thread (TMA not used: chip sm_89 has no TMA) (cp.async not used: the copy casts its elements (cp.async moves bytes))
// REPORT: f16->f16: simt, v=8 (16-byte), 32 threads, 1 chunk per thread (TMA not used: chip sm_89 has no TMA) (cp.async not used: an eviction_policy is set (cp.async has no L1 eviction qualifier))
// REPORT: f16->f16: simt, v=8 (16-byte), 32 threads, 1 chunk per thread (TMA not used: chip sm_89 has no TMA) (cp.async not used: use_cp_async = false)
// REPORT: f16->f16: tma_load
// REPORT: f16->f16: cp_async, v=8 (16-byte), 32 threads, 1 chunk per thread (TMA not used: use_cp_async is set)
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_89">] {
    gpu.func @fallback(%A: memref<64x64xf16>)
        workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>, %T: memref<16x16xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 16, 16>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {coalesced_width = 1 : i64} : (!tl.buffer_region, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%a, %T) : (!tl.buffer_region, memref<16x16xf32, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%a, %S) {eviction_policy = "evict_first"} : (!tl.buffer_region, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%a, %S) {annotations = {use_cp_async = false}} : (!tl.buffer_region, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
  gpu.module @h [#nvvm.target<chip = "sm_90a">] {
    gpu.func @sm90(%A: memref<64x64xf16>)
        workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 16, 16>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%a, %S) {annotations = {use_cp_async = true}} : (!tl.buffer_region, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
