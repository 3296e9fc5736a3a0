package org.mediasec.sdp;

/**
 * SDP that does not follow RFC 8866 (or the H.248 form of it): the 1-based line and column, the offending line,
 * and why. The parser throws nothing else.
 */
public final class SdpParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String lineText;

    public SdpParseException(int line, int column, String lineText, String reason) {
        super("line " + line + ", column " + column + ": " + reason + (lineText.isEmpty() ? "" : " in '" + excerpt(lineText) + "'"));
        this.line = line;
        this.column = column;
        this.lineText = lineText;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String lineText() {
        return lineText;
    }

    private static String excerpt(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c & 0xff));
        }
        return out.toString();
    }
}
