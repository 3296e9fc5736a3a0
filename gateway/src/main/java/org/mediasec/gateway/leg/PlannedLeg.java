package org.mediasec.gateway.leg;

import java.util.Optional;
import org.mediasec.sdp.ConnectionAttribute;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;

/**
 * A leg plan with the SDP it was read from, parsed once: what a profile reads beyond the leg (the MRFP's conference
 * IDs in Local, a member's MSRP path in Remote) comes from here.
 */
public record PlannedLeg(LegPlan plan, Optional<SessionDescription> local, Optional<SessionDescription> remote) {

    public Optional<MediaDescription> localMedia() {
        return local.map(sdp -> sdp.media().get(0));
    }

    public Optional<MediaDescription> remoteMedia() {
        return remote.map(sdp -> sdp.media().get(0));
    }

    /**
     * RFC 4145 5: whether this update asks for a new TCP connection ({@code a=connection:new} in Local or Remote) on a
     * leg that has one; {@code existing}, or nothing, keeps it (TCP-1, TLS-14).
     */
    public boolean newConnection() {
        return localMedia().flatMap(MediaDescription::connection).or(() -> remoteMedia().flatMap(MediaDescription::connection))
                .filter(c -> c == ConnectionAttribute.NEW).isPresent();
    }
}
