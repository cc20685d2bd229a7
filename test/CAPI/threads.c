// RUN: tl-capi-threads 4 16 2>&1 | FileCheck %s
// Every registration and loading entry point of the C API from 16 threads
// at once (issue 16, item 11): tlRegisterAllPasses, tlContextCreate,
// tlContextLoadDialect into one shared context and into a context per
// thread, the read-only pass table; then each thread parses a kernel, runs a
// mixed tl/upstream pipeline and compiles it to PTX in its own context.
// Each round is a fresh process (fork), because the first registration is
// the racy one: `tl-capi-threads P T` runs P processes of T threads.
// Under ThreadSanitizer: docs/capi.md, "Threads" (build-tsan).
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, pthread barriers */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

#include "tl-c/Compile.h"
#include "tl-c/Dialect.h"
#include "tl-c/Passes.h"

// CHECK: process 0: 16 of 16 threads ok
// CHECK: process 1: 16 of 16 threads ok
// CHECK: process 2: 16 of 16 threads ok
// CHECK: process 3: 16 of 16 threads ok
// CHECK: all 4 processes ok

static const char *kIR =
    "module attributes {gpu.container_module} {\n"
    "  gpu.module @m [#nvvm.target<chip = \"sm_90a\">] {\n"
    "    gpu.func @k(%A: memref<256x256xf32>, %B: memref<256x256xf32>)\n"
    "        workgroup(%S: memref<32x32xf32, #gpu.address_space<workgroup>>)\n"
    "        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {\n"
    "      %c32 = arith.constant 32 : index\n"
    "      %bx = gpu.block_id x\n"
    "      %i = arith.muli %bx, %c32 : index\n"
    "      %a = \"tl.region\"(%A, %i, %i) {access = 1 : i32} : "
    "(memref<256x256xf32>, index, index) -> !tl.buffer_region\n"
    "      \"tl.copy\"(%a, %S) : (!tl.buffer_region, memref<32x32xf32, "
    "#gpu.address_space<workgroup>>) -> ()\n"
    "      %b = \"tl.region\"(%B, %i, %i) {access = 2 : i32, extents = "
    "array<i64: 32, 32>} : (memref<256x256xf32>, index, index) -> "
    "!tl.buffer_region\n"
    "      \"tl.copy\"(%S, %b) : (memref<32x32xf32, "
    "#gpu.address_space<workgroup>>, !tl.buffer_region) -> ()\n"
    "      gpu.return\n"
    "    }\n"
    "  }\n"
    "}\n";

typedef struct Shared {
  pthread_barrier_t barrier; /* the calls after it start together */
  MlirContext shared; /* one context every thread loads tl into */
} Shared;

static MlirStringRef ref(const char *s) {
  return mlirStringRefCreateFromCString(s);
}

static void ignore(MlirStringRef s, void *ud) {
  (void)s;
  (void)ud;
}

/* The pass table is static and read-only: every thread walks it. */
static int readPassTable(void) {
  intptr_t n = tlGetNumPasses();
  for (intptr_t i = 0; i < n; ++i) {
    const TlPassInfo *info = tlGetPassInfo(i);
    if (!info || tlLookupPass(ref(info->argument)) != info)
      return 0;
  }
  MlirStringRef irdl = tlGetDialectIRDL();
  return n > 0 && irdl.length > 0 && tlGetVersion()[0] != 0;
}

/* Parses the kernel, runs a tl/upstream pipeline, compiles it to PTX:
   returns 1 when the PTX has the kernel's entry. */
