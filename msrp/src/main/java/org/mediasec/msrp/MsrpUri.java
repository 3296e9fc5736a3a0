package org.mediasec.msrp;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An MSRP URI (RFC 4975 6 and 9): {@code msrp[s]://[userinfo@]host[:port][/session-id];transport[;param]…}.
 * {@code msrps} means TLS. Parsed by {@link #parse(String)}; {@link #toString()} writes it back unchanged.
 */
public record MsrpUri(
        boolean secure,
        Optional<String> userinfo,
        String host,
        OptionalInt port,
        Optional<String> sessionId,
        String transport,
        List<String> parameters) {

    private static final int MAX_LENGTH = 2048;

    public MsrpUri {
        parameters = List.copyOf(parameters);
    }

    /** Builds {@code msrp[s]://host:port/sessionId;tcp}. */
    public static MsrpUri of(boolean secure, String host, int port, String sessionId) {
        return new MsrpUri(secure, Optional.empty(), host, OptionalInt.of(port), Optional.of(sessionId), "tcp", List.of());
    }

    public static MsrpUri parse(String text) throws MsrpParseException {
        return parse(text, 0);
    }

    /** Parses one URI; {@code offset} places errors within a larger input (a To-Path header, an a=path line). */
    public static MsrpUri parse(String text, long offset) throws MsrpParseException {
        if (text.length() > MAX_LENGTH) {
            throw new MsrpParseException(offset, "MSRP URI longer than " + MAX_LENGTH + " characters");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        boolean secure;
        int at;
        if (lower.startsWith("msrps://")) {
            secure = true;
            at = 8;
        } else if (lower.startsWith("msrp://")) {
            secure = false;
            at = 7;
        } else {
            throw new MsrpParseException(offset, "not an msrp: or msrps: URI: " + Texts.printable(text));
        }
        int semicolon = text.indexOf(';', at);
        if (semicolon < 0) {
            throw new MsrpParseException(offset + text.length(), "MSRP URI without ;transport: " + Texts.printable(text));
        }
        int slash = text.indexOf('/', at);
        int authorityEnd = slash >= 0 && slash < semicolon ? slash : semicolon;
        String authority = text.substring(at, authorityEnd);
        Optional<String> userinfo = Optional.empty();
        int atSign = authority.lastIndexOf('@');
        if (atSign >= 0) {
            userinfo = Optional.of(authority.substring(0, atSign));
            authority = authority.substring(atSign + 1);
        }
        String host;
        OptionalInt port = OptionalInt.empty();
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new MsrpParseException(offset + at, "IPv6 reference without ]: " + Texts.printable(text));
            }
            host = authority.substring(0, close + 1);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    throw new MsrpParseException(offset + at + close + 1, "expected : after IPv6 reference");
                }
                portText = authority.substring(close + 2);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty() || !validHost(host)) {
            throw new MsrpParseException(offset + at, "bad host in MSRP URI: " + Texts.printable(text));
        }
        if (portText != null) {
            port = OptionalInt.of(port(portText, offset + at));
        }
        Optional<String> sessionId = Optional.empty();
        if (authorityEnd == slash) {
            String session = text.substring(slash + 1, semicolon);
            // RFC 4975 9: session-id = 1*( unreserved / "+" / "=" / "/" )
            if (session.isEmpty() || !session.chars().allMatch(MsrpUri::isSessionIdChar)) {
                throw new MsrpParseException(offset + slash + 1, "bad session-id in MSRP URI: " + Texts.printable(session));
            }
            sessionId = Optional.of(session);
        }
        String[] rest = text.substring(semicolon + 1).split(";", -1);
        String transport = rest[0];
        if (transport.isEmpty() || !transport.chars().allMatch(Texts::isAlphaNumeric)) {
            throw new MsrpParseException(offset + semicolon + 1, "bad transport in MSRP URI: " + Texts.printable(transport));
        }
        List<String> parameters = List.of(rest).subList(1, rest.length);
        for (String parameter : parameters) {
            if (parameter.isEmpty() || !parameter.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ';')) {
                throw new MsrpParseException(offset + semicolon, "bad URI parameter: " + Texts.printable(parameter));
            }
        }
        return new MsrpUri(secure, userinfo, host, port, sessionId, transport, parameters);
    }

    private static int port(String text, long offset) throws MsrpParseException {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MsrpParseException(offset, "bad port in MSRP URI: " + Texts.printable(text));
        }
        int port = Integer.parseInt(text);
        if (port > 65535) {
            throw new MsrpParseException(offset, "port out of range: " + port);
        }
        return port;
    }

    private static boolean validHost(String host) {
        if (host.startsWith("[")) {
            return host.length() > 2 && host.substring(1, host.length() - 1).chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        }
        return host.chars().allMatch(c -> Texts.isAlphaNumeric(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '%');
    }

    private static boolean isSessionIdChar(int c) {
        return Texts.isAlphaNumeric(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '=' || c == '/';
    }

    /**
     * Session matching equality (RFC 4975 6.1): scheme, host and transport compare case-insensitively, the
     * session-id case-sensitively, ports exactly (an explicit port never equals an absent one); userinfo and
     * URI parameters are not compared.
     */
    public boolean matches(MsrpUri other) {
        return secure == other.secure
                && host.equalsIgnoreCase(other.host)
                && port.equals(other.port)
                && sessionId.equals(other.sessionId)
                && transport.equalsIgnoreCase(other.transport);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(64);
        out.append(secure ? "msrps://" : "msrp://");
        userinfo.ifPresent(user -> out.append(user).append('@'));
        out.append(host);
        port.ifPresent(p -> out.append(':').append(p));
        sessionId.ifPresent(id -> out.append('/').append(id));
        out.append(';').append(transport);
        parameters.forEach(parameter -> out.append(';').append(parameter));
        return out.toString();
    }
}
