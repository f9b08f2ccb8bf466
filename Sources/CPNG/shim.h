// libpng (Debian: libpng-dev); only the simplified png_image API is used (no setjmp).
#include <png.h>
