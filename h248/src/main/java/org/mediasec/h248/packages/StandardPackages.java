package org.mediasec.h248.packages;

import static org.mediasec.h248.packages.PackageDefinition.Descriptor.LOCAL_CONTROL;
import static org.mediasec.h248.packages.PackageDefinition.Descriptor.TERMINATION_STATE;

import java.util.List;
import java.util.Optional;
import org.mediasec.h248.packages.PackageDefinition.Item;
import org.mediasec.h248.packages.PackageDefinition.Parameter;

/**
 * The packages mediasec knows: the H.248.1 Annex E base packages the Iq/Ix/Mp profiles use and the packages named
 * in the TCP/TLS procedures (shared/reference/h248-stage3.md). IDs are those of Wireshark's H.248 package table
 * where the reference marks them verified.
 */
final class StandardPackages {

    private StandardPackages() {}

    private static final ValueType UINT32 = new ValueType.IntegerType(0, 0xFFFF_FFFFL);
    private static final ValueType STRING = new ValueType.StringType();
    private static final ValueType BOOLEAN = new ValueType.BooleanType();

    static List<PackageDefinition> all() {
        return List.of(generic(), root(), network(), rtp(), differentiatedServices(), gateManagement(), napt(), addressReporting(), hangingTermination(),
                inactivity(), ipDomainConnection(), inactivityTimer(), tcp(), tls());
    }

    /** H.248.1 E.1 Generic: the cause event and signal completion. */
    static PackageDefinition generic() {
        return new PackageDefinition("g", 0x0001, 1, Optional.empty(), List.of(),
                List.of(Item.withParameters("cause", 0x0001,
                                new Parameter("Generalcause", 0x0001, new ValueType.EnumerationType(List.of("NR", "UR", "FT", "FP", "IW", "UN")), false),
                                new Parameter("Failurecause", 0x0002, STRING, false)),
                        Item.withParameters("sc", 0x0002,
                                new Parameter("SigID", 0x0001, STRING, false),
                                new Parameter("Meth", 0x0002, new ValueType.EnumerationType(List.of("TO", "EV", "SD", "NC", "PI")), false),
                                new Parameter("SLID", 0x0003, UINT32, false),
                                new Parameter("RID", 0x0004, UINT32, false))),
                List.of(), List.of(), true, "H.248.1 E.1");
    }

    /** H.248.1 E.2 Base Root: timers and limits of the MG. */
    static PackageDefinition root() {
        return new PackageDefinition("root", 0x0002, 2, Optional.empty(), List.of(
                Item.readOnly("maxNumberOfContexts", 0x0001, UINT32, TERMINATION_STATE),
                Item.readOnly("maxTerminationsPerContext", 0x0002, UINT32, TERMINATION_STATE),
                Item.property("normalMGExecutionTime", 0x0003, UINT32, TERMINATION_STATE),
                Item.property("normalMGCExecutionTime", 0x0004, UINT32, TERMINATION_STATE),
                Item.property("MGProvisionalResponseTimerValue", 0x0005, UINT32, TERMINATION_STATE),
                Item.property("MGCProvisionalResponseTimerValue", 0x0006, UINT32, TERMINATION_STATE),
                Item.property("MGCOriginatedPendingLimit", 0x0007, UINT32, TERMINATION_STATE),
                Item.property("MGOriginatedPendingLimit", 0x0008, UINT32, TERMINATION_STATE)),
                List.of(), List.of(), List.of(), true, "H.248.1 E.2");
    }

    /** H.248.1 E.11 Network: jitter buffer, network failure and quality alert, duration and octet statistics. */
    static PackageDefinition network() {
        return new PackageDefinition("nt", 0x000b, 1, Optional.empty(),
                List.of(Item.property("jit", 0x0007, UINT32, LOCAL_CONTROL)),
                List.of(Item.withParameters("netfail", 0x0005, new Parameter("cs", 0x0001, STRING, false)),
                        Item.withParameters("qualert", 0x0006, new Parameter("th", 0x0001, new ValueType.IntegerType(0, 99), false))),
                List.of(),
                List.of(Item.statistic("dur", 0x0001, UINT32), Item.statistic("os", 0x0002, UINT32), Item.statistic("or", 0x0003, UINT32)),
                true, "H.248.1 E.11");
    }

