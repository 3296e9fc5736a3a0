package org.mediasec.controller.mrfc;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.packages.TcpTlsPackageNames;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;

/**
 * One MRFP termination as the MRFC asks for it (TS 23.333 6.2.19, 6.2.20; seed 003 7.2.1.3): the participant's
 * stream (MSRP or BFCP, over TCP or TLS-PSK), the MRFP's TCP role (Local a=setup; actpass while an offer is out),
 * the UE's end once known (Remote: c=, port, a=setup, and for MSRP its o= name, a=path and a=accept-types), the
 * PSK (the TEK of the stream's crypto session) and the MRFP's TLS role, and the establishment and failure events.
 * The PSK's H.248 coding is the gateway's (tlsbsc/psk, unverified, docs/h248-profile.md).
 */
record ParticipantRequest(String media, Transport transport, Setup localSetup, Optional<String> remoteSdp, Optional<byte[]> psk, boolean tlsClient) {

    static final long EVENTS_REQUEST_ID = 1;

    /** The Remote SDP of the UE's m-line: only what the MRFP needs of it. */
    static String remote(SessionDescription sdp, MediaDescription media) {
        StringBuilder text = new StringBuilder("v=0\n");
        sdp.origin().ifPresent(origin -> text.append("o=").append(origin).append('\n'));
        text.append("c=").append(sdp.connectionData(media).orElseThrow()).append('\n')
                .append("m=").append(media.mediaLine().media()).append(' ').append(media.mediaLine().portNumber().orElse(9)).append(' ')
                .append(media.transport()).append(" *\n");
        media.setup().ifPresent(setup -> text.append("a=setup:").append(setup.token()).append('\n'));
        if (!media.path().isEmpty()) {
            text.append("a=path:").append(String.join(" ", media.path())).append('\n');
        }
        if (!media.acceptTypes().isEmpty()) {
            text.append("a=accept-types:").append(String.join(" ", media.acceptTypes())).append('\n');
        }
        return text.toString();
    }

    List<Descriptor> descriptors() {
        List<MediaParameter.StreamParameter> stream = new ArrayList<>();
        List<MediaParameter.LocalControlParameter> control = new ArrayList<>();
        control.add(new MediaParameter.Mode(MediaParameter.StreamMode.SEND_RECEIVE));
        if (transport.isTls() && localSetup != Setup.ACTPASS) {
            control.add(new MediaParameter.LocalControlProperty(PropertyParameter.of(TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_ROLE_PROPERTY,
                    tlsClient ? "client" : "server")));
        }
        psk.ifPresent(key -> control.add(new MediaParameter.LocalControlProperty(PropertyParameter.of(
                TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_PSK_PROPERTY, HexFormat.of().formatHex(key)))));
        stream.add(new MediaParameter.LocalControlDescriptor(control));
        stream.add(new MediaParameter.LocalDescriptor("v=0\nc=IN IP4 $\nm=" + media + " $ " + transport + " *\na=setup:" + localSetup.token() + "\n"));
        remoteSdp.ifPresent(sdp -> stream.add(new MediaParameter.RemoteDescriptor(sdp)));
        List<Events.RequestedEvent> events = new ArrayList<>();
        events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_FAILURE_EVENT), List.of()));
        if (transport.isTls()) {
            events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_ESTABLISHED_EVENT), List.of()));
            events.add(new Events.RequestedEvent(PackageItem.of(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_FAILURE_EVENT), List.of()));
        }
        return List.of(new Descriptor.MediaDescriptor(List.of(new MediaParameter.StreamDescriptor(1, stream))),
                new Descriptor.EventsDescriptor(OptionalLong.of(EVENTS_REQUEST_ID), events));
    }

    @Override
    public String toString() {
        return "ParticipantRequest[" + media + " " + transport + " " + localSetup.token() + (psk.isPresent() ? ", PSK (not shown)" : "") + "]";
    }
}
