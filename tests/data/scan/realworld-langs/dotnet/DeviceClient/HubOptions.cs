using System;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Fleet.DeviceClient
{
    public sealed class HubOptions
    {
        public string HostName { get; set; } = "";
        public string DeviceId { get; set; } = "";
        public string PinnedIssuerThumbprint { get; set; } = "";
    }

    public static class TwinHttpFactory
    {
        public static HttpClient Create(IOptions<HubOptions> options)
        {
            var pinned = options.Value.PinnedIssuerThumbprint;
            var handler = new HttpClientHandler();
            handler.ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) =>
            {
                foreach (var element in chain.ChainElements)
                {
                    if (element.Certificate.Thumbprint.Equals(options.Value.PinnedIssuerThumbprint, StringComparison.OrdinalIgnoreCase))
                        return true;
                }
                return false;
            };
            return new HttpClient(handler);
        }
    }
}
