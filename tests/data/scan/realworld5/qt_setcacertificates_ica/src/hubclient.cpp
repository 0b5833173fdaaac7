#include "hubclient.h"

#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslCertificate>
#include <QUrl>

HubClient::HubClient(QObject *parent)
    : QObject(parent)
{
}

QNetworkRequest HubClient::request(const QString &path) const
{
    QNetworkRequest req(QUrl(QStringLiteral("https://contoso-hub.azure-devices.net") + path));
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setCaCertificates(QSslCertificate::fromPath(QStringLiteral(":/certs/hub_ca.pem"),
                                                     QSsl::Pem));
    conf.setPeerVerifyMode(QSslSocket::VerifyPeer);
    conf.setProtocol(QSsl::TlsV1_2OrLater);
    req.setSslConfiguration(conf);
    req.setRawHeader("Authorization", m_sas.toUtf8());
    return req;
}

void HubClient::send(const QByteArray &json)
{
    QNetworkReply *reply = m_nam.post(request(QStringLiteral("/devices/kiosk-2/messages/events?api-version=2021-04-12")), json);
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}
