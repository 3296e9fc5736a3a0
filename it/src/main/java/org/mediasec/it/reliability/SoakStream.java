package org.mediasec.it.reliability;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mediasec.controller.mgc.LegRequest;
import org.mediasec.controller.mgc.RemoteEnd;
import org.mediasec.controller.mgc.TlsRole;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.it.harness.MsrpStreamCommands;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;

/**
 * The kinds of call the soak mixes (issue 24), each the H.248 an IMS-ALG sends for it: the access leg passive towards a
 * UE that connects out (TCP-7), the core leg {@code actpass} in the Add and passive in the Modify that gives it the
 * answerer's Remote (TS 23.334 6.2.10.3). Where a leg terminates TLS the gateway is its TLS server (TLS-1: the TLS role
 * follows the TCP role for MSRP) and holds the peer to the fingerprint in Remote (TLS-4); the UE and the core check
 * the gateway's fingerprint from the reply's Local. The fax kind (GW-7) has UDP legs: its UE and core give their bound
 * ports in Remote, the UE's {@code a=setup:active} makes the gateway its DTLS server (RFC 8842), and both Remotes
 * bound the datagrams with {@code a=T38FaxMaxDatagram} (RFC 7345).
 */
enum SoakStream {
    /** MSRP over TCP on both legs (e2e TCP: the bytes pass untouched). */
    TCP("message", Transport.TCP_MSRP, Transport.TCP_MSRP),
    /** BFCP over TCP on both legs (RFC 8856). */
    BFCP("application", Transport.TCP_BFCP, Transport.TCP_BFCP),
    /** e2ae: TLS towards the UE, TCP towards the core (TS 33.328 7.4: TLS-to-TCP interworking). */
    E2AE("message", Transport.TCP_TLS_MSRP, Transport.TCP_MSRP),
    /** TLS on both legs, each terminated by the gateway (TLS-to-TLS). */
    TLS("message", Transport.TCP_TLS_MSRP, Transport.TCP_TLS_MSRP),
    /** T.38 fax (GW-7, TS 23.334 T.38 with DTLS): UDPTL in DTLS towards the UE (RFC 7345), plain UDPTL towards the core. */
    UDPTL("image", Transport.UDP_TLS_UDPTL, Transport.UDPTL);

    /** The Events descriptor's request ID, as the IMS-ALG uses it. */
    private static final long EVENTS_REQUEST_ID = 1;
    private static final TerminationId CHOOSE_IP = TerminationId.of("ip/$");
    /** RFC 4145 4: an active end's port is irrelevant and written as 9. */
    static final int DISCARD_PORT = 9;
    /** RFC 7345, T.38 Annex D: the largest UDPTL datagram the party receives, in Remote (what the gateway relays at most). */
    private static final String T38_MAX_DATAGRAM = "T38FaxMaxDatagram:" + SoakFax.MAX_DATAGRAM;
    /** The name {@code --mix} also takes for {@link #UDPTL}. */
    private static final String FAX_ALIAS = "fax";

    private final String media;
    private final Transport access;
    private final Transport core;

    SoakStream(String media, Transport access, Transport core) {
        this.media = media;
        this.access = access;
        this.core = core;
    }

    /** Parses a mix as the options write it: {@code tcp,e2ae,tls,bfcp,udptl} ({@code fax} for {@code udptl}). */
    static List<SoakStream> mix(String text) {
        List<SoakStream> kinds = List.of(text.split(",")).stream().map(String::strip).map(name -> {
            try {
                return name.equalsIgnoreCase(FAX_ALIAS) ? UDPTL : valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown call kind '" + name + "' in --mix (tcp, bfcp, e2ae, tls, udptl or fax)", e);
            }
        }).toList();
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("--mix names no call kind");
        }
        return kinds;
    }

    boolean accessTls() {
        return access.isTls();
    }

    boolean coreTls() {
        return core.isTls();
    }

    /** UDP legs (the fax): the peers bind before the Add and are named by their ports in Remote. */
    boolean datagram() {
        return !access.isTcp();
    }

    /**
     * The two Adds, access leg first, for one transaction on context CHOOSE; the UE presents {@code ue}'s certificate and,
     * on UDP, sends from and receives on {@code uePort} (a TCP UE connects out: its port is not given).
     */
    List<Command> adds(Fingerprint ue, int uePort) {
        if (this == TCP) {
            return MsrpStreamCommands.adds(); // the call-rate benchmark's call, exactly
        }
        LegRequest accessLeg = leg(access, Setup.PASSIVE, Optional.of(activePeer(access, ue, uePort)));
        LegRequest coreOffered = leg(core, Setup.ACTPASS, Optional.empty());
        return List.of(new Command.Add(CHOOSE_IP, accessLeg.descriptors(EVENTS_REQUEST_ID)), new Command.Add(CHOOSE_IP, coreOffered.descriptors(EVENTS_REQUEST_ID)));
    }

    /**
     * The Modify that gives the core leg the answerer's Remote (active, presenting {@code corePeer}'s certificate on TLS;
     * on UDP at {@code corePort}).
     */
    List<Command> answerCore(TerminationId coreLeg, Fingerprint corePeer, int corePort) {
        if (this == TCP) {
            return MsrpStreamCommands.answerCore(coreLeg);
        }
        LegRequest answered = leg(core, Setup.PASSIVE, Optional.of(activePeer(core, corePeer, corePort)));
        return List.of(new Command.Modify(coreLeg, answered.descriptors(EVENTS_REQUEST_ID)));
    }

    private LegRequest leg(Transport transport, Setup setup, Optional<RemoteEnd> remote) {
        // 23.334 6.2.10.3: an actpass leg's TLS role is decided with its TCP role, in the Modify
        Optional<TlsRole> role = transport.isTls() && setup != Setup.ACTPASS ? Optional.of(TlsRole.SERVER) : Optional.empty();
        return new LegRequest(media, transport, setup, remote, role, Optional.empty(), true);
    }

    private static RemoteEnd activePeer(Transport transport, Fingerprint certificate, int port) {
        List<Fingerprint> fingerprints = transport.isTls() ? List.of(certificate) : List.of();
        if (transport.isTcp()) {
            return new RemoteEnd("IN IP4 127.0.0.1", DISCARD_PORT, Optional.of(Setup.ACTIVE), fingerprints);
        }
        // RFC 8842 5.3: a=setup:active makes the UE the DTLS client (plain UDP: no role, a=setup is ignored)
        return new RemoteEnd("IN IP4 127.0.0.1", port, Optional.of(Setup.ACTIVE), fingerprints, List.of(T38_MAX_DATAGRAM));
    }
}
