// TMA with dynamic global sizes (docs/dynamic.md, "TMA"): the tensor-map
// descriptor marks the run-time sizes (global_dim -1, dims_from, strides -1,
// element_bytes) and the launcher fills them from its pX_dimD arguments.
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts="report=true prefer-tma=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy | FileCheck %s
// RUN: tl-opt %s --tl-to-nvvm="format=ptx prefer-tma=true" --emit=c -o %t.c
// RUN: FileCheck %s --check-prefix=SRC < %t.c

// Rows dynamic: one size from the launcher, the stride is static.
// CHECK-LABEL: gpu.func @rows
// CHECK-SAME: tl.tensor_map = {box = array<i64: 64, 64>, buffer = 0 : i64, data_type = 6 : i64, dims_from = array<i64: 1, 0>, element_bytes = 2 : i64, element_strides = array<i64: 1, 1>, global_dim = array<i64: 64, -1>, global_strides = array<i64: 128>
// SRC-LABEL: int tl_launch_rows(void *stream, tlrt_dim3 grid, uint64_t p0, uint64_t p1, int64_t p0_dim0, int64_t p1_dim0) {
// SRC: d.globalStrides[0] = 128;
// SRC: d.globalDim[1] = (uint64_t)p0_dim0;
// SRC: tlrtGetTiledMap(&d, p0, map
// SRC: d.globalDim[1] = (uint64_t)p1_dim0;
// SRC: tlrtGetTiledMap(&d, p1, map
// 3-D, two dynamic outer sizes: the outer stride is computed.
// CHECK-LABEL: gpu.func @cube
// CHECK-SAME: dims_from = array<i64: 2, 1, 0>, element_bytes = 2 : i64, element_strides = array<i64: 1, 1, 1>, global_dim = array<i64: 64, -1, -1>, global_strides = array<i64: 128, -1>
// SRC-LABEL: int tl_launch_cube(
// SRC: d.globalDim[1] = (uint64_t)p0_dim1;
// SRC: d.globalDim[2] = (uint64_t)p0_dim0;
// SRC: d.globalStrides[1] = d.globalStrides[0] * d.globalDim[1];
// SRC: tlrtGetTiledMap(&d, p0, map
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @rows(%A: memref<?x64xf16>, %B: memref<?x64xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<?x64xf16>, index, index) -> !tl.buffer_region
      // REPORT: tma-dynamic.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f16->f16: tma_load, box [64, 64] x1, no swizzle, 8192 bytes
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<?x64xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
    gpu.func @cube(%A: memref<?x?x64xf16>)
        workgroup(%S: memref<4x16x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 16, 64>} : (memref<?x?x64xf16>, index, index, index) -> !tl.buffer_region
      // REPORT: tma-dynamic.mlir:[[@LINE+1]]:7: tl.copy global->shared [4x16x64] f16->f16: tma_load
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<4x16x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
    // A dynamic innermost size: the row stride cannot be proven a multiple
    // of 16 bytes.
    gpu.func @inner(%A: memref<?x?xf32>)
        workgroup(%S: memref<32x32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 32>} : (memref<?x?xf32>, index, index) -> !tl.buffer_region
      // REPORT: tma-dynamic.mlir:[[@LINE+1]]:7: tl.copy global->shared [32x32] f32->f32: simt, {{.*}} (TMA not used: dimension 0 of the global source has a stride of 4 bytes times run-time sizes, not provably a multiple of 16)
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32x32xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
