package org.mediasec.gateway.leg;

import java.util.Locale;
import java.util.Optional;
import org.mediasec.gateway.GatewayError;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.packages.PackageCatalogue;
import org.mediasec.h248.packages.PackageDefinition;
import org.mediasec.h248.packages.TcpTlsPackageNames;

/**
 * The LocalControl properties the gateway acts on (h248-stage3 reference §1; TS 29.334 5.17): the TLS role
 * (TLS-1), the TLS domain (TLS-8), the MRFP's pre-shared key (E2E-5), and NAT traversal: delayed establishment
 * (TCP-4), TCP merge (TCP-5), latching (TCP-6). Every other property is checked by the
 * package catalogue and refused, with 445 when it is valid but not supported here.
 */
enum LocalControlItem {
    TLS_ROLE,
    TLS_DOMAIN,
    PRE_SHARED_KEY,
    /** TCP-4: {@code tcpbcc/delay}. */
    DELAYED_ESTABLISHMENT,
    /** TCP-5: {@code tcpbcc/merge}. */
    MERGE,
    /** TCP-6: {@code ipnapt/latch} (H.248.37). */
    LATCH;

    private static final PackageCatalogue PACKAGES = PackageCatalogue.standard();
    private static final String ROLE = TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_ROLE_PROPERTY;
    private static final String DOMAIN = TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_DOMAIN_PROPERTY;
    private static final String DELAYED = TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_DELAYED_PROPERTY;
    private static final String MERGING = TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_MERGE_PROPERTY;
    private static final String LATCHING = TcpTlsPackageNames.NAPT_PACKAGE + "/" + TcpTlsPackageNames.NAPT_LATCH_PROPERTY;

    static LocalControlItem of(PropertyParameter property) throws GatewayError {
        if (property.name().equalsIgnoreCase(PskProperty.NAME)) {
            return PRE_SHARED_KEY; // checked by PskProperty, which never echoes the key into an error text (the catalogue would)
        }
        Optional<ErrorDescriptor> rejected = PACKAGES.checkProperty(property, PackageDefinition.Descriptor.LOCAL_CONTROL).map(r -> r.toErrorDescriptor());
        if (rejected.isPresent()) {
            throw new GatewayError(rejected.get());
        }
        String name = property.name().toLowerCase(Locale.ROOT);
        if (name.equals(ROLE)) {
            return TLS_ROLE;
        }
        if (name.equals(DOMAIN)) {
            return TLS_DOMAIN;
        }
        if (name.equals(DELAYED)) {
            return DELAYED_ESTABLISHMENT;
        }
        if (name.equals(MERGING)) {
            return MERGE;
        }
        if (name.equals(LATCHING)) {
            return LATCH;
        }
        throw new GatewayError(ErrorCode.UNSUPPORTED_PROPERTY, property.name() + " is not supported by this gateway");
    }
}
