/* tl-opt's output files, written atomically (Output.h). POSIX for mkstemp,
   fchmod, realpath, strdup and umask. */
#define _XOPEN_SOURCE 700

#include "Output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "Support.h"

typedef struct Output {
  char *path; /* where it ends up (a symlink's target) */
  char *tmp;  /* NULL when written directly */
  FILE *f;
} Output;

static Output *gOutputs;
static size_t gNumOutputs;

/* The mode a new file gets from fopen: 0666 less the umask. */
static mode_t newFileMode(void) {
  mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

/* Opens `path` for writing; NULL after printing why. The FILE belongs to
   the output list: closed by finishOutputs. */
FILE *openOutput(const char *path) {
  Output o = {NULL, NULL, NULL};
  struct stat st, lst;
  bool exists = stat(path, &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    o.path = strdup(path);
    o.f = fopen(path, "w");
  } else {
    char *real = exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)
                     ? realpath(path, NULL)
                     : NULL;
    o.path = real ? real : strdup(path);
    const char *slash = strrchr(o.path, '/');
    size_t dirLen = slash ? (size_t)(slash - o.path) + 1 : 0;
    TlStr tmp = {0};
    tlStrAppend(&tmp, o.path, dirLen);
    tlStrAppendf(&tmp, ".%s.tl-opt-XXXXXX", o.path + dirLen);
    o.tmp = tmp.data;
    int fd = mkstemp(o.tmp);
    if (fd >= 0) {
      fchmod(fd, exists ? st.st_mode & 07777 : newFileMode());
      o.f = fdopen(fd, "w");
      if (!o.f) {
        close(fd);
        remove(o.tmp);
      }
    }
  }
  if (!o.f) {
    fprintf(stderr, "tl-opt: cannot open output file '%s': %s\n", path,
            strerror(errno));
    free(o.path);
    free(o.tmp);
    return NULL;
  }
  gOutputs = realloc(gOutputs, sizeof(Output) * (gNumOutputs + 1));
  gOutputs[gNumOutputs++] = o;
  return o.f;
}

/* Closes every output: renamed into place when `ok`, removed otherwise.
   Returns whether all of them were written. */
bool finishOutputs(bool ok) {
  bool written = true;
  for (size_t i = 0; i < gNumOutputs; ++i) {
    Output *o = &gOutputs[i];
    bool done = fclose(o->f) == 0;
    if (ok && done && o->tmp)
      done = rename(o->tmp, o->path) == 0;
    if (ok && !done) {
      fprintf(stderr, "tl-opt: cannot write output file '%s': %s\n",
              o->path, strerror(errno));
      written = ok = false; /* the rest is removed */
    }
    if (o->tmp && (!ok || !done))
      remove(o->tmp);
    free(o->path);
    free(o->tmp);
  }
  free(gOutputs);
  gOutputs = NULL;
  gNumOutputs = 0;
  return written;
}

