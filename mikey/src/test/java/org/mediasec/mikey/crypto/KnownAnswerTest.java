package org.mediasec.mikey.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mediasec.mikey.MikeyException;

/**
 * The PRF, key derivation, AES-CM and AES-KW against vectors computed independently of this code
 * ({@code mikey_kat.py}: Python's hmac for RFC 3830 4.1.2–4.1.4, the openssl command line for AES), kept with the
 * script in {@code kat-vectors.properties}.
 */
class KnownAnswerTest {

    private static final Properties VECTORS = new Properties();
    private static final HexFormat HEX = HexFormat.of();
    private static final long CSB_ID = 0x12345678L;
    private static final byte[] RAND = range(0xA0, 16);
    private static final byte[] PSK = range(0x30, 16);

    private static byte[] range(int from, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (from + i);
        }
        return out;
    }

    private static byte[] vector(String name) {
        return HEX.parseHex(VECTORS.getProperty(name));
    }

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = KnownAnswerTest.class.getResourceAsStream("/org/mediasec/mikey/kat-vectors.properties")) {
            VECTORS.load(in);
        }
    }

    @Test
    void prfAndTekDerivationWithBothHashes() {
        for (MikeyPrf prf : MikeyPrf.values()) {
            String name = prf == MikeyPrf.P_SHA_1 ? "sha1" : "sha256";
            KeyDerivation derivation = new KeyDerivation(prf);
            assertThat(derivation.fromTgk(range(0, 16), KeyDerivation.TEK, 1, CSB_ID, RAND, 16)).as(name).isEqualTo(vector("prf." + name + ".tek"));
            // a 40-byte in-key is two pieces whose outputs are XORed; 47 bytes need several HMAC blocks
            assertThat(derivation.fromTgk(range(0, 40), KeyDerivation.TEK, 2, CSB_ID, RAND, 47)).as(name).isEqualTo(vector("prf." + name + ".long"));
        }
    }

    @Test
    void messageKeysFromThePreSharedKey() {
        KeyDerivation derivation = new KeyDerivation(MikeyPrf.P_SHA_1);
        assertThat(derivation.fromPreSharedKey(PSK, KeyDerivation.PSK_ENCRYPTION, CSB_ID, RAND, 16)).isEqualTo(vector("psk.encryption"));
        assertThat(derivation.fromPreSharedKey(PSK, KeyDerivation.PSK_AUTHENTICATION, CSB_ID, RAND, 20)).isEqualTo(vector("psk.authentication"));
        assertThat(derivation.fromPreSharedKey(PSK, KeyDerivation.PSK_SALTING, CSB_ID, RAND, 14)).isEqualTo(vector("psk.salting"));
    }

    @Test
    void aesCounterModeWithTheRfc3830Iv() {
        byte[] iv = KeyDataCipher.counterIv(vector("psk.salting"), CSB_ID, 0x0102030405060708L);
        assertThat(iv).isEqualTo(vector("aescm.iv"));
        byte[] cipher = KeyDataCipher.aesCm(vector("psk.encryption"), iv, vector("aescm.plain"));
        assertThat(cipher).isEqualTo(vector("aescm.cipher"));
        assertThat(KeyDataCipher.aesCm(vector("psk.encryption"), iv, cipher)).isEqualTo(vector("aescm.plain"));
    }

    @Test
    void aesKeyWrap() throws MikeyException {
        byte[] wrapped = KeyDataCipher.aesKeyWrap(vector("psk.encryption"), vector("aescm.plain"));
        assertThat(wrapped).isEqualTo(vector("aeskw.cipher"));
        assertThat(KeyDataCipher.aesKeyUnwrap(vector("psk.encryption"), wrapped, 0)).isEqualTo(vector("aescm.plain"));
        wrapped[3] ^= 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyDataCipher.aesKeyUnwrap(vector("psk.encryption"), wrapped, 7))
                .isInstanceOfSatisfying(MikeyException.class, e -> assertThat(e.error()).isEqualTo(org.mediasec.mikey.MikeyErrorCode.AUTHENTICATION_FAILURE));
    }
}
