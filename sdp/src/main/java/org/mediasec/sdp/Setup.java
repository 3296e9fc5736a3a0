package org.mediasec.sdp;

import java.util.Locale;
import java.util.Optional;
import org.mediasec.traceability.Implements;

/** {@code a=setup} (RFC 4145 4): which end opens the TCP connection (TCP-1). */
public enum Setup {
    ACTIVE, PASSIVE, ACTPASS, HOLDCONN;

    private final String token = name().toLowerCase(Locale.ROOT);

    public String token() {
        return token;
    }

    public static Optional<Setup> of(String token) {
        String stripped = token.strip();
        for (Setup setup : values()) {
            if (setup.token.equalsIgnoreCase(stripped)) {
                return Optional.of(setup);
            }
        }
        return Optional.empty();
    }

    /** The answerer's role for an offer (RFC 4145 4.1): actpass lets the answerer choose, {@code preferred}. */
    @Implements("TCP-1")
    public Setup answerTo(Setup preferredWhenActpass) {
        return switch (this) {
            case ACTIVE -> PASSIVE;
            case PASSIVE -> ACTIVE;
            case ACTPASS -> preferredWhenActpass;
            case HOLDCONN -> HOLDCONN;
        };
    }
}
