package org.mediasec.ng.message;

import java.util.regex.Pattern;

/**
 * The {@code received-from} key: the address family and source address of the SIP message, a list of exactly two
 * strings ({@code ["IP4", "192.0.2.1"]}). The address is checked for its family's literal syntax here, so that no
 * later code resolves a name a peer chose.
 *
 * @param addressFamily {@code IP4} or {@code IP6} (SDP's spellings, RFC 8866 5.7)
 * @param address a dotted quad for IP4, hexadecimal groups with colons (and optionally a dotted quad at the end)
 *     for IP6
 */
public record ReceivedFrom(String addressFamily, String address) {

    public static final String IP4 = "IP4";
    public static final String IP6 = "IP6";

    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** RFC 4291 2.2 text forms; the groups are checked loosely, the characters and length strictly. */
    private static final Pattern IP6_TEXT = Pattern.compile("[0-9A-Fa-f:]{2,39}|[0-9A-Fa-f:]{2,29}:[0-9.]{7,15}");
    /** The longest IPv6 text form, with an embedded dotted quad (RFC 4291 2.2). */
    private static final int IP6_MAX_LENGTH = 45;

    public ReceivedFrom {
        switch (addressFamily) {
            case IP4 -> {
                if (!DOTTED_QUAD.matcher(address).matches()) {
                    throw new IllegalArgumentException("received-from: not an IPv4 address: " + Printable.quoted(address));
                }
            }
            case IP6 -> {
                if (address.length() > IP6_MAX_LENGTH || !address.contains(":") || !IP6_TEXT.matcher(address).matches()) {
                    throw new IllegalArgumentException("received-from: not an IPv6 address: " + Printable.quoted(address));
                }
            }
            default -> throw new IllegalArgumentException("received-from: address family must be IP4 or IP6, not " + Printable.quoted(addressFamily));
        }
    }

}
