local cfg = require("config")
local ca = require("hub_ca")

tls.cert.verify(ca)

local m = mqtt.Client(cfg.device_id, 240, cfg.host .. "/" .. cfg.device_id .. "/?api-version=2021-04-12", cfg.sas)
m:on("offline", function(client) print("offline") end)

wifi.setmode(wifi.STATION)
wifi.sta.config({ ssid = cfg.ssid, pwd = cfg.pwd })
wifi.eventmon.register(wifi.eventmon.STA_GOT_IP, function()
  m:connect(cfg.host, 8883, true, function(client)
    client:publish("devices/" .. cfg.device_id .. "/messages/events/", "{}", 1, 0)
  end, function(client, reason) print("connect failed " .. reason) end)
end)
