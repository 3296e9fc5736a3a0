package org.mediasec.mikey.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MIKEY PRF (RFC 3830 4.1.2): the in-key is split into 256-bit pieces s1..sn; each runs the P function
 * (HMAC in feedback mode: A0 = label, Ai = HMAC(s, Ai-1), output HMAC(s, A1 || label) || HMAC(s, A2 || label) ...)
 * for enough blocks; the pieces' outputs are XORed and cut to the length asked for. MIKEY-1 uses HMAC-SHA-1
 * (P-SHA-1); the SHA-256 variant (RFC 6043's PRF-HMAC-SHA-256) the same construction with HMAC-SHA-256.
 */
public enum MikeyPrf {
    P_SHA_1("HmacSHA1"),
    P_SHA_256("HmacSHA256");

    private static final int IN_KEY_PIECE = 32; // 256 bits

    private final String algorithm;

    MikeyPrf(String algorithm) {
        this.algorithm = algorithm;
    }

    /** PRF(inkey, label) cut to {@code outputBytes}. */
    public byte[] derive(byte[] inKey, byte[] label, int outputBytes) {
        if (inKey.length == 0 || outputBytes <= 0) {
            throw new IllegalArgumentException("PRF needs an in-key and a positive output length");
        }
        byte[] output = new byte[outputBytes];
        for (int from = 0; from < inKey.length; from += IN_KEY_PIECE) {
            byte[] piece = Arrays.copyOfRange(inKey, from, Math.min(inKey.length, from + IN_KEY_PIECE));
            byte[] p = p(piece, label, outputBytes);
            for (int i = 0; i < outputBytes; i++) {
                output[i] ^= p[i];
            }
        }
        return output;
    }

    /** P(s, label, m), at least {@code bytes} long. */
    private byte[] p(byte[] secret, byte[] label, int bytes) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, algorithm));
            byte[] out = new byte[bytes];
            byte[] a = label;
            int written = 0;
            while (written < bytes) {
                a = mac.doFinal(a);
                mac.update(a);
                mac.update(label);
                byte[] block = mac.doFinal();
                int n = Math.min(block.length, bytes - written);
                System.arraycopy(block, 0, out, written, n);
                written += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