    /** H.248.1 E.12 RTP (extends nt): packet statistics. */
    static PackageDefinition rtp() {
        return new PackageDefinition("rtp", 0x000c, 1, Optional.of("nt"), List.of(),
                List.of(Item.withParameters("pltrans", 0x0001, new Parameter("rtppltype", 0x0001, STRING, false))),
                List.of(),
                List.of(Item.statistic("ps", 0x0004, UINT32), Item.statistic("pr", 0x0005, UINT32), Item.statistic("pl", 0x0006, STRING),
                        Item.statistic("jit", 0x0007, UINT32), Item.statistic("delay", 0x0008, UINT32)),
                true, "H.248.1 E.12");
    }

    /** ETSI TS 102 333 Annex A, Differentiated Services: DSCP marking. */
    static PackageDefinition differentiatedServices() {
        return new PackageDefinition("ds", 0x008b, 1, Optional.empty(),
                List.of(Item.property("dscp", 0x0001, new ValueType.IntegerType(0, 63), LOCAL_CONTROL)),
                List.of(), List.of(), List.of(), true, "ETSI TS 102 333 Annex A");
    }

    /** ETSI TS 102 333 Annex B / H.248.43, Gate management: remote source address and port filtering. Item names unverified. */
    static PackageDefinition gateManagement() {
        return new PackageDefinition("gm", 0x008c, 1, Optional.empty(), List.of(
                Item.property("saf", 0x0001, BOOLEAN, LOCAL_CONTROL),
                Item.property("sam", 0x0002, STRING, LOCAL_CONTROL),
                Item.property("spf", 0x0003, BOOLEAN, LOCAL_CONTROL),
                Item.property("spr", 0x0004, STRING, LOCAL_CONTROL)),
                List.of(), List.of(), List.of(), false, "H.248.43 (item names unverified)");
    }

    /** H.248.37 IP NAPT traversal: latching (TCP-6). Value syntax unverified. */
    static PackageDefinition napt() {
        return new PackageDefinition(TcpTlsPackageNames.NAPT_PACKAGE, TcpTlsPackageNames.NAPT_PACKAGE_ID, 1, Optional.empty(),
                List.of(Item.property(TcpTlsPackageNames.NAPT_LATCH_PROPERTY, 0x0001, BOOLEAN, LOCAL_CONTROL)),
                List.of(), List.of(), List.of(), false, "H.248.37 (value syntax unverified)");
    }

    /** H.248.37 Amendment 1 address reporting: the latched source (TCP-6). ID verified, names ours (unverified). */
    static PackageDefinition addressReporting() {
        return new PackageDefinition(TcpTlsPackageNames.ADDRESS_REPORTING_PACKAGE, TcpTlsPackageNames.ADDRESS_REPORTING_PACKAGE_ID, 1, Optional.empty(),
                List.of(),
                List.of(Item.withParameters(TcpTlsPackageNames.LATCHED_ADDRESS_EVENT, 0x0001,
                        new Parameter(TcpTlsPackageNames.LATCHED_IP, 0x0001, STRING, false),
                        new Parameter(TcpTlsPackageNames.LATCHED_PORT, 0x0002, new ValueType.IntegerType(0, 65535), false))),
                List.of(), List.of(), false, "H.248.37 Amd.1 (names unverified)");
    }

    /** H.248.36 Hanging termination detection: termination heartbeat. */
    static PackageDefinition hangingTermination() {
        return new PackageDefinition("hangterm", 0x0098, 1, Optional.empty(),
                List.of(Item.property("timerx", 0x0001, UINT32, TERMINATION_STATE)),
                List.of(Item.withParameters("thb", 0x0001)), List.of(), List.of(), true, "H.248.36");
    }

