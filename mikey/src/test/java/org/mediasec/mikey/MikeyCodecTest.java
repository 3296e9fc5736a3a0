package org.mediasec.mikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediasec.mikey.crypto.KeyDataCipher;
import org.mediasec.mikey.crypto.KeyDerivation;
import org.mediasec.mikey.crypto.MikeyMacs;
import org.mediasec.mikey.crypto.MikeyPrf;

/** Encode, decode, protect and check MIKEY messages; every malformed form gets its MIKEY Error code. */
class MikeyCodecTest {

    private static final byte[] PSK = new byte[16];
    private static final byte[] RAND = new byte[16];

    @Test
    void aProtectedMessageCarriesATgkThatTheOtherSideRecoversAndBothDeriveTheSameTek() throws Exception {
        KeyDerivation derivation = new KeyDerivation(MikeyPrf.P_SHA_1);
        byte[] tgk = "0123456789abcdef".getBytes();
        byte[] plainKeys = MikeyEncoder.keyData(List.of(KeyData.tgk(tgk, new byte[] {1, 2, 3, 4})));
        byte[] encryptionKey = derivation.fromPreSharedKey(PSK, KeyDerivation.PSK_ENCRYPTION, 0x12345678L, RAND, 16);
        byte[] salt = derivation.fromPreSharedKey(PSK, KeyDerivation.PSK_SALTING, 0x12345678L, RAND, 14);
        byte[] authenticationKey = derivation.fromPreSharedKey(PSK, KeyDerivation.PSK_AUTHENTICATION, 0x12345678L, RAND, 20);
        byte[] iv = KeyDataCipher.counterIv(salt, 0x12345678L, 0xE8A1B2C3D4E5F607L);
        byte[] wire = MikeyMacs.sign(MikeyMessages.transferLike(KeyDataCipher.aesCm(encryptionKey, iv, plainKeys)), authenticationKey);

        MikeyDecoder.Decoded decoded = MikeyDecoder.decode(wire);
        MikeyMacs.verify(decoded, authenticationKey);
        Payload.Kemac kemac = decoded.message().first(Payload.Kemac.class).orElseThrow();
        List<KeyData> keys = MikeyDecoder.keyData(KeyDataCipher.aesCm(encryptionKey, iv, kemac.encryptedKeyData()));
        assertThat(keys).containsExactly(KeyData.tgk(tgk, new byte[] {1, 2, 3, 4}));
        // TS 33.328: the TEK of the TLS crypto session is the PSK of its TLS leg, the same on both sides
        byte[] initiatorTek = derivation.fromTgk(tgk, KeyDerivation.TEK, 1, 0x12345678L, RAND, 16);
        byte[] responderTek = derivation.fromTgk(keys.get(0).key(), KeyDerivation.TEK, 1, decoded.message().header().cryptoSessionBundleId(), RAND, 16);
        assertThat(responderTek).isEqualTo(initiatorTek);

        // one bit changed anywhere before the MAC: authentication failure
        byte[] tampered = wire.clone();
        tampered[new String(wire, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("alice")] ^= 1; // inside the initiator's identity
        assertThatThrownBy(() -> MikeyMacs.verify(MikeyDecoder.decode(tampered), authenticationKey))
                .isInstanceOfSatisfying(MikeyException.class, e -> assertThat(e.error()).isEqualTo(MikeyErrorCode.AUTHENTICATION_FAILURE));
        assertThatThrownBy(() -> MikeyMacs.verify(decoded, new byte[20]))
                .isInstanceOfSatisfying(MikeyException.class, e -> assertThat(e.error()).isEqualTo(MikeyErrorCode.AUTHENTICATION_FAILURE));
    }

    @Test
    void everyPayloadRoundTrips() throws Exception {
        for (MikeyMessage message : List.of(MikeyMessages.transferLike(new byte[40]), MikeyMessages.error(MikeyErrorCode.INVALID_TIMESTAMP))) {
            byte[] bytes = MikeyEncoder.encode(message).bytes();
            assertThat(MikeyDecoder.decode(bytes).message()).isEqualTo(message);
            assertThat(MikeyEncoder.encode(MikeyDecoder.decode(bytes).message()).bytes()).isEqualTo(bytes);
        }
        List<KeyData> keys = List.of(new KeyData(KeyData.TEK_SALT, new byte[16], Optional.of(new byte[14]), new KeyData.Validity.Interval(new byte[] {1}, new byte[] {2, 3})),
                new KeyData(KeyData.TGK, new byte[32], Optional.empty(), new KeyData.Validity.None()));
        assertThat(MikeyDecoder.keyData(MikeyEncoder.keyData(keys))).isEqualTo(keys);
    }

    private static MikeyErrorCode errorOf(byte[] bytes) {
        try {
            MikeyDecoder.decode(bytes);
            throw new AssertionError("accepted");
        } catch (MikeyException e) {
            return e.error();
        }
    }

    @Test
    void malformedMessagesGetTheirErrorCode() {
        byte[] good = MikeyEncoder.encode(MikeyMessages.transferLike(new byte[40])).bytes();
        for (int length = 0; length < good.length; length++) {
            // every truncation is refused, none throws anything else
            assertThat(errorOf(Arrays.copyOf(good, length))).isNotNull();
        }
        byte[] version = good.clone();
        version[0] = 2;
        assertThat(errorOf(version)).isEqualTo(MikeyErrorCode.UNSPECIFIED);
        byte[] dataType = good.clone();
        dataType[1] = 99;
        assertThat(errorOf(dataType)).isEqualTo(MikeyErrorCode.INVALID_DATA_TYPE);
        byte[] prf = good.clone();
        prf[3] = (byte) 0x85;
        assertThat(errorOf(prf)).isEqualTo(MikeyErrorCode.INVALID_PRF);
        byte[] payload = good.clone();
        payload[2] = 2; // PKE: not supported here
        assertThat(errorOf(payload)).isEqualTo(MikeyErrorCode.UNSPECIFIED);
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThat(errorOf(trailing)).isEqualTo(MikeyErrorCode.UNSPECIFIED);
        byte[] timestamp = good.clone();
        timestamp[good.length - good.length + headerLength(good) + 1] = 7; // T payload's type
        assertThat(errorOf(timestamp)).isEqualTo(MikeyErrorCode.INVALID_TIMESTAMP);
        byte[] mac = good.clone();
        mac[good.length - 21] = 9; // KEMAC's MAC algorithm
        assertThat(errorOf(mac)).isEqualTo(MikeyErrorCode.INVALID_MAC);
        assertThat(errorOf(new byte[MikeyDecoder.MAX_MESSAGE_BYTES + 1])).isEqualTo(MikeyErrorCode.UNSPECIFIED);
    }

    /** HDR of the test message: 10 bytes and one GENERIC-ID entry (CS ID, prot type, S/#P, 2-byte length, SPI length, 4-byte SPI). */
    private static int headerLength(byte[] message) {
        return 10 + 3 + 2 + 1 + 4;
    }
}
