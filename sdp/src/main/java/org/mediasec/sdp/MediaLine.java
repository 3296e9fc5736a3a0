package org.mediasec.sdp;

import java.util.List;
import java.util.OptionalInt;

/**
 * {@code m=<media> <port>[/<number of ports>] <proto> <fmt> …} (RFC 8866 5.14). The port is text because inside
 * H.248 it may be {@code $} (choose) or {@code -}; {@link #portNumber()} gives the number when there is one.
 */
public record MediaLine(String media, String port, OptionalInt portCount, Transport transport, List<String> formats) {

    public MediaLine {
        formats = List.copyOf(formats);
    }

    /** The port as a number, empty for {@code $} or {@code -}. */
    public OptionalInt portNumber() {
        // ASCII digits, as the parser admits them (RFC 8866 9: DIGIT); read in place, asked several times per offer
        if (port.isEmpty() || port.length() > 5) {
            return OptionalInt.empty();
        }
        int number = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalInt.empty();
            }
            number = number * 10 + (c - '0');
        }
        return OptionalInt.of(number);
    }

    public MediaLine withPort(String newPort) {
        return new MediaLine(media, newPort, portCount, transport, formats);
    }

    public MediaLine withTransport(Transport newTransport) {
        return new MediaLine(media, port, portCount, newTransport, formats);
    }

    String value() {
        StringBuilder out = new StringBuilder(media).append(' ').append(port);
        portCount.ifPresent(count -> out.append('/').append(count));
        out.append(' ').append(transport.token());
        formats.forEach(format -> out.append(' ').append(format));
        return out.toString();
    }
}
