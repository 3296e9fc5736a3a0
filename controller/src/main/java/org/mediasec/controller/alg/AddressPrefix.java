package org.mediasec.controller.alg;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP prefix ({@code 10.0.0.0/8}, {@code fd00::/8}) from the controller's configuration, and the check that an
 * address from outside is a literal: {@link InetAddress#getByName} would resolve a name, so only digits, hex, dots
 * and colons reach it. Immutable.
 */
public record AddressPrefix(byte[] network, int length) {

    /** A dotted quad, each part 0-255: anything else with dots would be looked up as a name by the JDK. */
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** RFC 4291 2.2 text forms: with a colon the JDK parses an IPv6 literal or fails, it never resolves. */
    private static final Pattern IP6_TEXT = Pattern.compile("[0-9A-Fa-f:]{2,39}|[0-9A-Fa-f:]{2,29}:[0-9.]{7,15}");

    public AddressPrefix {
        network = network.clone();
        if (length < 0 || length > network.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " for a " + network.length * 8 + "-bit address");
        }
    }

    /** {@code address/length}, or a bare address (its full length). */
    public static AddressPrefix parse(String text) {
        int slash = text.indexOf('/');
        byte[] address = literal(slash < 0 ? text : text.substring(0, slash)).getAddress();
        int length;
        try {
            length = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length in " + text);
        }
        return new AddressPrefix(address, length);
    }

    static boolean isLiteral(String address) {
        try {
            literal(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The address of a literal; a name is refused, never looked up. */
    static InetAddress literal(String address) {
        if (!DOTTED_QUAD.matcher(address).matches() && !(address.contains(":") && IP6_TEXT.matcher(address).matches())) {
            throw new IllegalArgumentException("not an IP address literal: " + address);
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + address);
        }
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < length; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + length;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 octets, checked by the parse
        }
    }
}
