package org.mediasec.h248.text;

/**
 * The SDP of a Local or Remote descriptor as the model holds it: each line trimmed (the text encoding indents it),
 * blank lines dropped, lines joined by LF. SDP lines have no meaningful leading or trailing blanks (RFC 8866 5),
 * so this keeps what the peer meant while making pretty and compact encodings compare equal.
 */
final class SdpText {

    private SdpText() {}

    static String normalise(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        int start = 0;
        int length = raw.length();
        while (start <= length) {
            int end = start;
            while (end < length && raw.charAt(end) != '\n' && raw.charAt(end) != '\r') {
                end++;
            }
            String line = raw.substring(start, end).strip();
            if (!line.isEmpty()) {
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append(line);
            }
            if (end < length && raw.charAt(end) == '\r' && end + 1 < length && raw.charAt(end + 1) == '\n') {
                end++;
            }
            start = end + 1;
        }
        return out.toString();
    }
}
