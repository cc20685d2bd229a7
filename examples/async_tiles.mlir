// Two 64x64 fp16 tiles per block in flight at once (docs/design.md §3.1):
// both TMA loads are issued before either is waited on, each tile's TMA
// store starts as soon as that tile is in, and the stores are waited on
// last. Each load completes on its own mbarrier slot, each store on its own
// bulk group.
module attributes {gpu.container_module} {
  gpu.module @async_tiles [#nvvm.target<chip = "sm_90a">] {
    gpu.func @two_tiles(%A: memref<512x512xf16>, %B: memref<512x512xf16>)
        workgroup(%S0: memref<64x64xf16, #gpu.address_space<workgroup>>,
                  %S1: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %c128 = arith.constant 128 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i0 = arith.muli %by, %c128 : index
      %i1 = arith.addi %i0, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a0 = "tl.region"(%A, %i0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %l0 = "tl.copy_async"(%a0, %S0) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      %a1 = "tl.region"(%A, %i1, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %l1 = "tl.copy_async"(%a1, %S1) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      "tl.wait"(%l0) : (!tl.token) -> ()
      %b0 = "tl.region"(%B, %i0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %s0 = "tl.copy_async"(%S0, %b0) {annotations = {use_tma = true}} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
      "tl.wait"(%l1) : (!tl.token) -> ()
      %b1 = "tl.region"(%B, %i1, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %s1 = "tl.copy_async"(%S1, %b1) {annotations = {use_tma = true}} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
      "tl.wait"(%s0, %s1) : (!tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}
