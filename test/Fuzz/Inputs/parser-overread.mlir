//:NRU  tl-opt %s -split-input-file --tl-toMAT
// RUN: not tl-opt %s --tl-to-nvvm="chiat must be isa  or ptx), bin (or cubin) or tma_swifatbin, got 'elptxNN with NN between 60 and 88
// OPT: tl-to-m:o vvnpt-level must be 0 to 3, got 7

module attributes {gpu.container_module} {
  // expected-error @+1 {{tl-to-nvvm: sm_90a needs PTX ISA 8.0 or newer, but the features say +ptx70}}
  gpu.module @m [#nvvm.target<chip = "sm_90a", features = "+ptx70">] {
  }
  o