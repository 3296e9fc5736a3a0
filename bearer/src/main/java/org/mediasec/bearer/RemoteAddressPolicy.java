package org.mediasec.bearer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.mediasec.traceability.Implements;

/**
 * Which remote addresses a realm's legs may connect to or accept (SEC-2): an address from SDP (or latched from a
 * connection) is hostile until checked, since a bearer that connects wherever the SDP says is a request forgery
 * waiting to happen (to the gateway's own services, the host's loopback, a link-local metadata service). By default
 * none of these is allowed: loopback, link-local, the unspecified address, multicast, the limited broadcast address,
 * and the gateway's own addresses (its realms' and its control link's). A deployment allows a category by name; the
 * one-machine default (every realm on loopback) allows loopback, the gateway's own loopback addresses included.
 * Immutable and thread-safe.
 *
 * @param allowed the categories this realm accepts after all
 * @param own the gateway's own addresses (realms, control link)
 */
@Implements("SEC-2")
public record RemoteAddressPolicy(Set<Category> allowed, Set<InetAddress> own) {

    /** The kinds of address that are refused unless allowed. */
    public enum Category {
        LOOPBACK("loopback"),
        LINK_LOCAL("link-local"),
        UNSPECIFIED("unspecified"),
        MULTICAST("multicast"),
        BROADCAST("broadcast"),
        OWN("own");

        private final String token;

        Category(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }

        public static Optional<Category> of(String token) {
            for (Category category : values()) {
                if (category.token.equalsIgnoreCase(token.strip())) {
                    return Optional.of(category);
                }
            }
            return Optional.empty();
        }
    }

    public RemoteAddressPolicy {
        allowed = allowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowed));
        own = Set.copyOf(own);
    }

    /** Nothing special allowed. */
    public static RemoteAddressPolicy strict(Set<InetAddress> own) {
        return new RemoteAddressPolicy(Set.of(), own);
    }

    /** The one-machine default: loopback allowed (said at start-up), everything else refused. */
    public static RemoteAddressPolicy oneMachine(Set<InetAddress> own) {
        return new RemoteAddressPolicy(Set.of(Category.LOOPBACK), own);
    }

    /** Why {@code address} is refused, or empty when the realm may use it. */
    public Optional<String> refusal(InetAddress address) {
        for (Category category : categories(address)) {
            if (!allowed.contains(category)) {
                return Optional.of(address.getHostAddress() + " is " + describe(category) + " (SEC-2: allow '" + category.token() + "' to use it)");
            }
        }
        return Optional.empty();
    }

    /** The categories an address falls in; a loopback address of ours is loopback only, so allowing loopback allows it. */
    private EnumSet<Category> categories(InetAddress address) {
        EnumSet<Category> categories = EnumSet.noneOf(Category.class);
        if (address.isLoopbackAddress()) {
            categories.add(Category.LOOPBACK);
        } else if (own.contains(address)) {
            categories.add(Category.OWN);
        }
        if (address.isLinkLocalAddress()) {
            categories.add(Category.LINK_LOCAL);
        }
        if (address.isAnyLocalAddress()) {
            categories.add(Category.UNSPECIFIED);
        }
        if (address.isMulticastAddress()) {
            categories.add(Category.MULTICAST);
        }
        if (address instanceof Inet4Address && address.getHostAddress().equals("255.255.255.255")) {
            categories.add(Category.BROADCAST);
        }
        return categories;
    }

    private static String describe(Category category) {
        return switch (category) {
            case LOOPBACK -> "a loopback address";
            case LINK_LOCAL -> "a link-local address";
            case UNSPECIFIED -> "the unspecified address";
            case MULTICAST -> "a multicast address";
            case BROADCAST -> "the broadcast address";
            case OWN -> "one of the gateway's own addresses";
        };
    }
}
