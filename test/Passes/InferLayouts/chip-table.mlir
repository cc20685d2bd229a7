// One chip table for every pass (support/Target.c, issue 16): a chip tl
// does not know is refused with the same message by tl-infer-layouts'
// option, tl-to-nvvm's option, and an #nvvm.target read by either pass.
// RUN: not tl-opt %s --tl-infer-layouts=chip=sm_1000 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: not tl-opt %s --pass-pipeline='builtin.module(gpu.module(tl-infer-layouts{chip=sm_1000}))' 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: not tl-opt %s --tl-infer-layouts=chip=sm_50 2>&1 | FileCheck %s --check-prefix=OPT50
// RUN: not tl-opt %s --tl-to-nvvm=chip=sm_1000 2>&1 | FileCheck %s --check-prefix=NVVM
// RUN: tl-opt %s -split-input-file --tl-infer-layouts -verify-diagnostics
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=isa -verify-diagnostics
// OPT: tl-infer-layouts: unsupported chip 'sm_1000' (supported: sm_70, sm_72, sm_75, sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a, sm_100, sm_100a, sm_120, sm_120a)
// OPT50: tl-infer-layouts: unsupported chip 'sm_50' (supported: sm_70,
// NVVM: tl-to-nvvm: unsupported chip 'sm_1000' (supported: sm_70, sm_72, sm_75, sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a, sm_100, sm_100a, sm_120, sm_120a)

module attributes {gpu.container_module} {
  // expected-error @+1 {{unsupported chip 'sm_1000' (supported: sm_70, sm_72, sm_75, sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a, sm_100, sm_100a, sm_120, sm_120a)}}
  gpu.module @m [#nvvm.target<chip = "sm_1000">] {
  }
}

// -----

// A #nvvm.target without a chip is NVVMTargetAttr's sm_50, which tl does
// not support.
module attributes {gpu.container_module} {
  // expected-error @+1 {{unsupported chip 'sm_50'}}
  gpu.module @m [#nvvm.target] {
  }
}
