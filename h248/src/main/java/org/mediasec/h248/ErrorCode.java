package org.mediasec.h248;

import java.util.Optional;
import org.mediasec.traceability.Implements;

/**
 * H.248.8 error codes (and the H.248.1 ServiceChange reason codes are in {@code ServiceChangeReason}). Each
 * constant carries the code and the reason text that goes into an Error descriptor: {@code Error = 400 {"…"}}.
 * Texts follow H.248.8 (names as in Wireshark's h248_reasons table).
 */
@Implements("H248-6")
public enum ErrorCode {
    SYNTAX_ERROR_IN_MESSAGE(400, "Syntax error in message"),
    PROTOCOL_ERROR(401, "Protocol Error"),
    UNAUTHORIZED(402, "Unauthorized"),
    SYNTAX_ERROR_IN_TRANSACTION_REQUEST(403, "Syntax error in TransactionRequest"),
    SYNTAX_ERROR_IN_TRANSACTION_REPLY(404, "Syntax error in TransactionReply"),
    SYNTAX_ERROR_IN_TRANSACTION_PENDING(405, "Syntax error in TransactionPending"),
    VERSION_NOT_SUPPORTED(406, "Version Not Supported"),
    INCORRECT_IDENTIFIER(410, "Incorrect identifier"),
    UNKNOWN_CONTEXT_ID(411, "The transaction refers to an unknown ContextId"),
    NO_CONTEXT_IDS_AVAILABLE(412, "No ContextIDs available"),
    TOO_MANY_TRANSACTIONS(413, "Number of transactions in message exceeds maximum"),
    UNKNOWN_ACTION(421, "Unknown action or illegal combination of actions"),
    SYNTAX_ERROR_IN_ACTION(422, "Syntax Error in Action"),
    UNKNOWN_TERMINATION_ID(430, "Unknown TerminationID"),
    NO_TERMINATION_ID_MATCHED_WILDCARD(431, "No TerminationID matched a wildcard"),
    OUT_OF_TERMINATION_IDS(432, "Out of TerminationIDs or No TerminationID available"),
    TERMINATION_ID_ALREADY_IN_CONTEXT(433, "TerminationID is already in a Context"),
    MAX_TERMINATIONS_IN_CONTEXT(434, "Max number of Terminations in a Context exceeded"),
    TERMINATION_ID_NOT_IN_CONTEXT(435, "Termination ID is not in specified Context"),
    UNSUPPORTED_PACKAGE(440, "Unsupported or unknown Package"),
    MISSING_REMOTE_OR_LOCAL_DESCRIPTOR(441, "Missing Remote or Local Descriptor"),
    SYNTAX_ERROR_IN_COMMAND(442, "Syntax Error in Command"),
    UNSUPPORTED_COMMAND(443, "Unsupported or Unknown Command"),
    UNSUPPORTED_DESCRIPTOR(444, "Unsupported or Unknown Descriptor"),
    UNSUPPORTED_PROPERTY(445, "Unsupported or Unknown Property"),
    UNSUPPORTED_PARAMETER(446, "Unsupported or Unknown Parameter"),
    DESCRIPTOR_NOT_LEGAL_IN_COMMAND(447, "Descriptor not legal in this command"),
    DESCRIPTOR_APPEARS_TWICE(448, "Descriptor appears twice in a command"),
    UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE(449, "Unsupported or Unknown Parameter or Property Value"),
    NO_SUCH_PROPERTY(450, "No such property in this package"),
    NO_SUCH_EVENT(451, "No such event in this package"),
    NO_SUCH_SIGNAL(452, "No such signal in this package"),
    NO_SUCH_STATISTIC(453, "No such statistic in this package"),
    NO_SUCH_PARAMETER_VALUE(454, "No such parameter value in this package"),
    PROPERTY_ILLEGAL_IN_DESCRIPTOR(455, "Property illegal in this Descriptor"),
    PROPERTY_APPEARS_TWICE(456, "Property appears twice in this Descriptor"),
    MISSING_PARAMETER(457, "Missing parameter in signal or event"),
    UNEXPECTED_EVENT_OR_REQUEST_ID(458, "Unexpected Event/Request ID"),
    UNSUPPORTED_PROFILE(459, "Unsupported or Unknown Profile"),
    UNABLE_TO_SET_STATISTIC_ON_STREAM(460, "Unable to set statistic on stream"),
    IMPLIED_ADD_FOR_MULTIPLEX_FAILURE(471, "Implied Add for Multiplex failure"),
    REQUIRED_INFORMATION_MISSING(472, "Required Information Missing"),
    CONFLICTING_PROPERTY_VALUES(473, "Conflicting Property Values"),
    INVALID_SDP_SYNTAX(474, "Invalid SDP Syntax"),
    INTERNAL_SOFTWARE_FAILURE(500, "Internal software Failure in MG"),
    NOT_IMPLEMENTED(501, "Not Implemented"),
    NOT_READY(502, "Not ready"),
    SERVICE_UNAVAILABLE(503, "Service Unavailable"),
    COMMAND_RECEIVED_FROM_UNAUTHORIZED_ENTITY(504, "Command Received from unauthorized entity"),
    TRANSACTION_REQUEST_RECEIVED_BEFORE_SERVICE_CHANGE_REPLY(505, "Transaction Request Received before a ServiceChange Reply has been received"),
    NUMBER_OF_TRANSACTION_PENDINGS_EXCEEDED(506, "Number of Transaction Pendings Exceeded"),
    INSUFFICIENT_RESOURCES(510, "Insufficient resources"),
    TEMPORARILY_BUSY(511, "Temporarily Busy"),
    MEDIA_GATEWAY_UNEQUIPPED_TO_DETECT_EVENT(512, "Media Gateway unequipped to detect requested Event"),
    MEDIA_GATEWAY_UNEQUIPPED_TO_GENERATE_SIGNAL(513, "Media Gateway unequipped to generate requested Signals"),
    MEDIA_GATEWAY_CANNOT_SEND_ANNOUNCEMENT(514, "Media Gateway cannot send the specified announcement"),
    UNSUPPORTED_MEDIA_TYPE(515, "Unsupported Media Type"),
    UNSUPPORTED_OR_INVALID_MODE(517, "Unsupported or invalid mode"),
    EVENT_BUFFER_FULL(518, "Event buffer full"),
    OUT_OF_SPACE_TO_STORE_DIGIT_MAP(519, "Out of space to store digit map"),
    DIGIT_MAP_UNDEFINED(520, "Digit Map undefined in the MG"),
    TERMINATION_IS_SERVICE_CHANGING(521, "Termination is ServiceChanging"),
    FUNCTIONALITY_REQUESTED_IN_TOPOLOGY_TRIPLE_NOT_SUPPORTED(522, "Functionality Requested in Topology Triple Not Supported"),
    INSUFFICIENT_BANDWIDTH(526, "Insufficient bandwidth"),
    INTERNAL_HARDWARE_FAILURE(529, "Internal hardware failure in MG"),
    TEMPORARY_NETWORK_FAILURE(530, "Temporary Network failure"),
    PERMANENT_NETWORK_FAILURE(531, "Permanent Network failure"),
    AUDITED_PROPERTY_DOES_NOT_EXIST(532, "Audited Property, Statistic, Event or Signal does not exist"),
    RESPONSE_EXCEEDS_MAXIMUM_TRANSPORT_PDU_SIZE(533, "Response exceeds maximum transport PDU size"),
    ILLEGAL_WRITE_OR_READ_ONLY_PROPERTY(534, "Illegal write or read only property"),
    UNEXPECTED_INITIAL_HOOK_STATE(540, "Unexpected initial hook state"),
    COMMAND_NOT_ALLOWED_ON_THIS_TERMINATION(542, "Command is not allowed on this termination"),
    MGC_REQUESTED_EVENT_DETECTION_TIMESTAMP_NOT_SUPPORTED(543, "MGC requested event detection timestamp not supported"),
    NO_SUCH_EVENT_OR_SIGNAL_IN_DESCRIPTOR(581, "Does Not Exist");

    private final int code;
    private final String reason;

    ErrorCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** The numeric H.248.8 code as it appears on the wire. */
    public int code() {
        return code;
    }

    /** The H.248.8 reason text. */
    public String reason() {
        return reason;
    }

    public static Optional<ErrorCode> of(int code) {
        for (ErrorCode candidate : values()) {
            if (candidate.code == code) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return code + " " + reason;
    }
}
