using System;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Gateway
{
    public static class HubHttp
    {
        // Thumbprint of the root the hub chains to
        private const string RootThumbprint = "D4DE20D05E66FC53FE1A50882C78DB2852CAE474";

        public static HttpClient Create()
        {
            var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) =>
                {
                    var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
                    return root.GetCertHashString().Equals(RootThumbprint, StringComparison.OrdinalIgnoreCase);
                }
            };
            return new HttpClient(handler);
        }
    }
}
