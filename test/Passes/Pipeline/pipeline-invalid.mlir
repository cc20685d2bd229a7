// tl-pipeline's errors (docs/pipeline.md, docs/verify.md): loops it
// cannot pipeline correctly. One case per chunk.
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-pipeline

// tl.num_stages 0.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @zero_stages(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.num_stages must be in [1, 8], got 0}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 0 : i64}
      gpu.return
    }
  }
}

// -----

// tl.num_stages above 8.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @nine_stages(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.num_stages must be in [1, 8], got 9}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 9 : i64}
      gpu.return
    }
  }
}

// -----

// tl.num_stages not an integer.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @string_stages(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.num_stages must be an integer attribute (e.g. tl.num_stages = 3 : i64)}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = "3"}
      gpu.return
    }
  }
}

// -----

// tl.num_stages a bool.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @bool_stages(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.num_stages must be an integer attribute}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = true}
      gpu.return
    }
  }
}

// -----

// The upper bound differs between threads: a thread leaving early would deadlock the stage waits.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @thread_bound(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      %t = gpu.thread_id x
      %u = arith.addi %t, %c1 : index
      // expected-error @+1 {{'scf.for' op is pipelined (tl.num_stages), so every thread of the block must run the same iterations, but its upper bound depends on 'gpu.thread_id'}}
      scf.for %k = %c0 to %u step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// An unsigned comparison.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @unsigned_loop(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op is pipelined (tl.num_stages) but compares unsigned; tl-pipeline handles signed loops}}
      scf.for unsigned %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// The buffer is read after the loop: it holds no stage there.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @read_after(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      // expected-error @+1 {{'tl.copy' op uses a buffer that the pipelined loop at line 160, column 7 makes 3-way (tl.num_stages): a multi-buffered buffer may only be used inside its loop}}
      "tl.copy"(%S, %B) : (memref<32xf32, #gpu.address_space<workgroup>>, memref<1024xf32>) -> ()
      gpu.return
    }
  }
}

// -----

// The buffer is written before the loop.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @used_before(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+2 {{'memref.store' op uses a buffer that the pipelined loop at line 188, column 7 makes 3-way}}
      %z = arith.constant 0.0 : f32
      memref.store %z, %S[%c0] : memref<32xf32, #gpu.address_space<workgroup>>
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// Non-copy code writes the buffer in the loop.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @stored_in_loop(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %z = arith.constant 0.0 : f32
        // expected-error @+1 {{'memref.store' op writes a buffer that the pipelined loop fills with the copy at line 214, column 9: in a tl.num_stages loop only that copy may write it ('memref.store' is taken to write it)}}
        memref.store %z, %S[%c0] : memref<32xf32, #gpu.address_space<workgroup>>
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// Another tl op writes the buffer in the loop.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @copied_into(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        // expected-error @+1 {{'tl.copy' op writes a buffer that the pipelined loop fills with the copy at line 238, column 9}}
        "tl.copy"(%B, %S) : (memref<1024xf32>, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// The body reads the buffer before the copy that fills it (the previous iteration's tile).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @read_before(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      scf.for %k = %c0 to %c32 step %c1 {
        %t = gpu.thread_id x
        // expected-error @+1 {{'memref.load' op reads a buffer before the copy that fills it in the iteration (at line 264, column 9): tl-pipeline would make it read a stage not yet filled}}
        %x = memref.load %S[%t] : memref<32xf32, #gpu.address_space<workgroup>>
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// The bound is an outer loop's induction variable, whose own bound
// depends on the thread.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @outer_thread_bound(%A: memref<1024xf32>)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      %t = gpu.thread_id x
      scf.for %o = %c0 to %t step %c1 {
        // expected-error @+1 {{'scf.for' op is pipelined (tl.num_stages), so every thread of the block must run the same iterations, but its upper bound depends on 'gpu.thread_id'}}
        scf.for %k = %c0 to %o step %c1 {
          %j = arith.muli %k, %c32 : index
          %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
          "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
          "tl.copy"(%S, %A) : (memref<32xf32, #gpu.address_space<workgroup>>, memref<1024xf32>) -> ()
        } {tl.num_stages = 2 : i64}
      }
      gpu.return
    }
  }
}

// -----

// A wgmma descriptor of the buffer before its copy.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @before(%A: memref<64x512xf16>, %out: memref<1xi64>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c8 step %c1 {
        %r = "tl.region"(%S, %c0, %c16) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
        // expected-error @+1 {{'tl.wgmma_descriptor' op reads a buffer before the copy that fills it in the iteration}}
        %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
        memref.store %d, %out[%c0] : memref<1xi64>
        %k0 = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %k0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x512xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// tl.reads_in_flight = N - 1: no stage would be left to fill.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @lag_too_large(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.reads_in_flight must be in [0, 1] with tl.num_stages = 3 (besides the stage being read and those still being read, at least one must be filling), got 2}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64, tl.reads_in_flight = 2 : i64}
      gpu.return
    }
  }
}

// -----

// A negative tl.reads_in_flight.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @lag_negative(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.reads_in_flight must be in [0, 1] with tl.num_stages = 3 (besides the stage being read and those still being read, at least one must be filling), got -1}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64, tl.reads_in_flight = -1 : i64}
      gpu.return
    }
  }
}

// -----

// tl.reads_in_flight with one stage.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @lag_one_stage(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.reads_in_flight must be in [0, 0] with tl.num_stages = 1 (besides the stage being read and those still being read, at least one must be filling), got 1}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 1 : i64, tl.reads_in_flight = 1 : i64}
      gpu.return
    }
  }
}

// -----

// tl.reads_in_flight not an integer.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @lag_not_int(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.reads_in_flight must be an integer attribute (e.g. tl.reads_in_flight = 1 : i64)}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64, tl.reads_in_flight = true}
      gpu.return
    }
  }
}

// -----

// tl.reads_in_flight without tl.num_stages.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @lag_alone(%A: memref<1024xf32>, %B: memref<1024xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.reads_in_flight needs tl.num_stages on the same loop (it says how long a stage of a pipelined loop is read)}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.reads_in_flight = 1 : i64}
      gpu.return
    }
  }
}

// -----

// tl.stage_release names no release (copy/Release.c).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @release_kind(%A: memref<1024xf32>, %B: memref<1024xf32>)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.stage_release must be "barrier" or "mbarrier"}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 2 : i64, tl.stage_release = "fast"}
      gpu.return
    }
  }
}

// -----

// tl.stage_release is not a string.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @release_int(%A: memref<1024xf32>, %B: memref<1024xf32>)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.stage_release must be "barrier" or "mbarrier"}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 2 : i64, tl.stage_release = 1 : i64}
      gpu.return
    }
  }
}

// -----

// tl.stage_release on a loop that is not pipelined.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @release_alone(%A: memref<1024xf32>, %B: memref<1024xf32>)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // expected-error @+1 {{'scf.for' op tl.stage_release needs tl.num_stages on the same loop (it says how a pipelined loop's stages are released)}}
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.stage_release = "barrier"}
      gpu.return
    }
  }
}
