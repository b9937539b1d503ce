// The declarations are all in include/CExtendedAttributes.h; SwiftPM wants one source file.
#include "CExtendedAttributes.h"
