/* Internal: the one reader of a kernel's target chip. Every pass that asks
 * "which chip, which PTX ISA" reads the #nvvm.target attributes of the
 * enclosing gpu.module through this file. */
#ifndef TL_PASSES_TARGET_H
#define TL_PASSES_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mlir-c/IR.h>

#define TL_MAX_TARGETS 16

/// One #nvvm.target of a gpu.module.
typedef struct TlTarget {
  char chip[64];      /* "sm_90a"; NVVMTargetAttr's default "sm_50" */
  int sm;             /* 90 for sm_90a; -1 when chip is not "sm_<digits>" */
  int ptx;            /* +ptxNN of features, e.g. 80; 0 when not stated */
  char features[256]; /* the features string, "" when absent */
} TlTarget;

/// The SM number of a chip name ("sm_90a" -> 90), -1 when `chip` is NULL
/// or does not start with "sm_" and a digit.
int tlChipSm(const char *chip);

/// The PTX ISA version (e.g. 78 for 7.8) a chip needs at least, -1 for a
/// chip tl does not support. `tlChipList` is the supported list for
/// messages ("sm_70, sm_72, ...").
int tlChipMinPtx(const char *chip);
extern const char tlChipList[];

/// Whether `chip` is in tl's chip table (the one list every pass option
/// and every #nvvm.target goes through). When it is not, and `msg` is not
/// NULL, writes "<pass>: unsupported chip '<chip>' (supported: ...)" there
/// (`cap` bytes, 256 are enough), the one message for it everywhere.
bool tlChipCheck(const char *pass, const char *chip, char *msg, size_t cap);

/// Every #nvvm.target chip of the gpu.modules that are or lie under `op`:
/// a located error at the gpu.module (tlChipCheck's message) for each one
/// not in the table. False when there was any.
bool tlCheckTargetChips(MlirOperation op, const char *pass);

/// The most shared memory (static plus dynamic, bytes) one block may use on
/// `chip` once the kernel opts in; -1 for a chip tl does not support.
int64_t tlChipSharedOptIn(const char *chip);

/// The #nvvm.target attributes of the gpu.module that is or encloses `op`,
/// in order, at most `cap` of them into `out`. Returns how many there are
/// (0 when the module has none or `op` is in no gpu.module).
intptr_t tlModuleTargets(MlirOperation op, TlTarget *out, intptr_t cap);

/// The first #nvvm.target of op's gpu.module; when there is none, a target
/// for `defaultChip` (ptx 0). *stated (may be NULL) says which.
TlTarget tlTargetOf(MlirOperation op, const char *defaultChip, bool *stated);

/// The #nvvm.target with the lowest SM (what every target of a multi-chip
/// module can run); `defaultChip` as above when there is none.
TlTarget tlLowestTarget(MlirOperation op, const char *defaultChip);

#endif
