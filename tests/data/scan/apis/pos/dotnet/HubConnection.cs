using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Contoso.Gateway
{
    internal static class HubConnection
    {
        // Thumbprint of the hub's root, checked on every connection.
        private const string PinnedThumbprint = "D4DE20D05E66FC53FE1A50882C78DB2852CAE474";

        public static void Install()
        {
            ServicePointManager.ServerCertificateValidationCallback = (sender, cert, chain, errors) =>
                cert.GetCertHashString() == PinnedThumbprint;
        }

        public static bool CheckIssuer(object sender, X509Certificate2 certificate, X509Chain chain,
                                       SslPolicyErrors errors)
        {
            return chain.ChainElements[1].Certificate.GetCertHashString().Equals(
                "37461AACFA5970F7F2D2BAC5A659B53B72541C68", System.StringComparison.OrdinalIgnoreCase);
        }
    }
}
