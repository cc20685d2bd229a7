// A tl.c2d_im2col (and tl.c2d_im2col_async) column tile that is one stage
// of a multi-buffered tile (docs/im2col.md, "Stages"): a tl.region of a
// rank >= 3 shared buffer with extent 1 in every stage dimension (index
// dynamic or constant) and the whole (BM, BK) tile of the last two at 0.
// RUN: tl-opt %s --tl-verify --verify-diagnostics | FileCheck %s

module attributes {gpu.container_module} {
  gpu.module @m {
    // CHECK-LABEL: gpu.func @stages
    gpu.func @stages(%I: memref<2x8x8x16xf16>)
        workgroup(%S: memref<3x32x16xf16, #gpu.address_space<workgroup>>,
                  %Q: memref<2x2x32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %bx = gpu.block_id x
      %s = arith.remui %bx, %c3 : index
      // A dynamic stage.
      // CHECK: %[[R:.*]] = "tl.region"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {access = 2 : i32, extents = array<i64: 1, 32, 16>}
      // CHECK-NEXT: "tl.c2d_im2col"(%{{.*}}, %[[R]], %{{.*}}, %{{.*}})
      %r = "tl.region"(%S, %s, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 32, 16>} : (memref<3x32x16xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      "tl.c2d_im2col"(%I, %r, %bx, %c0) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
      // The last stage, constant.
      // CHECK: "tl.c2d_im2col"
      %l = "tl.region"(%S, %c2, %c0, %c0) {access = 3 : i32, extents = array<i64: 1, 32, 16>} : (memref<3x32x16xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      "tl.c2d_im2col"(%I, %l, %bx, %c1) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
      // Two stage dimensions, and the split-phase form.
      // CHECK: %[[T:.*]] = "tl.c2d_im2col_async"
      // CHECK-NEXT: "tl.wait"(%[[T]])
      %q = "tl.region"(%Q, %c1, %s, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 1, 32, 16>} : (memref<2x2x32x16xf16, #gpu.address_space<workgroup>>, index, index, index, index) -> !tl.buffer_region
      %t = "tl.c2d_im2col_async"(%I, %q, %bx, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}
