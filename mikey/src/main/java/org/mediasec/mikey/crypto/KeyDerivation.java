package org.mediasec.mikey.crypto;

import java.nio.ByteBuffer;

/**
 * Keys derived with the MIKEY PRF (RFC 3830 4.1.3, 4.1.4). From a TGK, per crypto session: label = constant ||
 * CS ID || CSB ID || RAND; from the pre-shared key (or envelope key), for the message's own protection: label =
 * constant || 0xFF || CSB ID || RAND. The constants are RFC 3830's (digits of e, 0x2AD01C64 = 718281828).
 */
public final class KeyDerivation {

    /** From a TGK (RFC 3830 4.1.3). */
    public static final int TEK = 0x2AD01C64;
    public static final int TGK_AUTHENTICATION = 0x1B5C7973;
    public static final int TGK_ENCRYPTION = 0x15798CEF;
    public static final int TGK_SALTING = 0x39A2C14B;

    /** From the pre-shared key or envelope key (RFC 3830 4.1.4). */
    public static final int PSK_ENCRYPTION = 0x150533E1;
    public static final int PSK_AUTHENTICATION = 0x2D22AC75;
    public static final int PSK_SALTING = 0x29B88916;

    /**
     * Forking per responder (TS 33.328 6.2.3, RFC 6043): the KMS gives each responder identity its own TGK and MPK,
     * PRF(key, constant || 0xFF || CSB ID || IDRr). RFC 6043's own labels could not be read here; these constants
     * are mediasec's ("MKTF", "MKPF"), kept only here.
     */
    public static final int FORK_TGK = 0x4D4B5446;
    public static final int FORK_MPK = 0x4D4B5046;

    private final MikeyPrf prf;

    public KeyDerivation(MikeyPrf prf) {
        this.prf = prf;
    }

    /** A key for crypto session {@code cryptoSessionId} from the TGK, e.g. the TEK that TS 33.328 uses as TLS PSK. */
    public byte[] fromTgk(byte[] tgk, int constant, int cryptoSessionId, long cryptoSessionBundleId, byte[] rand, int bytes) {
        return prf.derive(tgk, label(constant, cryptoSessionId, cryptoSessionBundleId, rand), bytes);
    }

    /** A key protecting the message itself (KEMAC encryption and MAC, V) from the pre-shared key. */
    public byte[] fromPreSharedKey(byte[] preSharedKey, int constant, long cryptoSessionBundleId, byte[] rand, int bytes) {
        return prf.derive(preSharedKey, label(constant, 0xff, cryptoSessionBundleId, rand), bytes);
    }

    /** The key {@code key} forked for the responder named {@code responderIdentity}. */
    public byte[] forkForResponder(byte[] key, int constant, long cryptoSessionBundleId, byte[] responderIdentity) {
        return prf.derive(key, label(constant, 0xff, cryptoSessionBundleId, responderIdentity), key.length);
    }

    static byte[] label(int constant, int cryptoSessionId, long cryptoSessionBundleId, byte[] rand) {
        return ByteBuffer.allocate(9 + rand.length).putInt(constant).put((byte) cryptoSessionId).putInt((int) cryptoSessionBundleId).put(rand).array();
    }
}
