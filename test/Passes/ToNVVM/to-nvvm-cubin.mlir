// REQUIRES: ptxas
// RUN: tl-opt %s --tl-to-nvvm --emit-binary=%t.cubin | FileCheck %s
// RUN: od -A n -t x1 -N 4 %t.cubin | FileCheck %s --check-prefix=ELF
// RUN: tl-opt %s --tl-to-nvvm=chip=sm_80 --emit-binary=%t.80.cubin -o /dev/null
// RUN: tl-opt %s --tl-to-nvvm=format=fatbin -o /dev/null
// CHECK: gpu.binary @kernels {tl.abi = [{{.*}}name = "copy"
// CHECK-SAME: bin = "\7FELF
// ELF: 7f 45 4c 46
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @copy(%A: memref<256xf32>, %B: memref<256xf32>) kernel attributes {known_block_size = array<i32: 256, 1, 1>} {
      %t = gpu.thread_id x
      %x = memref.load %A[%t] : memref<256xf32>
      memref.store %x, %B[%t] : memref<256xf32>
      gpu.return
    }
  }
}
