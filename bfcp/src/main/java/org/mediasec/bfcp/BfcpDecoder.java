package org.mediasec.bfcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mediasec.bfcp.BfcpAttribute.BeneficiaryId;
import org.mediasec.bfcp.BfcpAttribute.FloorId;
import org.mediasec.bfcp.BfcpAttribute.FloorRequestId;

/**
 * Bytes of one whole BFCP message (RFC 8855 5) to a {@link BfcpMessage}, or a {@link BfcpException} with the byte
 * offset and the ERROR-CODE to answer with (RFC 8855 13); never another exception. This decoder is for reliable
 * transports (TCP, TLS): version 1, R and F clear.
 */
public final class BfcpDecoder {

    /** The common header's size without fragment fields (RFC 8855 5.1). */
    public static final int HEADER_LENGTH = 12;

    private BfcpDecoder() {}

    /** The whole message's length in octets given its first four (Payload Length counts 4-octet words). */
    public static int messageLength(int thirdOctet, int fourthOctet) {
        return HEADER_LENGTH + 4 * (((thirdOctet & 0xff) << 8) | (fourthOctet & 0xff));
    }

    public static BfcpMessage decode(byte[] message) throws BfcpException {
        if (message.length < HEADER_LENGTH) {
            throw new BfcpException(0, BfcpErrorCode.INCORRECT_MESSAGE_LENGTH,
                    "a message has a 12-octet common header, got " + message.length + " octets", Optional.empty(), List.of());
        }
        int version = (message[0] & 0xff) >>> 5;
        boolean responder = (message[0] & 0x10) != 0;
        boolean fragmented = (message[0] & 0x08) != 0;
        int primitiveCode = message[1] & 0xff;
        long conferenceId = ((message[4] & 0xffL) << 24) | ((message[5] & 0xff) << 16) | ((message[6] & 0xff) << 8) | (message[7] & 0xff);
        int transactionId = ((message[8] & 0xff) << 8) | (message[9] & 0xff);
        int userId = ((message[10] & 0xff) << 8) | (message[11] & 0xff);
        Optional<BfcpException.Header> header = Optional.of(new BfcpException.Header(version, primitiveCode, conferenceId, transactionId, userId));
        if (version != BfcpMessage.VERSION_RELIABLE) {
            // RFC 8855 5.1: version 1 over TCP/TLS; 2 belongs to UDP
            throw new BfcpException(0, BfcpErrorCode.UNSUPPORTED_VERSION, "version " + version + " over a reliable transport (1 expected)", header, List.of());
        }
        if (responder || fragmented) {
            throw new BfcpException(0, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, "the R and F bits are for unreliable transports only", header, List.of());
        }
        int declared = messageLength(message[2], message[3]);
        if (declared != message.length) {
            throw new BfcpException(2, BfcpErrorCode.INCORRECT_MESSAGE_LENGTH,
                    "Payload Length says " + declared + " octets in all, the message has " + message.length, header, List.of());
        }
        BfcpPrimitive primitive = BfcpPrimitive.of(primitiveCode).orElseThrow(
                () -> new BfcpException(1, BfcpErrorCode.UNKNOWN_PRIMITIVE, "unknown primitive " + primitiveCode, header, List.of()));
        if (primitive.unreliableOnly()) {
            throw new BfcpException(1, BfcpErrorCode.UNKNOWN_PRIMITIVE, primitive.rfcName() + " is used over unreliable transports only", header, List.of());
        }
        List<Integer> unknownMandatory = new ArrayList<>();
        Reader reader = new Reader(message, header, unknownMandatory);
        List<BfcpAttribute> attributes = reader.attributes(HEADER_LENGTH, message.length);
        if (!unknownMandatory.isEmpty()) {
            throw new BfcpException(HEADER_LENGTH, BfcpErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE,
                    "mandatory attributes not understood: " + unknownMandatory, header, unknownMandatory);
        }
        BfcpMessage decoded = new BfcpMessage(version, primitive, conferenceId, transactionId, userId, attributes);
        checkGrammar(decoded, header);
        return decoded;
    }

