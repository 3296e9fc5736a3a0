package org.mediasec.sdp;

/**
 * One {@code <type>=<value>} line (RFC 8866 5), kept exactly as received (without its line end), so that a rewrite
 * passes every line it does not touch through unchanged.
 */
public record SdpLine(char type, String value) {

    public SdpLine {
        if (type < 'a' || type > 'z') {
            throw new IllegalArgumentException("SDP line type must be a lower-case letter: " + type);
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("SDP line value holds CR, LF or NUL");
        }
    }

    public static SdpLine attribute(String name, String value) {
        return new SdpLine('a', value == null || value.isEmpty() ? name : name + ":" + value);
    }

    public static SdpLine flag(String name) {
        return new SdpLine('a', name);
    }

    public boolean isAttribute() {
        return type == 'a';
    }

    /** For an {@code a=} line: the attribute name (before the first colon). */
    public String attributeName() {
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** For an {@code a=} line: the value after the first colon, or empty for a property attribute. */
    public String attributeValue() {
        int colon = value.indexOf(':');
        return colon < 0 ? "" : value.substring(colon + 1);
    }

    /** Whether this is an {@code a=} line of attribute {@code name} (which has no colon); no substring is made. */
    public boolean isAttribute(String name) {
        int length = name.length();
        return type == 'a' && value.regionMatches(true, 0, name, 0, length) && (value.length() == length || value.charAt(length) == ':');
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
