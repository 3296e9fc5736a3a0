package org.mediasec.controller.alg;

import java.util.Optional;
import org.mediasec.controller.mgc.TlsRole;
import org.mediasec.sdp.Setup;
import org.mediasec.traceability.Implements;

/**
 * Who is TLS client on a gateway leg (CTRL-5; TS 29.334 5.17; the gateway only obeys the role it is given):
 * for MSRP the a=setup active side, i.e. the TCP client (RFC 4975 8.1 with RFC 4572); for BFCP the configured
 * rule: by default the SDP answerer is the TLS server (RFC 4583 8, kept by RFC 8856), or, as seed 003 NOTE 2
 * reads TS 24.229, the answerer starts TLS.
 */
@Implements("CTRL-5")
public record TlsRolePolicy(BfcpRule bfcp) {

    public enum BfcpRule {
        /** RFC 4583/8856: the answerer is TLS server, the offerer TLS client. */
        ANSWERER_IS_SERVER,
        /** Seed 003 NOTE 2: the answerer initiates TLS (is TLS client). */
        ANSWERER_IS_CLIENT
    }

    public static final TlsRolePolicy DEFAULT = new TlsRolePolicy(BfcpRule.ANSWERER_IS_SERVER);

    /**
     * The gateway's TLS role on a leg, or empty while it cannot be known (MSRP with the TCP role still open).
     *
     * @param gatewaySetup the gateway's a=setup on the leg (actpass: not decided yet)
     * @param gatewayIsAnswerer whether the gateway answers the SDP on this leg (the leg towards the offerer)
     */
    public Optional<TlsRole> gatewayRole(String application, Setup gatewaySetup, boolean gatewayIsAnswerer) {
        if (application.equals("BFCP")) {
            boolean answererIsServer = bfcp == BfcpRule.ANSWERER_IS_SERVER;
            return Optional.of(gatewayIsAnswerer == answererIsServer ? TlsRole.SERVER : TlsRole.CLIENT);
        }
        return switch (gatewaySetup) {
            case ACTIVE -> Optional.of(TlsRole.CLIENT);
            case PASSIVE -> Optional.of(TlsRole.SERVER);
            default -> Optional.empty();
        };
    }
}
