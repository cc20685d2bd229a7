// RUN: tl-opt %s -split-input-file --tl-lower-im2col | FileCheck %s
// Anchored on the gpu.module, as in a real pipeline, and cleaned up:
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-lower-im2col,canonicalize,cse))' | FileCheck %s --check-prefix=CLEAN

// tl-lower-im2col, SIMT path (design.md §3, docs/im2col.md). The inputs carry
// what tl-infer-layouts records: inst, vector_width and thread_map (the
// default map: thread = (f/v) mod T, local = (f/(v*T))*v + f mod v).
// Row m = nhw_step*BM + i runs over N*OH*OW as (n, oh, ow), column
// k = c_step*BK + j over KH*KW*C as (kh, kw, c), c fastest; h = oh*S + kh*D
// - P, w = ow*S + kw*D - P; zero outside the image and for m >= N*OH*OW
// or k >= KH*KW*C; a tile that starts outside the column matrix is not
// written.

// k3 s1 p1 d1 (OW == W): OH = OW = (32 + 2 - 2 - 1)/1 + 1 = 32,
// N*OH*OW = 8192, KH*KW*C = 576. A 64x64 tile over 128 threads with v = 8:
// 4 chunks per thread, f = 1024*c + 8*t, so i = 16*c + (8t)/64, j = (8t)%64.
// CHECK-LABEL: gpu.func @k3s1p1
// CHECK-SAME: workgroup(%[[S:.+]] : memref<64x64xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// CHECK: %[[TID:.+]] = gpu.thread_id x
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C48:.+]] = arith.constant 48 : index
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG: %[[M:.+]] = arith.constant 8192 : index
// CHECK-DAG: %[[K:.+]] = arith.constant 576 : index
// CHECK: %[[ROW0:.+]] = arith.muli %arg1, %[[C64]] : index
// CHECK: %[[COL0:.+]] = arith.muli %arg2, %[[C64]] : index
// CHECK: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<8xf16>
// The tile is written when it starts inside the column matrix.
// CHECK: %[[C0OK:.+]] = arith.cmpi ult, %[[COL0]], %[[K]] : index
// CHECK: %[[R0OK:.+]] = arith.cmpi ult, %[[ROW0]], %[[M]] : index
// CHECK: %[[TOK:.+]] = arith.andi %[[R0OK]], %[[C0OK]] : i1
// CHECK: %[[BT:.+]] = arith.muli %[[TID]], %[[C8]] : index
// CHECK: %[[I:.+]] = arith.divui %[[BT]], %[[C64]] : index
// CHECK: %[[J:.+]] = arith.remui %[[BT]], %[[C64]] : index
// CHECK: %[[MM:.+]] = arith.addi %[[ROW0]], %[[I]] : index
// CHECK: %[[KK:.+]] = arith.addi %[[COL0]], %[[J]] : index
// m -> (n, oh, ow): ow = m % OW, oh = (m / OW) % OH, n = m / OW / OH.
// CHECK: %[[OW:.+]] = arith.remui %[[MM]], %[[C32]] : index
// CHECK: %[[NOH:.+]] = arith.divui %[[MM]], %[[C32]] : index
// CHECK: %[[OH:.+]] = arith.remui %[[NOH]], %[[C32]] : index
// CHECK: %[[N:.+]] = arith.divui %[[NOH]], %[[C32]] : index
// k -> (kh, kw, c), c fastest: c = k % C, kw = (k / C) % KW, kh = k / C / KW.
// CHECK: %[[CH:.+]] = arith.remui %[[KK]], %[[C64]] : index
// CHECK: %[[KHKW:.+]] = arith.divui %[[KK]], %[[C64]] : index
// CHECK: %[[KW:.+]] = arith.remui %[[KHKW]], %[[C3]] : index
// CHECK: %[[KH:.+]] = arith.divui %[[KHKW]], %[[C3]] : index
// h = oh + kh - 1, w = ow + kw - 1 (S = D = 1, P = 1).
// CHECK: %[[H0:.+]] = arith.addi %[[OH]], %[[KH]] : index
// CHECK: %[[H:.+]] = arith.subi %[[H0]], %[[C1]] : index
// CHECK: %[[W0:.+]] = arith.addi %[[OW]], %[[KW]] : index
// CHECK: %[[W:.+]] = arith.subi %[[W0]], %[[C1]] : index
// 0 <= h < H and 0 <= w < W as one unsigned compare each.
// CHECK: %[[HOK:.+]] = arith.cmpi ult, %[[H]], %[[C32]] : index
// CHECK: %[[WOK:.+]] = arith.cmpi ult, %[[W]], %[[C32]] : index
// CHECK: %[[IN:.+]] = arith.andi %[[HOK]], %[[WOK]] : i1
// CHECK: scf.if %[[TOK]] {
// Positions outside the matrix read as zero (a GEMM reads the whole tile).
// CHECK-NEXT: %[[KOK:.+]] = arith.cmpi ult, %[[KK]], %[[K]] : index
// CHECK-NEXT: %[[ROK:.+]] = arith.cmpi ult, %[[MM]], %[[M]] : index
// CHECK-NEXT: %[[MOK:.+]] = arith.andi %[[ROK]], %[[KOK]] : i1
// CHECK-NEXT: %[[OK:.+]] = arith.andi %[[IN]], %[[MOK]] : i1
// CHECK-NEXT: %[[V:.+]] = scf.if %[[OK]] -> (vector<8xf16>) {
// CHECK-NEXT: %[[L:.+]] = vector.load %arg0[%[[N]], %[[H]], %[[W]], %[[CH]]] {alignment = 16 : i64} : memref<8x32x32x64xf16>, vector<8xf16>
// CHECK-NEXT: scf.yield %[[L]] : vector<8xf16>
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[ZERO]] : vector<8xf16>
// CHECK-NEXT: }
// CHECK-NEXT: vector.store %[[V]], %[[S]][%[[I]], %[[J]]] {alignment = 16 : i64} : memref<64x64xf16, #gpu.address_space<workgroup>>, vector<8xf16>
// CHECK-NEXT: }
// The other three chunks: rows i + 16, i + 32, i + 48.
// CHECK: %[[I1:.+]] = arith.addi %[[C16]], %[[I]] : index
// CHECK: vector.store %{{.+}}, %[[S]][%[[I1]], %[[J]]]
// CHECK: %[[I2:.+]] = arith.addi %[[C32]], %[[I]] : index
// CHECK: vector.store %{{.+}}, %[[S]][%[[I2]], %[[J]]]
// CHECK: %[[I3:.+]] = arith.addi %[[C48]], %[[I]] : index
// CHECK: vector.store %{{.+}}, %[[S]][%[[I3]], %[[J]]]
// CHECK-NOT: vector.store
// CHECK-NOT: tl.
// CHECK: gpu.return

