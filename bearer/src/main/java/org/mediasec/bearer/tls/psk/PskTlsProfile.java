package org.mediasec.bearer.tls.psk;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.mediasec.traceability.Implements;

/**
 * The TLS-PSK profile of TS 33.328 H.2 (E2E-5): PSK cipher suites only, none with (EC)DH key exchange, TLS 1.2 (the
 * PSK key exchange of RFC 4279/5487; TLS 1.3 has no PSK-only mode in Bouncy Castle and none that 33.328 Rel-12
 * names); the PSK identity is the empty string and is ignored on receipt; no identity hint.
 */
@Implements("E2E-5")
public final class PskTlsProfile {

    private PskTlsProfile() {}

    /** Strongest first: AEAD suites, then CBC with SHA-2 (RFC 5487). */
    public static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_PSK_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_PSK_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256,
    };

    public static final ProtocolVersion[] PROTOCOL_VERSIONS = ProtocolVersion.TLSv12.only();

    /** The identity we send (33.328 H.2: empty). */
    public static final byte[] IDENTITY = new byte[0];

    /** A PSK shorter than this is refused: the TEK is 128 bits. */
    public static final int MIN_KEY_BYTES = 16;

    public static String name(int cipherSuite) {
        return switch (cipherSuite) {
            case CipherSuite.TLS_PSK_WITH_AES_256_GCM_SHA384 -> "TLS_PSK_WITH_AES_256_GCM_SHA384";
            case CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256 -> "TLS_PSK_WITH_AES_128_GCM_SHA256";
            case CipherSuite.TLS_PSK_WITH_AES_256_CBC_SHA384 -> "TLS_PSK_WITH_AES_256_CBC_SHA384";
            case CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256 -> "TLS_PSK_WITH_AES_128_CBC_SHA256";
            default -> "0x" + Integer.toHexString(cipherSuite);
        };
    }
}
