package org.mediasec.mikey.ticket;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mediasec.mikey.CommonHeader;
import org.mediasec.mikey.CryptoSessionMap;
import org.mediasec.mikey.DataType;
import org.mediasec.mikey.KeyData;
import org.mediasec.mikey.MikeyDecoder;
import org.mediasec.mikey.MikeyEncoder;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.MikeyMessage;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.crypto.KeyDataCipher;
import org.mediasec.mikey.crypto.KeyDerivation;
import org.mediasec.mikey.crypto.MikeyMacs;
import org.mediasec.traceability.Implements;

/**
 * What the MIKEY-TICKET roles share: building the header, finding payloads, the KEMAC with AES-KW-encrypted key
 * data, TEK derivation, and the Error message. The message layouts (RFC 6043 5, as mediasec sends them):
 * <pre>
 * REQUEST_INIT_PSK  HDR, T, RAND, IDRi, [IDRr...], IDRkms, TP, [TR end of validity], V      (PSK of I)
 * REQUEST_RESP      HDR, T, IDRkms, TP granted, TICKET, TR end of validity, KEMAC{TGK per CS, MPKi} (PSK of I)
 * TRANSFER_INIT     HDR, T, RAND, IDRi, [IDRr...], TP, TICKET, V                              (MPKi)
 * RESOLVE_INIT_PSK  HDR, T, RAND, IDRr, IDRkms, TICKET, V                                     (PSK of R)
 * RESOLVE_RESP      HDR, T, IDRkms, IDRi, TR end of validity, KEMAC{TGKr per CS, MPKi, MPKr}  (PSK of R)
 * TRANSFER_RESP     HDR, T, IDRr, RANDRr, V                                                   (MPKr)
 * Error             HDR, T, ERR
 * </pre>
 * The HDR of every message of one exchange carries the same CSB ID and GENERIC-ID map (TS 33.328 H.3).
 */
public final class TicketMessages {

    private TicketMessages() {}

    public static CommonHeader header(int dataType, long cryptoSessionBundleId, CryptoSessionMap map) {
        return new CommonHeader(dataType, false, TicketProfile.PRF, cryptoSessionBundleId, map);
    }

    public static Payload.Timestamp now(Instant instant) {
        return new Payload.Timestamp(Payload.Timestamp.NTP_UTC, NtpTime.of(instant));
    }

    public static Payload.Verification verificationPlaceholder() {
        return new Payload.Verification(TicketProfile.MAC, new byte[32]);
    }

    /** Signs with the message's key from {@code keys}. */
    public static byte[] signed(MikeyMessage message, MessageKeys keys) {
        return MikeyMacs.sign(message, keys.authenticationKey());
    }

    /** Decodes and checks the data type; an Error message from the peer is reported with its code. */
    public static MikeyDecoder.Decoded decode(byte[] bytes, int expectedDataType) throws MikeyException {
        MikeyDecoder.Decoded decoded = MikeyDecoder.decode(bytes);
        int dataType = decoded.message().header().dataType();
        if (dataType == DataType.ERROR) {
            MikeyErrorCode code = first(decoded.message(), Payload.Error.class).map(Payload.Error::code).orElse(MikeyErrorCode.UNSPECIFIED);
            throw new MikeyException(0, code, "the peer answered with an Error message (" + code + ")");
        }
        if (dataType != expectedDataType) {
            throw new MikeyException(1, MikeyErrorCode.INVALID_DATA_TYPE, "data type " + dataType + " where " + expectedDataType + " was expected");
        }
        if (decoded.message().header().prf() != TicketProfile.PRF) {
            throw new MikeyException(3, MikeyErrorCode.INVALID_PRF, "MIKEY-TICKET here uses PRF-HMAC-SHA-256 only");
        }
        return decoded;
    }

    public static <T extends Payload> Optional<T> first(MikeyMessage message, Class<T> kind) {
        return message.payloads().stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    public static <T extends Payload> T required(MikeyMessage message, Class<T> kind, String what) throws MikeyException {
        Optional<T> payload = first(message, kind);
        if (payload.isEmpty()) {
            throw new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "the message has no " + what);
        }
        return payload.get();
    }

