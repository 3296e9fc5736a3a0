package org.mediasec.sdp;

import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Parses SDP (RFC 8866), in two modes.
 *
 * <ul>
 *   <li>{@link #parse(String)}: strict RFC 8866. {@code v=0}, {@code o=}, {@code s=} and {@code t=} are required,
 *       lines must come in the order of RFC 8866 5, every media description needs a {@code c=} unless the session
 *       has one, unknown line types are refused (RFC 8866 5: a parser must reject what it does not understand).</li>
 *   <li>{@link #parseH248(String)}: SDP inside H.248 Local/Remote (H.248.1 7.1.8, Annex C). {@code o=}, {@code s=},
 *       {@code t=} may be missing; {@code $} (CHOOSE) and {@code -} may stand for an address or a port and
 *       {@code a=fingerprint:$} asks for the MG's fingerprint; several descriptions (each starting with
 *       {@code v=}) are alternatives; blank lines are ignored.</li>
 * </ul>
 *
 * Both accept CRLF or LF line ends. The attributes this module types (setup, connection, fingerprint, key-mgmt,
 * path, max-size, floorctrl, bfcpver, 3ge2ae) are checked here, so their getters cannot fail on parsed input;
 * other attributes pass through unchecked and unchanged. Input is capped ({@link #MAX_BYTES}, {@link #MAX_LINES});
 * nothing but {@link SdpParseException} is ever thrown.
 */
public final class SdpParser {
    /** Compiled once: a parse runs these for every m= line (String.matches compiles its pattern each call). */
    private static final Pattern FIVE_DIGITS = Pattern.compile("[0-9]{1,5}");


    public static final int MAX_BYTES = 64 * 1024;
    public static final int MAX_LINES = 4096;

    private static final String SESSION_ORDER = "vosiuepcbtrzka";
    private static final String MEDIA_ORDER = "icbka";
    private static final String LINE_TYPES = SESSION_ORDER + "m";

    private SdpParser() {}

    public static SessionDescription parse(String text) throws SdpParseException {
        List<SessionDescription> descriptions = parse(text, false);
        if (descriptions.size() != 1) {
            throw new SdpParseException(1, 1, "", "expected one session description, found " + descriptions.size());
        }
        return descriptions.get(0);
    }

    /** The session descriptions of one H.248 Local or Remote descriptor (alternatives, at least one). */
    public static List<SessionDescription> parseH248(String text) throws SdpParseException {
        return parse(text, true);
    }

    private static List<SessionDescription> parse(String text, boolean h248) throws SdpParseException {
        if (text.length() > MAX_BYTES) {
            throw new SdpParseException(1, 1, "", "SDP longer than " + MAX_BYTES + " characters");
        }
        List<SessionDescription> descriptions = new ArrayList<>();
        Builder builder = null;
        int lineNumber = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            int next = end < 0 ? text.length() : end + 1;
            if (end < 0) {
                end = text.length();
            }
            if (end > start && text.charAt(end - 1) == '\r') {
                end--;
            }
            String line = text.substring(start, end);
            start = next;
            if (++lineNumber > MAX_LINES) {
                throw new SdpParseException(lineNumber, 1, "", "more than " + MAX_LINES + " lines");
            }
            if (line.isEmpty() || (h248 && line.isBlank())) {
                if (h248) {
                    continue;
                }
                throw new SdpParseException(lineNumber, 1, line, "empty line");
            }
            SdpLine sdpLine = line(line, lineNumber);
            if (sdpLine.type() == 'v') {
                if (builder != null) {
                    if (!h248) {
                        throw new SdpParseException(lineNumber, 1, line, "a second v= line");
                    }
                    descriptions.add(builder.build(lineNumber));
                }
                builder = new Builder(h248);
            } else if (builder == null) {
                throw new SdpParseException(lineNumber, 1, line, "SDP must begin with v=");
            }
            builder.add(sdpLine, line, lineNumber);
        }
        if (builder == null) {
            throw new SdpParseException(Math.max(1, lineNumber), 1, "", "no SDP (v= missing)");
        }
        descriptions.add(builder.build(lineNumber + 1));
        return descriptions;
    }

    private static SdpLine line(String line, int lineNumber) throws SdpParseException {
        if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
            throw new SdpParseException(lineNumber, 1, line, "expected <type>=<value>");
        }
        for (int i = 2; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\0') {
                throw new SdpParseException(lineNumber, i + 1, line, "CR or NUL inside a line");
            }
        }
        char type = line.charAt(0);
        if (LINE_TYPES.indexOf(type) < 0) {
            throw new SdpParseException(lineNumber, 1, line, "unknown line type " + type + "=");
        }
        return new SdpLine(type, line.substring(2));
    }

    /** Collects one session description, checking order and values as lines come. */
    private static final class Builder {
        private final boolean h248;
        private final List<SdpLine> session = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();
        private MediaLine mediaLine;
        private List<SdpLine> mediaLines;
        private boolean mediaHasConnection;
        private boolean anyMediaWithoutConnection;
        private int rank = -1;
        private int firstMediaLine;

        Builder(boolean h248) {
            this.h248 = h248;
        }

        void add(SdpLine sdpLine, String text, int lineNumber) throws SdpParseException {
            char type = sdpLine.type();
            if (type == 'm') {
                closeMedia();
                mediaLine = mediaLine(sdpLine.value(), text, lineNumber);
                mediaLines = new ArrayList<>();
                mediaHasConnection = false;
                rank = -1;
                if (firstMediaLine == 0) {
                    firstMediaLine = lineNumber;
                }
                return;
            }
            String order = mediaLine == null ? SESSION_ORDER : MEDIA_ORDER;
            int position = order.indexOf(type);
            if (position < 0) {
                throw new SdpParseException(lineNumber, 1, text, type + "= is not allowed " + (mediaLine == null ? "at session level" : "in a media description"));
            }
            // RFC 8866 5: fixed order; t= and r= alternate (each t= may be followed by r= lines)
            boolean timing = mediaLine == null && type == 't' && rank == SESSION_ORDER.indexOf('r');
            if (!h248 && position < rank && !timing) {
                throw new SdpParseException(lineNumber, 1, text, type + "= out of order (RFC 8866 5)");
            }
            rank = Math.max(rank, position);
            check(sdpLine, text, lineNumber);
            if (mediaLine == null) {
                session.add(sdpLine);
            } else {
                mediaLines.add(sdpLine);
                mediaHasConnection |= type == 'c';
            }
        }

        private void check(SdpLine line, String text, int lineNumber) throws SdpParseException {
            switch (line.type()) {
                case 'v' -> {
                    if (!line.value().equals("0")) {
                        throw new SdpParseException(lineNumber, 3, text, "only SDP version 0 exists");
                    }
                }
                case 'c' -> {
                    // <nettype> <addrtype> <connection-address>, counted in place as String.split(" ") counts them
                    // (trailing spaces ignored): every offer and answer has two or more of these lines
                    String value = line.value();
                    boolean threeFields = fields(value) == 3;
                    int end = withoutTrailingSpaces(value);
                    int address = value.lastIndexOf(' ', end - 1) + 1;
                    boolean choose = threeFields && end == address + 1 && (value.charAt(address) == '$' || value.charAt(address) == '-');
                    if (!threeFields || (!h248 && choose)) {
                        throw new SdpParseException(lineNumber, 3, text, "c= needs <nettype> <addrtype> <connection-address>");
                    }
                }
                case 'o' -> {
                    if (fields(line.value()) != 6) {
                        throw new SdpParseException(lineNumber, 3, text, "o= needs six fields");
                    }
                }
                case 'a' -> {
                    if (line.value().isEmpty()) {
                        throw new SdpParseException(lineNumber, 3, text, "empty attribute");
                    }
                    String problem = Attributes.check(line, h248);
                    if (problem != null) {
                        throw new SdpParseException(lineNumber, 3, text, problem);
                    }
                }
                default -> { }
            }
        }

        private MediaLine mediaLine(String value, String text, int lineNumber) throws SdpParseException {
            String[] fields = value.split(" ");
            if (fields.length < 4) {
                throw new SdpParseException(lineNumber, 3, text, "m= needs <media> <port> <proto> <fmt> …");
            }
            String port = fields[1];
            OptionalInt count = OptionalInt.empty();
            int slash = port.indexOf('/');
            if (slash >= 0) {
                String countText = port.substring(slash + 1);
                if (!FIVE_DIGITS.matcher(countText).matches()) {
                    throw new SdpParseException(lineNumber, 3, text, "bad number of ports");
                }
                count = OptionalInt.of(Integer.parseInt(countText));
                port = port.substring(0, slash);
            }
            boolean choose = h248 && (port.equals("$") || port.equals("-"));
            if (!choose && (!FIVE_DIGITS.matcher(port).matches() || Integer.parseInt(port) > 65535)) {
                throw new SdpParseException(lineNumber, 3, text, "bad port " + port);
            }
            Transport transport;
            try {
                transport = new Transport(fields[2]);
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(lineNumber, 3, text, e.getMessage());
            }
            List<String> formats = new ArrayList<>();
            for (int i = 3; i < fields.length; i++) {
                if (fields[i].isEmpty()) {
                    throw new SdpParseException(lineNumber, 3, text, "two spaces in m=");
                }
                formats.add(fields[i]);
            }
            if (fields[0].isEmpty()) {
                throw new SdpParseException(lineNumber, 3, text, "empty media type");
            }
            return new MediaLine(fields[0], port, count, transport, formats);
        }

        private void closeMedia() {
            if (mediaLine != null) {
                media.add(new MediaDescription(mediaLine, mediaLines));
                anyMediaWithoutConnection |= !mediaHasConnection;
            }
        }

        /**
         * The fields of a space-separated value as {@code String.split(" ")} counts them (trailing empty fields dropped,
         * a leading one kept), without making them.
         */
        private static int fields(String value) {
            int end = withoutTrailingSpaces(value);
            if (end == 0) {
                return 1;
            }
            int fields = 1;
            for (int i = 0; i < end; i++) {
                if (value.charAt(i) == ' ') {
                    fields++;
                }
            }
            return fields;
        }

        private static int withoutTrailingSpaces(String value) {
            int end = value.length();
            while (end > 0 && value.charAt(end - 1) == ' ') {
                end--;
            }
            return end;
        }

        SessionDescription build(int lineNumber) throws SdpParseException {
            closeMedia();
            if (!h248) {
                for (char required : new char[] {'o', 's', 't'}) {
                    if (session.stream().noneMatch(line -> line.type() == required)) {
                        throw new SdpParseException(lineNumber, 1, "", required + "= is required (RFC 8866 5)");
                    }
                }
                if (anyMediaWithoutConnection && session.stream().noneMatch(line -> line.type() == 'c')) {
                    throw new SdpParseException(firstMediaLine, 1, "", "c= is needed at session level or in every media description (RFC 8866 5.7)");
                }
            }
            return new SessionDescription(session, media);
        }
    }
}
