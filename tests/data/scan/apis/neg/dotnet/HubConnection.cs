using System.Net;
using System.Net.Security;

namespace Contoso.Gateway
{
    internal static class HubConnection
    {
        // Build provenance, shown in the about box.
        private const string BuildCommit = "9f2c4e1a7b3d5f60812a4c6e8b0d2f4a6c8e0b1d";

        public static void Install()
        {
            ServicePointManager.ServerCertificateValidationCallback = (sender, cert, chain, errors) =>
                errors == SslPolicyErrors.None;
        }

        public static string Describe(System.Security.Cryptography.X509Certificates.X509Certificate cert)
        {
            return "server certificate " + cert.GetCertHashString();
        }
    }
}
