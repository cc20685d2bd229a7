// A kernel written as a gpu.launch body: tl-to-nvvm outlines it first
// (upstream gpu-launch-sink-index-computations and gpu-kernel-outlining:
// the constants it uses are sunk into it, so the copies keep their static
// tiles and 16-byte vectors), so its tl ops compile like a gpu.func
// kernel's, with the launch's block size as known_block_size.
// RUN: tl-opt %s --tl-to-nvvm="format=isa report=true" 2>&1 | FileCheck %s

// CHECK: tl.copy global->shared [64x64] f32->f32: simt, v=4 (16-byte), 128 threads, 8 chunks per thread
// CHECK: tl.copy shared->global [64x64] f32->f32: simt
// CHECK: llvm.func @host
// CHECK: gpu.launch_func  @host_kernel::@host_kernel blocks in ({{.*}}) threads in ({{.*}}) : i64 args(%{{.*}} : !llvm.ptr, %{{.*}} : !llvm.ptr)
// CHECK: gpu.binary @host_kernel {tl.abi = [{block = array<i32: 128, 1, 1>{{.*}}name = "host_kernel"
module attributes {gpu.container_module} {
  func.func @host(%A: memref<512x512xf32>, %B: memref<512x512xf32>) {
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    %c64 = arith.constant 64 : index
    %c128 = arith.constant 128 : index
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c8, %gy = %c8, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c128, %sy = %c1, %sz = %c1)
               workgroup(%S : memref<64x64xf32, #gpu.address_space<workgroup>>) {
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.terminator
    }
    return
  }
}
