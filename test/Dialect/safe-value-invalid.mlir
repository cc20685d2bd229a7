// annotations.safe_value must be a value of the source element type
// (issue 16): NaN, inf, fractions and out-of-range values for an integer
// type, values that round to inf or NaN for a float type, and inf for a
// type without infinity used to be converted silently (NaN to an integer
// is undefined in C). The cases marked "ok" are accepted.
// RUN: tl-opt %s -split-input-file --tl-verify -verify-diagnostics

// i32 nan
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi32>, %i: index)
        workgroup(%S: memref<64x64xi32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi32>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value 0x7FC00000 : f32 cannot be a value of the source element type i32: it is not a finite number (it must be a whole number from -2147483648 to 4294967295)}}
      "tl.copy"(%a, %S) {annotations = {safe_value = 0x7FC00000 : f32}} : (!tl.buffer_region, memref<64x64xi32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// i32 inf
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi32>, %i: index)
        workgroup(%S: memref<64x64xi32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi32>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value 0x7F800000 : f32 cannot be a value of the source element type i32: it is not a finite number (it must be a whole number from -2147483648 to 4294967295)}}
      "tl.copy"(%a, %S) {annotations = {safe_value = 0x7F800000 : f32}} : (!tl.buffer_region, memref<64x64xi32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// i8 300.0
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi8>, %i: index)
        workgroup(%S: memref<64x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi8>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value 3.000000e+02 : f32 cannot be a value of the source element type i8: it is out of range (it must be a whole number from -128 to 255)}}
      "tl.copy"(%a, %S) {annotations = {safe_value = 3.000000e+02 : f32}} : (!tl.buffer_region, memref<64x64xi8, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// i8 2.5
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi8>, %i: index)
        workgroup(%S: memref<64x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi8>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value 2.500000e+00 : f32 cannot be a value of the source element type i8: it is not a whole number (it must be a whole number from -128 to 255)}}
      "tl.copy"(%a, %S) {annotations = {safe_value = 2.5 : f32}} : (!tl.buffer_region, memref<64x64xi8, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// i8 256
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi8>, %i: index)
        workgroup(%S: memref<64x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi8>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value 256 : i32 cannot be a value of the source element type i8: it is out of range (it must be a whole number from -128 to 255)}}
      "tl.copy"(%a, %S) {annotations = {safe_value = 256 : i32}} : (!tl.buffer_region, memref<64x64xi8, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// i8 255 ok
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi8>, %i: index)
        workgroup(%S: memref<64x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi8>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {safe_value = 255 : i32}} : (!tl.buffer_region, memref<64x64xi8, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// i8 -128 ok
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi8>, %i: index)
        workgroup(%S: memref<64x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi8>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {safe_value = -128 : i32}} : (!tl.buffer_region, memref<64x64xi8, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// i8 -129
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi8>, %i: index)
        workgroup(%S: memref<64x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi8>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value -129 : i32 cannot be a value of the source element type i8: it is out of range (it must be a whole number from -128 to 255)}}
      "tl.copy"(%a, %S) {annotations = {safe_value = -129 : i32}} : (!tl.buffer_region, memref<64x64xi8, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// i64 1e19
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi64>, %i: index)
        workgroup(%S: memref<64x64xi64, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi64>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value 1.000000e+19 : f64 cannot be a value of the source element type i64: it is out of range (it must be a whole number from -9223372036854775808 to 9223372036854775807)}}
      "tl.copy"(%a, %S) {annotations = {safe_value = 1.0e19 : f64}} : (!tl.buffer_region, memref<64x64xi64, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// f16 1e5
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xf16>, %i: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value 1.000000e+05 : f32 cannot be a value of the source element type f16: it is out of range}}
      "tl.copy"(%a, %S) {annotations = {safe_value = 1.0e5 : f32}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// f16 100000
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xf16>, %i: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value 100000 : i32 cannot be a value of the source element type f16: it is out of range}}
      "tl.copy"(%a, %S) {annotations = {safe_value = 100000 : i32}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// f16 inf ok
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xf16>, %i: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {safe_value = 0x7F800000 : f32}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// f8E4M3FN inf
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xf8E4M3FN>, %i: index)
        workgroup(%S: memref<64x64xf8E4M3FN, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xf8E4M3FN>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations entry safe_value 0x7F800000 : f32 cannot be a value of the source element type f8E4M3FN: the type has no infinity}}
      "tl.copy"(%a, %S) {annotations = {safe_value = 0x7F800000 : f32}} : (!tl.buffer_region, memref<64x64xf8E4M3FN, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// f8E4M3FN 448 ok
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xf8E4M3FN>, %i: index)
        workgroup(%S: memref<64x64xf8E4M3FN, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xf8E4M3FN>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {safe_value = 448.0 : f32}} : (!tl.buffer_region, memref<64x64xf8E4M3FN, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// f32 nan ok
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xf32>, %i: index)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {safe_value = 0x7FC00000 : f32}} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// index ok
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xindex>, %i: index)
        workgroup(%S: memref<64x64xindex, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xindex>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {safe_value = -1 : i64}} : (!tl.buffer_region, memref<64x64xindex, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// i16 ok
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<100x128xi16>, %i: index)
        workgroup(%S: memref<64x64xi16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<100x128xi16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {safe_value = 1.0e1 : f64}} : (!tl.buffer_region, memref<64x64xi16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