// After canonicalize + cse the k decomposition is shared by the 4 chunks.
// CLEAN-LABEL: gpu.func @k3s1p1
// CLEAN-COUNT-1: arith.remui %{{.+}}, %c3 : index
// CLEAN-NOT: arith.remui %{{.+}}, %c3 : index
// CLEAN: vector.load
// CLEAN: vector.store
// CLEAN: vector.load
// CLEAN: vector.store
// CLEAN: vector.load
// CLEAN: vector.store
// CLEAN: vector.load
// CLEAN: vector.store
// CLEAN-NOT: vector.load
// CLEAN: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k3s1p1(%Img: memref<8x32x32x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<8x32x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// k3 s2 p1 on a 32x30 image (OW != W, OH != OW): OH = (32 + 2 - 2 - 1)/2
// + 1 = 16, OW = (30 + 2 - 2 - 1)/2 + 1 = 15, N*OH*OW = 8*16*15 = 1920.
// CHECK-LABEL: gpu.func @k3s2p1
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C15:.+]] = arith.constant 15 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C30:.+]] = arith.constant 30 : index
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG: %[[M:.+]] = arith.constant 1920 : index
// CHECK-DAG: %[[K:.+]] = arith.constant 576 : index
// CHECK: %[[MM:.+]] = arith.addi %{{.+}}, %{{.+}} : index
// CHECK: %[[KK:.+]] = arith.addi %{{.+}}, %{{.+}} : index
// CHECK: %[[OW:.+]] = arith.remui %[[MM]], %[[C15]] : index
// CHECK: %[[NOH:.+]] = arith.divui %[[MM]], %[[C15]] : index
// CHECK: %[[OH:.+]] = arith.remui %[[NOH]], %[[C16]] : index
// CHECK: %[[N:.+]] = arith.divui %[[NOH]], %[[C16]] : index
// CHECK: %[[CH:.+]] = arith.remui %[[KK]], %[[C64]] : index
// CHECK: %[[KHKW:.+]] = arith.divui %[[KK]], %[[C64]] : index
// CHECK: %[[KW:.+]] = arith.remui %[[KHKW]], %[[C3]] : index
// CHECK: %[[KH:.+]] = arith.divui %[[KHKW]], %[[C3]] : index
// h = oh*2 + kh - 1, w = ow*2 + kw - 1
// CHECK: %[[OHS:.+]] = arith.muli %[[OH]], %[[C2]] : index
// CHECK: %[[H0:.+]] = arith.addi %[[OHS]], %[[KH]] : index
// CHECK: %[[H:.+]] = arith.subi %[[H0]], %[[C1]] : index
// CHECK: %[[OWS:.+]] = arith.muli %[[OW]], %[[C2]] : index
// CHECK: %[[W0:.+]] = arith.addi %[[OWS]], %[[KW]] : index
// CHECK: %[[W:.+]] = arith.subi %[[W0]], %[[C1]] : index
// CHECK: arith.cmpi ult, %[[H]], %[[C32]] : index
// CHECK: arith.cmpi ult, %[[W]], %[[C30]] : index
// CHECK: arith.cmpi ult, %[[KK]], %[[K]] : index
// CHECK: arith.cmpi ult, %[[MM]], %[[M]] : index
// CHECK: vector.load %arg0[%[[N]], %[[H]], %[[W]], %[[CH]]] {alignment = 16 : i64} : memref<8x32x30x64xf16>, vector<8xf16>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k3s2p1(%Img: memref<8x32x30x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<8x32x30x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// Dilation 2, pad 1: OH = OW = (16 + 2 - 2*2 - 1)/1 + 1 = 14, N*OH*OW = 784;
// h = oh + kh*2 - 1.
// CHECK-LABEL: gpu.func @dilation2
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C14:.+]] = arith.constant 14 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[M:.+]] = arith.constant 784 : index
// CHECK: %[[MM:.+]] = arith.addi %{{.+}}, %{{.+}} : index
// CHECK: %[[OW:.+]] = arith.remui %[[MM]], %[[C14]] : index
// CHECK: %[[NOH:.+]] = arith.divui %[[MM]], %[[C14]] : index
// CHECK: %[[OH:.+]] = arith.remui %[[NOH]], %[[C14]] : index
// CHECK: %[[KW:.+]] = arith.remui %{{.+}}, %[[C3]] : index
// CHECK: %[[KH:.+]] = arith.divui %{{.+}}, %[[C3]] : index
// CHECK: %[[KHD:.+]] = arith.muli %[[KH]], %[[C2]] : index
// CHECK: %[[H0:.+]] = arith.addi %[[OH]], %[[KHD]] : index
// CHECK: %[[H:.+]] = arith.subi %[[H0]], %[[C1]] : index
// CHECK: %[[KWD:.+]] = arith.muli %[[KW]], %[[C2]] : index
// CHECK: %[[W0:.+]] = arith.addi %[[OW]], %[[KWD]] : index
// CHECK: %[[W:.+]] = arith.subi %[[W0]], %[[C1]] : index
// CHECK: arith.cmpi ult, %[[H]], %[[C16]] : index
// CHECK: arith.cmpi ult, %[[W]], %[[C16]] : index
// CHECK: arith.cmpi ult, %[[MM]], %[[M]] : index
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @dilation2(%Img: memref<4x16x16x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 2 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<4x16x16x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// Pad 0: OH = OW = 14 and 0 <= h <= (OH-1)*S + (K-1)*D = H - 1 always, so
// neither an offset nor an image bounds check: the load is guarded only by
// the row and column bounds (zero outside the column matrix).
// CHECK-LABEL: gpu.func @pad0
// CHECK-DAG: %[[C14:.+]] = arith.constant 14 : index
// CHECK-DAG: %[[M:.+]] = arith.constant 392 : index
// CHECK-DAG: %[[K:.+]] = arith.constant 576 : index
// CHECK: %[[MM:.+]] = arith.addi %{{.+}}, %{{.+}} : index
// CHECK: %[[KK:.+]] = arith.addi %{{.+}}, %{{.+}} : index
// CHECK: %[[OW:.+]] = arith.remui %[[MM]], %[[C14]] : index
// CHECK: %[[NOH:.+]] = arith.divui %[[MM]], %[[C14]] : index
// CHECK: %[[OH:.+]] = arith.remui %[[NOH]], %[[C14]] : index
// CHECK: %[[N:.+]] = arith.divui %[[NOH]], %[[C14]] : index
// CHECK: %[[CH:.+]] = arith.remui %[[KK]], %{{.+}} : index
// CHECK: %[[KW:.+]] = arith.remui %{{.+}}, %{{.+}} : index
// CHECK: %[[KH:.+]] = arith.divui %{{.+}}, %{{.+}} : index
// CHECK: %[[H:.+]] = arith.addi %[[OH]], %[[KH]] : index
// CHECK: %[[W:.+]] = arith.addi %[[OW]], %[[KW]] : index
// CHECK-NEXT: scf.if %{{.+}} {
// CHECK-NEXT: %[[KOK:.+]] = arith.cmpi ult, %[[KK]], %[[K]] : index
// CHECK-NEXT: %[[ROK:.+]] = arith.cmpi ult, %[[MM]], %[[M]] : index
// CHECK-NEXT: %[[OK:.+]] = arith.andi %[[ROK]], %[[KOK]] : i1
// CHECK-NEXT: %[[V:.+]] = scf.if %[[OK]] -> (vector<8xf16>) {
// CHECK-NEXT: vector.load %arg0[%[[N]], %[[H]], %[[W]], %[[CH]]] {alignment = 16 : i64}
// CHECK: vector.store %[[V]]
// CHECK-NOT: arith.subi
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @pad0(%Img: memref<2x16x16x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 0 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<2x16x16x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// k5 pad 2: OH = OW = (16 + 4 - 4 - 1)/1 + 1 = 16, KH*KW*C = 1600; h = oh +
// kh - 2.
// CHECK-LABEL: gpu.func @pad2
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG: %[[C5:.+]] = arith.constant 5 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[M:.+]] = arith.constant 512 : index
// CHECK-DAG: %[[K:.+]] = arith.constant 1600 : index
// CHECK: %[[OW:.+]] = arith.remui %{{.+}}, %[[C16]] : index
// CHECK: %[[OH:.+]] = arith.remui %{{.+}}, %[[C16]] : index
// CHECK: %[[KW:.+]] = arith.remui %{{.+}}, %[[C5]] : index
// CHECK: %[[KH:.+]] = arith.divui %{{.+}}, %[[C5]] : index
// CHECK: %[[H0:.+]] = arith.addi %[[OH]], %[[KH]] : index
// CHECK: %[[H:.+]] = arith.subi %[[H0]], %[[C2]] : index
// CHECK: %[[W0:.+]] = arith.addi %[[OW]], %[[KW]] : index
// CHECK: %[[W:.+]] = arith.subi %[[W0]], %[[C2]] : index
// CHECK: arith.cmpi ult, %[[H]], %[[C16]] : index
// CHECK: arith.cmpi ult, %[[W]], %[[C16]] : index
// CHECK: arith.cmpi ult, %{{.+}}, %[[M]] : index
// CHECK: arith.cmpi ult, %{{.+}}, %[[K]] : index
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @pad2(%Img: memref<2x16x16x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 5 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 2 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<2x16x16x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// Non-square parameters: kernel (3, 1), stride (2, 1), pad (1, 0) on a 16x10
// image: OH = (16 + 2 - 2 - 1)/2 + 1 = 8, OW = (10 - 0 - 1)/1 + 1 = 10,
// KH*KW*C = 192. With KW = 1, kw = 0 and kh = k / C; w = ow needs no check.
// CHECK-LABEL: gpu.func @kernel31
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG: %[[C10:.+]] = arith.constant 10 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG: %[[M:.+]] = arith.constant 160 : index
// CHECK-DAG: %[[K:.+]] = arith.constant 192 : index
// CHECK: %[[MM:.+]] = arith.addi %{{.+}}, %{{.+}} : index
// CHECK: %[[KK:.+]] = arith.addi %{{.+}}, %{{.+}} : index
// CHECK: %[[OW:.+]] = arith.remui %[[MM]], %[[C10]] : index
// CHECK: %[[NOH:.+]] = arith.divui %[[MM]], %[[C10]] : index
// CHECK: %[[OH:.+]] = arith.remui %[[NOH]], %[[C8]] : index
// CHECK: %[[N:.+]] = arith.divui %[[NOH]], %[[C8]] : index
// CHECK: %[[CH:.+]] = arith.remui %[[KK]], %[[C64]] : index
// CHECK: %[[KH:.+]] = arith.divui %[[KK]], %[[C64]] : index
// CHECK: %[[OHS:.+]] = arith.muli %[[OH]], %[[C2]] : index
// CHECK: %[[H0:.+]] = arith.addi %[[OHS]], %[[KH]] : index
// CHECK: %[[H:.+]] = arith.subi %[[H0]], %[[C1]] : index
// CHECK: %[[IN:.+]] = arith.cmpi ult, %[[H]], %[[C16]] : index
// CHECK-NEXT: scf.if
// CHECK-NEXT: arith.cmpi ult, %[[KK]], %[[K]] : index
// CHECK-NEXT: arith.cmpi ult, %[[MM]], %[[M]] : index
// CHECK-NEXT: %[[RK:.+]] = arith.andi
// CHECK-NEXT: %[[OK:.+]] = arith.andi %[[IN]], %[[RK]] : i1
// CHECK: scf.if %[[OK]] -> (vector<8xf16>)
// CHECK-NEXT: vector.load %arg0[%[[N]], %[[H]], %[[OW]], %[[CH]]] {alignment = 16 : i64}
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @kernel31(%Img: memref<2x16x10x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = array<i64: 3, 1>, stride = array<i64: 2, 1>, dilation = 1 : i64, pad = array<i64: 1, 0>, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<2x16x10x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// C = 3: vector_width 1, scalar memref.load / memref.store and a scalar
// zero; no alignment is needed (llvm.align is left alone). A 64x32 tile over
// 128 threads: 16 chunks, f = 128*c + t, i = 4*c + t/32, j = t%32;
// KH*KW*C = 27.
// CHECK-LABEL: gpu.func @c3_scalar
// CHECK-SAME: workgroup(%[[S:.+]] : memref<64x32xf16, #gpu.address_space<workgroup>>)
// CHECK: %[[TID:.+]] = gpu.thread_id x
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[K:.+]] = arith.constant 27 : index
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[I:.+]] = arith.divui %[[TID]], %[[C32]] : index
// CHECK: %[[J:.+]] = arith.remui %[[TID]], %[[C32]] : index
// CHECK: %[[KK:.+]] = arith.addi %{{.+}}, %[[J]] : index
// CHECK: %[[CH:.+]] = arith.remui %[[KK]], %[[C3]] : index
// CHECK: %[[KHKW:.+]] = arith.divui %[[KK]], %[[C3]] : index
// CHECK: arith.remui %[[KHKW]], %[[C3]] : index
// CHECK: arith.divui %[[KHKW]], %[[C3]] : index
// CHECK: arith.cmpi ult, %[[KK]], %[[K]] : index
// CHECK: scf.if %{{.+}} -> (f16) {
// CHECK-NEXT: %[[L:.+]] = memref.load %arg0[%{{.+}}, %{{.+}}, %{{.+}}, %[[CH]]] : memref<2x8x8x3xf16>
// CHECK-NEXT: scf.yield %[[L]] : f16
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[ZERO]] : f16
// CHECK: memref.store %{{.+}}, %[[S]][%[[I]], %[[J]]] : memref<64x32xf16, #gpu.address_space<workgroup>>
// CHECK-COUNT-15: memref.store
// CHECK-NOT: memref.store
// CHECK-NOT: vector.
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @c3_scalar(%Img: memref<2x8x8x3xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x32xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 32 + d1) floordiv 1) mod 128, ((d0 * 32 + d1) floordiv 128) * 1 + (d0 * 32 + d1) mod 1)>, 128 : i64, 1 : i64>} : (memref<2x8x8x3xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// Dynamic N, H, W: memref.dim, and OH = (H - 1)/2 + 1 at run time (0 when
// H - 1 < 0); the divisions by OH and OW stay under the tile guard, where
// N*OH*OW > 0. The image bounds compare against the dims.
// CHECK-LABEL: gpu.func @dynamic
// CHECK-DAG: %[[CM1:.+]] = arith.constant -1 : index
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK: %[[N:.+]] = memref.dim %arg0, %[[C0]] : memref<?x?x?x64xf16>
// CHECK: %[[H:.+]] = memref.dim %arg0, %[[C1]] : memref<?x?x?x64xf16>
// CHECK: %[[W:.+]] = memref.dim %arg0, %[[C2]] : memref<?x?x?x64xf16>
// CHECK: %[[HNUM:.+]] = arith.addi %[[H]], %[[CM1]] : index
// CHECK: %[[HPOS:.+]] = arith.cmpi sge, %[[HNUM]], %[[C0]] : index
// CHECK: %[[HQ:.+]] = arith.divui %[[HNUM]], %[[C2]] : index
// CHECK: %[[HQ1:.+]] = arith.addi %[[HQ]], %[[C1]] : index
// CHECK: %[[OH:.+]] = arith.select %[[HPOS]], %[[HQ1]], %[[C0]] : index
// CHECK: %[[WNUM:.+]] = arith.addi %[[W]], %[[CM1]] : index
// CHECK: %[[WPOS:.+]] = arith.cmpi sge, %[[WNUM]], %[[C0]] : index
// CHECK: %[[WQ:.+]] = arith.divui %[[WNUM]], %[[C2]] : index
// CHECK: %[[WQ1:.+]] = arith.addi %[[WQ]], %[[C1]] : index
// CHECK: %[[OW:.+]] = arith.select %[[WPOS]], %[[WQ1]], %[[C0]] : index
// CHECK: %[[NOH:.+]] = arith.muli %[[N]], %[[OH]] : index
// CHECK: %[[M:.+]] = arith.muli %[[NOH]], %[[OW]] : index
// CHECK: arith.cmpi ult, %{{.+}}, %[[M]] : index
// CHECK: %[[MM:.+]] = arith.addi %{{.+}}, %{{.+}} : index
// CHECK: scf.if
// CHECK-NEXT: %[[OWI:.+]] = arith.remui %[[MM]], %[[OW]] : index
// CHECK-NEXT: %[[NOHI:.+]] = arith.divui %[[MM]], %[[OW]] : index
// CHECK-NEXT: %[[OHI:.+]] = arith.remui %[[NOHI]], %[[OH]] : index
// CHECK-NEXT: %[[NI:.+]] = arith.divui %[[NOHI]], %[[OH]] : index
// CHECK: %[[HI:.+]] = arith.subi %{{.+}}, %[[C1]] : index
// CHECK: %[[WI:.+]] = arith.subi %{{.+}}, %[[C1]] : index
// CHECK: arith.cmpi ult, %[[HI]], %[[H]] : index
// CHECK: arith.cmpi ult, %[[WI]], %[[W]] : index
// CHECK: vector.load %arg0[%[[NI]], %[[HI]], %[[WI]], %{{.+}}] {alignment = 16 : i64} : memref<?x?x?x64xf16>, vector<8xf16>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @dynamic(%Img: memref<?x?x?x64xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<?x?x?x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// col as a region of a larger shared buffer: the tile starts at the region's
// indices (%half, 0); the region, left without uses, is erased.
// eviction_policy is accepted and (for now) ignored.
// CHECK-LABEL: gpu.func @col_region
// CHECK-SAME: %[[HALF:[^:]+]]: index)
// CHECK-SAME: workgroup(%[[S:.+]] : memref<128x64xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// CHECK-NOT: tl.region
// CHECK: %[[I:.+]] = arith.divui %{{.+}}, %{{.+}} : index
// CHECK: %[[J:.+]] = arith.remui %{{.+}}, %{{.+}} : index
// CHECK: vector.load
// CHECK: %[[ROW:.+]] = arith.addi %[[HALF]], %[[I]] : index
// CHECK-NEXT: vector.store %{{.+}}, %[[S]][%[[ROW]], %[[J]]] {alignment = 16 : i64} : memref<128x64xf16, #gpu.address_space<workgroup>>, vector<8xf16>
// CHECK-NOT: tl.
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @col_region(%Img: memref<8x32x32x64xf16>, %nhw: index, %cs: index, %half: index)
        workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %col = "tl.region"(%S, %half, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.c2d_im2col"(%Img, %col, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, eviction_policy = "evict_last", inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<8x32x32x64xf16>, !tl.buffer_region, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// More than 64 chunks per thread (64x64 f32, v = 1, 32 threads: 128 chunks)
// becomes an scf.for over the chunks; without thread_map the default map is
// used: f = 32*c + t.
// CHECK-LABEL: gpu.func @loop
// CHECK: %[[TID:.+]] = gpu.thread_id x
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG: %[[C128:.+]] = arith.constant 128 : index
// CHECK: scf.for %[[IV:.+]] = %[[C0]] to %[[C128]] step %[[C1]] {
// CHECK-NEXT: %[[A:.+]] = arith.muli %[[IV]], %[[C32]] : index
// CHECK-NEXT: %[[F:.+]] = arith.addi %[[A]], %[[TID]] : index
// CHECK-NEXT: %[[I:.+]] = arith.divui %[[F]], %[[C64]] : index
// CHECK-NEXT: %[[J:.+]] = arith.remui %[[F]], %[[C64]] : index
// CHECK: memref.load %arg0
// CHECK: memref.store %{{.+}}, %arg3[%[[I]], %[[J]]] : memref<64x64xf32, #gpu.address_space<workgroup>>
// CHECK-NOT: memref.store
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @loop(%Img: memref<2x9x9x8xf32>, %nhw: index, %cs: index)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 1 : i64} : (memref<2x9x9x8xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// A 2-D block (32, 4, 1): thread = x + y*32. A 16x16 tile with v = 8 has 32
// chunks: only threads 0..31 hold one (guarded), the rest do nothing.
// CHECK-LABEL: gpu.func @block2d_partial
// CHECK: %[[TX:.+]] = gpu.thread_id x
// CHECK: %[[TY:.+]] = gpu.thread_id y
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[M:.+]] = arith.constant 162 : index
// CHECK-DAG: %[[K:.+]] = arith.constant 144 : index
// CHECK: %[[TY32:.+]] = arith.muli %[[TY]], %[[C32]] : index
// CHECK: %[[TID:.+]] = arith.addi %[[TX]], %[[TY32]] : index
// CHECK: %[[KOK:.+]] = arith.cmpi ult, %{{.+}}, %[[K]] : index
// CHECK-NEXT: %[[ROK:.+]] = arith.cmpi ult, %{{.+}}, %[[M]] : index
// CHECK-NEXT: %[[TILE:.+]] = arith.andi %[[ROK]], %[[KOK]] : i1
// CHECK: %[[TOK:.+]] = arith.cmpi ult, %[[TID]], %[[C32]] : index
// CHECK: %[[OK:.+]] = arith.andi %[[TOK]], %[[TILE]] : i1
// CHECK: scf.if %[[OK]] {
// CHECK-COUNT-1: vector.store
// CHECK-NOT: vector.store
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @block2d_partial(%Img: memref<2x9x9x16xf16>, %nhw: index, %cs: index)
        workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 4, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 16 + d1) floordiv 8) mod 128, ((d0 * 16 + d1) floordiv 1024) * 8 + (d0 * 16 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<2x9x9x16xf16>, memref<16x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// f32 with v = 8 (32 bytes): each chunk is two 16-byte vector<4xf32>
// accesses at c and c + 4.
// CHECK-LABEL: gpu.func @f32_split
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK: %[[J:.+]] = arith.remui %{{.+}}, %[[C32]] : index
// CHECK: %[[CH:.+]] = arith.remui %{{.+}}, %[[C16]] : index
// CHECK: scf.if
// CHECK: %[[V:.+]]:2 = scf.if %{{.+}} -> (vector<4xf32>, vector<4xf32>)
// CHECK-NEXT: %[[L0:.+]] = vector.load %arg0[%{{.+}}, %{{.+}}, %{{.+}}, %[[CH]]] {alignment = 16 : i64} : memref<2x9x9x16xf32>, vector<4xf32>
// CHECK-NEXT: %[[CH4:.+]] = arith.addi %[[CH]], %[[C4]] : index
// CHECK-NEXT: %[[L1:.+]] = vector.load %arg0[%{{.+}}, %{{.+}}, %{{.+}}, %[[CH4]]] {alignment = 16 : i64} : memref<2x9x9x16xf32>, vector<4xf32>
// CHECK-NEXT: scf.yield %[[L0]], %[[L1]]
// CHECK: vector.store %[[V]]#0, %arg3[%{{.+}}, %[[J]]] {alignment = 16 : i64} : memref<32x32xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK-NEXT: %[[J4:.+]] = arith.addi %[[J]], %[[C4]] : index
// CHECK-NEXT: vector.store %[[V]]#1, %arg3[%{{.+}}, %[[J4]]] {alignment = 16 : i64} : memref<32x32xf32, #gpu.address_space<workgroup>>, vector<4xf32>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @f32_split(%Img: memref<2x9x9x16xf32>, %nhw: index, %cs: index)
        workgroup(%S: memref<32x32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 0 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 32 + d1) floordiv 8) mod 128, ((d0 * 32 + d1) floordiv 1024) * 8 + (d0 * 32 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<2x9x9x16xf32>, memref<32x32xf32, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}
