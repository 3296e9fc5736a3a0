package org.mediasec.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code mediasec --version}: the build's version (filtered into a resource) and the Java runtime. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/mediasec-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {
            "mediasec " + properties.getProperty("version", "unknown"),
            "H.248.1 text encoding versions 1-3",
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")"
        };
    }
}
