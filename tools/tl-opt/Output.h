/* tl-opt's output files.
 *
 * Every file tl-opt writes (-o, --emit=c's .c and .h, --emit-binary) goes
 * to a temporary file beside it first; at exit all are renamed over their
 * names when the run succeeded, else removed. A failed run leaves no empty
 * or partial file behind, and an older file stays as it was. A path that
 * exists and is no regular file (/dev/null, a pipe) is written directly.
 */
#ifndef TL_OPT_OUTPUT_H
#define TL_OPT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

/// Opens `path` for writing; NULL after printing why to stderr. The FILE
/// is closed by finishOutputs, not by the caller.
FILE *openOutput(const char *path);

/// Closes every open output: renamed into place when `ok`, removed
/// otherwise. False (after printing why) when one could not be written.
bool finishOutputs(bool ok);

#endif
