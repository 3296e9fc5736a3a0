package org.mediasec.controller.ngcall;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the ng adapter maps rtpengine's view of a call onto the call procedures.
 *
 * @param accessInterfaces the names in an ng {@code direction} that mean the access side (the UEs this P-CSCF
 *     serves), e.g. {@code access}; rtpengine's {@code direction} names one interface per side, the offerer's first
 * @param coreInterfaces the names that mean the core side (other CSCFs, ASs, peer networks)
 * @param defaultDirection the two sides when a request names none, offerer first (a P-CSCF whose proxy does not
 *     say: {@code [access, core]}, an originating call)
 * @param e2aeByDefault whether an access UE registered e2ae support when the request carries neither the
 *     {@code e2ae} nor the {@code no-e2ae} flag (TS 33.328 7.1: the P-CSCF learns it at registration)
 * @param refuseUnanchored refuse an offer with an m-line mediasec does not carry (audio, video: RTP) instead of
 *     passing it on untouched with a warning; the {@code refuse-unanchored} flag does the same per request
 * @param maxCalls calls held at once; beyond, a new call is answered {@code load limit} (Kamailio then tries its
 *     next media proxy)
 * @param maxReleased calls released by the media plane remembered (answered with an error until deleted)
 * @param maxDeleteDelay the longest {@code delete-delay} honoured; longer ones are cut to it
 */
public record NgCallConfig(Set<String> accessInterfaces, Set<String> coreInterfaces, List<String> defaultDirection, boolean e2aeByDefault,
        boolean refuseUnanchored, int maxCalls, int maxReleased, Duration maxDeleteDelay) {

    /** rtpengine's {@code direction} holds one interface name per side of the call. */
    private static final int SIDES = 2;

    public static final int DEFAULT_MAX_CALLS = 10_000;

    public NgCallConfig {
        accessInterfaces = Set.copyOf(accessInterfaces);
        coreInterfaces = Set.copyOf(coreInterfaces);
        defaultDirection = List.copyOf(defaultDirection);
        Objects.requireNonNull(maxDeleteDelay);
        if (accessInterfaces.stream().anyMatch(coreInterfaces::contains)) {
            throw new IllegalArgumentException("an interface name is both access and core: " + accessInterfaces + " " + coreInterfaces);
        }
        if (defaultDirection.size() != SIDES) {
            throw new IllegalArgumentException("the default direction names two interfaces, offerer first: " + defaultDirection);
        }
        for (String name : defaultDirection) {
            if (!accessInterfaces.contains(name) && !coreInterfaces.contains(name)) {
                throw new IllegalArgumentException("the default direction names '" + name + "', which is no access or core interface");
            }
        }
        if (maxCalls < 1 || maxReleased < 0 || maxDeleteDelay.isNegative()) {
            throw new IllegalArgumentException("bounds must be positive");
        }
    }

    /** Interfaces {@code access} and {@code core}, an originating call by default, e2ae not assumed, RTP passed on. */
    public static NgCallConfig defaults() {
        return new NgCallConfig(Set.of("access"), Set.of("core"), List.of("access", "core"), false, false, DEFAULT_MAX_CALLS, DEFAULT_MAX_CALLS,
                Duration.ofSeconds(60));
    }

    public NgCallConfig withDefaultDirection(List<String> direction) {
        return new NgCallConfig(accessInterfaces, coreInterfaces, direction, e2aeByDefault, refuseUnanchored, maxCalls, maxReleased, maxDeleteDelay);
    }

    public NgCallConfig withE2aeByDefault(boolean e2ae) {
        return new NgCallConfig(accessInterfaces, coreInterfaces, defaultDirection, e2ae, refuseUnanchored, maxCalls, maxReleased, maxDeleteDelay);
    }

    public NgCallConfig withMaxCalls(int calls) {
        return new NgCallConfig(accessInterfaces, coreInterfaces, defaultDirection, e2aeByDefault, refuseUnanchored, calls, maxReleased, maxDeleteDelay);
    }
}
