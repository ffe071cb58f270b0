#ifndef CMODBUS_SHIM_H
#define CMODBUS_SHIM_H

// Full path, so the build works even where pkg-config is missing.
#include <modbus/modbus.h>
#include <errno.h>
#include <stdint.h>

// EMBXILADD and friends mix an anonymous enum into a macro, which Swift cannot import.
static const int cmodbus_enobase = MODBUS_ENOBASE;
static const int cmodbus_embbadcrc = EMBBADCRC;
static const int cmodbus_embbaddata = EMBBADDATA;
static const int cmodbus_embbadexc = EMBBADEXC;
static const int cmodbus_embmdata = EMBMDATA;
static const int cmodbus_embbadslave = EMBBADSLAVE;


#endif
