package org.mediasec.mikey;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Bytes to a {@link MikeyMessage} (RFC 3830 6): the common header, then each payload as the previous one's
 * next-payload field announces, until Last payload. Anything it cannot take — a truncated field, an unknown data
 * type, PRF, map type, payload, encryption or MAC algorithm, bytes after the last payload, more than
 * {@link #MAX_PAYLOADS} payloads — is a {@link MikeyException} with its offset and the Error code to answer with.
 */
public final class MikeyDecoder {

    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    public static final int MAX_PAYLOADS = 64;

    /** A decoded message, and where its last MAC (of KEMAC or V) starts: the MAC covers the bytes before it. */
    public record Decoded(MikeyMessage message, byte[] bytes, OptionalInt macOffset) {}

    private MikeyDecoder() {}

    public static Decoded decode(byte[] bytes) throws MikeyException {
        if (bytes.length > MAX_MESSAGE_BYTES) {
            throw new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "message of " + bytes.length + " bytes, more than " + MAX_MESSAGE_BYTES);
        }
        MikeyReader in = new MikeyReader(bytes);
        int version = in.u8("version");
        if (version != CommonHeader.VERSION) {
            throw new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "version " + version + ", not 1");
        }
        int dataType = in.u8("data type");
        if (!DataType.known(dataType)) {
            throw new MikeyException(1, MikeyErrorCode.INVALID_DATA_TYPE, "data type " + dataType);
        }
        int next = in.u8("next payload");
        int vAndPrf = in.u8("V and PRF");
        int prf = vAndPrf & 0x7f;
        if (prf != CommonHeader.PRF_MIKEY_1 && prf != CommonHeader.PRF_HMAC_SHA_256) {
            throw new MikeyException(3, MikeyErrorCode.INVALID_PRF, "PRF " + prf);
        }
        long bundle = in.u32("CSB ID");
        int sessions = in.u8("#CS");
        int mapType = in.u8("CS ID map type");
        CryptoSessionMap map = map(in, mapType, sessions);
        CommonHeader header = new CommonHeader(dataType, (vAndPrf & 0x80) != 0, prf, bundle, map);
        List<Payload> payloads = new ArrayList<>();
        OptionalInt macOffset = OptionalInt.empty();
        while (next != PayloadType.LAST) {
            if (payloads.size() == MAX_PAYLOADS) {
                throw new MikeyException(in.position(), MikeyErrorCode.UNSPECIFIED, "more than " + MAX_PAYLOADS + " payloads");
            }
            int start = in.position();
            int following = in.u8("next payload");
            int[] mac = new int[] {-1};
            payloads.add(payload(in, next, start, mac));
            if (mac[0] >= 0) {
                macOffset = OptionalInt.of(mac[0]);
            }
            next = following;
        }
        if (!in.atEnd()) {
            throw new MikeyException(in.position(), MikeyErrorCode.UNSPECIFIED, in.remaining() + " bytes after the last payload");
        }
        return new Decoded(new MikeyMessage(header, payloads), bytes.clone(), macOffset);
    }

    private static CryptoSessionMap map(MikeyReader in, int mapType, int sessions) throws MikeyException {
        switch (mapType) {
            case 0 -> {
                List<CryptoSessionMap.Srtp.Entry> entries = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    entries.add(new CryptoSessionMap.Srtp.Entry(in.u8("policy number"), in.u32("SSRC"), in.u32("ROC")));
                }
                return new CryptoSessionMap.Srtp(entries);
            }
            case 1 -> {
                if (sessions != 0) {
                    throw new MikeyException(8, MikeyErrorCode.UNSPECIFIED, "an empty map with " + sessions + " crypto sessions");
                }
                return new CryptoSessionMap.Empty();
            }
            case 2 -> {
                List<CryptoSessionMap.Generic.Entry> entries = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    int id = in.u8("CS ID");
                    int protocol = in.u8("protocol type");
                    int sAndP = in.u8("S and #P");
                    byte[] policies = in.bytes(sAndP & 0x7f, "policy numbers");
                    byte[] sessionData = in.bytes(in.u16("session data length"), "session data");
                    byte[] spi = in.bytes(in.u8("SPI length"), "SPI");
                    entries.add(new CryptoSessionMap.Generic.Entry(id, protocol, (sAndP & 0x80) != 0, policies, sessionData, spi));
                }
                return new CryptoSessionMap.Generic(entries);
            }
            default -> throw new MikeyException(9, MikeyErrorCode.UNSPECIFIED, "CS ID map type " + mapType);
        }
    }

    private static Payload payload(MikeyReader in, int type, int start, int[] macOffset) throws MikeyException {
        return switch (type) {
            case PayloadType.TIMESTAMP -> timestamp(in, start + 1);
            case PayloadType.RAND -> rand(in, start + 1);
            case PayloadType.ID -> new Payload.Identity(OptionalInt.empty(), in.u8("ID type"), in.bytes(in.u16("ID length"), "ID"));
            case PayloadType.ID_WITH_ROLE -> {
                int role = in.u8("ID role");
                int idType = in.u8("ID type");
                yield new Payload.Identity(OptionalInt.of(role), idType, in.bytes(in.u16("ID length"), "ID"));
            }
            case PayloadType.KEMAC -> {
                int encryption = in.u8("encryption algorithm");
                if (encryption > Payload.Kemac.AES_KW_128) {
                    throw new MikeyException(start + 1, MikeyErrorCode.INVALID_ENCRYPTION_ALGORITHM, "encryption algorithm " + encryption);
                }
                byte[] keyData = in.bytes(in.u16("key data length"), "encrypted key data");
                int macAlgorithm = macAlgorithm(in);
                macOffset[0] = in.position();
                yield new Payload.Kemac(encryption, keyData, macAlgorithm, in.bytes(MacAlgorithm.length(macAlgorithm), "MAC"));
            }
            case PayloadType.VERIFICATION -> {
                int macAlgorithm = macAlgorithm(in);
                macOffset[0] = in.position();
                yield new Payload.Verification(macAlgorithm, in.bytes(MacAlgorithm.length(macAlgorithm), "verification MAC"));
            }
            case PayloadType.SECURITY_POLICY -> {
                int number = in.u8("policy number");
                int protocol = in.u8("protocol type");
                int length = in.u16("policy parameter length");
                int end = in.position() + length;
                if (length > in.remaining()) {
                    throw new MikeyException(in.position(), MikeyErrorCode.INVALID_SECURITY_POLICY, "policy parameters run past the message");
                }
                List<Payload.PolicyParameter> parameters = new ArrayList<>();
                while (in.position() < end) {
                    int parameterType = in.u8("parameter type");
                    int parameterLength = in.u8("parameter length");
                    if (in.position() + parameterLength > end) {
                        throw new MikeyException(in.position(), MikeyErrorCode.INVALID_SECURITY_POLICY_PARAMETER, "parameter runs past the policy");
                    }
                    parameters.add(new Payload.PolicyParameter(parameterType, in.bytes(parameterLength, "parameter value")));
                }
                yield new Payload.SecurityPolicy(number, protocol, parameters);
            }
            case PayloadType.ERROR -> {
                int code = in.u8("error number");
                in.u16("reserved");
                yield new Payload.Error(MikeyErrorCode.of(code).orElseThrow(() -> new MikeyException(start + 1, MikeyErrorCode.UNSPECIFIED,
                        "error number " + code)));
            }
            case PayloadType.TIMESTAMP_WITH_ROLE -> {
                int role = in.u8("TS role");
                yield new Payload.TimestampWithRole(role, timestamp(in, start + 2));
            }
            case PayloadType.RAND_WITH_ROLE -> {
                int role = in.u8("RAND role");
                yield new Payload.RandWithRole(role, rand(in, start + 2));
            }
            case PayloadType.TICKET_POLICY -> new Payload.TicketPolicy(in.u16("ticket type"), in.u8("subtype"), in.u8("version"), in.u8("PRF"),
                    in.u16("flags"), in.bytes(in.u16("policy data length"), "policy data"));
            case PayloadType.TICKET -> new Payload.Ticket(in.u16("ticket type"), in.u8("subtype"), in.u8("version"),
                    in.bytes(in.u16("ticket data length"), "ticket data"));
            case PayloadType.GENERAL_EXTENSION -> new Payload.GeneralExtension(in.u8("extension type"), in.bytes(in.u16("extension length"), "extension data"));
            default -> throw new MikeyException(start, MikeyErrorCode.UNSPECIFIED, "payload type " + type + " is not supported");
        };
    }

    private static Payload.Timestamp timestamp(MikeyReader in, int at) throws MikeyException {
        int timestampType = in.u8("TS type");
        return switch (timestampType) {
            case Payload.Timestamp.NTP_UTC, Payload.Timestamp.NTP -> new Payload.Timestamp(timestampType, in.u64("NTP timestamp"));
            case Payload.Timestamp.COUNTER -> new Payload.Timestamp(timestampType, in.u32("counter"));
            default -> throw new MikeyException(at, MikeyErrorCode.INVALID_TIMESTAMP, "timestamp type " + timestampType);
        };
    }

    private static Payload.Rand rand(MikeyReader in, int at) throws MikeyException {
        int length = in.u8("RAND length");
        if (length == 0) {
            throw new MikeyException(at, MikeyErrorCode.UNSPECIFIED, "empty RAND");
        }
        return new Payload.Rand(in.bytes(length, "RAND"));
    }

    private static int macAlgorithm(MikeyReader in) throws MikeyException {
        int position = in.position();
        int algorithm = in.u8("MAC algorithm");
        if (!MacAlgorithm.known(algorithm)) {
            throw new MikeyException(position, MikeyErrorCode.INVALID_MAC, "MAC algorithm " + algorithm);
        }
        return algorithm;
    }

    /** Decodes the key data sub-payloads of a decrypted KEMAC (RFC 3830 6.13), first announced by {@code firstType}. */
    public static List<KeyData> keyData(byte[] plain) throws MikeyException {
        return keyData(plain, false);
    }

    /**
     * As {@link #keyData(byte[])}; with {@code padded}, up to 7 zero bytes may follow the last key: AES-KW (RFC 3394)
     * wraps whole 64-bit blocks, so the sender pads the key data with zeros.
     */
    public static List<KeyData> keyData(byte[] plain, boolean padded) throws MikeyException {
        MikeyReader in = new MikeyReader(plain);
        List<KeyData> keys = new ArrayList<>();
        int next = PayloadType.KEY_DATA;
        while (next != PayloadType.LAST) {
            if (next != PayloadType.KEY_DATA) {
                throw new MikeyException(in.position(), MikeyErrorCode.UNSPECIFIED, "payload " + next + " inside KEMAC key data");
            }
            if (keys.size() == MAX_PAYLOADS) {
                throw new MikeyException(in.position(), MikeyErrorCode.UNSPECIFIED, "more than " + MAX_PAYLOADS + " keys");
            }
            next = in.u8("next payload");
            int typeAndKv = in.u8("type and KV");
            int keyType = typeAndKv >> 4;
            int kv = typeAndKv & 0x0f;
            if (keyType > KeyData.MPK) {
                throw new MikeyException(in.position() - 1, MikeyErrorCode.UNSPECIFIED, "key type " + keyType);
            }
            byte[] key = in.bytes(in.u16("key length"), "key");
            Optional<byte[]> salt = keyType == KeyData.TGK_SALT || keyType == KeyData.TEK_SALT
                    ? Optional.of(in.bytes(in.u16("salt length"), "salt")) : Optional.empty();
            KeyData.Validity validity = switch (kv) {
                case 0 -> new KeyData.Validity.None();
                case 1 -> new KeyData.Validity.Spi(in.bytes(in.u8("SPI length"), "SPI"));
                case 2 -> new KeyData.Validity.Interval(in.bytes(in.u8("valid-from length"), "valid from"), in.bytes(in.u8("valid-to length"), "valid to"));
                default -> throw new MikeyException(in.position(), MikeyErrorCode.UNSPECIFIED, "key validity type " + kv);
            };
            keys.add(new KeyData(keyType, key, salt, validity));
        }
        int trailing = in.remaining();
        if (trailing > 0 && !(padded && trailing < 8 && allZero(plain, plain.length - trailing))) {
            throw new MikeyException(in.position(), MikeyErrorCode.UNSPECIFIED, trailing + " bytes after the last key");
        }
        return keys;
    }

    private static boolean allZero(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
