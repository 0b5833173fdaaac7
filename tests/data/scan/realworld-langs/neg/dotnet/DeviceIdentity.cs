using System.Security.Cryptography.X509Certificates;

namespace Fleet.DeviceClient
{
    /// <summary>Loads the device's own client certificate (X.509 attestation) from the machine store.</summary>
    internal static class DeviceIdentity
    {
        private const string DeviceCertThumbprint = "8A1F3C5E7B9D0246813579ACE02468BDF1357924";

        public static X509Certificate2 Load()
        {
            using var store = new X509Store(StoreName.My, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, DeviceCertThumbprint, validOnly: false);
            return found.Count > 0 ? found[0] : null;
        }
    }
}
