package org.mediasec.ng.message;

import java.util.Locale;
import java.util.Set;

/**
 * ng dictionary keys. rtpengine lists several spellings for most keys ({@code "received from"},
 * {@code "received-from"}; {@code "call-id"}, {@code "call ID"}; {@code "rtpp_flags"}; {@code "SDP"}): we compare
 * keys {@link #normalise(String) normalised}, so that every spelling it accepts is accepted, and two spellings of
 * one key in one message are a duplicate. The constants are the normalised forms, which are also the spellings we
 * write (the ones Kamailio's rtpengine module sends).
 */
public final class NgKeys {

    public static final String COMMAND = "command";
    public static final String CALL_ID = "call-id";
    public static final String FROM_TAG = "from-tag";
    public static final String TO_TAG = "to-tag";
    public static final String VIA_BRANCH = "via-branch";
    public static final String SDP = "sdp";
    public static final String FLAGS = "flags";
    public static final String REPLACE = "replace";
    public static final String DIRECTION = "direction";
    public static final String RECEIVED_FROM = "received-from";
    public static final String TRANSPORT_PROTOCOL = "transport-protocol";
    public static final String SIP_MESSAGE_TYPE = "sip-message-type";
    public static final String RTPP_FLAGS = "rtpp-flags";
    public static final String DELETE_DELAY = "delete-delay";
    public static final String SUPPORTS = "supports";
    public static final String LIMIT = "limit";

    /** Reply keys, spelled exactly as rtpengine writes them (replies are not normalised). */
    public static final String RESULT = "result";
    public static final String ERROR_REASON = "error-reason";
    public static final String WARNING = "warning";
    public static final String MESSAGE = "message";
    public static final String CALLS = "calls";

    /** The request keys {@link NgParameters} types; any other key is kept as it came, in its extras. */
    public static final Set<String> TYPED = Set.of(COMMAND, CALL_ID, FROM_TAG, TO_TAG, VIA_BRANCH, SDP, FLAGS, REPLACE, DIRECTION,
            RECEIVED_FROM, TRANSPORT_PROTOCOL, SIP_MESSAGE_TYPE, RTPP_FLAGS, DELETE_DELAY, SUPPORTS, LIMIT);

    private NgKeys() {}

    /**
     * Lower case (ASCII), with space and underscore read as hyphen: {@code "Received From"},
     * {@code "received_from"} and {@code "received-from"} are one key. rtpengine itself lists case variants one by
     * one ({@code "SDP"}/{@code "sdp"}, {@code "call-ID"}/{@code "call-id"}); folding all case is a superset.
     */
    public static String normalise(String key) {
        return key.toLowerCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
    }
}
