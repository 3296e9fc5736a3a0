package org.mediasec.gateway.profile;

import java.util.Optional;
import java.util.Set;
import org.mediasec.gateway.context.ContextMedia;
import org.mediasec.gateway.context.MediaServices;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.sdp.Transport;
import org.mediasec.traceability.Implements;

/**
 * What one role of the MG may do (GW-9): the IMS-AGW on Iq (TS 29.334), the TrGW on Ix (TS 29.238), the MRFP on Mp
 * (TS 29.333). The command handling asks its profile before acting; a request outside it gets the profile's
 * H.248.8 error and changes nothing.
 */
@Implements("GW-9")
public interface GatewayProfile {

    /** ServiceChangeProfile name (unverified per profile: configurable) and version. */
    String name();

    int version();

    /** Interface and specification, for logs and the profile document. */
    String reference();

    /** The SDP transports a stream may use. */
    Set<Transport> transports();

    /**
     * Whether a TLS transport is terminated here (IMS-AGW: e2ae TLS↔TCP and TLS↔TLS, GW-1, GW-2) or relayed untouched
     * as TCP (TrGW, and transparent e2e TLS, GW-3).
     */
    boolean terminatesTls();

    /**
     * What a context of this profile does with its terminations' legs: a relay pair between two (IMS-AGW, TrGW) or
     * a conference (MRFP). One per context.
     */
    ContextMedia newContextMedia(MediaServices services);

    /** Checks one stream's transport: 515 when the profile does not carry it. */
    default Optional<ErrorDescriptor> checkTransport(Transport transport) {
        return transports().contains(transport) ? Optional.empty()
                : Optional.of(ErrorDescriptor.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "transport " + transport + " is not supported by the " + name()
                        + " profile (" + reference() + "): " + transports()));
    }

    /** Checks the two legs of a context together (e.g. the TrGW cannot turn TLS into TCP). */
    default Optional<ErrorDescriptor> checkPair(Transport a, Transport b) {
        return Optional.empty();
    }

    /**
     * Whether a context is a conference (the MRFP, GW-4): each termination is one participant whose stream ends
     * here, at the conference focus, instead of two terminations relayed to each other.
     */
    default boolean conference() {
        return false;
    }

    /** How many terminations a context holds: two for a relay, the participants of a conference. */
    default int maxTerminationsPerContext() {
        return 2;
    }

    /** Whether TLS legs are keyed by a pre-shared key the MGC gives (E2E-5: the MRFP only). */
    default boolean pskTls() {
        return false;
    }

    static GatewayProfile named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "ims-agw", "imsagw", "iq" -> new ImsAgwProfile();
            case "trgw", "ix" -> new TrgwProfile();
            case "mrfp", "mp" -> new MrfpProfile(MrfpProfile.DEFAULT_MAX_PARTICIPANTS);
            default -> throw new IllegalArgumentException("unknown profile '" + name + "': ims-agw, trgw or mrfp");
        };
    }
}
