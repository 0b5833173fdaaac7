using System.Net.Http;
using System.Net.Security;

public static class HubHttp
{
    const string ExpectedIssuerThumbprint = "37461AACFA5970F7F2D2BAC5A659B53B72541C68";

    public static HttpClient Create()
    {
        var handler = new HttpClientHandler();
        handler.ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) =>
        {
            // RemoteCertificateValidationCallback-style check on the issuing CA
            return chain.ChainElements[1].Certificate.Thumbprint == ExpectedIssuerThumbprint;
        };
        return new HttpClient(handler);
    }
}
