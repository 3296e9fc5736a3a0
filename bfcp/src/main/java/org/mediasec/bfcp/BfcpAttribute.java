package org.mediasec.bfcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A BFCP attribute (RFC 8855 5.2): a TLV whose type is 7 bits, with the M (mandatory) bit beside it. Grouped
 * attributes carry a 16-bit header value and the attributes they contain. Attributes this codec does not know stay
 * as {@link Unknown} when their M bit is clear; with it set the message is refused (error 4).
 */
public sealed interface BfcpAttribute {

    int BENEFICIARY_ID = 1;
    int FLOOR_ID = 2;
    int FLOOR_REQUEST_ID = 3;
    int PRIORITY = 4;
    int REQUEST_STATUS = 5;
    int ERROR_CODE = 6;
    int ERROR_INFO = 7;
    int PARTICIPANT_PROVIDED_INFO = 8;
    int STATUS_INFO = 9;
    int SUPPORTED_ATTRIBUTES = 10;
    int SUPPORTED_PRIMITIVES = 11;
    int USER_DISPLAY_NAME = 12;
    int USER_URI = 13;
    int BENEFICIARY_INFORMATION = 14;
    int FLOOR_REQUEST_INFORMATION = 15;
    int REQUESTED_BY_INFORMATION = 16;
    int FLOOR_REQUEST_STATUS = 17;
    int OVERALL_REQUEST_STATUS = 18;

    /** The types this codec knows, 1 to 18, in the order HelloAck lists them. */
    static List<Integer> knownTypes() {
        List<Integer> types = new ArrayList<>(18);
        for (int type = BENEFICIARY_ID; type <= OVERALL_REQUEST_STATUS; type++) {
            types.add(type);
        }
        return types;
    }

    int type();

    /** A 16-bit identifier attribute (BENEFICIARY-ID, FLOOR-ID, FLOOR-REQUEST-ID). */
    sealed interface Identifier extends BfcpAttribute {
        int id();
    }

    /** A grouped attribute (RFC 8855 5.2.14 to 5.2.18): its 16-bit header value and what it contains. */
    sealed interface Grouped extends BfcpAttribute {
        int headerValue();

        List<BfcpAttribute> attributes();

        /** The first contained attribute of the given class. */
        default <T extends BfcpAttribute> Optional<T> first(Class<T> kind) {
            return attributes().stream().filter(kind::isInstance).map(kind::cast).findFirst();
        }

        default <T extends BfcpAttribute> List<T> all(Class<T> kind) {
            return attributes().stream().filter(kind::isInstance).map(kind::cast).toList();
        }
    }

    /** A UTF-8 text attribute (ERROR-INFO, PARTICIPANT-PROVIDED-INFO, STATUS-INFO, USER-DISPLAY-NAME, USER-URI). */
    sealed interface Text extends BfcpAttribute {
        String text();
    }

    record BeneficiaryId(int id) implements Identifier {
        public BeneficiaryId {
            Checks.unsigned16(id, "BENEFICIARY-ID");
        }

        public int type() {
            return BENEFICIARY_ID;
        }
    }

    record FloorId(int id) implements Identifier {
        public FloorId {
            Checks.unsigned16(id, "FLOOR-ID");
        }

        public int type() {
            return FLOOR_ID;
        }
    }

    record FloorRequestId(int id) implements Identifier {
        public FloorRequestId {
            Checks.unsigned16(id, "FLOOR-REQUEST-ID");
        }

        public int type() {
            return FLOOR_REQUEST_ID;
        }
    }

    /** PRIORITY (5.2.4): Prio in the top three bits. */
    record PriorityAttribute(Priority priority) implements BfcpAttribute {
        public int type() {
            return PRIORITY;
        }
    }

    /** REQUEST-STATUS (5.2.5): the status and the position in the floor's queue (0: not queued). */
    record RequestStatusAttribute(RequestStatus status, int queuePosition) implements BfcpAttribute {
        public RequestStatusAttribute {
            if (queuePosition < 0 || queuePosition > 0xff) {
                throw new IllegalArgumentException("queue position is one octet: " + queuePosition);
            }
        }

        public int type() {
            return REQUEST_STATUS;
        }
    }

    /**
     * ERROR-CODE (5.2.6): the code (kept as a number, the registry grows) and its details; for Unknown Mandatory
     * Attribute (4) the details list the unknown types, one per octet as Type (7 bits) and a reserved bit.
     */
    record ErrorCode(int code, Octets details) implements BfcpAttribute {
        public ErrorCode {
            if (code < 0 || code > 0xff) {
                throw new IllegalArgumentException("an error code is one octet: " + code);
            }
        }

