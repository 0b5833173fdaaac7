#pragma once
#include <QByteArray>

// SHA-256 of the hub's root, checked after the handshake
static const QByteArray kHubRootFingerprint =
    QByteArray::fromHex("cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f");
