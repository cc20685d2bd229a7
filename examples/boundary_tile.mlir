// A 1000x77 fp16 matrix copied in 64x64 tiles: the tiles of the last row
// and column hang over the edge. Out-of-bounds reads give 0 and
// out-of-bounds writes are skipped; TMA is switched off for the load.
module attributes {gpu.container_module} {
  gpu.module @boundary_tile [#nvvm.target<chip = "sm_90a">] {
    gpu.func @edge(%A: memref<1000x77xf16>, %B: memref<1000x77xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 256, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<1000x77xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {disable_tma, annotations = {safe_value = 0.0 : f16}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<1000x77xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
