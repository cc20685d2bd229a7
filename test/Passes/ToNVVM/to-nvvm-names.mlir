// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=ptx -verify-diagnostics
// RUN: tl-opt %s -split-input-file --tl-to-nvvm -verify-diagnostics
// Names that reach PTX (support/Names.h, docs/passes.md "Names"): LLVM
// aborted on most of these ("Symbol name with unsupported characters") and
// printed the rest into PTX that ptxas refuses.

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"my-kernel": the name has '-' at byte 3; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"my-kernel"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"my kernel": the name has a space at byte 3; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"my kernel"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"a\22b": the name has '"' at byte 2; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"a\22b"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"a\0Ab": the name has a newline at byte 2; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"a\0Ab"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"a\09b": the name has control byte 0x09 at byte 2; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"a\09b"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"a\00b": the name has a NUL byte at byte 2; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"a\00b"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"caf\C3\A9": the name has non-ASCII byte 0xC3 at byte 4; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"caf\C3\A9"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"1k": the name starts with a digit; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"1k"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @a.b: the name has '.' at byte 2; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @a.b() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"a/b": the name has '/' at byte 2; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"a/b"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"%tid": the name has '%' at byte 1; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"%tid"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"": the name is empty; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @""() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @_: the name is a lone '_' or '$' (PTX wants a letter, digit, '_' or '$' after one); the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @_() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"$": the name is a lone '_' or '$' (PTX wants a letter, digit, '_' or '$' after one); the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"$"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @WARP_SZ: the name is WARP_SZ, a predefined identifier of PTX; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @WARP_SZ() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"$L__BB0_1": the name starts with '$L__', which LLVM's PTX printer uses for names of its own; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"$L__BB0_1"() kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @__local_depot0: the name starts with '__local_depot', which LLVM's PTX printer uses for names of its own; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @__local_depot0() kernel {
      gpu.return
    }
  }
}

// -----

// A function that is not a kernel.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"helper-fn": the name has '-' at byte 7; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    gpu.func @"helper-fn"() {
      gpu.return
    }
    gpu.func @k() kernel {
      gpu.return
    }
  }
}

// -----

// A gpu.module: its name is the gpu.binary's, which reaches C.
module attributes {gpu.container_module} {
  // expected-error @+1 {{tl-to-nvvm: gpu.module @"m-x": the name has '-' at byte 2; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
  gpu.module @"m-x" {
    gpu.func @k() kernel {
      gpu.return
    }
  }
}

// -----

// Globals reach PTX as well; every bad name is reported.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: memref.global @"g-x": the name has '-' at byte 2; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    memref.global @"g-x" : memref<4xf32> = uninitialized
    // expected-error @+1 {{tl-to-nvvm: llvm.mlir.global @"1g": the name starts with a digit; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    llvm.mlir.global internal @"1g"(0 : i32) : i32
    // expected-error @+1 {{tl-to-nvvm: func.func @f.x: the name has '.' at byte 2; the names of gpu.modules and of their symbols reach PTX and C and must match [A-Za-z_$][A-Za-z0-9_$]*}}
    func.func private @"f.x"()
    gpu.func @k() kernel {
      gpu.return
    }
  }
}

// -----

// A global named as PTX names a parameter of kernel k would be shadowed
// by it inside k (ptxas accepts it, and the kernel reads the parameter).
module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: memref.global @k_param_0: PTX gives this name to a parameter of @k, which would shadow the symbol there; rename it}}
    memref.global @k_param_0 : memref<4xf32> = uninitialized
    gpu.func @k(%o: memref<4xf32>) kernel {
      gpu.return
    }
  }
}

// -----

// A kernel with tl ops: the names are checked before anything is lowered.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{tl-to-nvvm: gpu.func @"copy-kernel": the name has '-' at byte 5}}
    gpu.func @"copy-kernel"(%src: memref<64x64xf16>, %dst: memref<64x64xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.copy"(%src, %dst) : (memref<64x64xf16>, memref<64x64xf16>) -> ()
      gpu.return
    }
  }
}

// -----

// Valid: '$' and leading '_' (PTX takes them), and intrinsic declarations,
// whose llvm.* names never reach PTX.
module attributes {gpu.container_module} {
  gpu.module @_kernels$1 {
    llvm.func @llvm.nvvm.read.ptx.sreg.tid.x() -> i32
    gpu.func @"a$b"() kernel {
      gpu.return
    }
    gpu.func @_k2(%p: f32) kernel {
      gpu.return
    }
  }
}
