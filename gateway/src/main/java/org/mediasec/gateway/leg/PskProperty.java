package org.mediasec.gateway.leg;

import java.util.Arrays;
import java.util.HexFormat;
import org.mediasec.gateway.GatewayConfig;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.profile.GatewayProfile;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.packages.TcpTlsPackageNames;

/**
 * The one place that reads the pre-shared key the MRFC gives the MRFP for a TLS-PSK termination (TS 23.333
 * 6.2.19 "Pre-Shared Key" = the TEK of the crypto session, E2E-1, E2E-5). Its H.248 coding is UNVERIFIED (TS 29.333
 * could not be read here): a LocalControl property {@code tlsbsc/psk} whose value is the key in hexadecimal, 16 to
 * 64 octets. Correct it here when the specification is at hand; docs/h248-profile.md says the same.
 */
public final class PskProperty {

    public static final String NAME = TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_PSK_PROPERTY;
    private static final int MIN_OCTETS = 16;
    private static final int MAX_OCTETS = 64;

    private PskProperty() {}

    /**
     * The key, or the H.248.8 error: 445 outside the MRFP profile (no TLS-PSK there) or over a control link that is
     * not protected (a TEK never crosses an unprotected network: NDS/IP, TS 33.210), 449 for a malformed value.
     */
    static byte[] parse(GatewayConfig config, String value) throws GatewayError {
        GatewayProfile profile = config.profile();
        if (!profile.pskTls()) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PROPERTY, NAME + " keys TLS-PSK streams, which only the MRFP profile (Mp) terminates; this is the "
                    + profile.name() + " profile (" + profile.reference() + ")");
        }
        if (!config.keysOverControlLink()) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PROPERTY, NAME + " is not accepted over this control link: it is not protected (use the TLS "
                    + "control link, or declare control.protectedNetwork for a link on an NDS/IP network, TS 33.210)");
        }
        String hex = value.strip();
        if (hex.length() >= 2 && hex.startsWith("\"") && hex.endsWith("\"")) {
            hex = hex.substring(1, hex.length() - 1);
        }
        byte[] key;
        try {
            key = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            // the value is never echoed: it is key material
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, NAME + " is not hexadecimal");
        }
        if (key.length < MIN_OCTETS || key.length > MAX_OCTETS) {
            Arrays.fill(key, (byte) 0);
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, NAME + " must be " + MIN_OCTETS + " to " + MAX_OCTETS + " octets");
        }
        return key;
    }
}
