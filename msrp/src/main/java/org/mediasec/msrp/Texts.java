package org.mediasec.msrp;

/** Small text helpers shared by the codec: printable excerpts for error messages, the RFC 4975 character sets. */
final class Texts {

    private static final int EXCERPT = 60;

    private Texts() {}

    /** At most 60 characters, control and non-ASCII characters shown as {@code \xNN}. */
    static String printable(CharSequence text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < EXCERPT; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", (int) c & 0xff));
            }
        }
        return text.length() > EXCERPT ? out + "…" : out.toString();
    }

    static boolean isAlphaNumeric(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** RFC 4975 9: ident-char = ALPHANUM / "." / "-" / "+" / "%" / "=" */
    static boolean isIdentChar(int c) {
        return isAlphaNumeric(c) || c == '.' || c == '-' || c == '+' || c == '%' || c == '=';
    }

    /** RFC 4975 9: ident = ALPHANUM 3*31ident-char (the transaction ID and the Message-ID). */
    static boolean isIdent(CharSequence text) {
        if (text.length() < 4 || text.length() > 32 || !isAlphaNumeric(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            if (!isIdentChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
