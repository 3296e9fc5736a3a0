package org.mediasec.ng.message;

import java.util.Optional;

/** The required-key checks of {@link NgRequest}'s commands, worded as rtpengine's error reasons. */
final class RequiredKeys {

    private RequiredKeys() {}

    static void callId(NgParameters parameters) {
        present(parameters.callId(), "No call-id in message");
    }

    static void fromTag(NgParameters parameters) {
        present(parameters.fromTag(), "No from-tag in message");
    }

    static void toTag(NgParameters parameters) {
        present(parameters.toTag(), "No to-tag in message");
    }

    static void sdp(NgParameters parameters) {
        present(parameters.sdp(), "No SDP body in message");
    }

    /** An empty value is as good as none: rtpengine cannot key a call by an empty Call-ID or tag either. */
    private static void present(Optional<String> value, String missing) {
        if (value.isEmpty() || value.get().isEmpty()) {
            throw new IllegalArgumentException(missing);
        }
    }
}
