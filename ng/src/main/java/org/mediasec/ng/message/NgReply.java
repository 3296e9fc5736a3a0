package org.mediasec.ng.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mediasec.ng.NgList;
import org.mediasec.ng.NgString;
import org.mediasec.ng.NgValue;

/**
 * An ng reply (rtpengine ng protocol: "The response dictionary must contain at least one key called
 * {@code result}"): {@code ok}, {@code pong} (to {@code ping} only), {@code error} with {@code error-reason} and
 * nothing else, or {@code load limit} with an optional {@code message}, for a proxy that said
 * {@code supports: ["load limit"]}. {@code NgReplies.read(NgReplies.write(r))} equals {@code r}.
 */
public sealed interface NgReply {

    /** {@code result: ok}, with the rewritten SDP for offer and answer, a non-fatal warning, and other fields. */
    record Ok(Optional<String> sdp, Optional<String> warning, Map<String, NgValue> fields) implements NgReply {

        /** The keys {@code fields} cannot hold: they have their own components. */
        static final Set<String> TYPED = Set.of(NgKeys.RESULT, NgKeys.SDP, NgKeys.WARNING);

        public Ok {
            Objects.requireNonNull(sdp);
            warning = warning.map(NgString::encodable); // a warning may quote the peer too
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            for (String key : fields.keySet()) {
                if (TYPED.contains(key)) {
                    throw new IllegalArgumentException("'" + key + "' is not an extra field");
                }
            }
        }

        /** With {@code key} set to {@code value} as well (query and statistics fields, delete's statistics). */
        public Ok with(String key, NgValue value) {
            Map<String, NgValue> more = new LinkedHashMap<>(fields);
            more.put(key, value);
            return new Ok(sdp, warning, more);
        }

        public Ok withWarning(String text) {
            return new Ok(sdp, Optional.of(text), fields);
        }
    }

    /** {@code result: pong}. */
    record Pong() implements NgReply {}

    /** {@code result: error}, {@code error-reason}. */
    record Error(String reason) implements NgReply {

        public Error {
            // a reason may quote a hostile peer's bytes, cut by a parser inside a surrogate pair: it must still encode
            reason = NgString.encodable(Objects.requireNonNull(reason));
        }
    }

    /** {@code result: load limit}, optional {@code message} (rtpengine's: "Parallel session limit reached"). */
    record LoadLimit(Optional<String> message) implements NgReply {

        public LoadLimit {
            Objects.requireNonNull(message);
        }
    }

    /** rtpengine's reason for a command it does not know. */
    String UNRECOGNIZED_COMMAND = "Unrecognized command";

    static Ok ok() {
        return new Ok(Optional.empty(), Optional.empty(), Map.of());
    }

    /** The reply to an offer or answer. */
    static Ok sdp(String rewritten) {
        return new Ok(Optional.of(rewritten), Optional.empty(), Map.of());
    }

    /** The reply to {@code list}: the call IDs under {@code calls}. */
    static Ok calls(List<String> callIds) {
        return ok().with(NgKeys.CALLS, NgList.ofStrings(callIds));
    }

    static Error error(String reason) {
        return new Error(reason);
    }
}