        public static ErrorCode of(BfcpErrorCode code) {
            return new ErrorCode(code.code(), Octets.EMPTY);
        }

        public static ErrorCode unknownMandatoryAttributes(List<Integer> types) {
            byte[] details = new byte[types.size()];
            for (int i = 0; i < details.length; i++) {
                details[i] = (byte) (types.get(i) << 1);
            }
            return new ErrorCode(BfcpErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE.code(), new Octets(details));
        }

        public Optional<BfcpErrorCode> known() {
            return BfcpErrorCode.of(code);
        }

        /** For code 4: the attribute types the receiver did not understand. */
        public List<Integer> unknownAttributeTypes() {
            List<Integer> types = new ArrayList<>(details.length());
            for (int i = 0; i < details.length(); i++) {
                types.add(details.at(i) >>> 1);
            }
            return types;
        }

        public int type() {
            return ERROR_CODE;
        }
    }

    record ErrorInfo(String text) implements Text {
        public int type() {
            return ERROR_INFO;
        }
    }

    record ParticipantProvidedInfo(String text) implements Text {
        public int type() {
            return PARTICIPANT_PROVIDED_INFO;
        }
    }

    record StatusInfo(String text) implements Text {
        public int type() {
            return STATUS_INFO;
        }
    }

    record UserDisplayName(String text) implements Text {
        public int type() {
            return USER_DISPLAY_NAME;
        }
    }

    record UserUri(String text) implements Text {
        public int type() {
            return USER_URI;
        }
    }

    /** SUPPORTED-ATTRIBUTES (5.2.10): attribute types, one per octet (Type, then a reserved bit). */
    record SupportedAttributes(List<Integer> types) implements BfcpAttribute {
        public SupportedAttributes {
            types = List.copyOf(types);
            types.forEach(type -> Checks.range(type, 0, 0x7f, "attribute type"));
        }

        public int type() {
            return SUPPORTED_ATTRIBUTES;
        }
    }

    /** SUPPORTED-PRIMITIVES (5.2.11): primitive codes, one per octet. */
    record SupportedPrimitives(List<Integer> primitives) implements BfcpAttribute {
        public SupportedPrimitives {
            primitives = List.copyOf(primitives);
            primitives.forEach(code -> Checks.range(code, 0, 0xff, "primitive"));
        }

        public int type() {
            return SUPPORTED_PRIMITIVES;
        }
    }

    record BeneficiaryInformation(int headerValue, List<BfcpAttribute> attributes) implements Grouped {
        public BeneficiaryInformation {
            Checks.unsigned16(headerValue, "Beneficiary ID");
            attributes = List.copyOf(attributes);
        }

        public int type() {
            return BENEFICIARY_INFORMATION;
        }
    }

    record FloorRequestInformation(int headerValue, List<BfcpAttribute> attributes) implements Grouped {
        public FloorRequestInformation {
            Checks.unsigned16(headerValue, "Floor Request ID");
            attributes = List.copyOf(attributes);
        }

        public int type() {
            return FLOOR_REQUEST_INFORMATION;
        }
    }

    record RequestedByInformation(int headerValue, List<BfcpAttribute> attributes) implements Grouped {
        public RequestedByInformation {
            Checks.unsigned16(headerValue, "Requested-by ID");
            attributes = List.copyOf(attributes);
        }

        public int type() {
            return REQUESTED_BY_INFORMATION;
        }
    }

    record FloorRequestStatus(int headerValue, List<BfcpAttribute> attributes) implements Grouped {
        public FloorRequestStatus {
            Checks.unsigned16(headerValue, "Floor ID");
            attributes = List.copyOf(attributes);
        }

        public int type() {
            return FLOOR_REQUEST_STATUS;
        }
    }

    record OverallRequestStatus(int headerValue, List<BfcpAttribute> attributes) implements Grouped {
        public OverallRequestStatus {
            Checks.unsigned16(headerValue, "Floor Request ID");
            attributes = List.copyOf(attributes);
        }

        public int type() {
            return OVERALL_REQUEST_STATUS;
        }
    }

    /** An attribute this codec does not know, with the M bit clear (kept, and passed over). */
    record Unknown(int type, Octets value) implements BfcpAttribute {
        public Unknown {
            Checks.range(type, 0, 0x7f, "attribute type");
            if (type >= BENEFICIARY_ID && type <= OVERALL_REQUEST_STATUS) {
                throw new IllegalArgumentException("attribute type " + type + " is known");
            }
        }
    }
}
