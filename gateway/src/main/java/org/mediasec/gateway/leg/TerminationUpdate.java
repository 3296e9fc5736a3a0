package org.mediasec.gateway.leg;

import java.util.Arrays;
import java.util.Optional;
import org.mediasec.h248.message.MediaParameter;

/**
 * What one Add, Modify or Move asks of a termination, read from its descriptors and checked (every value known and
 * allowed here) but not yet applied: the stream's Local and Remote SDP as given, the LocalControl items the gateway
 * acts on, the mode, and the events to report. Empty means "not restated: keep what the termination has".
 *
 * @param tlsClient {@code tlsbsc/role}: true for client, false for server (TLS-1)
 * @param preSharedKey {@code tlsbsc/psk} (E2E-5); wipe it with {@link #wipe()} once taken or refused
 * @param delayed {@code tcpbcc/delay} (TCP-4)
 * @param merge {@code tcpbcc/merge} (TCP-5)
 * @param latch {@code ipnapt/latch} (TCP-6)
 * @param establish the Signals descriptor holds {@code tcpbcc/estab}: a delayed leg may establish now (TCP-4)
 */
public record TerminationUpdate(Optional<String> localSdp, Optional<String> remoteSdp, Optional<Boolean> tlsClient, Optional<String> tlsDomain,
        Optional<byte[]> preSharedKey, Optional<MediaParameter.StreamMode> mode, Optional<RequestedEvents> events, Optional<Boolean> delayed,
        Optional<Boolean> merge, Optional<Boolean> latch, boolean establish) {

    public static final TerminationUpdate NONE = new TerminationUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    /** Without NAT traversal items. */
    public TerminationUpdate(Optional<String> localSdp, Optional<String> remoteSdp, Optional<Boolean> tlsClient, Optional<String> tlsDomain,
            Optional<byte[]> preSharedKey, Optional<MediaParameter.StreamMode> mode, Optional<RequestedEvents> events) {
        this(localSdp, remoteSdp, tlsClient, tlsDomain, preSharedKey, mode, events, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    public TerminationUpdate withTraversal(Optional<Boolean> delayed, Optional<Boolean> merge, Optional<Boolean> latch, boolean establish) {
        return new TerminationUpdate(localSdp, remoteSdp, tlsClient, tlsDomain, preSharedKey, mode, events, delayed, merge, latch, establish);
    }

    /** Whether Local or Remote SDP was given. */
    public boolean hasSdp() {
        return localSdp.isPresent() || remoteSdp.isPresent();
    }

    /** Overwrites the key material this update carries (E2E-5: keys are held only as long as needed). */
    public void wipe() {
        preSharedKey.ifPresent(key -> Arrays.fill(key, (byte) 0));
    }

    @Override
    public String toString() {
        return "TerminationUpdate[local=" + localSdp.isPresent() + ", remote=" + remoteSdp.isPresent() + ", tlsClient=" + tlsClient + ", tlsDomain="
                + tlsDomain + ", key " + (preSharedKey.isPresent() ? "given" : "not given") + ", mode=" + mode + ", events=" + events + ", delayed=" + delayed + ", merge=" + merge + ", latch=" + latch + ", establish=" + establish + "]";
    }
}
