package org.mediasec.bearer.tls;

import io.netty.handler.ssl.OpenSsl;
import java.util.Locale;

/**
 * Which TLS implementation a {@link TlsDomain} runs on. Both enforce the same profile (versions, suites, mutual
 * authentication by fingerprint, no renegotiation, no resumption unless enabled) and pass the same tests; they differ
 * in speed, which {@code docs/performance.md} measures.
 */
public enum TlsProvider {
    /** BoringSSL, statically linked in netty-tcnative: the faster one (see docs/performance.md), used where it loads. */
    OPENSSL,
    /** The JDK's SSLEngine: always there. */
    JDK;

    static {
        ProcessTlsSettings.apply(); // before OpenSsl's classes load and read them
    }

    /** OpenSSL where its native library loads on this machine, the JDK otherwise. */
    public static TlsProvider preferred() {
        return OpenSsl.isAvailable() ? OPENSSL : JDK;
    }

    /** Parses a configuration value: {@code openssl} or {@code jdk}. */
    public static TlsProvider parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "openssl", "boringssl" -> OPENSSL;
            case "jdk" -> JDK;
            default -> throw new IllegalArgumentException("unknown TLS provider '" + name + "': use openssl or jdk");
        };
    }

    /** Fails with the reason when this provider cannot run here. */
    public void requireAvailable() {
        if (this == OPENSSL && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("TLS provider openssl is not available on this machine: " + OpenSsl.unavailabilityCause());
        }
    }
}
