package org.mediasec.mikey.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mediasec.mikey.MacAlgorithm;
import org.mediasec.mikey.MikeyDecoder;
import org.mediasec.mikey.MikeyEncoder;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.MikeyMessage;
import org.mediasec.mikey.Payload;

/**
 * The MAC of KEMAC or V (RFC 3830 4.2.4, 5.2; RFC 6043 6.2): HMAC-SHA-1-160 or HMAC-SHA-256-256 over every byte of
 * the message before the MAC field, with the authentication key derived from the pre-shared key (or the MPK).
 * Signing writes it into the encoded message; verifying compares in constant time.
 */
public final class MikeyMacs {

    private MikeyMacs() {}

    /** The message's bytes with its last MAC computed (the message carries a placeholder MAC of the right length). */
    public static byte[] sign(MikeyMessage message, byte[] authenticationKey) {
        MikeyEncoder.Encoded encoded = MikeyEncoder.encode(message);
        int offset = encoded.macOffset().orElseThrow(() -> new IllegalArgumentException("the message has no KEMAC or V to sign"));
        int algorithm = lastMacAlgorithm(message);
        if (algorithm == MacAlgorithm.NULL) {
            throw new IllegalArgumentException("the message's MAC algorithm is NULL: nothing to sign");
        }
        byte[] bytes = encoded.bytes();
        byte[] mac = hmac(algorithm, authenticationKey, Arrays.copyOf(bytes, offset));
        System.arraycopy(mac, 0, bytes, offset, mac.length);
        return bytes;
    }

    /**
     * Checks the last MAC of a decoded message; a missing, NULL or wrong MAC is an authentication failure
     * (RFC 3830 5.1.2): the MIKEY-TICKET messages are always integrity protected.
     */
    public static void verify(MikeyDecoder.Decoded decoded, byte[] authenticationKey) throws MikeyException {
        int offset = decoded.macOffset().orElseThrow(() -> new MikeyException(0, MikeyErrorCode.AUTHENTICATION_FAILURE, "the message carries no MAC"));
        int algorithm = lastMacAlgorithm(decoded.message());
        if (algorithm == MacAlgorithm.NULL) {
            throw new MikeyException(offset - 1, MikeyErrorCode.INVALID_MAC, "the message's MAC algorithm is NULL");
        }
        byte[] bytes = decoded.bytes();
        byte[] expected = hmac(algorithm, authenticationKey, Arrays.copyOf(bytes, offset));
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, offset, bytes.length))) {
            throw new MikeyException(offset, MikeyErrorCode.AUTHENTICATION_FAILURE, "the MAC does not check");
        }
    }

    /** The MAC algorithm of the message's last KEMAC or V; NULL if it has none. */
    public static int lastMacAlgorithm(MikeyMessage message) {
        int algorithm = MacAlgorithm.NULL;
        for (Payload payload : message.payloads()) {
            if (payload instanceof Payload.Kemac kemac) {
                algorithm = kemac.macAlgorithm();
            } else if (payload instanceof Payload.Verification v) {
                algorithm = v.macAlgorithm();
            }
        }
        return algorithm;
    }

    /** The authentication key length the algorithm wants (RFC 3830 4.2.4: 160 bits; HMAC-SHA-256: 256 bits). */
    public static int authenticationKeyBytes(int algorithm) {
        return algorithm == MacAlgorithm.HMAC_SHA_256_256 ? 32 : 20;
    }

    public static byte[] hmac(int algorithm, byte[] key, byte[] data) {
        String name = MacAlgorithm.jcaName(algorithm);
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(key, name));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " is part of every JDK", e);
        }
    }

    public static byte[] hmacSha1(byte[] key, byte[] data) {
        return hmac(MacAlgorithm.HMAC_SHA_1_160, key, data);
    }
}
