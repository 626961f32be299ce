// The target is its header (CSpinWait.h); SwiftPM needs one source file to build a C target.
#include "CSpinWait.h"
