// The stage release of pipelined loops (docs/pipeline.md, "The stage
// release"; copy/Release.c): with tl.stage_release = "mbarrier", where one
// thread issues every refill on an mbarrier (TMA, bulk, TMA im2col),
// tl-lower-copy replaces tl-pipeline's release barrier by an empty
// mbarrier per stage: every warp arrives, the issuing thread (thread 0)
// waits, by a parity it keeps, and flips it. By default the block barrier
// stays.
// RUN: tl-opt %s -split-input-file --tl-pipeline --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy | FileCheck %s
// tl-im2col lowers the im2col refill after it, and everything lowers on to
// LLVM and PTX with the upstream passes:
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-pipeline,tl-legalize-regions),tl-infer-layouts{prefer-tma=true},gpu.module(tl-lower-copy,tl-lower-im2col,convert-scf-to-cf,convert-gpu-to-nvvm))' > /dev/null
// tl-pipeline tags the release barrier of a loop that asks for empty
// mbarriers, and no other:
// RUN: tl-opt %s -split-input-file --tl-pipeline | FileCheck %s --check-prefix=PIPE
// PIPE-LABEL: gpu.func @tma
// PIPE: "tl.wait"
// PIPE-NEXT: gpu.barrier {tl.stage_release = "mbarrier"}
// PIPE-LABEL: gpu.func @kept
// PIPE: "tl.wait"
// PIPE-NEXT: gpu.barrier{{$}}
// PIPE-NOT: tl.stage_release = "barrier"
// PIPE-LABEL: gpu.func @cp
// The report says how each loop's stages are released:
// RUN: tl-opt %s -split-input-file --tl-pipeline --tl-legalize-regions --tl-infer-layouts="report=true prefer-tma=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// The PTX has the warp sync, lane 0's arrive, thread 0's wait:
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=ptx | FileCheck %s --check-prefix=PTX
// PTX: .entry tma(
// PTX-SAME: mbarrier.init.shared.b64 {{[^;]*}}[__tl_release_tma_0], %r{{[0-9]+}};
// PTX-SAME: bar.warp.sync {{[^;]*}}-1;
// PTX-SAME: mbarrier.arrive.shared.b64
// PTX-SAME: mbarrier.try_wait.parity.shared.b64

// TMA, 3 stages, 128 threads (4 warps): the loop's empty barriers are a
// global of 3, initialised at the entry with 4 arrivals (one per warp),
// then a block barrier; in the loop, after the stage's wait, no block
// barrier: each warp syncs, its lane 0 arrives on the empty barrier of the
// stage refilled, and thread 0 waits for that phase, flips its parity and
// then issues the refill (the only one on the full barrier's expect_tx).
// REPORT: tl.copy_async global->shared [64x64] f16->f16: tma_load, {{.*}}; pipelined: 3 stages, issued 2 iterations ahead; {{.*}}; stages released by empty mbarriers (every warp arrives, the issuing thread waits)
// CHECK-LABEL: memref.global "private" @__tl_release_tma_0 : memref<3xi64, #gpu.address_space<workgroup>> {alignment = 8 : i64}
// CHECK-LABEL: gpu.func @tma
// CHECK: %[[E:.*]] = memref.get_global @__tl_release_tma_0
// CHECK: %[[EB:.*]] = memref.extract_aligned_pointer_as_index %[[E]]
// CHECK: scf.if
// CHECK-COUNT-3: nvvm.mbarrier.init %{{.*}}, %c4_i32
// CHECK: nvvm.fence.mbarrier.init
// CHECK: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: %[[EP:.*]] = memref.alloca() : memref<1xi32>
// CHECK: memref.store %c0_i32{{.*}}, %[[EP]][%c0{{.*}}] : memref<1xi32>
// CHECK: scf.for
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK-NOT: gpu.barrier
// CHECK: %[[STG:.*]] = arith.remui %{{.*}}, %c3 : index
// CHECK-NOT: gpu.barrier
// CHECK: %[[OFF:.*]] = arith.muli %[[STG]], %c8{{.*}} : index
// CHECK: %[[ADDR:.*]] = arith.addi %[[EB]], %[[OFF]] : index
// CHECK: %[[BAR:.*]] = llvm.inttoptr
// CHECK: nvvm.bar.warp.sync %c-1_i32 : i32
// CHECK: %[[LANE:.*]] = arith.remui %[[TID:.*]], %c32{{.*}} : index
// CHECK: %[[L0:.*]] = arith.cmpi eq, %[[LANE]], %c0{{.*}} : index
// CHECK: scf.if %[[L0]] {
// CHECK-NEXT: nvvm.mbarrier.arrive %[[BAR]] : !llvm.ptr<3>
// CHECK-NEXT: }
// CHECK: %[[T0:.*]] = arith.cmpi eq, %[[TID]], %c0{{.*}} : index
// CHECK: scf.if %[[T0]] {
// CHECK: %[[S32:.*]] = arith.index_cast %[[STG]] : index to i32
// CHECK: %[[BIT:.*]] = arith.shli %{{.*}}, %[[S32]] : i32
// CHECK: %[[BITS:.*]] = memref.load %[[EP]]
// CHECK: %[[SH:.*]] = arith.shrui %[[BITS]], %[[S32]] : i32
// CHECK: %[[PH:.*]] = arith.andi %[[SH]], %{{.*}} : i32
// CHECK: nvvm.mbarrier.try_wait.parity %[[BAR]], %[[PH]]
// CHECK: %[[NEW:.*]] = arith.xori %[[BITS]], %[[BIT]] : i32
// CHECK: memref.store %[[NEW]], %[[EP]]
// CHECK: }
// CHECK-NOT: gpu.barrier
// CHECK: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c8192_i32
// (The TMA store of the current stage keeps its own fence and barrier.)
// CHECK: scf.yield
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @tma(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64, tl.stage_release = "mbarrier"}
      gpu.return
    }
  }
}

