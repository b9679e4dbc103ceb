// OpenCC's C API. The header guards its C++ half with __cplusplus, so it is
// safe to import from Swift as a plain C module.
#include <opencc/opencc.h>
