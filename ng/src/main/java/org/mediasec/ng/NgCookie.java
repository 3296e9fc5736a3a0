package org.mediasec.ng;

import java.nio.charset.StandardCharsets;

/**
 * The cookie that starts every ng message and its reply: how a client matches replies to requests and how a
 * server recognises a retransmission. rtpengine takes whatever precedes the first space; we accept visible ASCII
 * only, at most {@link #MAX_LENGTH} characters, because the cookie is echoed back to the sender: Kamailio's are
 * {@code <server id>_<pid>_<sequence>} (at most 33 characters with its space), rtpengine-ng-client's a Perl
 * {@code rand()} ({@code 0.1234...}), rtpengine's own 16 hex digits.
 */
public record NgCookie(String value) {

    /** Twice Kamailio's longest cookie. */
    public static final int MAX_LENGTH = 64;

    public NgCookie {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a cookie has 1 to " + MAX_LENGTH + " characters: " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isCookieCharacter(value.charAt(i))) {
                throw new IllegalArgumentException("a cookie is visible ASCII: character " + i + " is 0x" + Integer.toHexString(value.charAt(i)));
            }
        }
    }

    static boolean isCookieCharacter(int c) {
        return c > 0x20 && c < 0x7f;
    }

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return value;
    }
}
