package org.mediasec.controller.mgc;

import java.util.Optional;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.packages.TcpTlsPackageNames;

/**
 * What a gateway reported in a Notify about one termination (TS 29.334 5.17: TCP/TLS establishment and failure
 * events; H.248.1 E.1 nt/netfail), typed. Event names are spelled in {@link TcpTlsPackageNames} only.
 */
public sealed interface GatewayEvent permits GatewayEvent.Established, GatewayEvent.Latched, GatewayEvent.Failure {

    enum Layer { TCP, TLS }

    /** The termination's TCP connection or TLS session is up (TLS-9). */
    record Established(Layer layer) implements GatewayEvent {}

    /**
     * TCP-6, H.248.37 Amd.1 address reporting: the termination latched onto this source (the UE's NAT's address and
     * the port the NAT chose), which SDP could not tell.
     */
    record Latched(String address, int port) implements GatewayEvent {}

    /** An event after which the termination's bearer is gone (TLS-10, TCP-8). */
    sealed interface Failure extends GatewayEvent permits Failed, NetworkFailure {
        /** What happened, for the SIP side and the logs. */
        String describe();
    }

    /** The bearer was released from this termination's side: handshake or fingerprint failure, FIN, RST (TLS-4, TCP-8). */
    record Failed(Layer layer, String reason) implements Failure {
        @Override
        public String describe() {
            return layer + " failure: " + reason;
        }
    }

    /** nt/netfail (H.248.1 E.1.2), with its cause. */
    record NetworkFailure(String cause) implements Failure {
        @Override
        public String describe() {
            return "network failure: " + cause;
        }
    }

    /** True for the events after which the bearer is gone. */
    default boolean isFailure() {
        return this instanceof Failure;
    }

    /** The typed event of an observed event, or empty for one this controller does not act on. */
    static Optional<GatewayEvent> of(Events.ObservedEvent observed) {
        String pkg = observed.name().packageName();
        String item = observed.name().itemName();
        Layer layer = pkg.equalsIgnoreCase(TcpTlsPackageNames.TCP_PACKAGE) ? Layer.TCP
                : pkg.equalsIgnoreCase(TcpTlsPackageNames.TLS_PACKAGE) ? Layer.TLS : null;
        if (layer != null && item.equalsIgnoreCase(layer == Layer.TCP ? TcpTlsPackageNames.TCP_ESTABLISHED_EVENT : TcpTlsPackageNames.TLS_ESTABLISHED_EVENT)) {
            return Optional.of(new Established(layer));
        }
        if (layer != null && item.equalsIgnoreCase(layer == Layer.TCP ? TcpTlsPackageNames.TCP_FAILURE_EVENT : TcpTlsPackageNames.TLS_FAILURE_EVENT)) {
            return Optional.of(new Failed(layer, parameter(observed, TcpTlsPackageNames.REASON).orElse("unknown")));
        }
        if (pkg.equalsIgnoreCase(TcpTlsPackageNames.ADDRESS_REPORTING_PACKAGE) && item.equalsIgnoreCase(TcpTlsPackageNames.LATCHED_ADDRESS_EVENT)) {
            return latched(observed);
        }
        if (pkg.equalsIgnoreCase("nt") && item.equalsIgnoreCase("netfail")) {
            return Optional.of(new NetworkFailure(parameter(observed, "cs").orElse("unknown")));
        }
        return Optional.empty();
    }

    /** The latched source, when both parameters are there and well formed (a gateway's text is not trusted blindly). */
    private static Optional<GatewayEvent> latched(Events.ObservedEvent observed) {
        Optional<String> address = parameter(observed, TcpTlsPackageNames.LATCHED_IP).filter(GatewayEvent::addressLiteral);
        Optional<Integer> port = parameter(observed, TcpTlsPackageNames.LATCHED_PORT).filter(p -> p.matches("\\d{1,5}")).map(Integer::parseInt)
                .filter(p -> p <= 0xFFFF); // RFC 793: 16-bit ports
        return address.isPresent() && port.isPresent() ? Optional.of(new Latched(address.get(), port.get())) : Optional.empty();
    }

    private static boolean addressLiteral(String text) {
        return text.length() <= 45 && text.matches("[0-9A-Fa-f:.]+");
    }

    private static Optional<String> parameter(Events.ObservedEvent observed, String name) {
        return observed.parameters().stream()
                .filter(Events.EventOther.class::isInstance).map(p -> ((Events.EventOther) p).parameter())
                .filter(p -> p.name().equalsIgnoreCase(name))
                .map(p -> p.value() instanceof PropertyValue.Single single ? single.value() : p.value().toString())
                .map(value -> value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2 ? value.substring(1, value.length() - 1) : value)
                .findFirst();
    }
}