    /** RFC 8855 5.3: the attributes each primitive must carry. */
    private static void checkGrammar(BfcpMessage message, Optional<BfcpException.Header> header) throws BfcpException {
        String missing = switch (message.primitive()) {
            case FLOOR_REQUEST -> message.first(FloorId.class).isEmpty() ? "FLOOR-ID" : null;
            case FLOOR_RELEASE, FLOOR_REQUEST_QUERY -> message.first(FloorRequestId.class).isEmpty() ? "FLOOR-REQUEST-ID" : null;
            case FLOOR_REQUEST_STATUS, CHAIR_ACTION -> message.first(BfcpAttribute.FloorRequestInformation.class).isEmpty() ? "FLOOR-REQUEST-INFORMATION" : null;
            case HELLO_ACK -> message.first(BfcpAttribute.SupportedPrimitives.class).isEmpty() ? "SUPPORTED-PRIMITIVES"
                    : message.first(BfcpAttribute.SupportedAttributes.class).isEmpty() ? "SUPPORTED-ATTRIBUTES" : null;
            case ERROR -> message.first(BfcpAttribute.ErrorCode.class).isEmpty() ? "ERROR-CODE" : null;
            default -> null;
        };
        if (missing == null && message.primitive() == BfcpPrimitive.FLOOR_RELEASE && message.all(FloorRequestId.class).size() > 1) {
            missing = "exactly one FLOOR-REQUEST-ID";
        }
        if (missing == null && message.primitive() == BfcpPrimitive.USER_QUERY && message.all(BeneficiaryId.class).size() > 1) {
            missing = "at most one BENEFICIARY-ID";
        }
        if (missing != null) {
            throw new BfcpException(HEADER_LENGTH, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, message.primitive().rfcName() + " needs " + missing, header, List.of());
        }
    }

    /** Attribute TLVs between two offsets, each padded to four octets (RFC 8855 5.2). */
    private static final class Reader {
        private final byte[] bytes;
        private final Optional<BfcpException.Header> header;
        private final List<Integer> unknownMandatory;

        Reader(byte[] bytes, Optional<BfcpException.Header> header, List<Integer> unknownMandatory) {
            this.bytes = bytes;
            this.header = header;
            this.unknownMandatory = unknownMandatory;
        }

        List<BfcpAttribute> attributes(int from, int to) throws BfcpException {
            List<BfcpAttribute> attributes = new ArrayList<>();
            int position = from;
            while (position < to) {
                if (to - position < 2) {
                    throw fail(position, BfcpErrorCode.INCORRECT_MESSAGE_LENGTH, "an attribute header needs 2 octets, " + (to - position) + " left");
                }
                int type = (bytes[position] & 0xff) >>> 1;
                boolean mandatory = (bytes[position] & 0x01) != 0;
                int length = bytes[position + 1] & 0xff;
                if (length < 2) {
                    throw fail(position + 1, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, "attribute " + type + " has Length " + length + " (at least 2)");
                }
                if (length > to - position) {
                    throw fail(position + 1, BfcpErrorCode.INCORRECT_MESSAGE_LENGTH,
                            "attribute " + type + " of " + length + " octets runs past its container (" + (to - position) + " left)");
                }
                BfcpAttribute attribute = attribute(type, mandatory, position, length);
                if (attribute != null) {
                    attributes.add(attribute);
                }
                position = Math.min(to, position + ((length + 3) & ~3));
            }
            return attributes;
        }

