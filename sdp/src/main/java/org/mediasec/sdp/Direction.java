package org.mediasec.sdp;

import java.util.Locale;
import java.util.Optional;

/**
 * The direction of a media stream from the SDP author's point of view (RFC 8866 6.7; RFC 3264 6.1 for how an answer
 * mirrors an offer): what the author sends and receives. Absent means {@link #SENDRECV}.
 */
public enum Direction {
    SENDRECV(true, true),
    SENDONLY(true, false),
    RECVONLY(false, true),
    INACTIVE(false, false);

    private final boolean sends;
    private final boolean receives;

    Direction(boolean sends, boolean receives) {
        this.sends = sends;
        this.receives = receives;
    }

    /** The attribute name: {@code sendrecv}, {@code sendonly}, {@code recvonly}, {@code inactive}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean sends() {
        return sends;
    }

    public boolean receives() {
        return receives;
    }

    /** The direction seen from the other end of the stream (RFC 3264 6.1: sendonly is answered recvonly). */
    public Direction reversed() {
        return of(receives, sends);
    }

    public static Direction of(boolean sends, boolean receives) {
        return sends ? (receives ? SENDRECV : SENDONLY) : (receives ? RECVONLY : INACTIVE);
    }

    public static Optional<Direction> of(String token) {
        for (Direction value : values()) {
            if (value.token().equals(token.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
