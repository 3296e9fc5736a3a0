package org.mediasec.ng;

import java.nio.charset.StandardCharsets;

/**
 * Cookie framing: {@code <cookie><SP><document>} (rtpengine ng protocol, "each message ... consists of two parts
 * separated by a single space"), the same over UDP (one message per datagram) and TCP (messages back to back, each
 * ending where its bencode dictionary ends). Stateless.
 */
public final class NgFraming {

    private NgFraming() {}

    /**
     * A message split at its cookie; the document is {@code bytes[payloadOffset, bytes.length)}.
     *
     * @param cookie the message's cookie
     * @param bytes the whole message (not copied: the caller gives up the array)
     * @param payloadOffset the index after the space
     */
    public record Framed(NgCookie cookie, byte[] bytes, int payloadOffset) {

        public int payloadLength() {
            return bytes.length - payloadOffset;
        }

        public NgDocument document(NgLimits limits) throws NgParseException {
            return NgDocument.decode(bytes, payloadOffset, payloadLength(), limits);
        }
    }

    /**
     * Splits a message at the first space. No space, or a space first, is {@link NgParseError#NO_COOKIE}; a cookie
     * longer than {@link NgCookie#MAX_LENGTH} or with other than visible ASCII is {@link NgParseError#INVALID_COOKIE}.
     * Only the first {@code MAX_LENGTH + 1} bytes are looked at.
     */
    public static Framed split(byte[] message) throws NgParseException {
        int space = -1;
        int scan = Math.min(message.length, NgCookie.MAX_LENGTH + 1);
        for (int i = 0; i < scan; i++) {
            if (message[i] == ' ') {
                space = i;
                break;
            }
            if (!NgCookie.isCookieCharacter(message[i] & 0xff)) {
                throw new NgParseException(i, NgParseError.INVALID_COOKIE, "cookie byte 0x" + Integer.toHexString(message[i] & 0xff));
            }
        }
        if (space == 0 || (space < 0 && scan == message.length)) {
            throw new NgParseException(0, NgParseError.NO_COOKIE);
        }
        if (space < 0) {
            throw new NgParseException(NgCookie.MAX_LENGTH, NgParseError.INVALID_COOKIE, "cookie longer than " + NgCookie.MAX_LENGTH);
        }
        return new Framed(new NgCookie(new String(message, 0, space, StandardCharsets.US_ASCII)), message, space + 1);
    }

    /** {@code <cookie><SP><document>}. */
    public static byte[] frame(NgCookie cookie, byte[] document) {
        byte[] prefix = cookie.bytes();
        byte[] message = new byte[prefix.length + 1 + document.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        message[prefix.length] = ' ';
        System.arraycopy(document, 0, message, prefix.length + 1, document.length);
        return message;
    }
}
