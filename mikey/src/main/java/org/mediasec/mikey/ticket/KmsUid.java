package org.mediasec.mikey.ticket;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.mediasec.mikey.Payload;
import org.mediasec.traceability.Implements;

/**
 * A KMS UID: the identity a user has towards the KMS and in the IDR payloads of every MIKEY-TICKET message
 * (E2E-7: derived from the SIP From/To URI). The derivation keeps what names the user and drops what does not: the
 * display name and angle brackets, URI parameters and headers; the scheme and host are case-insensitive (RFC 3261
 * 19.1.4) and are lowercased, the user part is kept as it is; {@code sips:} names the same user as {@code sip:}.
 * {@code tel:} URIs keep their number without visual separators (RFC 3966 5.1.1).
 */
public record KmsUid(String value) {

    public static final int MAX_CHARS = 1024;

    public KmsUid {
        if (value == null || value.isEmpty() || value.length() > MAX_CHARS) {
            throw new IllegalArgumentException("a KMS UID has 1 to " + MAX_CHARS + " characters");
        }
    }

    /** The UID of the user a SIP From or To header value (or a bare URI) names. */
    @Implements("E2E-7")
    public static KmsUid fromSipUri(String headerValue) {
        String uri = headerValue.strip();
        int open = uri.indexOf('<');
        if (open >= 0) {
            int close = uri.indexOf('>', open);
            if (close < 0) {
                throw new IllegalArgumentException("unbalanced <> in " + headerValue);
            }
            uri = uri.substring(open + 1, close).strip();
        }
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a SIP or tel URI: " + headerValue);
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = uri.substring(colon + 1);
        return switch (scheme) {
            case "sip", "sips" -> new KmsUid("sip:" + sipUserAtHost(rest, headerValue));
            case "tel" -> new KmsUid("tel:" + cut(rest, ';').replaceAll("[-.()]", ""));
            default -> throw new IllegalArgumentException("not a SIP or tel URI: " + headerValue);
        };
    }

    private static String sipUserAtHost(String rest, String original) {
        String withoutHeaders = cut(rest, '?');
        int at = withoutHeaders.lastIndexOf('@');
        String user = at >= 0 ? cut(withoutHeaders.substring(0, at), ';') : "";
        String hostPort = cut(withoutHeaders.substring(at + 1), ';').toLowerCase(Locale.ROOT);
        if (hostPort.isEmpty()) {
            throw new IllegalArgumentException("a SIP URI without a host: " + original);
        }
        return user.isEmpty() ? hostPort : user + "@" + hostPort;
    }

    private static String cut(String text, char at) {
        int index = text.indexOf(at);
        return index >= 0 ? text.substring(0, index) : text;
    }

    /** The IDR payload naming this UID in {@code role} (ID type URI). */
    public Payload.Identity idr(int role) {
        return Payload.Identity.withRole(role, value);
    }

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return value;
    }
}
