package org.mediasec.bearer.tls.psk;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.PSKTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsPSKIdentityManager;

/** Bouncy Castle's PSK client and server, held to {@link PskTlsProfile}; they report to a {@link PskTlsHandler}. */
final class PskPeers {

    private PskPeers() {}

    /**
     * The JCA crypto (the JDK's AES-GCM, with its AES-NI intrinsics) rather than Bouncy Castle's own Java ciphers:
     * 4 to 5 times the throughput on a PSK leg (docs/performance.md). One per handshake, as BC expects.
     */
    private static final java.util.function.Supplier<org.bouncycastle.tls.crypto.TlsCrypto> CRYPTO =
            () -> new org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider().create(new SecureRandom());

    interface Events {
        void handshakeComplete(ProtocolVersion version, int cipherSuite);

        void alertReceived(short level, short description);
    }

    static PSKTlsClient client(byte[] psk, Events events) {
        return new PSKTlsClient(CRYPTO.get(), new BasicTlsPSKIdentity(PskTlsProfile.IDENTITY, psk)) {
            @Override
            protected int[] getSupportedCipherSuites() {
                return PskTlsProfile.CIPHER_SUITES.clone();
            }

            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return PskTlsProfile.PROTOCOL_VERSIONS;
            }

            @Override
            public void notifyHandshakeComplete() {
                events.handshakeComplete(context.getServerVersion(), context.getSecurityParametersConnection().getCipherSuite());
            }

            @Override
            public void notifyAlertReceived(short level, short description) {
                events.alertReceived(level, description);
            }
        };
    }

    static PSKTlsServer server(byte[] psk, Events events) {
        byte[] key = psk; // the handler's copy: wiped by the handler once the handshake is over
        TlsPSKIdentityManager anyIdentity = new TlsPSKIdentityManager() {
            @Override
            public byte[] getHint() {
                return null; // 33.328 H.2: no identity hint
            }

            @Override
            public byte[] getPSK(byte[] identity) {
                return key.clone(); // the identity is ignored: the key is the TEK of this leg
            }
        };
        return new PSKTlsServer(CRYPTO.get(), anyIdentity) {
            @Override
            protected int[] getSupportedCipherSuites() {
                return PskTlsProfile.CIPHER_SUITES.clone();
            }

            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return PskTlsProfile.PROTOCOL_VERSIONS;
            }

            @Override
            public void notifyHandshakeComplete() {
                events.handshakeComplete(context.getServerVersion(), context.getSecurityParametersConnection().getCipherSuite());
            }

            @Override
            public void notifyAlertReceived(short level, short description) {
                events.alertReceived(level, description);
            }
        };
    }

    static boolean closeNotify(short description) {
        return description == AlertDescription.close_notify;
    }

    static void wipe(byte[] key) {
        Arrays.fill(key, (byte) 0);
    }
}
