// The functions are all inline in include/CPrefetch.h; SwiftPM needs a source file per C target.
#include "CPrefetch.h"
