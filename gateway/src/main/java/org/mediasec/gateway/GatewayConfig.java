package org.mediasec.gateway;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.mediasec.bearer.PassiveSourcePolicy;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.RemoteAddressPolicy;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.gateway.profile.GatewayProfile;

/**
 * What the gateway serves: its profile (GW-9), the bearer realms (address and port range; the first is the default),
 * and its TLS domains by name (TLS-8; {@code defaultDomain} when a termination names none).
 *
 * @param keysOverControlLink whether the MGC may hand over keys (the MRFP's {@code tlsbsc/psk}, E2E-5) on the control
 *     link: only when the link is protected (TLS, or a network the operator declares protected: NDS/IP, TS 33.210)
 * @param remoteAddresses which remote addresses legs may connect to or accept (SEC-2)
 * @param passiveSources which source a passive leg admits (TCP-9): the table in {@link PassiveSourcePolicy}
 */
public record GatewayConfig(GatewayProfile profile, List<PortAllocator.Realm> realms, Map<String, TlsEngines> tlsDomains, String defaultDomain,
        int maxContexts, boolean keysOverControlLink, RemoteAddressPolicy remoteAddresses, PassiveSourcePolicy passiveSources) {

    /**
     * A gateway whose control link the caller vouches for, on the one-machine address policy (loopback peers allowed):
     * embedded and test use.
     */
    public GatewayConfig(GatewayProfile profile, List<PortAllocator.Realm> realms, Map<String, TlsEngines> tlsDomains, String defaultDomain,
            int maxContexts) {
        this(profile, realms, tlsDomains, defaultDomain, maxContexts, true,
                RemoteAddressPolicy.oneMachine(realms.stream().map(PortAllocator.Realm::address).collect(java.util.stream.Collectors.toSet())),
                PassiveSourcePolicy.ADDRESS);
    }

    /** The same, with keys over the control link allowed or not. */
    public GatewayConfig withKeysOverControlLink(boolean allowed) {
        return new GatewayConfig(profile, realms, tlsDomains, defaultDomain, maxContexts, allowed, remoteAddresses, passiveSources);
    }

    /** The same, with another remote address policy. */
    public GatewayConfig withRemoteAddresses(RemoteAddressPolicy policy) {
        return new GatewayConfig(profile, realms, tlsDomains, defaultDomain, maxContexts, keysOverControlLink, policy, passiveSources);
    }

    /** The same, with another passive-leg source policy. */
    public GatewayConfig withPassiveSources(PassiveSourcePolicy policy) {
        return new GatewayConfig(profile, realms, tlsDomains, defaultDomain, maxContexts, keysOverControlLink, remoteAddresses, policy);
    }

    public GatewayConfig {
        realms = List.copyOf(realms);
        tlsDomains = Map.copyOf(tlsDomains);
        if (realms.isEmpty()) {
            throw new IllegalArgumentException("no bearer realm");
        }
        if (!tlsDomains.isEmpty() && !tlsDomains.containsKey(defaultDomain)) {
            throw new IllegalArgumentException("default TLS domain " + defaultDomain + " is not among " + tlsDomains.keySet());
        }
        if (maxContexts < 1) {
            throw new IllegalArgumentException("maxContexts must be positive");
        }
    }

    InetAddress bearerAddress() {
        return realms.get(0).address();
    }
}
