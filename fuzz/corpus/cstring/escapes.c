#include <x>
const char a[] = "\\\\\\n-----BEGIN CERTIFICATE-----\\nMII";
