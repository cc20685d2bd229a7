// Tensor-map parameters, as the TMA lowerings leave them (passes/TensorMap.h):
// an !llvm.ptr argument described by tl.tensor_map and listed in
// tl.tensor_map_args. tl-to-nvvm passes them by value as 64-byte aligned
// grid constants, records them in the ABI, and launchers encode them.
// RUN: tl-opt %s --tl-to-nvvm=format=ptx | FileCheck %s
// RUN: tl-opt %s --tl-to-nvvm=format=ptx --emit-binary=%t.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX < %t.ptx
// RUN: tl-opt %s --tl-to-nvvm=format=ptx --emit=c -o %t.c
// RUN: FileCheck %s --check-prefix=SRC < %t.c
// RUN: FileCheck %s --check-prefix=HDR < %t.h
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c %t.c -I%runtime_include -o %t.o

// CHECK: tl.abi = [{block = array<i32: 128, 1, 1>, dynamic_shared_bytes = 0 : i64, name = "k", params = [{kind = "ptr", type = memref<256x512xf16>}, {kind = "tensormap", map = {box = array<i64: 64, 32>, buffer = 0 : i64, data_type = 6 : i64, element_strides = array<i64: 1, 1>, global_dim = array<i64: 512, 256>, global_strides = array<i64: 1024>, kind = "tiled", l2_promotion = 2 : i64, swizzle = 3 : i64}, type = !llvm.ptr}]

// PTX: .entry k(
// PTX-NEXT: .param .u64 .ptr .align 1 k_param_0,
// PTX-NEXT: .param .align 64 .b8 k_param_1[128]
// PTX: prefetch{{.*}}tensormap

// HDR: (tensor map of p0, encoded by the launcher)
// HDR: int tl_launch_k(void *stream, tlrt_dim3 grid, uint64_t p0);
// SRC: int tl_launch_k(void *stream, tlrt_dim3 grid, uint64_t p0) {
// SRC-NEXT: _Alignas(64) unsigned char map1[128];
// SRC: TlrtTiledMapDesc d;
// SRC: d.dataType = 6;
// SRC-NEXT: d.rank = 2;
// SRC-NEXT: d.globalDim[0] = 512;
// SRC-NEXT: d.globalDim[1] = 256;
// SRC-NEXT: d.globalStrides[0] = 1024;
// SRC: d.boxDim[0] = 64;
// SRC-NEXT: d.boxDim[1] = 32;
// SRC-NEXT: d.swizzle = 3;
// SRC-NEXT: d.l2Promotion = 2;
// SRC-NEXT: int rc = tlrtGetTiledMap(&d, p0, map1);
// SRC: void *args[] = {&p0, map1};
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<256x512xf16>, %map: !llvm.ptr {tl.tensor_map = {kind = "tiled", buffer = 0 : i64, data_type = 6 : i64, global_dim = array<i64: 512, 256>, global_strides = array<i64: 1024>, box = array<i64: 64, 32>, element_strides = array<i64: 1, 1>, swizzle = 3 : i64, l2_promotion = 2 : i64}})
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, tl.tensor_map_args = array<i64: 1>} {
      nvvm.prefetch tensormap, %map : !llvm.ptr
      gpu.return
    }
  }
}
