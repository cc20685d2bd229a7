// Each block loads a 32x64 fp16 tile into a fragment (registers spread over
// the block's 128 threads), then stores it back into another buffer with a
// cast to fp32.
module attributes {gpu.container_module} {
  gpu.module @fragment_roundtrip [#nvvm.target<chip = "sm_90a">] {
gpu.barrier
    gpu.func @roundtrip(%A: memref<256x256xf16>, %B: memref<256x256xf32>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c32 = arith.constant 32 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c32 : index
      %j = arith.muli %bx, %c64 : index
      %F = memref.alloca() : memref<32x64xf16, #tl.fragment>
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %F) {coalesced_width = 8 : i64} : (!tl.buffer_region, memref<32x64xf16, #tl.fragment>) -> ()
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%F, %b) : (memref<32x64xf16, #tl.fragment>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
