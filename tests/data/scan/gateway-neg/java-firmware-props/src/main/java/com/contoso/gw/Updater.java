package com.contoso.gw;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;

final class Updater {
    static boolean imageOk(Path image, Properties props) throws Exception {
        String expected = props.getProperty("update.sha256");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(image));
        return expected.equalsIgnoreCase(HexFormat.of().formatHex(digest));
    }
}
