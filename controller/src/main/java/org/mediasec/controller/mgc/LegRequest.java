package org.mediasec.controller.mgc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.packages.TcpTlsPackageNames;
import org.mediasec.sdp.ConnectionAttribute;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;

/**
 * What the controller asks of one gateway leg in an Add or Modify (TS 23.334 6.2.10.3, 6.2.18; TS 29.334 5.17):
 * the transport the gateway runs on it (TLS in it: the gateway terminates TLS), our TCP role (a=setup of Local:
 * active, passive, or actpass to let the peer's answer decide), the far end once known (Remote), the TLS role and
 * domain, and whether to report establishment and failures. Written as Local/Remote SDP with one m-line, the
 * package properties of {@link TcpTlsPackageNames} in LocalControl, and an Events descriptor.
 */
public record LegRequest(
        String media,
        Transport transport,
        Setup localSetup,
        Optional<RemoteEnd> remote,
        Optional<TlsRole> tlsRole,
        Optional<String> tlsDomain,
        boolean reportEvents,
        MediaParameter.StreamMode mode,
        Optional<ConnectionAttribute> connection,
        boolean msrpAware,
        LegTraversal traversal) {

    public LegRequest {
        if (!transport.isTls() && (tlsRole.isPresent() || tlsDomain.isPresent())) {
            throw new IllegalArgumentException("TLS role or domain on a leg without TLS: " + transport);
        }
    }

    public LegRequest(String media, Transport transport, Setup localSetup, Optional<RemoteEnd> remote, Optional<TlsRole> tlsRole,
            Optional<String> tlsDomain, boolean reportEvents, MediaParameter.StreamMode mode, Optional<ConnectionAttribute> connection, boolean msrpAware) {
        this(media, transport, localSetup, remote, tlsRole, tlsDomain, reportEvents, mode, connection, msrpAware, LegTraversal.NONE);
    }

    /** A leg relayed both ways (SendReceive), with no say on the connection (RFC 4145 5: a new one). */
    public LegRequest(String media, Transport transport, Setup localSetup, Optional<RemoteEnd> remote, Optional<TlsRole> tlsRole,
            Optional<String> tlsDomain, boolean reportEvents) {
        this(media, transport, localSetup, remote, tlsRole, tlsDomain, reportEvents, MediaParameter.StreamMode.SEND_RECEIVE, Optional.empty(), false);
    }

    public LegRequest(String media, Transport transport, Setup localSetup, Optional<RemoteEnd> remote, Optional<TlsRole> tlsRole,
            Optional<String> tlsDomain, boolean reportEvents, MediaParameter.StreamMode mode, Optional<ConnectionAttribute> connection) {
        this(media, transport, localSetup, remote, tlsRole, tlsDomain, reportEvents, mode, connection, false);
    }

    /** MSRP-aware (GW-6): Local asks for the gateway's own URI ({@code a=path:$}), Remote carries the party's path. */
    public LegRequest withMsrpAware(boolean aware) {
        return new LegRequest(media, transport, localSetup, remote, tlsRole, tlsDomain, reportEvents, mode, connection, aware, traversal);
    }

    public LegRequest withRemote(RemoteEnd end) {
        return new LegRequest(media, transport, localSetup, Optional.of(end), tlsRole, tlsDomain, reportEvents, mode, connection, msrpAware, traversal);
    }

    public LegRequest withLocalSetup(Setup setup) {
        return new LegRequest(media, transport, setup, remote, tlsRole, tlsDomain, reportEvents, mode, connection, msrpAware, traversal);
    }

    public LegRequest withTlsRole(Optional<TlsRole> role) {
        return new LegRequest(media, transport, localSetup, remote, role, tlsDomain, reportEvents, mode, connection, msrpAware, traversal);
    }

    /** H.248.1 7.1.7: which way the leg's bytes flow (a call on hold, CTRL-7). */
    public LegRequest withMode(MediaParameter.StreamMode flow) {
        return new LegRequest(media, transport, localSetup, remote, tlsRole, tlsDomain, reportEvents, flow, connection, msrpAware, traversal);
    }

    /** RFC 4145 5 in Local: keep the leg's TCP connection (existing) or open a new one (new). */
    public LegRequest withConnection(Optional<ConnectionAttribute> attribute) {
        return new LegRequest(media, transport, localSetup, remote, tlsRole, tlsDomain, reportEvents, mode, attribute, msrpAware, traversal);
    }

    /** NAT traversal on this leg (TCP-4, TCP-5, TCP-6); see {@link LegTraversal}. */
    public LegRequest withTraversal(LegTraversal nat) {
        return new LegRequest(media, transport, localSetup, remote, tlsRole, tlsDomain, reportEvents, mode, connection, msrpAware, nat);
    }

    /** The descriptors of the Add or Modify, with {@code requestId} for the Events descriptor. */
    public List<Descriptor> descriptors(long requestId) {
        List<MediaParameter.StreamParameter> stream = new ArrayList<>();
        List<MediaParameter.LocalControlParameter> control = new ArrayList<>();
        control.add(new MediaParameter.Mode(mode));
        tlsRole.ifPresent(role -> control.add(new MediaParameter.LocalControlProperty(
                PropertyParameter.of(TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_ROLE_PROPERTY, role.token()))));
        tlsDomain.ifPresent(domain -> control.add(new MediaParameter.LocalControlProperty(
                PropertyParameter.of(TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_DOMAIN_PROPERTY, domain))));
        traversalProperties(control);
        stream.add(new MediaParameter.LocalControlDescriptor(control));
        stream.add(new MediaParameter.LocalDescriptor(localSdp()));
        remote.ifPresent(end -> stream.add(new MediaParameter.RemoteDescriptor(remoteSdp(end))));
        List<Descriptor> descriptors = new ArrayList<>();
        descriptors.add(new Descriptor.MediaDescriptor(List.of(new MediaParameter.StreamDescriptor(1, stream))));
        if (reportEvents) {
            descriptors.add(new Descriptor.EventsDescriptor(OptionalLong.of(requestId), events()));
        }
        return descriptors;
    }

    /** TR 29.828 4.4.2.2, 4.4.2.3: what the leg does about NATs, as LocalControl properties (ON; value syntax unverified). */
    private void traversalProperties(List<MediaParameter.LocalControlParameter> control) {
        if (traversal.latch()) {
            control.add(on(TcpTlsPackageNames.NAPT_PACKAGE, TcpTlsPackageNames.NAPT_LATCH_PROPERTY));
        }
        if (traversal.merge()) {
            control.add(on(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_MERGE_PROPERTY));
        }
        if (traversal.delayed()) {
            control.add(on(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_DELAYED_PROPERTY));
        }
    }

    private static MediaParameter.LocalControlProperty on(String pkg, String property) {
        return new MediaParameter.LocalControlProperty(PropertyParameter.of(pkg + "/" + property, "ON"));
    }

    /** Local: address and port chosen by the gateway ($), our setup, and a=fingerprint:$ to ask for its own. */
    private String localSdp() {
        StringBuilder sdp = new StringBuilder("v=0\nc=IN IP4 $\nm=").append(media).append(" $ ").append(transport).append(" *\n")
                .append("a=setup:").append(localSetup.token()).append('\n');
        connection.ifPresent(value -> sdp.append("a=connection:").append(value.token()).append('\n'));
        if (transport.isTls()) {
            sdp.append("a=fingerprint:$\n");
        }
        if (msrpAware) {
            sdp.append("a=path:$\n"); // GW-6: the gateway's own URI, unverified coding (docs/h248-profile.md)
        }
        return sdp.toString();
    }

    private String remoteSdp(RemoteEnd end) {
        StringBuilder sdp = new StringBuilder("v=0\nc=").append(end.connectionAddress()).append("\nm=").append(media).append(' ')
                .append(end.port()).append(' ').append(transport).append(" *\n");
        end.setup().ifPresent(setup -> sdp.append("a=setup:").append(setup.token()).append('\n'));
        if (transport.isTls()) {
            for (Fingerprint fingerprint : end.fingerprints()) {
                sdp.append("a=fingerprint:").append(fingerprint.attributeValue()).append('\n');
            }
        }
        end.attributes().forEach(attribute -> sdp.append("a=").append(attribute).append('\n'));
        if (msrpAware && !end.msrpPath().isEmpty()) {
            sdp.append("a=path:").append(String.join(" ", end.msrpPath())).append('\n');
        }
        return sdp.toString();
    }

    /**
     * Establishment (TLS-9) and failure (TLS-4, TCP-8) of the layers this leg has; a UDP leg (GW-7) has no TCP, so its
     * other failures come as nt/netfail (H.248.1 E.2), and its DTLS is reported with the TLS items (TS 23.334: "(D)TLS").
     */
    private List<Events.RequestedEvent> events() {
        List<Events.RequestedEvent> events = new ArrayList<>();
        if (!transport.isTcp()) {
            if (transport.isTls()) {
                events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_ESTABLISHED_EVENT), List.of()));
                events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_FAILURE_EVENT), List.of()));
            }
            events.add(new Events.RequestedEvent(PackageItem.of("nt", "netfail"), List.of()));
            return events;
        }
        events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_ESTABLISHED_EVENT), List.of()));
        events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_FAILURE_EVENT), List.of()));
        if (transport.isTls()) {
            events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_ESTABLISHED_EVENT), List.of()));
            events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_FAILURE_EVENT), List.of()));
        }
        if (traversal.latch()) {
            // H.248.37 Amd.1: the source the leg latched onto, which SDP could not tell (TCP-6)
            events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.ADDRESS_REPORTING_PACKAGE, TcpTlsPackageNames.LATCHED_ADDRESS_EVENT),
                    List.of()));
        }
        return events;
    }
}
