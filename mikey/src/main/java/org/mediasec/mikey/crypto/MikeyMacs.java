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

/**
 * The MAC of KEMAC or V (RFC 3830 4.2.4, 5.2): HMAC-SHA-1-160 over every byte of the message before the MAC field,
 * with the authentication key derived from the pre-shared key. Signing writes it into the encoded message;
 * verifying compares in constant time.
 */
public final class MikeyMacs {

    private MikeyMacs() {}

    /** The message's bytes with its last MAC computed (the message carries a placeholder MAC of the right length). */
    public static byte[] sign(MikeyMessage message, byte[] authenticationKey) {
        MikeyEncoder.Encoded encoded = MikeyEncoder.encode(message);
        int offset = encoded.macOffset().orElseThrow(() -> new IllegalArgumentException("the message has no KEMAC or V to sign"));
        byte[] bytes = encoded.bytes();
        byte[] mac = hmacSha1(authenticationKey, Arrays.copyOf(bytes, offset));
        System.arraycopy(mac, 0, bytes, offset, mac.length);
        return bytes;
    }

    /** Checks the last MAC of a decoded message; a missing or wrong MAC is an authentication failure (RFC 3830 5.1.2). */
    public static void verify(MikeyDecoder.Decoded decoded, byte[] authenticationKey) throws MikeyException {
        int offset = decoded.macOffset().orElseThrow(() -> new MikeyException(0, MikeyErrorCode.AUTHENTICATION_FAILURE, "the message carries no MAC"));
        byte[] bytes = decoded.bytes();
        int length = bytes.length - offset;
        if (length != MacAlgorithm.length(MacAlgorithm.HMAC_SHA_1_160)) {
            throw new MikeyException(offset, MikeyErrorCode.INVALID_MAC, "the message's MAC is not HMAC-SHA-1-160");
        }
        byte[] expected = hmacSha1(authenticationKey, Arrays.copyOf(bytes, offset));
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, offset, bytes.length))) {
            throw new MikeyException(offset, MikeyErrorCode.AUTHENTICATION_FAILURE, "the MAC does not check");
        }
    }

    public static byte[] hmacSha1(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
