#ifndef PINS_H
#define PINS_H

extern const char hub_spki_pin[];

#endif
