namespace Fleet.DeviceClient.Security
{
    /// <summary>Certificates the device accepts from the hub.</summary>
    internal static class TrustedCerts
    {
        /// <summary>SHA-1 thumbprint of the hub's root CA.</summary>
        public const string HubRootThumbprint = "D4DE20D05E66FC53FE1A50882C78DB2852CAE474";

        /// <summary>Issuing CA for the MQTT endpoint.</summary>
        public static readonly string MqttIssuerThumbprint = "0E5F41B697DAADD808BF55AD080350A2A5DFCA93";
    }
}
