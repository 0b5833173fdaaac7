using System;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Fleet.DeviceClient.Security;

namespace Fleet.DeviceClient
{
    public sealed class HubConnection : IDisposable
    {
        private readonly HttpClient _http;

        public HubConnection(Uri hub)
        {
            var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = ValidateServerCertificate,
            };
            _http = new HttpClient(handler) { BaseAddress = hub };
        }

        private static bool ValidateServerCertificate(HttpRequestMessage request, X509Certificate2 certificate,
            X509Chain chain, SslPolicyErrors errors)
        {
            if (errors != SslPolicyErrors.None)
                return false;
            return chain.ChainElements
                .Cast<X509ChainElement>()
                .Any(e => string.Equals(e.Certificate.Thumbprint, TrustedCerts.HubRootThumbprint,
                    StringComparison.OrdinalIgnoreCase));
        }

        public void Dispose() => _http.Dispose();
    }
}
