// Workgroup buffers beyond 48 KiB (issue 15): before NVVM lowering,
// tl-to-nvvm-dynamic-shared replaces the attributions of a kernel whose
// buffers plus named workgroup globals pass 48 KiB by memref.views of one
// gpu.dynamic_shared_memory, each at an offset that keeps its llvm.align
// (the TMA buffer with the 128-byte swizzle: 1024), and records the bytes
// for the ABI. The dynamic shared global becomes `.extern` with the largest
// alignment; the launcher asks for the bytes. A kernel at or under 48 KiB
// keeps its static attributions.
// RUN: tl-opt %s --tl-to-nvvm=format=ptx --mlir-print-ir-after-all -o /dev/null 2>&1 | FileCheck %s --check-prefix=IR
// RUN: tl-opt %s --tl-to-nvvm=format=ptx | FileCheck %s --check-prefix=ABI
// RUN: tl-opt %s --tl-to-nvvm=format=ptx --emit-binary=%t.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX < %t.ptx
// RUN: tl-opt %s --tl-to-nvvm=format=ptx --emit=c -o %t.c
// RUN: FileCheck %s --check-prefix=HDR < %t.h
// RUN: FileCheck %s --check-prefix=SRC < %t.c
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c %t.c -I%runtime_include -o %t.o

// 640 bytes at 0, the swizzled TMA buffer at the next 1024, the others at
// the next 16 after each: 1024 + 3 * 16384 = 50176 bytes; the mbarrier set
// stays static.
// IR-LABEL: IR Dump After tl-to-nvvm-dynamic-shared (
// IR: gpu.func @big(%{{.*}}: memref<256x256xf32>, %{{.*}}: memref<256x256xf32>, %{{.*}}: !llvm.ptr {tl.tensor_map = {{.*}}}) kernel attributes {known_block_size = array<i32: 128, 1, 1>, tl.dynamic_shared = array<i64: 50176, 1024>, tl.tensor_map_args = array<i64: 2>} {
// IR-NEXT: %[[D:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// IR-NEXT: %[[O0:.*]] = arith.constant 0 : index
// IR-NEXT: memref.view %[[D]][%[[O0]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<8x20xf32, #gpu.address_space<workgroup>>
// IR-NEXT: %[[O1:.*]] = arith.constant 1024 : index
// IR-NEXT: memref.view %[[D]][%[[O1]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<64x64xf32, #gpu.address_space<workgroup>>
// IR-NEXT: %[[O2:.*]] = arith.constant 17408 : index
// IR-NEXT: memref.view %[[D]][%[[O2]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<64x64xf32, #gpu.address_space<workgroup>>
// IR-NEXT: %[[O3:.*]] = arith.constant 33792 : index
// IR-NEXT: memref.view %[[D]][%[[O3]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<64x64xf32, #gpu.address_space<workgroup>>
// IR-NOT: workgroup(
// IR: gpu.func @small(%{{.*}}: memref<256x256xf32>, %{{.*}}: memref<256x256xf32>) workgroup(%{{.*}}: memref<64x64xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}) kernel
// IR-NOT: gpu.dynamic_shared_memory
// IR-LABEL: IR Dump After tl-to-nvvm-abi
// IR-LABEL: IR Dump After tl-to-nvvm-dynamic-shared-global
// IR: llvm.mlir.global external @__dynamic_shmem__0() {addr_space = 3 : i32, alignment = 1024 : i64} : !llvm.array<0 x i8>
// IR-NOT: tl.dynamic_shared
// IR-LABEL: IR Dump After GpuToLLVMConversionPass

// In the kernel ABI, 50176 dynamic bytes; static: the 8-byte mbarrier set, padded
// to the window's 1024 as ptxas lays it out.
// ABI: dynamic_shared_bytes = 50176 : i64, name = "big"
// ABI-SAME: static_shared_bytes = 1024 : i64
// ABI-SAME: dynamic_shared_bytes = 0 : i64, name = "small"
// ABI-SAME: static_shared_bytes = 16384 : i64

// PTX: .extern .shared .align 1024 .b8 __dynamic_shmem__0[];
// PTX: .entry big(
// PTX: cp.async.bulk.tensor.3d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [__dynamic_shmem__0+1024]
// PTX: .entry small(
// PTX-NOT: __dynamic_shmem__0
// PTX: .shared .align 16 .b8 {{.*}}[16384];

// HDR: /* Kernel big of gpu.binary @m: block 128x1x1, 1024 bytes of static and 50176 bytes of dynamic shared memory.
// HDR: /* Kernel small of gpu.binary @m: block 128x1x1, 16384 bytes of static and 0 bytes of dynamic shared memory.
// SRC: return tlrtLaunch(module, "big", grid, block, 50176, stream, args);
// SRC: return tlrtLaunch(module, "small", grid, block, 0, stream, args);
!A = memref<256x256xf32>
!S0 = memref<8x20xf32, #gpu.address_space<workgroup>>
!S = memref<64x64xf32, #gpu.address_space<workgroup>>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @big(%A: !A, %B: !A) workgroup(%S0: !S0, %S1: !S, %S2: !S, %S3: !S)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %a0 = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 8, 20>} : (!A, index, index) -> !tl.buffer_region
      "tl.copy"(%a0, %S0) : (!tl.buffer_region, !S0) -> ()
      %a1 = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (!A, index, index) -> !tl.buffer_region
      "tl.copy"(%a1, %S1) {annotations = {use_tma = true, swizzle = 128 : i64}} : (!tl.buffer_region, !S) -> ()
      "tl.copy"(%a1, %S2) : (!tl.buffer_region, !S) -> ()
      "tl.copy"(%a1, %S3) : (!tl.buffer_region, !S) -> ()
      %b0 = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 8, 20>} : (!A, index, index) -> !tl.buffer_region
      "tl.copy"(%S0, %b0) : (!S0, !tl.buffer_region) -> ()
      %b1 = "tl.region"(%B, %c64, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (!A, index, index) -> !tl.buffer_region
      "tl.copy"(%S1, %b1) : (!S, !tl.buffer_region) -> ()
      "tl.copy"(%S2, %b1) : (!S, !tl.buffer_region) -> ()
      "tl.copy"(%S3, %b1) : (!S, !tl.buffer_region) -> ()
      gpu.return
    }
    gpu.func @small(%A: !A, %B: !A) workgroup(%S: !S)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (!A, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, !S) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (!A, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : (!S, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
