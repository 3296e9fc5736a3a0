package org.mediasec.sdp;

import java.util.Locale;
import java.util.Optional;

/** {@code a=connection} (RFC 4145 5): open a new TCP connection or reuse the existing one (BFCP, TCP-1). */
public enum ConnectionAttribute {
    NEW, EXISTING;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ConnectionAttribute> of(String token) {
        for (ConnectionAttribute value : values()) {
            if (value.token().equalsIgnoreCase(token.strip())) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
