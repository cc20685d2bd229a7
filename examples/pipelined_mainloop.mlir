// A GEMM-style mainloop (issue 15): each block walks K in 32-wide steps,
// loading a 64x32 fp16 tile of A and a 32x64 tile of B into shared memory
// by TMA and reading both with ldmatrix into register fragments, as an mma
// would consume them. tl has no math, so after the loop the last fragments
// are stored (block by: OA[by*64, 0] and OB[by*32, 0]); the harness checks
// them against A's and B's last K tiles.
//
// `tl.num_stages = 3` asks tl-pipeline (run first by tl-to-nvvm) to
// software-pipeline the loop: SA and SB become 3-stage buffers
// (3 x 64x32 and 3 x 32x64 f16, 24 KiB in all); a prologue issues the
// loads of iterations 0 and 1 as tl.copy_async before the loop; iteration
// i waits for stage i mod 3 (both tiles of a stage on one barrier, one
// expect_tx of 8 KiB), copies it to the fragments, and issues the loads of
// iteration i + 2 into the stage iteration i - 1 read, once those reads
// are done; the copies past the last iteration are predicated off, so any
// trip count drains without deadlock. Without tl-pipeline the loop runs
// synchronously and gives the same result.
module attributes {gpu.container_module} {
  gpu.module @pipelined_mainloop [#nvvm.target<chip = "sm_90a">] {
    gpu.func @mainloop(%A: memref<256x512xf16>, %B: memref<512x64xf16>,
                       %OA: memref<256x32xf16>, %OB: memref<128x64xf16>)
        workgroup(%SA: memref<64x32xf16, #gpu.address_space<workgroup>>,
                  %SB: memref<32x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>,
                           known_grid_size = array<i32: 1, 4, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c32 = arith.constant 32 : index
      %c64 = arith.constant 64 : index
      %by = gpu.block_id y
      %m0 = arith.muli %by, %c64 : index
      %FA = memref.alloca() : memref<64x32xf16, #tl.fragment>
      %FB = memref.alloca() : memref<32x64xf16, #tl.fragment>
      scf.for %k = %c0 to %c16 step %c1 {
        %k0 = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %m0, %k0) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<256x512xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %SA) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x32xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %k0, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<512x64xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%b, %SB) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<32x64xf16, #gpu.address_space<workgroup>>) -> ()
        "tl.copy"(%SA, %FA) {annotations = {use_ldmatrix = true}} : (memref<64x32xf16, #gpu.address_space<workgroup>>, memref<64x32xf16, #tl.fragment>) -> ()
        "tl.copy"(%SB, %FB) {annotations = {use_ldmatrix = true}} : (memref<32x64xf16, #gpu.address_space<workgroup>>, memref<32x64xf16, #tl.fragment>) -> ()
      } {tl.num_stages = 3 : i64}
      %oa = "tl.region"(%OA, %m0, %c0) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<256x32xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%FA, %oa) : (memref<64x32xf16, #tl.fragment>, !tl.buffer_region) -> ()
      %n0 = arith.muli %by, %c32 : index
      %ob = "tl.region"(%OB, %n0, %c0) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<128x64xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%FB, %ob) : (memref<32x64xf16, #tl.fragment>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
