package org.mediasec.gateway.notify;

import java.util.List;
import java.util.Optional;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.gateway.NotifySink;
import org.mediasec.gateway.context.Termination;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.packages.TcpTlsPackageNames;

/**
 * Bearer events as the MGC asked to hear them (TLS-9, TLS-10, TLS-11, TCP-8; H.248.1 7.2.7): the establishment of
 * TCP or TLS, the source a latching leg latched onto (TCP-6, H.248.37 Amd.1 address reporting), and a release as the failure event of its layer with the reason ({@link BearerReasons}) or as
 * {@code nt/netfail}, each in one Notify on the termination concerned, and only when the termination's Events
 * descriptor asked for it. Stateless; called on the context's loop, the sink sends asynchronously.
 */
public final class BearerNotifier {

    private final NotifySink sink;

    public BearerNotifier(NotifySink sink) {
        this.sink = sink;
    }

    public void report(long context, Termination termination, BearerEvent event) {
        Optional<Events.ObservedEvent> observed = observation(termination, event);
        if (observed.isPresent() && termination.events().requestId().isPresent()) {
            sink.notify(ContextId.of(context), termination.id(),
                    new Descriptor.ObservedEventsDescriptor(termination.events().requestId().getAsLong(), List.of(observed.get())));
        }
    }

    /** The event the MGC asked to hear about for a bearer event of the termination's leg, if any. */
    static Optional<Events.ObservedEvent> observation(Termination termination, BearerEvent event) {
        var wanted = termination.events();
        boolean tlsLeg = termination.plan().tls().isPresent();
        return switch (event) {
            case BearerEvent.TcpEstablished established when wanted.wants(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_ESTABLISHED_EVENT) ->
                    Optional.of(observed(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_ESTABLISHED_EVENT, List.of()));
            case BearerEvent.TlsEstablished established when wanted.wants(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_ESTABLISHED_EVENT) ->
                    Optional.of(observed(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_ESTABLISHED_EVENT, List.of()));
            case BearerEvent.Latched latched when wanted.wants(TcpTlsPackageNames.ADDRESS_REPORTING_PACKAGE, TcpTlsPackageNames.LATCHED_ADDRESS_EVENT) ->
                    Optional.of(observed(TcpTlsPackageNames.ADDRESS_REPORTING_PACKAGE, TcpTlsPackageNames.LATCHED_ADDRESS_EVENT, List.of(
                            PropertyParameter.of(TcpTlsPackageNames.LATCHED_IP, latched.source().getAddress().getHostAddress()),
                            PropertyParameter.of(TcpTlsPackageNames.LATCHED_PORT, String.valueOf(latched.source().getPort())))));
            case BearerEvent.Released released -> {
                Optional<String> layer = BearerReasons.failurePackage(released.reason(), tlsLeg, termination.plan().datagram());
                String reason = BearerReasons.reason(released.reason());
                String pkg = layer.orElse(TcpTlsPackageNames.TCP_PACKAGE);
                String failure = pkg.equals(TcpTlsPackageNames.TLS_PACKAGE) ? TcpTlsPackageNames.TLS_FAILURE_EVENT : TcpTlsPackageNames.TCP_FAILURE_EVENT;
                if (layer.isPresent() && wanted.wants(pkg, failure)) {
                    yield Optional.of(observed(pkg, failure, List.of(PropertyParameter.of(TcpTlsPackageNames.REASON, reason))));
                }
                yield wanted.wants("nt", "netfail") ? Optional.of(observed("nt", "netfail", List.of(PropertyParameter.of("cs", reason)))) : Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    private static Events.ObservedEvent observed(String pkg, String event, List<PropertyParameter> parameters) {
        return new Events.ObservedEvent(Optional.empty(), PackageItem.of(pkg, event), parameters.stream().<Events.EventParameter>map(Events.EventOther::new).toList());
    }
}
