
// sm_86: 100 KiB is over its 99 KiB (sm_80 allows 163 KiB).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_86">] {
    // expected-error @+1 {{tl-to-nvvm: the kernel needs 102400 bytes of shared memory per block (102400 of workgroup buffers in dynamic shared memory, 0 static); sm_86 allows at most 101376}}
    gpu.func @k(%A: memref<4xf32>)
        workgroup(%S: memref<100x256xf32, #tl.fragment>) kernel {
      gpu.return
    }
  }
}

