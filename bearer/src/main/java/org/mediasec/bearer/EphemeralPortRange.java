package org.mediasec.bearer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The ports the kernel picks from for the local side of outgoing connections and unbound sockets (Linux
 * {@code net.ipv4.ip_local_port_range}). A realm whose bearer ports overlap it shares them with every process on the
 * host: any outgoing connection may hold a port the realm then fails to bind, and the Add gets 510. The gateway says
 * so at start-up rather than failing now and then under load (found by the call-rate benchmark).
 */
public record EphemeralPortRange(int first, int last) {

    /** Where Linux publishes the range. */
    static final Path LINUX_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** This host's range, when it can be read (Linux). */
    public static Optional<EphemeralPortRange> ofThisHost() {
        // read as a stream to its end: Files.readString trusts the size /proc reports, and got "3" here
        try (InputStream in = Files.newInputStream(LINUX_RANGE)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The file's form: two port numbers separated by white space; anything else is not a range. */
    static Optional<EphemeralPortRange> parse(String text) {
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 2) {
            return Optional.empty();
        }
        try {
            int first = Integer.parseInt(fields[0]);
            int last = Integer.parseInt(fields[1]);
            return first >= 1 && last <= 65535 && first <= last ? Optional.of(new EphemeralPortRange(first, last)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code realm}'s bearer ports share any port with this range. */
    public boolean overlaps(PortAllocator.Realm realm) {
        return realm.firstPort() <= last && first <= realm.lastPort();
    }
}
