#pragma once
// SHA-1 of the hub issuing CA; update when it rotates
#define HUB_FINGERPRINT "BE:68:D0:AD:AA:23:45:B4:8E:50:" \
                        "73:20:B6:95:D3:86:08:0E:5B:25"
