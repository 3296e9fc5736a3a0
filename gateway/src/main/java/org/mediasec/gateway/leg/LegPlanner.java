package org.mediasec.gateway.leg;

import java.util.regex.Pattern;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.mediasec.bearer.PassiveSourcePolicy;
import org.mediasec.bearer.RemoteAddressPolicy;
import org.mediasec.bearer.TcpRole;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.FingerprintPolicy;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.gateway.GatewayConfig;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.profile.GatewayProfile;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.packages.TcpTlsPackageNames;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;

/**
 * The pure translation from a termination's descriptors to its {@link LegPlan} (TS 23.334 5.11.2.x; h248-stage3
 * reference §1). No sockets, no state: the same plan and update give the same result, or the same H.248.8 error.
 *
 * <ul>
 *   <li>TLS-2, TCP-3: the m-line transport selects TCP or TLS; the profile decides whether TLS is terminated here
 *       (IMS-AGW, MRFP) or relayed as TCP (TrGW, GW-3), and refuses what it does not carry (515, GW-9).</li>
 *   <li>TCP-1: {@code a=setup} in Local is our role, in Remote the peer's; actpass in Local leaves it open.</li>
 *   <li>TLS-1: the TLS role follows the TCP role (RFC 4572: TCP client = TLS client) unless {@code tlsbsc/role} says
 *       otherwise. TLS-3: Remote's {@code a=fingerprint}s are the peer's. TLS-8: {@code tlsbsc/domain} selects the
 *       TLS domain (else the termination's, else the default).</li>
 *   <li>E2E-5: on a profile that keys TLS by PSK (the MRFP) TLS is TLS-PSK, and {@code tlsbsc/psk} is refused on any
 *       stream that is not TLS-PSK.</li>
 *   <li>TCP-4, TCP-5, TCP-6 (docs/nat-traversal.md): {@code tcpbcc/delay} holds the leg until {@code tcpbcc/estab};
 *       {@code tcpbcc/merge} makes a passive leg also connect to the peer's address and port; {@code ipnapt/latch}
 *       makes a passive leg hold to the Remote address with any port, or, with no Remote address, to the first
 *       source the realm's policy accepts (SEC-2).</li>
 *   <li>TCP-9: a passive leg whose peer connects expects the source the realm's {@link PassiveSourcePolicy} gives
 *       ({@code address}: any port of the Remote address; {@code exact}: its port too where RFC 4145 lets the port
 *       be a source; {@code latch}: TCP-6 on every passive leg); a peer that listens is connected to exactly.</li>
 *   <li>GW-7: {@code udptl}, {@code UDP/TLS/UDPTL} (RFC 7345) and {@code udp} are UDP legs: the peer is the SDP address
 *       and port exactly (UDP is symmetric: where the peer receives is where it sends from); DTLS roles come from
 *       {@code a=setup} as for TLS over TCP (RFC 8842; TLS-1), so a plain UDP leg has no role to wait for; the
 *       datagram bound comes from {@code a=T38FaxMaxDatagram} ({@link DatagramLimits}).</li>
 *   <li>GW-6: Local {@code a=path:$} makes a TCP leg MSRP-aware ({@link MsrpMode}: the one mapping, unverified).</li>
 * </ul>
 */
