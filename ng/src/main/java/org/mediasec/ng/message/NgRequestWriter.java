package org.mediasec.ng.message;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.mediasec.ng.NgDictionary;
import org.mediasec.ng.NgInteger;
import org.mediasec.ng.NgList;
import org.mediasec.ng.NgString;

/**
 * Writes an {@link NgRequest} as an ng dictionary: {@code command}, the typed keys that are set, in the spellings
 * Kamailio's rtpengine module sends ({@code call-id}, {@code received-from}, {@code transport-protocol}, ...), then
 * the extras as they were spelled. Empty lists are left out (Kamailio leaves them out; they read back empty).
 * What mediasec sends to an rtpengine, and what the tests send to us. Stateless.
 */
public final class NgRequestWriter {

    private NgRequestWriter() {}

    public static NgDictionary write(NgRequest request) {
        NgParameters p = request.parameters();
        NgDictionary.Builder dictionary = NgDictionary.builder().put(NgKeys.COMMAND, request.command());
        string(dictionary, NgKeys.CALL_ID, p.callId());
        string(dictionary, NgKeys.FROM_TAG, p.fromTag());
        string(dictionary, NgKeys.TO_TAG, p.toTag());
        string(dictionary, NgKeys.VIA_BRANCH, p.viaBranch());
        string(dictionary, NgKeys.SDP, p.sdp());
        strings(dictionary, NgKeys.FLAGS, p.flags());
        strings(dictionary, NgKeys.REPLACE, p.replace());
        strings(dictionary, NgKeys.DIRECTION, p.direction());
        p.receivedFrom().ifPresent(from -> dictionary.put(NgKeys.RECEIVED_FROM, NgList.of(NgString.of(from.addressFamily()), NgString.of(from.address()))));
        string(dictionary, NgKeys.TRANSPORT_PROTOCOL, p.transportProtocol());
        string(dictionary, NgKeys.SIP_MESSAGE_TYPE, p.sipMessageType().map(SipMessageType::wire));
        string(dictionary, NgKeys.RTPP_FLAGS, p.rtppFlags());
        integer(dictionary, NgKeys.DELETE_DELAY, p.deleteDelay());
        integer(dictionary, NgKeys.LIMIT, p.limit());
        strings(dictionary, NgKeys.SUPPORTS, p.supports());
        p.extra().forEach(dictionary::put);
        return dictionary.build();
    }

    private static void string(NgDictionary.Builder dictionary, String key, Optional<String> value) {
        value.ifPresent(text -> dictionary.put(key, text));
    }

    private static void strings(NgDictionary.Builder dictionary, String key, List<String> values) {
        if (!values.isEmpty()) {
            dictionary.put(key, NgList.ofStrings(values));
        }
    }

    private static void integer(NgDictionary.Builder dictionary, String key, OptionalInt value) {
        value.ifPresent(v -> dictionary.put(key, new NgInteger(v)));
    }
}
