package org.mediasec.msrp;

import java.util.OptionalLong;

/**
 * The Byte-Range header (RFC 4975 9): {@code start-end/total}, 1-based and inclusive; end and total may be
 * {@code *} (unknown, e.g. while a message is streamed).
 */
public record ByteRange(long start, OptionalLong end, OptionalLong total) {

    public ByteRange {
        if (start < 1) {
            throw new IllegalArgumentException("Byte-Range start is 1-based: " + start);
        }
        if (end.isPresent() && end.getAsLong() < start - 1) {
            throw new IllegalArgumentException("Byte-Range end " + end.getAsLong() + " before start " + start);
        }
    }

    public static ByteRange of(long start, long end, long total) {
        return new ByteRange(start, OptionalLong.of(end), OptionalLong.of(total));
    }

    /** Parses the header value; the offset is where the value starts, for the error. */
    public static ByteRange parse(String value, long offset) throws MsrpParseException {
        int dash = value.indexOf('-');
        int slash = value.indexOf('/');
        if (dash <= 0 || slash < dash) {
            throw new MsrpParseException(offset, "Byte-Range is not start-end/total: " + Texts.printable(value));
        }
        long start = number(value.substring(0, dash), offset, false);
        long end = number(value.substring(dash + 1, slash), offset + dash + 1, true);
        long total = number(value.substring(slash + 1), offset + slash + 1, true);
        if (start < 1 || (end >= 0 && end < start - 1) || (total >= 0 && end > total)) {
            throw new MsrpParseException(offset, "Byte-Range out of order: " + Texts.printable(value));
        }
        return new ByteRange(start, end < 0 ? OptionalLong.empty() : OptionalLong.of(end),
                total < 0 ? OptionalLong.empty() : OptionalLong.of(total));
    }

    /** A decimal of at most 18 digits, or -1 for {@code *} where allowed. */
    private static long number(String text, long offset, boolean starAllowed) throws MsrpParseException {
        if (starAllowed && text.equals("*")) {
            return -1;
        }
        if (text.isEmpty() || text.length() > 18) {
            throw new MsrpParseException(offset, "Byte-Range number out of range: " + Texts.printable(text));
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new MsrpParseException(offset + i, "Byte-Range expects digits: " + Texts.printable(text));
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    @Override
    public String toString() {
        return start + "-" + (end.isPresent() ? String.valueOf(end.getAsLong()) : "*") + "/"
                + (total.isPresent() ? String.valueOf(total.getAsLong()) : "*");
    }
}
