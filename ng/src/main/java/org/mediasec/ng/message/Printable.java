package org.mediasec.ng.message;

/** Peer text made safe to quote in an error reason or a log line: short, no control characters. */
final class Printable {

    /** Long enough for any real key or value named in a reason. */
    static final int MAX_QUOTED = 48;

    private Printable() {}

    static String quoted(String text) {
        String shortened = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
        return '\'' + shortened.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", "?") + '\'';
    }
}
