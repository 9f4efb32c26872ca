// libpng (Debian: libpng-dev), for QR codes saved as PNG images.
#include <png.h>
