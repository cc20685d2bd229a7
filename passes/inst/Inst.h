/* Internal: the per-instruction entry points of the instruction table
 * (copy/Contract.h, TlInstImpl; the table is copy/Contract.c). One file
 * per instruction in passes/inst/ defines them.
 *
 * Emission (tl-lower-copy, and tl-lower-im2col for the *Im2Col entries):
 * `Read` reads what tl-infer-layouts recorded for the instruction and
 * checks it (false after a located error);
 * `Emit` lowers a synchronous instruction; `Issue` starts an asynchronous
 * one and fills the TlAsync its `Complete` waits on. The completions the
 * asynchronous rows share are in copy/Lower.h (tlWaitMbarrier,
 * tlWaitBulkGroupRead). */
#ifndef TL_PASSES_INST_INST_H
#define TL_PASSES_INST_INST_H

#include <stdbool.h>

#include "Contract.h"

/* inst/Simt.c: "simt" and "direct" */
bool tlSimtRead(struct TlLower *c);
void tlSimtEmit(struct TlEmitter *e, struct TlLower *c);
bool tlDirectRead(struct TlLower *c);
void tlDirectEmit(struct TlEmitter *e, struct TlLower *c);

/* inst/CpAsync.c: "cp_async" */
bool tlCpAsyncRead(struct TlLower *c);
void tlCpAsyncIssue(struct TlEmitter *e, struct TlLower *c, struct TlAsync *a);
void tlCpAsyncComplete(struct TlEmitter *e, struct TlLower *c,
                       struct TlAsync *a);

/* inst/Ldmatrix.c: "ldmatrix" and "stmatrix" */
bool tlLdmatrixRead(struct TlLower *c);
void tlLdmatrixEmit(struct TlEmitter *e, struct TlLower *c);
bool tlStmatrixRead(struct TlLower *c);
void tlStmatrixEmit(struct TlEmitter *e, struct TlLower *c);

/* inst/Tma.c: "tma_load" and "tma_store" */
bool tlTmaLoadRead(struct TlLower *c);
void tlTmaLoadIssue(struct TlEmitter *e, struct TlLower *c, struct TlAsync *a);
bool tlTmaStoreRead(struct TlLower *c);
void tlTmaStoreIssue(struct TlEmitter *e, struct TlLower *c,
                     struct TlAsync *a);

/* inst/Bulk.c: "bulk_load" and "bulk_store" */
bool tlBulkLoadRead(struct TlLower *c);
void tlBulkLoadIssue(struct TlEmitter *e, struct TlLower *c,
                     struct TlAsync *a);
bool tlBulkStoreRead(struct TlLower *c);
void tlBulkStoreIssue(struct TlEmitter *e, struct TlLower *c,
                      struct TlAsync *a);

/* inst/SimtIm2Col.c: "simt" of a tl.c2d_im2col (c->im2col) */
bool tlSimtIm2ColRead(struct TlLower *c);
void tlSimtIm2ColEmit(struct TlEmitter *e, struct TlLower *c);
/* The wait of a SIMT tl.c2d_im2col_async, at `wait`: a barrier, after
   fence.proxy.async on sm_90+ (the tile may be a wgmma operand). */
void tlSimtIm2ColHandOff(struct TlEmitter *e, MlirOperation wait);

/* inst/TmaIm2Col.c: "tma_im2col" (c->im2col); completes on
   tlWaitMbarrier */
bool tlTmaIm2ColRead(struct TlLower *c);
void tlTmaIm2ColIssue(struct TlEmitter *e, struct TlLower *c,
                      struct TlAsync *a);
void tlTmaIm2ColComplete(struct TlEmitter *e, struct TlLower *c,
                         struct TlAsync *a);

/* copy/Mbarrier.c: the completions the asynchronous rows share */
void tlWaitMbarrier(struct TlEmitter *e, struct TlLower *c, struct TlAsync *a);
void tlWaitBulkGroupRead(struct TlEmitter *e, struct TlLower *c,
                         struct TlAsync *a);

#endif
