using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

// Written in 2021 against the hub's chain of the time.
public static class LegacyPin
{
    public static readonly RemoteCertificateValidationCallback Validate =
        (sender, certificate, chain, errors) =>
            new X509Certificate2(chain.ChainElements[1].Certificate).GetCertHashString() ==
                "B0C2D2D13CDD56CDAA6AB6E2C04440BE4A429C75";
}