    /** The identities in the message's IDR payloads with {@code role}. */
    public static List<KmsUid> identities(MikeyMessage message, int role) throws MikeyException {
        List<KmsUid> uids = new ArrayList<>();
        for (Payload payload : message.payloads()) {
            if (payload instanceof Payload.Identity id && id.role().isPresent() && id.role().getAsInt() == role) {
                if (id.identityType() != Payload.Identity.URI || id.value().length == 0 || id.value().length > KmsUid.MAX_CHARS) {
                    throw new MikeyException(0, MikeyErrorCode.INVALID_ID, "IDR of role " + role + " is not a URI of 1 to " + KmsUid.MAX_CHARS + " bytes");
                }
                uids.add(new KmsUid(id.text()));
            }
        }
        return uids;
    }

    public static KmsUid identity(MikeyMessage message, int role, String what) throws MikeyException {
        List<KmsUid> uids = identities(message, role);
        if (uids.size() != 1) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_ID, "the message names " + uids.size() + " " + what + "s, not one");
        }
        return uids.get(0);
    }

    public static Optional<Payload.TimestampWithRole> timestampWithRole(MikeyMessage message, int role) {
        return message.payloads().stream().filter(p -> p instanceof Payload.TimestampWithRole tr && tr.role() == role)
                .map(Payload.TimestampWithRole.class::cast).findFirst();
    }

    /** The message's NTP-UTC timestamp; other kinds are refused (the profile needs a clock to check freshness). */
    public static long timestamp(MikeyMessage message) throws MikeyException {
        Payload.Timestamp t = required(message, Payload.Timestamp.class, "timestamp (T)");
        if (t.timestampType() != Payload.Timestamp.NTP_UTC) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_TIMESTAMP, "timestamp type " + t.timestampType() + ", not NTP-UTC");
        }
        return t.value();
    }

    /** The message's own MAC (its last bytes), the replay cache's key. */
    public static byte[] macOf(MikeyDecoder.Decoded decoded) throws MikeyException {
        int offset = decoded.macOffset().orElseThrow(() -> new MikeyException(0, MikeyErrorCode.AUTHENTICATION_FAILURE, "the message carries no MAC"));
        return Arrays.copyOfRange(decoded.bytes(), offset, decoded.bytes().length);
    }

    /** The GENERIC-ID TLS crypto sessions of the header, checked against the profile (E2E-6). */
    public static CryptoSessionMap.Generic tlsSessions(CommonHeader header) throws MikeyException {
        if (!(header.map() instanceof CryptoSessionMap.Generic generic) || generic.entries().isEmpty()) {
            throw new MikeyException(9, MikeyErrorCode.UNSPECIFIED, "TS 33.328 needs a GENERIC-ID map with at least one crypto session");
        }
        for (CryptoSessionMap.Generic.Entry entry : generic.entries()) {
            if (entry.protocolType() != TicketProfile.PROTOCOL_TYPE_TLS || entry.policyNumbers().length != 0 || entry.sessionData().length != 0
                    || entry.spi().length == 0) {
                throw new MikeyException(10, MikeyErrorCode.INVALID_SECURITY_POLICY,
                        "crypto session " + entry.cryptoSessionId() + " is not a TLS session with #P = 0, no session data and an SPI");
            }
        }
        return generic;
    }

    /** A KEMAC carrying {@code keys}, encrypted with AES-KW-128, its MAC left for {@link #signed}. */
    public static Payload.Kemac kemac(List<KeyData> keys, MessageKeys protection) {
        byte[] plain = MikeyEncoder.keyData(keys);
        byte[] padded = Arrays.copyOf(plain, Math.max(16, (plain.length + 7) / 8 * 8));
        return new Payload.Kemac(Payload.Kemac.AES_KW_128, KeyDataCipher.aesKeyWrap(protection.encryptionKey(), padded), TicketProfile.MAC, new byte[32]);
    }

    /** Checks the message's MAC and decrypts its KEMAC. */
    public static List<KeyData> openKemac(MikeyDecoder.Decoded decoded, MessageKeys protection) throws MikeyException {
        MikeyMacs.verify(decoded, protection.authenticationKey());
        Payload.Kemac kemac = required(decoded.message(), Payload.Kemac.class, "KEMAC");
        if (kemac.encryptionAlgorithm() != Payload.Kemac.AES_KW_128) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_ENCRYPTION_ALGORITHM, "the profile encrypts key data with AES-KW-128 only");
        }
        return MikeyDecoder.keyData(KeyDataCipher.aesKeyUnwrap(protection.encryptionKey(), kemac.encryptedKeyData(), 0), true);
    }

    /** The keys of type {@code keyType} named by SPI {@code spi}. */
    public static byte[] key(List<KeyData> keys, int keyType, byte[] spi, String what) throws MikeyException {
        for (KeyData key : keys) {
            if (key.keyType() == keyType && key.validity() instanceof KeyData.Validity.Spi named && Arrays.equals(named.spi(), spi)) {
                return key.key();
            }
        }
        throw new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "the KEMAC has no " + what);
    }

    /** The TGK of each crypto session of {@code sessions}, as the KEMAC names them by SPI. */
    public static List<CryptoSessionKey> tgks(List<KeyData> keys, CryptoSessionMap.Generic sessions) throws MikeyException {
        List<CryptoSessionKey> tgks = new ArrayList<>();
        for (CryptoSessionMap.Generic.Entry entry : sessions.entries()) {
            tgks.add(new CryptoSessionKey(entry.cryptoSessionId(), entry.spi(),
                    key(keys, KeyData.TGK, entry.spi(), "TGK for crypto session " + entry.cryptoSessionId())));
        }
        return tgks;
    }

    public static KeyData spiKey(int keyType, byte[] key, byte[] spi) {
        return new KeyData(keyType, key, Optional.empty(), new KeyData.Validity.Spi(spi));
    }

    /**
     * The TEK of each crypto session (RFC 3830 4.1.3): PRF(TGK, TEK constant || CS ID || CSB ID || RAND || RANDRr);
     * the responder's RAND makes the keys fresh on both sides even when a ticket is used again.
     */
    @Implements("E2E-4")
    public static List<CryptoSessionKey> teks(List<CryptoSessionKey> tgks, long cryptoSessionBundleId, byte[] rand, byte[] responderRand) {
        KeyDerivation derivation = new KeyDerivation(TicketProfile.PRF_FUNCTION);
        byte[] both = concat(rand, responderRand);
        List<CryptoSessionKey> teks = new ArrayList<>();
        for (CryptoSessionKey tgk : tgks) {
            teks.add(new CryptoSessionKey(tgk.cryptoSessionId(), tgk.spi(),
                    derivation.fromTgk(tgk.key(), KeyDerivation.TEK, tgk.cryptoSessionId(), cryptoSessionBundleId, both, TicketProfile.KEY_BYTES)));
        }
        return teks;
    }

    /** Forks the TGKs for {@code responder} (E2E-9). */
    @Implements("E2E-4")
    public static List<CryptoSessionKey> forkTgks(List<CryptoSessionKey> tgks, long cryptoSessionBundleId, KmsUid responder) {
        KeyDerivation derivation = new KeyDerivation(TicketProfile.PRF_FUNCTION);
        List<CryptoSessionKey> forked = new ArrayList<>();
        for (CryptoSessionKey tgk : tgks) {
            forked.add(new CryptoSessionKey(tgk.cryptoSessionId(), tgk.spi(),
                    derivation.forkForResponder(tgk.key(), KeyDerivation.FORK_TGK, cryptoSessionBundleId, responder.bytes())));
        }
        return forked;
    }

    public static byte[] forkMpk(byte[] mpk, long cryptoSessionBundleId, KmsUid responder) {
        return new KeyDerivation(TicketProfile.PRF_FUNCTION).forkForResponder(mpk, KeyDerivation.FORK_MPK, cryptoSessionBundleId, responder.bytes());
    }

    /** An Error message (RFC 3830 5.1.2) for {@code error}, unauthenticated: it may answer a message we could not verify. */
    public static byte[] error(MikeyException error, long cryptoSessionBundleId, Instant now) {
        return MikeyEncoder.encode(new MikeyMessage(header(DataType.ERROR, cryptoSessionBundleId, new CryptoSessionMap.Empty()),
                List.of(now(now), new Payload.Error(error.error())))).bytes();
    }

    static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + second.length);
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }

}
