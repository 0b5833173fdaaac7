return {
  ssid = "plant-iot",
  pwd = "",
  device_id = "meter-5",
  host = "contoso-hub.azure-devices.net",
  sas = "",
}
