#define SECRET_SSID "contoso-lab"
#define SECRET_PASS ""
#define SECRET_SAS ""