    /** H.248.40 Application data inactivity detection: idle bearer. */
    static PackageDefinition inactivity() {
        return new PackageDefinition("adid", 0x009c, 1, Optional.empty(),
                List.of(Item.property("idt", 0x0001, UINT32, LOCAL_CONTROL)),
                List.of(Item.withParameters("ipstop", 0x0001, new Parameter("dir", 0x0001, new ValueType.EnumerationType(List.of("in", "out", "both")), false))),
                List.of(), List.of(), false, "H.248.40 (item names unverified)");
    }

    /** H.248.41 IP domain connection: the IP realm of a termination. */
    static PackageDefinition ipDomainConnection() {
        return new PackageDefinition("ipdc", 0x009d, 1, Optional.empty(),
                List.of(Item.property("realm", 0x0001, STRING, TERMINATION_STATE)),
                List.of(), List.of(), List.of(), false, "H.248.41 (property name unverified)");
    }

    /** H.248.14 Inactivity timer: the MGC's keep-alive towards the MG. */
    static PackageDefinition inactivityTimer() {
        return new PackageDefinition("it", 0x0045, 1, Optional.empty(),
                List.of(Item.property("mit", 0x0001, UINT32, TERMINATION_STATE)),
                List.of(Item.withParameters("ito", 0x0001, new Parameter("mit", 0x0001, UINT32, false))),
                List.of(), List.of(), true, "H.248.14");
    }

    /** H.248.89 clause 7, TCP basic connection control (names: {@link TcpTlsPackageNames}). */
    static PackageDefinition tcp() {
        Parameter reason = new Parameter(TcpTlsPackageNames.REASON, 0x0001, STRING, false);
        return new PackageDefinition(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_PACKAGE_ID, 1, Optional.empty(),
                List.of(Item.property(TcpTlsPackageNames.TCP_DELAYED_PROPERTY, 0x0001, BOOLEAN, LOCAL_CONTROL),
                        Item.property(TcpTlsPackageNames.TCP_MERGE_PROPERTY, 0x0002, BOOLEAN, LOCAL_CONTROL)),
                List.of(Item.withParameters(TcpTlsPackageNames.TCP_ESTABLISHED_EVENT, 0x0001),
                        Item.withParameters(TcpTlsPackageNames.TCP_FAILURE_EVENT, 0x0002, reason)),
                List.of(Item.withParameters(TcpTlsPackageNames.TCP_ESTABLISH_SIGNAL, 0x0001)),
                List.of(), false, "H.248.89 clause 7 (names and ID unverified)");
    }

    /** H.248.90 clause 8, TLS basic session control (names: {@link TcpTlsPackageNames}). */
    static PackageDefinition tls() {
        Parameter reason = new Parameter(TcpTlsPackageNames.REASON, 0x0001, STRING, false);
        return new PackageDefinition(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_PACKAGE_ID, 1, Optional.empty(),
                List.of(Item.property(TcpTlsPackageNames.TLS_ROLE_PROPERTY, 0x0001, new ValueType.EnumerationType(List.of("client", "server")), LOCAL_CONTROL),
                        Item.property(TcpTlsPackageNames.TLS_DOMAIN_PROPERTY, 0x0002, STRING, LOCAL_CONTROL),
                        Item.property(TcpTlsPackageNames.TLS_PSK_PROPERTY, 0x0003, new ValueType.OctetStringType(16, 64), LOCAL_CONTROL)),
                List.of(Item.withParameters(TcpTlsPackageNames.TLS_ESTABLISHED_EVENT, 0x0001),
                        Item.withParameters(TcpTlsPackageNames.TLS_FAILURE_EVENT, 0x0002, reason)),
                List.of(Item.withParameters(TcpTlsPackageNames.TLS_ESTABLISH_SIGNAL, 0x0001)),
                List.of(), false, "H.248.90 clause 8 (names and ID unverified)");
    }

}
