// im2col of an NHWC fp16 image (N=8, H=W=32, C=64) for a 3x3 convolution
// with stride 1, padding 1 and dilation 1: the column matrix has
// N*OH*OW = 8192 rows and KH*KW*C = 576 columns. Each block builds one
// 64x64 tile of it in shared memory and writes it to Col.
module attributes {gpu.container_module} {
  gpu.module @im2col [#nvvm.target<chip = "sm_90a">] {
    gpu.func @im2col(%Img: memref<8x32x32x64xf16>, %Col: memref<8192x576xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      "tl.c2d_im2col"(%Img, %S, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<8x32x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      %i = arith.muli %bx, %c64 : index
      %j = arith.muli %by, %c64 : index
      %c = "tl.region"(%Col, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<8192x576xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %c) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