public final class LegPlanner {
    // compiled once: every Add and Modify plans its legs with these
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern ADDRESS_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]+");


    private LegPlanner() {}

    /**
     * The plan after {@code update}: {@code current} is the termination's plan (empty for an Add). Fails with 441
     * when no transport is known (an Add without Local or Remote).
     */
    public static PlannedLeg plan(Optional<LegPlan> current, TerminationUpdate update, GatewayConfig config) throws GatewayError {
        return plan(current, update, config, MsrpMode.RANDOM_SESSION_IDS);
    }

    /** As {@link #plan(Optional, TerminationUpdate, GatewayConfig)}, the session-ids of the gateway's MSRP URIs from {@code msrpSessionIds}. */
    public static PlannedLeg plan(Optional<LegPlan> current, TerminationUpdate update, GatewayConfig config, Supplier<String> msrpSessionIds)
            throws GatewayError {
        GatewayProfile profile = config.profile();
        Optional<SessionDescription> local = sdp(update.localSdp(), "Local");
        Optional<SessionDescription> remote = sdp(update.remoteSdp(), "Remote");
        Optional<MediaDescription> localMedia = local.map(s -> s.media().get(0));
        Optional<MediaDescription> remoteMedia = remote.map(s -> s.media().get(0));
        Transport transport = localMedia.or(() -> remoteMedia).map(MediaDescription::transport)
                .or(() -> current.map(LegPlan::transport))
                .orElseThrow(() -> new GatewayError(ErrorCode.MISSING_REMOTE_OR_LOCAL_DESCRIPTOR, "the stream's m-line is needed in Local or Remote"));
        Optional<ErrorDescriptor> refused = profile.checkTransport(transport);
        if (refused.isPresent()) {
            throw new GatewayError(refused.get());
        }
        if (localMedia.isPresent() && remoteMedia.isPresent() && !localMedia.get().transport().equals(remoteMedia.get().transport())) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "Local transport " + localMedia.get().transport() + " and Remote "
                    + remoteMedia.get().transport() + " differ");
        }
        boolean datagram = !transport.isTcp();
        Optional<InetSocketAddress> peer = current.flatMap(LegPlan::remote);
        List<CertificateFingerprint> fingerprints = current.map(LegPlan::remoteFingerprints).orElse(List.of());
        if (remote.isPresent()) {
            // a UDP peer on port 0 (a refused stream, RFC 3264 6) is no peer to send to
            peer = remoteAddress(remote.get(), remoteMedia.get(), config.remoteAddresses()).filter(address -> !datagram || address.getPort() != 0);
            fingerprints = fingerprints(remote.get().fingerprints(remoteMedia.get()));
        }
        Optional<Setup> localSetup = localMedia.flatMap(MediaDescription::setup);
        Optional<Setup> remoteSetup = remoteMedia.flatMap(MediaDescription::setup);
        boolean sdpGiven = update.hasSdp();
        TcpRole role = sdpGiven ? role(localSetup, remoteSetup) : current.map(LegPlan::role).orElse(TcpRole.PASSIVE);
        Setup peerSetup = remoteSetup.orElse(Setup.ACTIVE); // RFC 4145 4.1: no a=setup is active (the offerer connects)
        boolean roleOpen = sdpGiven
                ? localSetup.filter(s -> s == Setup.ACTPASS).isPresent() && remoteSetup.filter(s -> s != Setup.ACTPASS).isEmpty()
                : current.map(LegPlan::roleOpen).orElse(false);
        LegPlan.Traversal traversal = traversal(current, update, datagram, role, roleOpen, config);
        if (!datagram && role == TcpRole.PASSIVE && peer.isPresent() && !traversal.merge()
                && (traversal.latch().isPresent() || peerSetup == Setup.ACTIVE || peerSetup == Setup.ACTPASS)) {
            // TCP-9, RFC 4145 4.1: a peer that connects does so from a port of its choosing unless the realm's policy
            // says it binds its signalled one (PassiveSourcePolicy's table); TCP-6: behind a NAT that rewrites ports
            // the SDP port is never the source port, so a latching leg holds to the address only
            PassiveSourcePolicy policy = traversal.latch().isPresent() ? PassiveSourcePolicy.LATCH : config.passiveSources();
            peer = Optional.of(policy.expectedSource(peer.get(), peerSetup == Setup.ACTPASS));
        }
        if (traversal.merge() && peer.filter(address -> address.getPort() == 0 || address.getPort() == 9).isPresent()) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, TcpTlsPackageNames.TCP_PACKAGE + "/"
                    + TcpTlsPackageNames.TCP_MERGE_PROPERTY + ": the merge connects to the peer's address and port, and Remote gives no port (TCP-5)");
        }
        Optional<LegPlan.TlsLayer> tls = tls(transport, role, current, update, config);
        if (tls.isPresent() && tls.get() instanceof LegPlan.CertificateTls certificates && !fingerprints.isEmpty()) {
            fingerprints = enforced(certificates, fingerprints);
        }
        if (!datagram) {
            Optional<LegPlan.MsrpAware> msrpAware = MsrpMode.plan(current, localMedia, remoteMedia, transport, profile, msrpSessionIds);
            return new PlannedLeg(new LegPlan(transport, role, roleOpen, peer, fingerprints, tls, Optional.empty(), traversal, msrpAware), local, remote);
        }
        LegPlan.Datagrams datagrams = DatagramLimits.of(transport, tls.isPresent(), localMedia, remoteMedia, current.flatMap(LegPlan::datagrams));
        // a plain UDP leg has no role to decide: it joins its bearer once its peer is known
        return new PlannedLeg(new LegPlan(transport, role, roleOpen && tls.isPresent(), peer, fingerprints, tls, Optional.of(datagrams)), local, remote);
    }

    /**
     * NAT traversal (TR 29.828 4.4.2.2, 4.4.2.3): what the update says, else what the leg had. The establish signal
     * ends a delay (TCP-4). Merge is for a passive leg (TS 23.334 6.2.18.4: a=setup:passive with the merge policy),
     * latching for one that is not active (an active leg connects where it is told: nothing to latch onto); UDP legs
     * take none of them here (501).
     */
    private static LegPlan.Traversal traversal(Optional<LegPlan> current, TerminationUpdate update, boolean datagram, TcpRole role, boolean roleOpen,
            GatewayConfig config) throws GatewayError {
        LegPlan.Traversal before = current.map(LegPlan::traversal).orElse(LegPlan.Traversal.NONE);
        boolean delayed = !update.establish() && update.delayed().orElse(before.delayed());
        boolean merge = update.merge().orElse(before.merge());
        // the realm's latch policy makes every passive TCP leg latch unless the MGC says otherwise (ipnapt/latch)
        boolean latch = update.latch().orElse(before.latch().isPresent()
                || (!datagram && role == TcpRole.PASSIVE && config.passiveSources() == PassiveSourcePolicy.LATCH));
        if (datagram && (delayed || merge || latch)) {
            throw new GatewayError(ErrorCode.NOT_IMPLEMENTED, "delayed establishment, merge and latching are for TCP legs (TCP-4, TCP-5, TCP-6), not "
                    + "a UDP leg");
        }
        if (config.profile().conference() && (delayed || merge)) {
            throw new GatewayError(ErrorCode.NOT_IMPLEMENTED, "delayed establishment and merge are for relayed legs (IMS-AGW, TrGW), not a conference's");
        }
        if (merge && (role != TcpRole.PASSIVE || roleOpen)) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_MERGE_PROPERTY
                    + " needs Local a=setup:passive (TS 23.334 6.2.18.4)");
        }
        if (latch && role == TcpRole.ACTIVE && !roleOpen) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, TcpTlsPackageNames.NAPT_PACKAGE + "/" + TcpTlsPackageNames.NAPT_LATCH_PROPERTY
                    + " on an active leg: it connects where Remote says, there is no source to latch onto");
        }
        return new LegPlan.Traversal(delayed, merge, latch ? Optional.of(config.remoteAddresses()) : Optional.empty());
    }

    /** The TLS layer the gateway runs on the leg, if it terminates TLS there (TLS-1, TLS-8, E2E-5). */
    private static Optional<LegPlan.TlsLayer> tls(Transport transport, TcpRole role, Optional<LegPlan> current, TerminationUpdate update, GatewayConfig config)
            throws GatewayError {
        GatewayProfile profile = config.profile();
        boolean terminated = transport.isTls() && profile.terminatesTls();
        // RFC 4572: the TCP client is the TLS client, unless tlsbsc/role says otherwise (TLS-1)
        boolean client = update.tlsClient().orElse(role == TcpRole.ACTIVE);
        if (terminated && profile.pskTls()) {
            if (update.tlsDomain().isPresent()) {
                throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "the MRFP's TLS is keyed by " + PskProperty.NAME
                        + ", not by a TLS domain's certificate");
            }
            return Optional.of(new LegPlan.PskTls(client));
        }
        if (update.preSharedKey().isPresent()) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, PskProperty.NAME + " on a stream that is not TLS-PSK (" + transport + ")");
        }
        if (!terminated) {
            if (update.tlsClient().isPresent() || update.tlsDomain().isPresent()) {
                throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "TLS properties on a stream whose TLS is not terminated here (" + transport + ")");
            }
            return Optional.empty();
        }
        String domain = update.tlsDomain().or(() -> current.flatMap(LegPlan::certificateTls).map(LegPlan.CertificateTls::domain))
                .orElse(config.defaultDomain());
        TlsEngines engines = config.tlsDomains().get(domain);
        if (engines == null) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, TcpTlsPackageNames.TLS_PACKAGE + "/"
                    + TcpTlsPackageNames.TLS_DOMAIN_PROPERTY + " " + domain + ": no such TLS domain (" + config.tlsDomains().keySet() + ")");
        }
        return Optional.of(new LegPlan.CertificateTls(domain, engines, client));
    }

    /**
     * SEC-3 (RFC 8122 5): what the TLS domain will hold the peer to — the fingerprints under the strongest accepted
     * hash function offered; none under an accepted function is refused (449) before anything opens.
     */
    private static List<CertificateFingerprint> enforced(LegPlan.CertificateTls tls, List<CertificateFingerprint> offered) throws GatewayError {
        return switch (tls.engines().domain().fingerprintPolicy().accept(offered)) {
            case FingerprintPolicy.Enforced enforced -> enforced.fingerprints();
            case FingerprintPolicy.Refused refused -> throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "Remote a=fingerprint: "
                    + refused.reason());
        };
    }

    private static Optional<SessionDescription> sdp(Optional<String> text, String which) throws GatewayError {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        SessionDescription sdp;
        try {
            sdp = SdpParser.parseH248(text.get()).get(0);
        } catch (SdpParseException e) {
            throw new GatewayError(ErrorCode.INVALID_SDP_SYNTAX, which + " SDP: " + e.getMessage());
        }
        if (sdp.media().size() != 1) {
            throw new GatewayError(ErrorCode.REQUIRED_INFORMATION_MISSING, which + " SDP must hold exactly one m-line, it holds " + sdp.media().size());
        }
        return Optional.of(sdp);
    }

    /** TLS-3: the peer's fingerprints, converted without a trip through text; MD2/MD5 are refused (RFC 8122 5). */
    private static List<CertificateFingerprint> fingerprints(List<Fingerprint> given) throws GatewayError {
        List<CertificateFingerprint> fingerprints = new ArrayList<>();
        for (Fingerprint fingerprint : given) {
            try {
                fingerprints.add(CertificateFingerprint.of(fingerprint.hashFunction(), fingerprint.value()));
            } catch (IllegalArgumentException e) {
                throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "a=fingerprint:" + fingerprint.attributeValue() + ": " + e.getMessage());
            }
        }
        return fingerprints;
    }

    /**
     * The peer's address from Remote: c= and the m-line port; $ or nothing means not known yet. An address the realm's
     * policy refuses (loopback, link-local, our own, …: SEC-2) is refused here, before anything opens.
     */
    private static Optional<InetSocketAddress> remoteAddress(SessionDescription sdp, MediaDescription media, RemoteAddressPolicy policy)
            throws GatewayError {
        Optional<String> connection = sdp.connectionData(media);
        if (connection.isEmpty() || connection.get().contains("$") || media.mediaLine().portNumber().isEmpty()) {
            return Optional.empty();
        }
        String[] parts = WHITESPACE.split(connection.get().trim());
        if (parts.length < 3 || !parts[0].equals("IN") || !(parts[1].equals("IP4") || parts[1].equals("IP6"))) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "c=" + connection.get() + ": IN IP4 or IN IP6 expected");
        }
        String host = parts[2].contains("/") ? parts[2].substring(0, parts[2].indexOf('/')) : parts[2];
        if (!ADDRESS_CHARACTERS.matcher(host).matches()) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "c=" + connection.get() + ": an address, not a name, is expected");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "c=" + connection.get() + ": " + e.getMessage());
        }
        Optional<String> refused = policy.refusal(address);
        if (refused.isPresent()) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "c=" + connection.get() + " refused: " + refused.get());
        }
        return Optional.of(new InetSocketAddress(address, media.mediaLine().portNumber().getAsInt()));
    }

    /**
     * Our TCP role (TCP-1, RFC 4145): Local a=setup active/passive is the MGC's choice for us; actpass or none follows
     * the peer (its active makes us passive and the reverse); with nothing known we listen, which never connects to an
     * address nobody checked (TCP-9).
     */
    private static TcpRole role(Optional<Setup> local, Optional<Setup> remote) throws GatewayError {
        if (local.filter(s -> s == Setup.HOLDCONN).isPresent() || remote.filter(s -> s == Setup.HOLDCONN).isPresent()) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "a=setup:holdconn is not supported");
        }
        if (local.isPresent() && local.get() != Setup.ACTPASS) {
            TcpRole chosen = local.get() == Setup.ACTIVE ? TcpRole.ACTIVE : TcpRole.PASSIVE;
            if (remote.isPresent() && remote.get() != Setup.ACTPASS && (remote.get() == Setup.ACTIVE) == (chosen == TcpRole.ACTIVE)) {
                throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "Local a=setup:" + local.get().token() + " and Remote a=setup:"
                        + remote.get().token() + " cannot both hold");
            }
            return chosen;
        }
        return remote.map(r -> r == Setup.PASSIVE ? TcpRole.ACTIVE : TcpRole.PASSIVE).orElse(TcpRole.PASSIVE);
    }
}
