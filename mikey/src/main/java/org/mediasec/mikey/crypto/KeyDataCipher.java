package org.mediasec.mikey.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;

/**
 * Encryption of KEMAC key data (RFC 3830 4.2.3, 6.2): AES-CM-128 — AES in counter mode with the IV
 * (S XOR (0x0000 || CSB ID || T)) || 0x0000, S the 112-bit salting key, T the 64-bit timestamp — or AES-KW-128
 * (RFC 3394 key wrap, default IV, data a multiple of 8 bytes). Keys are 128 bits.
 */
public final class KeyDataCipher {

    private KeyDataCipher() {}

    /** The AES-CM initial counter block (RFC 3830 4.2.3). */
    public static byte[] counterIv(byte[] salt, long cryptoSessionBundleId, long timestamp) {
        if (salt.length != 14) {
            throw new IllegalArgumentException("the AES-CM salt has 112 bits, not " + salt.length * 8);
        }
        byte[] mix = ByteBuffer.allocate(14).putShort((short) 0).putInt((int) cryptoSessionBundleId).putLong(timestamp).array();
        byte[] iv = new byte[16];
        for (int i = 0; i < 14; i++) {
            iv[i] = (byte) (salt[i] ^ mix[i]);
        }
        return iv;
    }

    /** AES-CM-128: encryption and decryption are the same operation. */
    public static byte[] aesCm(byte[] key, byte[] iv, byte[] data) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AES-CM: " + e.getMessage(), e);
        }
    }

    public static byte[] aesKeyWrap(byte[] key, byte[] plain) {
        if (plain.length < 16 || plain.length % 8 != 0) {
            throw new IllegalArgumentException("AES-KW wraps a multiple of 8 bytes, at least 16: " + plain.length);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/KW/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AES-KW: " + e.getMessage(), e);
        }
    }

    /** Unwraps; an integrity failure (wrong key, altered data) is an authentication failure. */
    public static byte[] aesKeyUnwrap(byte[] key, byte[] wrapped, int offset) throws MikeyException {
        try {
            Cipher cipher = Cipher.getInstance("AES/KW/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"));
            return cipher.doFinal(wrapped);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MikeyException(offset, MikeyErrorCode.AUTHENTICATION_FAILURE, "AES-KW unwrap failed: the key data does not check");
        }
    }
}
