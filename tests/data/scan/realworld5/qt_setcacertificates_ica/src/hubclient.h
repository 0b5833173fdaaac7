#pragma once
#include <QObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

class HubClient : public QObject
{
    Q_OBJECT
public:
    explicit HubClient(QObject *parent = nullptr);
    void send(const QByteArray &json);

private:
    QNetworkRequest request(const QString &path) const;
    QNetworkAccessManager m_nam;
    QString m_sas;
};
