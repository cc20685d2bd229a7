/* Placeholder until the op builders land. */
#include "tl-c/Ops.h"