static int compileInContext(MlirContext ctx) {
  MlirModule m = mlirModuleCreateParse(ctx, ref(kIR));
  if (mlirModuleIsNull(m))
    return 0;
  MlirOperation op = mlirModuleGetOperation(m);
  MlirPassManager pm = mlirPassManagerCreateOnOperation(ctx, ref("builtin.module"));
  int ok = mlirLogicalResultIsSuccess(tlParsePassPipeline(
               mlirPassManagerGetAsOpPassManager(pm),
               ref("builtin.module(tl-verify,canonicalize,gpu.module(cse))"),
               ignore, NULL)) &&
           mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(pm, op));
  mlirPassManagerDestroy(pm);
  TlCompileOptions o = {"sm_90a", NULL, "ptx", -1};
  ok = ok && mlirLogicalResultIsSuccess(tlCompileModule(op, &o)) &&
       tlModuleGetNumBinaries(op) == 1;
  if (ok) {
    TlBinaryFormat f;
    MlirStringRef ptx = tlBinaryGetObject(tlModuleGetBinary(op, 0), &f);
    ok = ptx.length > 0 && strstr(ptx.data, ".entry k(") != NULL;
  }
  mlirModuleDestroy(m);
  return ok;
}

static void *worker(void *arg) {
  Shared *s = arg;
  int ok = 1;
  /* Everyone registers at once, several times. */
  pthread_barrier_wait(&s->barrier);
  for (int i = 0; i < 3; ++i)
    tlRegisterAllPasses();
  ok &= readPassTable();
  /* Everyone loads tl into the one shared context at once. */
  pthread_barrier_wait(&s->barrier);
  ok &= mlirLogicalResultIsSuccess(tlContextLoadDialect(s->shared));
  /* Everyone creates contexts at once: a full one, and a bare one that tl
     is loaded into twice. */
  pthread_barrier_wait(&s->barrier);
  MlirContext own = tlContextCreate();
  MlirContext bare = mlirContextCreate();
  ok &= !mlirContextIsNull(own);
  ok &= mlirLogicalResultIsSuccess(tlContextLoadDialect(bare));
  ok &= mlirLogicalResultIsSuccess(tlContextLoadDialect(bare));
  ok &= tlContextIsDialectLoaded(bare);
  mlirContextDestroy(bare);
  /* And everyone compiles at once, each in its own context. */
  pthread_barrier_wait(&s->barrier);
  if (!mlirContextIsNull(own)) {
    ok &= compileInContext(own);
    mlirContextDestroy(own);
  }
  return ok ? arg : NULL;
}

/* One process: `n` threads through worker(); returns how many were ok.
   POSIX threads, not C11's thrd_create: ThreadSanitizer does not intercept
   thrd_create and crashes in a thread it did not see start. */
static int runThreads(int n) {
  Shared s;
  if (pthread_barrier_init(&s.barrier, NULL, (unsigned)n))
    return 0;
  s.shared = mlirContextCreate();
  pthread_t *threads = calloc((size_t)n, sizeof *threads);
  int started = 0, good = 0;
  while (threads && started < n &&
         !pthread_create(&threads[started], NULL, worker, &s))
    ++started;
  if (started < n) {
    /* The barrier would wait forever: the ones started cannot finish. */
    fprintf(stderr, "could start only %d of %d threads\n", started, n);
    _exit(2);
  }
  for (int i = 0; i < n; ++i) {
    void *r = NULL;
    pthread_join(threads[i], &r);
    good += r != NULL;
  }
  good = tlContextIsDialectLoaded(s.shared) ? good : 0;
  mlirContextDestroy(s.shared);
  free(threads);
  pthread_barrier_destroy(&s.barrier);
  return good;
}

int main(int argc, char **argv) {
  int processes = argc > 1 ? atoi(argv[1]) : 4;
  int threads = argc > 2 ? atoi(argv[2]) : 16;
  if (processes < 1 || threads < 1) {
    fprintf(stderr, "usage: tl-capi-threads [processes] [threads]\n");
    return 2;
  }
  int failed = 0;
  for (int p = 0; p < processes; ++p) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork");
      return 2;
    }
    if (pid == 0) {
      int good = runThreads(threads);
      printf("process %d: %d of %d threads ok\n", p, good, threads);
      fflush(stdout);
      _exit(good == threads ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      printf("process %d failed (%s %d)\n", p,
             WIFSIGNALED(status) ? "signal" : "exit",
             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      ++failed;
    }
  }
  if (!failed)
    printf("all %d processes ok\n", processes);
  return failed ? 1 : 0;
}
