package org.mediasec.mikey;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The payloads that follow the common header (RFC 3830 6.2–6.15, RFC 6043 6.6), as values. Byte arrays are
 * copied in and out, so a payload cannot change after it is made; equality compares their contents.
 */
public sealed interface Payload {

    /** The next-payload value that announces this payload. */
    int type();

    /** T (RFC 3830 6.6): NTP-UTC (0) or NTP (1), 64 bits; COUNTER (2), 32 bits. */
    record Timestamp(int timestampType, long value) implements Payload {
        public static final int NTP_UTC = 0;
        public static final int NTP = 1;
        public static final int COUNTER = 2;

        public Timestamp {
            if (timestampType < NTP_UTC || timestampType > COUNTER) {
                throw new IllegalArgumentException("timestamp type " + timestampType);
            }
            if (timestampType == COUNTER && (value < 0 || value > 0xffffffffL)) {
                throw new IllegalArgumentException("a COUNTER timestamp has 32 bits: " + value);
            }
        }

        @Override
        public int type() {
            return PayloadType.TIMESTAMP;
        }
    }

    /** RAND (RFC 3830 6.11): at least 16 random bytes in an initiating message (RFC 3830 4.1.1). */
    record Rand(byte[] value) implements Payload {
        public Rand {
            value = value.clone();
            if (value.length == 0 || value.length > 255) {
                throw new IllegalArgumentException("RAND of 1 to 255 bytes: " + value.length);
            }
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public int type() {
            return PayloadType.RAND;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Rand rand && Arrays.equals(value, rand.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Rand[" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /**
     * ID (RFC 3830 6.7) or, with a role, IDR (RFC 6043 6.6; roles checked against tshark 4.0: 1 initiator,
     * 2 responder, 3 KMS, 4 pre-shared key, 5 application, 6 initiator's KMS, 7 responder's KMS).
     */
    record Identity(java.util.OptionalInt role, int identityType, byte[] value) implements Payload {
        public static final int NAI = 0;
        public static final int URI = 1;
        public static final int BYTE_STRING = 2;
        public static final int ROLE_INITIATOR = 1;
        public static final int ROLE_RESPONDER = 2;
        public static final int ROLE_KMS = 3;
        public static final int ROLE_PRE_SHARED_KEY = 4;
        public static final int ROLE_APPLICATION = 5;

        public Identity {
            value = value.clone();
            if (value.length > 0xffff || identityType < 0 || identityType > 255 || role.orElse(0) < 0 || role.orElse(0) > 255) {
                throw new IllegalArgumentException("identity out of range");
            }
        }

        public static Identity withRole(int role, String uri) {
            return new Identity(java.util.OptionalInt.of(role), URI, uri.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public String text() {
            return new String(value, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public int type() {
            return role.isPresent() ? PayloadType.ID_WITH_ROLE : PayloadType.ID;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Identity id && role.equals(id.role) && identityType == id.identityType && Arrays.equals(value, id.value);
        }

        @Override
        public int hashCode() {
            return role.hashCode() * 31 + identityType * 7 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Identity[role=" + role + ", type=" + identityType + ", " + text() + "]";
        }
    }

    /**
     * KEMAC (RFC 3830 6.2): the key data sub-payloads, encrypted (NULL 0, AES-CM-128 1, AES-KW-128 2), and the MAC
     * over the whole message up to the MAC (NULL 0, HMAC-SHA-1-160 1).
     */
    record Kemac(int encryptionAlgorithm, byte[] encryptedKeyData, int macAlgorithm, byte[] mac) implements Payload {
        public static final int ENCRYPTION_NULL = 0;
        public static final int AES_CM_128 = 1;
        public static final int AES_KW_128 = 2;

        public Kemac {
            encryptedKeyData = encryptedKeyData.clone();
            mac = mac.clone();
            if (encryptedKeyData.length > 0xffff) {
                throw new IllegalArgumentException("key data longer than 65535 bytes");
            }
            if (mac.length != MacAlgorithm.length(macAlgorithm)) {
                throw new IllegalArgumentException("MAC of " + mac.length + " bytes for MAC algorithm " + macAlgorithm);
            }
        }

        @Override
        public byte[] encryptedKeyData() {
            return encryptedKeyData.clone();
        }

        @Override
        public byte[] mac() {
            return mac.clone();
        }

        @Override
        public int type() {
            return PayloadType.KEMAC;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Kemac k && encryptionAlgorithm == k.encryptionAlgorithm && macAlgorithm == k.macAlgorithm
                    && Arrays.equals(encryptedKeyData, k.encryptedKeyData) && Arrays.equals(mac, k.mac);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(encryptedKeyData) * 31 + Arrays.hashCode(mac);
        }
    }

    /** V (RFC 3830 6.9): the verification MAC over the message up to it. */
    record Verification(int macAlgorithm, byte[] mac) implements Payload {
        public Verification {
            mac = mac.clone();
            if (mac.length != MacAlgorithm.length(macAlgorithm)) {
                throw new IllegalArgumentException("MAC of " + mac.length + " bytes for MAC algorithm " + macAlgorithm);
            }
        }

        @Override
        public byte[] mac() {
            return mac.clone();
        }

        @Override
        public int type() {
            return PayloadType.VERIFICATION;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Verification v && macAlgorithm == v.macAlgorithm && Arrays.equals(mac, v.mac);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mac);
        }
    }

    /** One security policy parameter (RFC 3830 6.10): type, value of up to 255 bytes. */
    record PolicyParameter(int parameterType, byte[] value) {
        public PolicyParameter {
            value = value.clone();
            if (parameterType < 0 || parameterType > 255 || value.length > 255) {
                throw new IllegalArgumentException("policy parameter out of range");
            }
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof PolicyParameter p && parameterType == p.parameterType && Arrays.equals(value, p.value);
        }

        @Override
        public int hashCode() {
            return parameterType * 31 + Arrays.hashCode(value);
        }
    }

    /** SP (RFC 3830 6.10): a policy for a security protocol (SRTP 0; TLS as TS 33.328 assigns it). */
    record SecurityPolicy(int policyNumber, int protocolType, List<PolicyParameter> parameters) implements Payload {
        public SecurityPolicy {
            parameters = List.copyOf(parameters);
            if (policyNumber < 0 || policyNumber > 255 || protocolType < 0 || protocolType > 255) {
                throw new IllegalArgumentException("policy number or protocol type out of range");
            }
        }

        @Override
        public int type() {
            return PayloadType.SECURITY_POLICY;
        }
    }

    /** ERR (RFC 3830 6.12). */
    record Error(MikeyErrorCode code) implements Payload {
        @Override
        public int type() {
            return PayloadType.ERROR;
        }
    }

    /** General extension (RFC 3830 6.15): Vendor-ID (0), SDP-IDs (1), or others. */
    record GeneralExtension(int extensionType, byte[] data) implements Payload {
        public GeneralExtension {
            data = data.clone();
            if (extensionType < 0 || extensionType > 255 || data.length > 0xffff) {
                throw new IllegalArgumentException("extension out of range");
            }
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int type() {
            return PayloadType.GENERAL_EXTENSION;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof GeneralExtension g && extensionType == g.extensionType && Arrays.equals(data, g.data);
        }

        @Override
        public int hashCode() {
            return extensionType * 31 + Arrays.hashCode(data);
        }
    }

    /**
     * TR (RFC 6043 6.4): a timestamp with its role — time of issue (1), start (2) or end (3) of a validity period,
     * rekeying interval (4). Role values UNVERIFIED (RFC 6043 text not readable here).
     */
    record TimestampWithRole(int role, Timestamp timestamp) implements Payload {
        public static final int TIME_OF_ISSUE = 1;
        public static final int START_OF_VALIDITY = 2;
        public static final int END_OF_VALIDITY = 3;
        public static final int REKEYING_INTERVAL = 4;

        public TimestampWithRole {
            if (role < 0 || role > 255) {
                throw new IllegalArgumentException("TS role " + role);
            }
        }

        @Override
        public int type() {
            return PayloadType.TIMESTAMP_WITH_ROLE;
        }
    }

    /** RANDR (RFC 6043 6.8): a RAND with its role — initiator (1), responder (2), KMS (3); roles UNVERIFIED. */
    record RandWithRole(int role, Rand rand) implements Payload {
        public static final int INITIATOR = 1;
        public static final int RESPONDER = 2;
        public static final int KMS = 3;

        public RandWithRole {
            if (role < 0 || role > 255) {
                throw new IllegalArgumentException("RAND role " + role);
            }
        }

        @Override
        public int type() {
            return PayloadType.RAND_WITH_ROLE;
        }
    }

    /**
     * TP (RFC 6043 6.10): what the initiator asks of the ticket — its type, subtype and version, the PRF, flags and
     * type-specific policy data. Layout (UNVERIFIED, RFC 6043 text not readable here): Ticket Type (16) | Subtype (8) |
     * Version (8) | PRF (8) | Flags (16) | Policy Data length (16) | Policy Data.
     */
    record TicketPolicy(int ticketType, int subtype, int version, int prf, int flags, byte[] policyData) implements Payload {
        /** The KMS generates the keys (TGKs and MPK) and puts them in the ticket. */
        public static final int FLAG_KMS_GENERATES_KEYS = 0x8000;
        /** Only the responders the request names may resolve the ticket. */
        public static final int FLAG_LOCK_TO_RESPONDERS = 0x4000;
        /** Keys are forked per responder identity (TS 33.328 6.2.3). */
        public static final int FLAG_FORK_PER_RESPONDER = 0x2000;
        /** The responder answers with TRANSFER_RESP. */
        public static final int FLAG_TRANSFER_RESPONSE = 0x1000;

        public TicketPolicy {
            policyData = policyData.clone();
            if (ticketType < 0 || ticketType > 0xffff || subtype < 0 || subtype > 255 || version < 0 || version > 255 || prf < 0 || prf > 255
                    || flags < 0 || flags > 0xffff || policyData.length > 0xffff) {
                throw new IllegalArgumentException("ticket policy field out of range");
            }
        }

        public boolean has(int flag) {
            return (flags & flag) == flag;
        }

        @Override
        public byte[] policyData() {
            return policyData.clone();
        }

        @Override
        public int type() {
            return PayloadType.TICKET_POLICY;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TicketPolicy t && ticketType == t.ticketType && subtype == t.subtype && version == t.version && prf == t.prf
                    && flags == t.flags && Arrays.equals(policyData, t.policyData);
        }

        @Override
        public int hashCode() {
            return ticketType * 31 + flags * 7 + Arrays.hashCode(policyData);
        }
    }

    /**
     * TICKET (RFC 6043 6.11): the ticket, opaque to all but the KMS that made it. Layout (UNVERIFIED): Ticket Type
     * (16) | Subtype (8) | Version (8) | Ticket Data length (16) | Ticket Data.
     */
    record Ticket(int ticketType, int subtype, int version, byte[] ticketData) implements Payload {
        public Ticket {
            ticketData = ticketData.clone();
            if (ticketType < 0 || ticketType > 0xffff || subtype < 0 || subtype > 255 || version < 0 || version > 255 || ticketData.length > 0xffff) {
                throw new IllegalArgumentException("ticket field out of range");
            }
        }

        @Override
        public byte[] ticketData() {
            return ticketData.clone();
        }

        @Override
        public int type() {
            return PayloadType.TICKET;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Ticket t && ticketType == t.ticketType && subtype == t.subtype && version == t.version
                    && Arrays.equals(ticketData, t.ticketData);
        }

        @Override
        public int hashCode() {
            return ticketType * 31 + Arrays.hashCode(ticketData);
        }

        @Override
        public String toString() {
            return "Ticket[type=" + ticketType + ", " + ticketData.length + " bytes]";
        }
    }
}
