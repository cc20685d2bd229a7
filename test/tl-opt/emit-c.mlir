// RUN: tl-opt %s --tl-to-nvvm=format=ptx --emit=c -o %t.c
// RUN: FileCheck %s --check-prefix=SRC < %t.c
// RUN: FileCheck %s --check-prefix=HDR < %t.h
// The generated C compiles against libtlrt's header, warning-free.
// RUN: %cc -std=c11 -Wall -Wextra -Werror -c %t.c -I%runtime_include -o %t.o
// RUN: not tl-opt %s --emit=c -o %t.nobin.c 2>&1 | FileCheck %s --check-prefix=NOBIN
// RUN: not tl-opt %s --emit=c 2>&1 | FileCheck %s --check-prefix=NOOUT
// RUN: not tl-opt %s --emit=rust 2>&1 | FileCheck %s --check-prefix=BADEMIT

// SRC: /* gpu.binary @kernels: PTX, {{[0-9]+}} bytes. */
// SRC: static const unsigned char tl_image_kernels[] __attribute__((aligned(16))) = {
// SRC: const void *tl_binary_kernels(size_t *size) {
// SRC-NEXT: *size = sizeof tl_image_kernels;
// SRC: int tl_launch_scale(void *stream, tlrt_dim3 grid, uint64_t p0, uint16_t p1, int64_t p2) {
// SRC: tlrtLoadModule(tl_image_kernels, sizeof tl_image_kernels, &module);
// SRC: void *args[] = {&p0, &p1, &p2};
// SRC: tlrt_dim3 block = {64, 2, 1};
// SRC: return tlrtLaunch(module, "scale", grid, block, 0, stream, args);
// SRC: int tl_launch_noargs(void *stream, tlrt_dim3 grid) {
// SRC: void **args = NULL;
// HDR: #include "tlrt.h"
// HDR: /* The PTX image of gpu.binary @kernels and its size. */
// HDR-NEXT: const void *tl_binary_kernels(size_t *size);
// HDR: /* Kernel scale of gpu.binary @kernels: block 64x2x1, 0 bytes of static and 0 bytes of dynamic shared memory.
// HDR-NEXT: p0: device address of memref<256xf32>
// HDR-NEXT: p1: scalar f16
// HDR-NEXT: p2: scalar index
// HDR: int tl_launch_scale(void *stream, tlrt_dim3 grid, uint64_t p0, uint16_t p1, int64_t p2);
// HDR: int tl_launch_noargs(void *stream, tlrt_dim3 grid);
// NOBIN: error: emit C: the module has no gpu.binary (run tl-to-nvvm first)
// NOOUT: tl-opt: --emit=c needs -o <file>.c
// BADEMIT: tl-opt: --emit takes 'c' or 'mlir'
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @scale(%A: memref<256xf32>, %s: f16, %n: index) kernel attributes {known_block_size = array<i32: 64, 2, 1>} {
      gpu.return
    }
    gpu.func @noargs() kernel {
      gpu.return
    }
  }
}
