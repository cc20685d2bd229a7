// 1-D bulk copies through the whole tl-to-nvvm pipeline (docs/tma.md,
// "Bulk copies"): no tensor-map parameter, the PTX instructions.
// RUN: tl-opt %s --tl-to-nvvm=format=ptx --emit-binary=%t.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX < %t.ptx
// RUN: tl-opt %s --tl-to-nvvm=format=ptx | FileCheck %s --check-prefix=ABI
// ABI-NOT: tensormap
// PTX-LABEL: .entry one_d(
// PTX: mbarrier.init.shared.b64 [__tl_mbar_one_d], %r{{[0-9]+}};
// PTX: cvta.to.global.u64
// PTX: mbarrier.arrive.expect_tx.shared.b64 {{.*}}, [__tl_mbar_one_d], %r{{[0-9]+}};
// PTX: cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [__wg_one_d_0], [%rd{{[0-9]+}}], %r{{[0-9]+}}, [__tl_mbar_one_d];
// PTX: mbarrier.try_wait.parity.shared.b64
// PTX: fence.proxy.async.shared::cta;
// PTX: cp.async.bulk.global.shared::cta.bulk_group [%rd{{[0-9]+}}], [__wg_one_d_0], %r{{[0-9]+}};
// PTX: cp.async.bulk.commit_group;
// PTX: cp.async.bulk.wait_group.read {{[[:space:]]*}}0;
// PTX-LABEL: .entry rows_i8(
// PTX: cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [__wg_rows_i8_0], [%rd{{[0-9]+}}], %r{{[0-9]+}}, [__tl_mbar_rows_i8];
// PTX: cp.async.bulk.global.shared::cta.bulk_group [%rd{{[0-9]+}}], [__wg_rows_i8_0], %r{{[0-9]+}};
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @one_d(%A: memref<4096xf32>, %B: memref<4096xf32>)
        workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 4, 1, 1>} {
      %c1024 = arith.constant 1024 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c1024 : index
      %a = "tl.region"(%A, %i) {access = 1 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {use_bulk = true}} : (!tl.buffer_region, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i) {access = 2 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {annotations = {use_bulk = true}} : (memref<1024xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
    gpu.func @rows_i8(%A: memref<128x128xi8>, %B: memref<128x128xi8>)
        workgroup(%S: memref<16x128xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>, known_grid_size = array<i32: 8, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c16 = arith.constant 16 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c16 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 16, 128>} : (memref<128x128xi8>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {use_bulk = true}} : (!tl.buffer_region, memref<16x128xi8, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %c0) {access = 2 : i32, extents = array<i64: 16, 128>} : (memref<128x128xi8>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {annotations = {use_bulk = true}} : (memref<16x128xi8, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
