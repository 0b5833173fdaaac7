#pragma once
#include <QByteArray>

// SHA-1 of the hub's root, checked after the handshake
static const QByteArray kHubRootFingerprint =
    QByteArray::fromHex("d4de20d05e66fc53fe1a50882c78db2852cae474");
