package org.mediasec.mikey;

import java.util.List;
import java.util.OptionalInt;

/** Messages for the tests: a TS 33.328-shaped TLS crypto session keyed by a TGK, with identities and a MAC. */
final class MikeyMessages {

    private MikeyMessages() {}

    static MikeyMessage transferLike(byte[] encryptedKeyData) {
        CommonHeader header = new CommonHeader(DataType.PSK_INIT, true, CommonHeader.PRF_MIKEY_1, 0x12345678L,
                new CryptoSessionMap.Generic(List.of(CryptoSessionMap.Generic.Entry.tls(1, 2, new byte[] {1, 2, 3, 4}))));
        return new MikeyMessage(header, List.of(
                new Payload.Timestamp(Payload.Timestamp.NTP_UTC, 0xE8A1B2C3D4E5F607L),
                new Payload.Rand(new byte[16]),
                Payload.Identity.withRole(Payload.Identity.ROLE_INITIATOR, "sip:alice@ims.example.org"),
                Payload.Identity.withRole(Payload.Identity.ROLE_RESPONDER, "sip:conference@ims.example.org"),
                new Payload.SecurityPolicy(0, 0, List.of(new Payload.PolicyParameter(0, new byte[] {1}), new Payload.PolicyParameter(1, new byte[] {16}))),
                new Payload.GeneralExtension(1, "0".getBytes()),
                new Payload.Kemac(Payload.Kemac.AES_CM_128, encryptedKeyData, MacAlgorithm.HMAC_SHA_1_160, new byte[20])));
    }

    static MikeyMessage error(MikeyErrorCode code) {
        return new MikeyMessage(new CommonHeader(DataType.ERROR, false, CommonHeader.PRF_MIKEY_1, 7, new CryptoSessionMap.Empty()),
                List.of(new Payload.Error(code), new Payload.Identity(OptionalInt.empty(), Payload.Identity.URI, "sip:kms@example.org".getBytes())));
    }
}
