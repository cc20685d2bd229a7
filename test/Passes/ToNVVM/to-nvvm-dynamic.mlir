// Dynamic memref kernel parameters (issue 10): each becomes a bare pointer
// plus one index parameter per dynamic dimension, recorded in the ABI and
// taken by the launchers after the pointers; the kernel rebuilds the
// dynamic memref from them, so bounds checks use the run-time sizes.
// RUN: tl-opt %s --tl-to-nvvm=format=ptx | FileCheck %s
// RUN: tl-opt %s --tl-to-nvvm=format=ptx --emit-binary=%t.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX < %t.ptx
// RUN: tl-opt %s --tl-to-nvvm=format=ptx --emit=c -o %t.c
// RUN: FileCheck %s --check-prefix=HDR < %t.h
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c %t.c -I%runtime_include -o %t.o

// CHECK: params = [{kind = "ptr", type = memref<?x77xf16>}, {kind = "ptr", type = memref<?x77xf16>}, {buffer = 0 : i64, dim = 0 : i64, kind = "size", type = index}, {buffer = 1 : i64, dim = 0 : i64, kind = "size", type = index}]
// CHECK: params = [{kind = "ptr", type = memref<?x?x?x64xf16>}, {kind = "ptr", type = memref<?x576xf16>}, {buffer = 0 : i64, dim = 0 : i64, kind = "size", type = index}, {buffer = 0 : i64, dim = 1 : i64, kind = "size", type = index}, {buffer = 0 : i64, dim = 2 : i64, kind = "size", type = index}, {buffer = 1 : i64, dim = 0 : i64, kind = "size", type = index}]

// PTX: .entry copy(
// PTX-NEXT: .param .u64 .ptr .align 1 copy_param_0,
// PTX-NEXT: .param .u64 .ptr .align 1 copy_param_1,
// PTX-NEXT: .param .u64 copy_param_2,
// PTX-NEXT: .param .u64 copy_param_3
// PTX: .entry im2col(

// HDR: p0_dim0: run-time size of dimension 0 of p0
// HDR: int tl_launch_copy(void *stream, tlrt_dim3 grid, uint64_t p0, uint64_t p1, int64_t p0_dim0, int64_t p1_dim0);
// HDR: int tl_launch_im2col(void *stream, tlrt_dim3 grid, uint64_t p0, uint64_t p1, int64_t p0_dim0, int64_t p0_dim1, int64_t p0_dim2, int64_t p1_dim0);
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @copy(%A: memref<?x77xf16>, %B: memref<?x77xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<?x77xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<?x77xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
    gpu.func @im2col(%Img: memref<?x?x?x64xf16>, %Col: memref<?x576xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      "tl.c2d_im2col"(%Img, %S, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<?x?x?x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      %m = arith.muli %bx, %c64 : index
      %k = arith.muli %by, %c64 : index
      %dst = "tl.region"(%Col, %m, %k) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<?x576xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %dst) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
