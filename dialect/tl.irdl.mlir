// The structure of the tl dialect, in IRDL. Embedded into libtl at build time
// and loaded by tlContextLoadDialect(). IRDL checks only structure (operand
// kinds and counts, required attributes); every semantic rule lives in C, in
// passes/Verify.c (tl-verify). See docs/ops.md.
irdl.dialect @tl {
  // A rectangular part of a buffer: the result of tl.region.
  irdl.type @buffer_region

  // The completion of an asynchronous tl op (tl.copy_async,
  // tl.c2d_im2col_async), consumed by exactly one tl.wait.
  irdl.type @token

  // Memory space of a fragment buffer (TileLang's local.fragment): a whole
  // tile, distributed over the block's threads by a layout.
  irdl.attribute @fragment

  // #tl.fragment_layout<map, threads, replicate>: an affine map from tile
  // indices to (thread, local index), the thread count, and how many threads
  // hold each element. Separate constraint values: IRDL forces equality when
  // one constraint value is reused.
  irdl.attribute @fragment_layout {
    %map = irdl.base "#builtin.affine_map"
    %threads = irdl.base "#builtin.integer"
    %replicate = irdl.base "#builtin.integer"
    irdl.parameters(map: %map, threads: %threads, replicate: %replicate)
  }

  // %r = "tl.region"(%buf, %i0, ..., %in) {access, [extents]}
  irdl.operation @region {
    %buf = irdl.base "!builtin.memref"
    %idx = irdl.is index
    %res = irdl.base @tl::@buffer_region
    %access = irdl.base "#builtin.integer"
    irdl.operands(buffer: %buf, indices: variadic %idx)
    irdl.results(result: %res)
    irdl.attributes { "access" = %access }
  }

  // "tl.copy"(%src, %dst): each a whole memref or a !tl.buffer_region.
  irdl.operation @copy {
    %src_mem = irdl.base "!builtin.memref"
    %src_reg = irdl.base @tl::@buffer_region
    %src = irdl.any_of(%src_mem, %src_reg)
    %dst_mem = irdl.base "!builtin.memref"
    %dst_reg = irdl.base @tl::@buffer_region
    %dst = irdl.any_of(%dst_mem, %dst_reg)
    irdl.operands(src: %src, dst: %dst)
  }

  // "tl.c2d_im2col"(%img, %col, %nhw_step, %c_step) {kernel, stride,
  // dilation, pad}
  irdl.operation @c2d_im2col {
    %img = irdl.base "!builtin.memref"
    %col_mem = irdl.base "!builtin.memref"
    %col_reg = irdl.base @tl::@buffer_region
    %col = irdl.any_of(%col_mem, %col_reg)
    %nhw = irdl.is index
    %c = irdl.is index
    %kernel = irdl.any
    %stride = irdl.any
    %dilation = irdl.any
    %pad = irdl.any
    irdl.operands(img: %img, col: %col, nhw_step: %nhw, c_step: %c)
    irdl.attributes {
      "kernel" = %kernel,
      "stride" = %stride,
      "dilation" = %dilation,
      "pad" = %pad
    }
  }

  // %t = "tl.copy_async"(%src, %dst[, %pred]): tl.copy's operands and
  // attributes; the copy is started and completes at the tl.wait of %t.
  // %pred (i1): when false the copy touches nothing; its token still
  // completes.
  irdl.operation @copy_async {
    %src_mem = irdl.base "!builtin.memref"
    %src_reg = irdl.base @tl::@buffer_region
    %src = irdl.any_of(%src_mem, %src_reg)
    %dst_mem = irdl.base "!builtin.memref"
    %dst_reg = irdl.base @tl::@buffer_region
    %dst = irdl.any_of(%dst_mem, %dst_reg)
    %token = irdl.base @tl::@token
    %pred = irdl.is i1
    irdl.operands(src: %src, dst: %dst, pred: optional %pred)
    irdl.results(token: %token)
  }

  // %t = "tl.c2d_im2col_async"(%img, %col, %nhw_step, %c_step[, %pred]):
  // tl.c2d_im2col's operands and attributes; the im2col is started and
  // completes at the tl.wait of %t; %pred as for tl.copy_async.
  irdl.operation @c2d_im2col_async {
    %img = irdl.base "!builtin.memref"
    %col_mem = irdl.base "!builtin.memref"
    %col_reg = irdl.base @tl::@buffer_region
    %col = irdl.any_of(%col_mem, %col_reg)
    %nhw = irdl.is index
    %c = irdl.is index
    %kernel = irdl.any
    %stride = irdl.any
    %dilation = irdl.any
    %pad = irdl.any
    %token = irdl.base @tl::@token
    %pred = irdl.is i1
    irdl.operands(img: %img, col: %col, nhw_step: %nhw, c_step: %c, pred: optional %pred)
    irdl.attributes {
      "kernel" = %kernel,
      "stride" = %stride,
      "dilation" = %dilation,
      "pad" = %pad
    }
    irdl.results(token: %token)
  }

  // %t = "tl.join"(%t0, %t1, ...): one token for several, completed when all
  // of them are (their copies share one barrier or group where they can).
  irdl.operation @join {
    %in = irdl.base @tl::@token
    %out = irdl.base @tl::@token
    irdl.operands(tokens: variadic %in)
    irdl.results(token: %out)
  }

  // "tl.wait"(%t...): completes the asynchronous tl ops of its tokens.
  irdl.operation @wait {
    %token = irdl.base @tl::@token
    irdl.operands(tokens: variadic %token)
  }

  // %v = "tl.fragment_read"(%frag) {offset}: this thread's locals offset ..
  // offset + n - 1 of a fragment, in its layout's order (docs/mma-interop.md).
  irdl.operation @fragment_read {
    %frag = irdl.base "!builtin.memref"
    %vec = irdl.base "!builtin.vector"
    %offset = irdl.base "#builtin.integer"
    irdl.operands(fragment: %frag)
    irdl.results(value: %vec)
    irdl.attributes { "offset" = %offset }
  }

  // "tl.fragment_write"(%frag, %v) {offset}: sets them.
  irdl.operation @fragment_write {
    %frag = irdl.base "!builtin.memref"
    %vec = irdl.base "!builtin.vector"
    %offset = irdl.base "#builtin.integer"
    irdl.operands(fragment: %frag, value: %vec)
    irdl.attributes { "offset" = %offset }
  }

  // %d = "tl.wgmma_descriptor"(%tile): the 64-bit wgmma matrix descriptor of
  // a K-major shared tile (a tl.region of a workgroup buffer, or the whole
  // buffer), for nvvm.wgmma.mma_async (docs/mma-interop.md).
  irdl.operation @wgmma_descriptor {
    %tile_mem = irdl.base "!builtin.memref"
    %tile_reg = irdl.base @tl::@buffer_region
    %tile = irdl.any_of(%tile_mem, %tile_reg)
    %desc = irdl.is i64
    irdl.operands(tile: %tile)
    irdl.results(descriptor: %desc)
  }
}
