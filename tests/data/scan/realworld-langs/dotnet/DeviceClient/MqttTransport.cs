using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Fleet.DeviceClient.Security;

namespace Fleet.DeviceClient
{
    internal sealed class MqttTransport
    {
        private readonly string _host;

        public MqttTransport(string host) => _host = host;

        public SslStream Open()
        {
            var tcp = new TcpClient(_host, 8883);
            var ssl = new SslStream(tcp.GetStream(), false, new RemoteCertificateValidationCallback(CheckIssuer));
            ssl.AuthenticateAsClient(_host, null, SslProtocols.Tls12, checkCertificateRevocation: false);
            return ssl;
        }

        private static bool CheckIssuer(object sender, X509Certificate cert, X509Chain chain, SslPolicyErrors errors)
        {
            if (chain.ChainElements.Count < 2)
                return false;
            var issuer = chain.ChainElements[1].Certificate;
            return issuer.GetCertHashString() == TrustedCerts.MqttIssuerThumbprint;
        }
    }
}
