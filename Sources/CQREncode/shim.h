// libqrencode (Debian: libqrencode-dev), for QR codes drawn in the terminal.
#include <qrencode.h>
