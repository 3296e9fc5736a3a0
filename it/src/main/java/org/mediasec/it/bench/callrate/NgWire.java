package org.mediasec.it.bench.callrate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the rtpengine driver needs of an ng codec (rtpengine's ng control protocol: {@code <cookie> <bencoded
 * dictionary>}, one message per UDP datagram): a request framed with its cookie, and a reply read back. Implemented on
 * the project's ng codec (module {@code ng}); the benchmark has no bencode of its own.
 */
interface NgWire {

    /** An ng command and its string keys in order, e.g. {@code offer} with call-id, from-tag and sdp. */
    record Request(String command, Map<String, String> keys) {
        public Request {
            keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        }
    }

    /** A reply: its cookie, {@code result} ("ok", "pong", "error", "load limit"...), the rewritten SDP and the error reason if any. */
    record Reply(String cookie, String result, Optional<String> sdp, Optional<String> errorReason) {}

    /** A reply that does not parse, with the codec's reason. */
    final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    byte[] frame(String cookie, Request request);

    Reply read(byte[] datagram) throws Unreadable;
}
