#pragma once
#include <QSslSocket>

class PinnedSocket : public QSslSocket
{
    Q_OBJECT
public:
    explicit PinnedSocket(QObject *parent = nullptr);

private slots:
    void checkPin();
};
