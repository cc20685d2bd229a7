// TMA lowering in tl-lower-copy (docs/tma.md), then the whole tl-to-nvvm
// pipeline: the tensor-map parameters in the ABI, the launcher, the PTX.
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy | FileCheck %s
// RUN: tl-opt %s --tl-to-nvvm="format=ptx prefer-tma=true" | FileCheck %s --check-prefix=ABI
// RUN: tl-opt %s --tl-to-nvvm="format=ptx prefer-tma=true" --emit-binary=%t.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX < %t.ptx
// RUN: tl-opt %s --tl-to-nvvm="format=ptx prefer-tma=true" --emit=c -o %t.c
// RUN: FileCheck %s --check-prefix=SRC < %t.c

// The mbarrier is a private workgroup global; thread 0 initializes it and
// prefetches the maps at entry; the phase lives in a private i32.
// CHECK: memref.global "private" @__tl_mbar_k : memref<1xi64, #gpu.address_space<workgroup>> {alignment = 8 : i64}
// CHECK: gpu.func @k(%{{.*}}: memref<256x256xf16>, %{{.*}}: memref<256x256xf16>, %[[MAP0:.*]]: !llvm.ptr {tl.tensor_map = {box = array<i64: 64, 64>, buffer = 0 : i64, data_type = 6 : i64, element_strides = array<i64: 1, 1>, global_dim = array<i64: 256, 256>, global_strides = array<i64: 512>, kind = "tiled", l2_promotion = 2 : i64, swizzle = 3 : i64}}, %[[MAP1:.*]]: !llvm.ptr {tl.tensor_map = {{.*}}buffer = 1 : i64{{.*}}swizzle = 3 : i64}})
// CHECK-SAME: workgroup(%[[S:.*]] : memref<64x64xf16, #gpu.address_space<workgroup>> {llvm.align = 1024 : i64, tl.swizzle = 128 : i64})
// CHECK-SAME: tl.tensor_map_args = array<i64: 2, 3>
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %thread_id_x, %c0
// CHECK: %[[G:.*]] = memref.get_global @__tl_mbar_k
// CHECK: %[[BAR:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK: scf.if %[[IS0]] {
// CHECK: nvvm.mbarrier.init %[[BAR]], %{{.*}} : !llvm.ptr<3>, i32
// CHECK-NEXT: nvvm.fence.mbarrier.init
// CHECK-NEXT: nvvm.prefetch tensormap, %[[MAP0]]
// CHECK-NEXT: nvvm.prefetch tensormap, %[[MAP1]]
// CHECK: gpu.barrier
// The parities: one i32, bit k for slot k.
// CHECK: %[[PH:.*]] = memref.alloca() : memref<i32>
// The loop: arm, issue, wait on the phase, flip it.
// CHECK: scf.for
// CHECK: scf.if %[[IS0]] {
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[BAR]], %c8192_i32
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[MAP0]], %[[BAR]], box[%{{.*}}, %{{.*}}] : !llvm.ptr<7>, !llvm.ptr
// CHECK: %[[BIT:.*]] = arith.shli %c1_i32, %[[SLOT:.*]] : i32
// CHECK: %[[BITS:.*]] = memref.load %[[PH]][] : memref<i32>
// CHECK: %[[SH:.*]] = arith.shrui %[[BITS]], %[[SLOT]] : i32
// CHECK: %[[P:.*]] = arith.andi %[[SH]], %{{.*}} : i32
// CHECK: nvvm.mbarrier.try_wait.parity %[[BAR]], %[[P]], %{{.*}} : !llvm.ptr<3>, i32, i32
// CHECK: %[[FLIP:.*]] = arith.xori %[[BITS]], %[[BIT]] : i32
// CHECK: memref.store %[[FLIP]], %[[PH]][] : memref<i32>
// The store: proxy fence, barrier, one thread issues and waits for the
// shared-memory reads, barrier.
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT: gpu.barrier
// CHECK: scf.if %[[IS0]] {
// CHECK: llvm.inline_asm has_side_effects "createpolicy.fractional.L2::evict_first.b64 $0, 1.0;"
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta %[[MAP1]], %{{.*}}, box[%{{.*}}, %{{.*}}] l2_cache_hint = %{{.*}} : !llvm.ptr, <3>
// CHECK: nvvm.cp.async.bulk.commit.group
// CHECK: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK: gpu.barrier
// The SIMT copy reads the swizzled buffer through a flat view: byte offset
// o -> o ^ (((o >> 7) & 7) << 4).
// CHECK: memref.collapse_shape %[[S]] {{\[\[}}0, 1]]
// CHECK: arith.shrui %{{.*}}, %c7
// CHECK: arith.andi %{{.*}}, %c7
// CHECK: arith.shli %{{.*}}, %c4
// CHECK: arith.xori
// CHECK: vector.load %collapse_shape[%{{.*}}] {alignment = 16 : i64} : memref<4096xf16, #gpu.address_space<workgroup>>, vector<8xf16>

// ABI: tl.abi = [{block = array<i32: 128, 1, 1>, dynamic_shared_bytes = 0 : i64, name = "k", params = [{kind = "ptr", type = memref<256x256xf16>}, {kind = "ptr", type = memref<256x256xf16>}, {kind = "tensormap", map = {box = array<i64: 64, 64>, buffer = 0 : i64, data_type = 6 : i64
// ABI-SAME: {kind = "tensormap", map = {box = array<i64: 64, 64>, buffer = 1 : i64

// PTX: .param .align 64 .b8 k_param_2[128]
// PTX: .param .align 64 .b8 k_param_3[128]
// PTX: .shared .align 8 .b8 __tl_mbar_k[8];
// PTX: .shared .align 1024 .b8
// PTX: mbarrier.init.shared.b64
// PTX: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// PTX: mbarrier.try_wait.parity.shared.b64
// PTX: fence.proxy.async.shared::cta
// PTX: cp.async.bulk.tensor.2d.global.shared::cta.tile.bulk_group.L2::cache_hint
// PTX: cp.async.bulk.wait_group.read

// SRC: _Alignas(64) unsigned char map2[128];
// SRC: d.dataType = 6;
// SRC: d.swizzle = 3;
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x256xf16>, %B: memref<256x256xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %j = arith.muli %bx, %c64 : index
      scf.for %it = %c0 to %c4 step %c1 {
        %i = arith.muli %it, %c64 : index
        %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) {annotations = {swizzle = 128 : i64}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      }
      %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {eviction_policy = "evict_first"} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      "tl.copy"(%S, %b) {disable_tma} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
