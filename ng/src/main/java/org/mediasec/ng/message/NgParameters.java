package org.mediasec.ng.message;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.mediasec.ng.NgValue;

/**
 * What an ng request says besides its command: the keys that matter to mediasec, typed, and every other key as it
 * came (its spelling kept, so it can be passed on to an rtpengine unchanged). rtpengine reads one set of
 * parameters for every command; so do we, and each {@link NgRequest} says which of them it requires.
 * {@code NgRequestReader.read(NgRequestWriter.write(r))} equals {@code r}.
 *
 * @param callId {@code call-id}: the SIP Call-ID
 * @param fromTag {@code from-tag}: the tag of the side that sent the SIP message (rtpengine's sense: for an
 *     answer, Kamailio swaps the tags)
 * @param toTag {@code to-tag}
 * @param viaBranch {@code via-branch}: the Via branch, telling forks and retransmissions apart
 * @param sdp {@code sdp}: the complete SDP body
 * @param flags {@code flags}: a list of strings ({@code "trust address"}, {@code "fatal"}, ...)
 * @param replace {@code replace}: the parts of the SDP to rewrite ({@code "origin"}, {@code "session connection"})
 * @param direction {@code direction}: at most two interface names, the offerer's side first
 * @param receivedFrom {@code received-from}: where the SIP message came from
 * @param transportProtocol {@code transport-protocol}: the transport the rewritten SDP should offer
 * @param sipMessageType {@code sip-message-type}: request or reply
 * @param rtppFlags {@code rtpp-flags}: the raw flag string of the proxy's script, when the proxy leaves its parsing
 *     to the media proxy
 * @param deleteDelay {@code delete-delay}: seconds to keep a deleted call (0: at once)
 * @param limit {@code limit}: the most call IDs a {@code list} reply holds
 * @param supports {@code supports}: the proxy's protocol extensions ({@code "load limit"})
 * @param extra every other key, spelled as received, in order
 */
public record NgParameters(
        Optional<String> callId,
        Optional<String> fromTag,
        Optional<String> toTag,
        Optional<String> viaBranch,
        Optional<String> sdp,
        List<String> flags,
        List<String> replace,
        List<String> direction,
        Optional<ReceivedFrom> receivedFrom,
        Optional<String> transportProtocol,
        Optional<SipMessageType> sipMessageType,
        Optional<String> rtppFlags,
        OptionalInt deleteDelay,
        OptionalInt limit,
        List<String> supports,
        Map<String, NgValue> extra) {

    /** The {@code supports} value of the load-limit extension (rtpengine ng protocol, {@code supports}). */
    public static final String LOAD_LIMIT = "load limit";

    /** rtpengine's {@code direction}: one interface for each side of the call. */
    public static final int MAX_DIRECTIONS = 2;

    public static final NgParameters NONE = builder().build();

    public NgParameters {
        flags = List.copyOf(flags);
        replace = List.copyOf(replace);
        direction = List.copyOf(direction);
        supports = List.copyOf(supports);
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        if (direction.size() > MAX_DIRECTIONS) {
            throw new IllegalArgumentException("direction: at most " + MAX_DIRECTIONS + " interfaces, not " + direction.size());
        }
        if (deleteDelay.isPresent() && deleteDelay.getAsInt() < 0) {
            throw new IllegalArgumentException("delete-delay: must not be negative");
        }
        if (limit.isPresent() && limit.getAsInt() < 0) {
            throw new IllegalArgumentException("invalid limit, must be >= 0");
        }
        Set<String> seen = new HashSet<>();
        for (String key : extra.keySet()) {
            String normalised = NgKeys.normalise(key);
            if (NgKeys.TYPED.contains(normalised) || !seen.add(normalised)) {
                throw new IllegalArgumentException("extra key '" + key + "' is typed or given twice");
            }
        }
    }

    /** Whether {@code flags} holds {@code flag}, compared normalised ({@code "trust address"} = {@code "trust-address"}). */
    public boolean hasFlag(String flag) {
        String wanted = NgKeys.normalise(flag);
        return flags.stream().anyMatch(f -> NgKeys.normalise(f).equals(wanted));
    }

    /** Whether the proxy accepts a {@code load limit} result instead of an error (Kamailio says so in every request). */
    public boolean supportsLoadLimit() {
        String wanted = NgKeys.normalise(LOAD_LIMIT);
        return supports.stream().anyMatch(s -> NgKeys.normalise(s).equals(wanted));
    }

    /** An extra key's value, found by any spelling of the key. */
    public Optional<NgValue> extra(String key) {
        String wanted = NgKeys.normalise(key);
        return extra.entrySet().stream().filter(e -> NgKeys.normalise(e.getKey()).equals(wanted)).map(Map.Entry::getValue).findFirst();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Not thread-safe. */
    public static final class Builder {

        private Optional<String> callId = Optional.empty();
        private Optional<String> fromTag = Optional.empty();
        private Optional<String> toTag = Optional.empty();
        private Optional<String> viaBranch = Optional.empty();
        private Optional<String> sdp = Optional.empty();
        private List<String> flags = List.of();
        private List<String> replace = List.of();
        private List<String> direction = List.of();
        private Optional<ReceivedFrom> receivedFrom = Optional.empty();
        private Optional<String> transportProtocol = Optional.empty();
        private Optional<SipMessageType> sipMessageType = Optional.empty();
        private Optional<String> rtppFlags = Optional.empty();
        private OptionalInt deleteDelay = OptionalInt.empty();
        private OptionalInt limit = OptionalInt.empty();
        private List<String> supports = List.of();
        private final Map<String, NgValue> extra = new LinkedHashMap<>();

        private Builder() {}

        public Builder callId(String value) {
            callId = Optional.of(value);
            return this;
        }

        public Builder fromTag(String value) {
            fromTag = Optional.of(value);
            return this;
        }

        public Builder toTag(String value) {
            toTag = Optional.of(value);
            return this;
        }

        public Builder viaBranch(String value) {
            viaBranch = Optional.of(value);
            return this;
        }

        public Builder sdp(String value) {
            sdp = Optional.of(value);
            return this;
        }

        public Builder flags(List<String> value) {
            flags = value;
            return this;
        }

        public Builder replace(List<String> value) {
            replace = value;
            return this;
        }

        public Builder direction(List<String> value) {
            direction = value;
            return this;
        }

        public Builder receivedFrom(ReceivedFrom value) {
            receivedFrom = Optional.of(value);
            return this;
        }

        public Builder transportProtocol(String value) {
            transportProtocol = Optional.of(value);
            return this;
        }

        public Builder sipMessageType(SipMessageType value) {
            sipMessageType = Optional.of(value);
            return this;
        }

        public Builder rtppFlags(String value) {
            rtppFlags = Optional.of(value);
            return this;
        }

        public Builder deleteDelay(int seconds) {
            deleteDelay = OptionalInt.of(seconds);
            return this;
        }

        public Builder limit(int value) {
            limit = OptionalInt.of(value);
            return this;
        }

        public Builder supports(List<String> value) {
            supports = value;
            return this;
        }

        public Builder extra(String key, NgValue value) {
            extra.put(key, value);
            return this;
        }

        public NgParameters build() {
            return new NgParameters(callId, fromTag, toTag, viaBranch, sdp, flags, replace, direction, receivedFrom, transportProtocol,
                    sipMessageType, rtppFlags, deleteDelay, limit, supports, extra);
        }
    }
}
