
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%A: memref<64x64xf32>)
        workgroup(%S: memref<64xtf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op destination memref<64x0xf32, #gpu.address_space<workgroup>> is e<workgroup>>) -> ()
      gpu.return
    }
  }
}

