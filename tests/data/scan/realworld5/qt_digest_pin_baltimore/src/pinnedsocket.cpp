#include "pinnedsocket.h"
#include "pins.h"

#include <QCryptographicHash>
#include <QSslCertificate>

PinnedSocket::PinnedSocket(QObject *parent)
    : QSslSocket(parent)
{
    connect(this, &QSslSocket::encrypted, this, &PinnedSocket::checkPin);
}

void PinnedSocket::checkPin()
{
    const QList<QSslCertificate> chain = peerCertificateChain();
    if (chain.isEmpty()) {
        abort();
        return;
    }
    const QByteArray digest = chain.last().digest(QCryptographicHash::Sha1);
    if (digest != kHubRootFingerprint) {
        qWarning("hub certificate chain does not end at the pinned root");
        abort();
    }
}