        /** One attribute, or null for an unknown mandatory one (collected for error 4). */
        private BfcpAttribute attribute(int type, boolean mandatory, int start, int length) throws BfcpException {
            int value = start + 2;
            int valueLength = length - 2;
            return switch (type) {
                case BfcpAttribute.BENEFICIARY_ID -> new BeneficiaryId(unsigned16(type, start, length));
                case BfcpAttribute.FLOOR_ID -> new FloorId(unsigned16(type, start, length));
                case BfcpAttribute.FLOOR_REQUEST_ID -> new FloorRequestId(unsigned16(type, start, length));
                case BfcpAttribute.PRIORITY -> {
                    int prio = (unsigned16(type, start, length) >>> 13);
                    if (prio >= Priority.values().length) {
                        throw fail(value, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, "PRIORITY " + prio + " is reserved");
                    }
                    yield new BfcpAttribute.PriorityAttribute(Priority.values()[prio]);
                }
                case BfcpAttribute.REQUEST_STATUS -> {
                    exactly(type, start, length, 4);
                    int code = bytes[value] & 0xff;
                    RequestStatus status = RequestStatus.of(code).orElseThrow(
                            () -> fail(value, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, "unknown Request Status " + code));
                    yield new BfcpAttribute.RequestStatusAttribute(status, bytes[value + 1] & 0xff);
                }
                case BfcpAttribute.ERROR_CODE -> {
                    if (valueLength < 1) {
                        throw fail(start + 1, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, "ERROR-CODE needs its code octet");
                    }
                    yield new BfcpAttribute.ErrorCode(bytes[value] & 0xff, new Octets(Arrays.copyOfRange(bytes, value + 1, start + length)));
                }
                case BfcpAttribute.ERROR_INFO -> new BfcpAttribute.ErrorInfo(text(value, valueLength));
                case BfcpAttribute.PARTICIPANT_PROVIDED_INFO -> new BfcpAttribute.ParticipantProvidedInfo(text(value, valueLength));
                case BfcpAttribute.STATUS_INFO -> new BfcpAttribute.StatusInfo(text(value, valueLength));
                case BfcpAttribute.USER_DISPLAY_NAME -> new BfcpAttribute.UserDisplayName(text(value, valueLength));
                case BfcpAttribute.USER_URI -> new BfcpAttribute.UserUri(text(value, valueLength));
                case BfcpAttribute.SUPPORTED_ATTRIBUTES -> {
                    List<Integer> types = new ArrayList<>(valueLength);
                    for (int i = value; i < start + length; i++) {
                        types.add((bytes[i] & 0xff) >>> 1);
                    }
                    yield new BfcpAttribute.SupportedAttributes(types);
                }
                case BfcpAttribute.SUPPORTED_PRIMITIVES -> {
                    List<Integer> primitives = new ArrayList<>(valueLength);
                    for (int i = value; i < start + length; i++) {
                        primitives.add(bytes[i] & 0xff);
                    }
                    yield new BfcpAttribute.SupportedPrimitives(primitives);
                }
                case BfcpAttribute.BENEFICIARY_INFORMATION, BfcpAttribute.FLOOR_REQUEST_INFORMATION, BfcpAttribute.REQUESTED_BY_INFORMATION,
                        BfcpAttribute.FLOOR_REQUEST_STATUS, BfcpAttribute.OVERALL_REQUEST_STATUS -> grouped(type, start, length);
                default -> {
                    if (mandatory) {
                        unknownMandatory.add(type); // RFC 8855 13.1: answered with error 4 listing them all
                        yield null;
                    }
                    yield new BfcpAttribute.Unknown(type, new Octets(Arrays.copyOfRange(bytes, value, start + length)));
                }
            };
        }

        private BfcpAttribute grouped(int type, int start, int length) throws BfcpException {
            if (length < 4) {
                throw fail(start + 1, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, "grouped attribute " + type + " needs its 16-bit header (Length " + length + ")");
            }
            int headerValue = ((bytes[start + 2] & 0xff) << 8) | (bytes[start + 3] & 0xff);
            List<BfcpAttribute> contained = attributes(start + 4, start + length);
            return switch (type) {
                case BfcpAttribute.BENEFICIARY_INFORMATION -> new BfcpAttribute.BeneficiaryInformation(headerValue, contained);
                case BfcpAttribute.FLOOR_REQUEST_INFORMATION -> {
                    // RFC 8855 5.2.15: at least one FLOOR-REQUEST-STATUS
                    if (contained.stream().noneMatch(BfcpAttribute.FloorRequestStatus.class::isInstance)) {
                        throw fail(start, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, "FLOOR-REQUEST-INFORMATION needs a FLOOR-REQUEST-STATUS");
                    }
                    yield new BfcpAttribute.FloorRequestInformation(headerValue, contained);
                }
                case BfcpAttribute.REQUESTED_BY_INFORMATION -> new BfcpAttribute.RequestedByInformation(headerValue, contained);
                case BfcpAttribute.FLOOR_REQUEST_STATUS -> new BfcpAttribute.FloorRequestStatus(headerValue, contained);
                default -> new BfcpAttribute.OverallRequestStatus(headerValue, contained);
            };
        }

        private int unsigned16(int type, int start, int length) throws BfcpException {
            exactly(type, start, length, 4);
            return ((bytes[start + 2] & 0xff) << 8) | (bytes[start + 3] & 0xff);
        }

        private void exactly(int type, int start, int length, int expected) throws BfcpException {
            if (length != expected) {
                throw fail(start + 1, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, "attribute " + type + " has Length " + length + ", " + expected + " expected");
            }
        }

        /** UTF-8 text (RFC 8855 5.2.7 to 5.2.13); anything else cannot be parsed (and would not survive a round trip). */
        private String text(int offset, int length) throws BfcpException {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes, offset, length)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw fail(offset, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, "text that is not UTF-8");
            }
        }

        private BfcpException fail(int offset, BfcpErrorCode code, String why) {
            return new BfcpException(offset, code, why, header, List.of());
        }
    }
}
