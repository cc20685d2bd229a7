// Each block copies one 64x64 fp32 tile of A through shared memory into B.
// The first copy uses head-address sugar (a region without extents takes
// the shape of the other side), the second an explicit region.
module attributes {gpu.container_module} {
  gpu.module @tile_copy [#nvvm.target<chip = "sm_90a">] {
    gpu.func @copy64(%A: memref<512x512xf32>, %B: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {eviction_policy = "evict_first"} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