// -----

// A block that is not a whole number of warps (48 threads): a warp sync
// would name lanes that do not exist, so every thread arrives (48
// arrivals), then thread 0 waits.
// CHECK-LABEL: memref.global "private" @__tl_release_odd_block_0 : memref<2xi64
// CHECK-LABEL: gpu.func @odd_block
// CHECK-COUNT-2: nvvm.mbarrier.init %{{.*}}, %c48_i32
// CHECK: scf.for
// CHECK-NOT: nvvm.bar.warp.sync
// CHECK-NOT: gpu.barrier
// CHECK: nvvm.mbarrier.arrive %[[BAR:.*]] : !llvm.ptr<3>
// CHECK: %[[T0:.*]] = arith.cmpi eq
// CHECK-NEXT: scf.if %[[T0]] {
// CHECK: nvvm.mbarrier.try_wait.parity %[[BAR]]
// CHECK: nvvm.mbarrier.arrive.expect_tx
// CHECK: scf.yield
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @odd_block(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 48, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 2 : i64, tl.stage_release = "mbarrier"}
      gpu.return
    }
  }
}

// -----

// By default (and with tl.stage_release = "barrier") the block barrier
// stays, untagged, and no empty barriers are made.
// REPORT: tl.copy_async global->shared [64x64] f16->f16: tma_load, {{.*}}; stages released by a block barrier{{$}}
// CHECK-NOT: __tl_release_kept
// CHECK-LABEL: gpu.func @kept
// CHECK: scf.for
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK: gpu.barrier{{$}}
// CHECK-NOT: nvvm.mbarrier.arrive %
// CHECK: scf.yield
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @kept(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// tl.stage_release = "barrier" asked for, cp.async refills: a block
// barrier (every thread issues its chunks of the stage).
// REPORT: tl.copy_async global->shared [64x64] f16->f16: cp_async, {{.*}}; stages released by a block barrier{{$}}
// CHECK-NOT: __tl_release_cp
// CHECK-LABEL: gpu.func @cp
// CHECK: scf.for
// CHECK: nvvm.cp.async.wait.group
// CHECK: gpu.barrier{{$}}
// CHECK-NOT: nvvm.mbarrier.arrive %
// CHECK: scf.yield
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @cp(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64, tl.stage_release = "barrier"}
      gpu.return
    }
  }
}

// -----

// A TMA im2col refill (lowered later by tl-lower-im2col) is issued by
// thread 0 on the stage's mbarrier too: empty barriers (1 warp).
// REPORT: tl.c2d_im2col_async global->shared [32x16] f16->f16: tma_im2col, {{.*}}; stages released by empty mbarriers (every warp arrives, the issuing thread waits)
// CHECK-LABEL: memref.global "private" @__tl_release_im2col_0 : memref<3xi64
// CHECK-LABEL: gpu.func @im2col
// CHECK-COUNT-3: nvvm.mbarrier.init %{{.*}}, %c1_i32
// CHECK: scf.for
// CHECK-NOT: gpu.barrier
// CHECK: nvvm.mbarrier.arrive %
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK: "tl.c2d_im2col_async"
// CHECK: scf.yield
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @im2col(%Img: memref<2x8x8x16xf16>, %B: memref<128x16xf16>)
        workgroup(%T: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %bx = gpu.block_id x
      scf.for %k = %c0 to %c4 step %c1 {
        "tl.c2d_im2col"(%Img, %T, %bx, %k) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
        %m = arith.muli %k, %c4 : index
        %o = "tl.region"(%B, %m, %c0) {access = 2 : i32, extents = array<i64: 32, 16>} : (memref<128x16xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%T, %o) : (memref<32x16xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64, tl.stage_release = "mbarrier"}
      gpu.return
    }
  }
}
