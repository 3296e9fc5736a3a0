package org.mediasec.gateway.leg;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.mediasec.gateway.GatewayConfig;
import org.mediasec.gateway.GatewayError;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.message.Signals;
import org.mediasec.h248.packages.PackageCatalogue;
import org.mediasec.h248.packages.TcpTlsPackageNames;

/**
 * Reads the descriptors of an Add, Modify or Move into a {@link TerminationUpdate} (H.248.1 7.1): Media (one
 * stream, its Local, Remote and LocalControl), Events and Signals; Audit is accepted and answers the fixed reply;
 * everything else is refused with its H.248.8 code (444, 445, 447, 449, 455, 512, 513). Nothing is applied here.
 * Stateless.
 */
public final class DescriptorReader {

    private static final PackageCatalogue PACKAGES = PackageCatalogue.standard();
    /** TLS-9, TLS-10, TCP-8, TCP-6 (the latched source): what the gateway can report on a leg (h248-stage3 reference §1). */
    private static final Set<String> DETECTED_EVENTS = Set.of(
            TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_ESTABLISHED_EVENT,
            TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_FAILURE_EVENT,
            TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_ESTABLISHED_EVENT,
            TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_FAILURE_EVENT,
            TcpTlsPackageNames.ADDRESS_REPORTING_PACKAGE + "/" + TcpTlsPackageNames.LATCHED_ADDRESS_EVENT,
            "nt/netfail");
    /**
     * TCP-2, TLS-9: the establish signals; the client connects and handshakes by itself, so they need no action,
     * except that {@code tcpbcc/estab} lets a delayed leg establish (TCP-4).
     */
    private static final Set<String> GENERATED_SIGNALS = Set.of(
            TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_ESTABLISH_SIGNAL,
            TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_ESTABLISH_SIGNAL);

    private DescriptorReader() {}

    public static TerminationUpdate read(List<Descriptor> descriptors, GatewayConfig config) throws GatewayError {
        Reading reading = new Reading(config);
        try {
            for (Descriptor descriptor : descriptors) {
                switch (descriptor) {
                    case Descriptor.MediaDescriptor media -> reading.media(media);
                    case Descriptor.EventsDescriptor events -> reading.events = Optional.of(checkEvents(events));
                    case Descriptor.SignalsDescriptor signals -> reading.establish = checkSignals(signals);
                    case Descriptor.AuditDescriptor audit -> { } // what the reply carries is fixed: Local (and the fingerprint)
                    default -> throw new GatewayError(ErrorCode.UNSUPPORTED_DESCRIPTOR, descriptor.getClass().getSimpleName().replace("Descriptor", "")
                            + " is not supported by this gateway");
                }
            }
        } catch (GatewayError refused) {
            reading.preSharedKey.ifPresent(key -> java.util.Arrays.fill(key, (byte) 0));
            throw refused;
        }
        return new TerminationUpdate(reading.localSdp, reading.remoteSdp, reading.tlsClient, reading.tlsDomain, reading.preSharedKey, reading.mode,
                reading.events).withTraversal(reading.delayed, reading.merge, reading.latch, reading.establish);
    }

    /** The values found so far; one per read. */
    private static final class Reading {
        private final GatewayConfig config;
        private Optional<String> localSdp = Optional.empty();
        private Optional<String> remoteSdp = Optional.empty();
        private Optional<Boolean> tlsClient = Optional.empty();
        private Optional<String> tlsDomain = Optional.empty();
        private Optional<byte[]> preSharedKey = Optional.empty();
        private Optional<MediaParameter.StreamMode> mode = Optional.empty();
        private Optional<RequestedEvents> events = Optional.empty();
        private Optional<Boolean> delayed = Optional.empty();
        private Optional<Boolean> merge = Optional.empty();
        private Optional<Boolean> latch = Optional.empty();
        private boolean establish;

        Reading(GatewayConfig config) {
            this.config = config;
        }

        void media(Descriptor.MediaDescriptor media) throws GatewayError {
            for (MediaParameter parameter : media.parameters()) {
                List<MediaParameter.StreamParameter> stream = switch (parameter) {
                    case MediaParameter.StreamDescriptor s when s.streamId() == 1 -> s.parameters();
                    case MediaParameter.StreamDescriptor s -> throw new GatewayError(ErrorCode.NOT_IMPLEMENTED,
                            "one stream (1) per termination: stream " + s.streamId() + " refused");
                    case MediaParameter.StreamParameter single -> List.of(single);
                    case MediaParameter.TerminationStateDescriptor state -> {
                        checkTerminationState(state);
                        yield List.of();
                    }
                };
                for (MediaParameter.StreamParameter item : stream) {
                    switch (item) {
                        case MediaParameter.LocalDescriptor local -> localSdp = Optional.of(local.sdp());
                        case MediaParameter.RemoteDescriptor remote -> remoteSdp = Optional.of(remote.sdp());
                        case MediaParameter.LocalControlDescriptor control -> localControl(control);
                        case Descriptor.StatisticsDescriptor statistics -> throw new GatewayError(ErrorCode.UNABLE_TO_SET_STATISTIC_ON_STREAM,
                                "statistics are reported, not set");
                    }
                }
            }
        }

        private void localControl(MediaParameter.LocalControlDescriptor control) throws GatewayError {
            for (MediaParameter.LocalControlParameter parameter : control.parameters()) {
                switch (parameter) {
                    case MediaParameter.Mode m -> mode = Optional.of(checkMode(m.mode()));
                    case MediaParameter.ReservedValue r -> { }
                    case MediaParameter.ReservedGroup r -> { }
                    case MediaParameter.LocalControlProperty property -> {
                        String value = value(property.property());
                        switch (LocalControlItem.of(property.property())) {
                            case TLS_ROLE -> tlsClient = Optional.of(tlsRole(value));
                            case TLS_DOMAIN -> tlsDomain = Optional.of(value);
                            case PRE_SHARED_KEY -> {
                                preSharedKey.ifPresent(earlier -> java.util.Arrays.fill(earlier, (byte) 0));
                                preSharedKey = Optional.of(PskProperty.parse(config, value));
                            }
                            // the catalogue checked the value is ON or OFF (a boolean property)
                            case DELAYED_ESTABLISHMENT -> delayed = Optional.of(value.strip().equalsIgnoreCase("ON"));
                            case MERGE -> merge = Optional.of(value.strip().equalsIgnoreCase("ON"));
                            case LATCH -> latch = Optional.of(value.strip().equalsIgnoreCase("ON"));
                        }
                    }
                }
            }
        }
    }

    private static boolean tlsRole(String value) throws GatewayError {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "client" -> true;
            case "server" -> false;
            default -> throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, TcpTlsPackageNames.TLS_PACKAGE + "/"
                    + TcpTlsPackageNames.TLS_ROLE_PROPERTY + " " + value + ": client or server");
        };
    }

    private static String value(PropertyParameter property) throws GatewayError {
        if (property.value() instanceof PropertyValue.Single single && single.relation() == PropertyValue.Relation.EQUAL) {
            return single.value();
        }
        throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, property.name() + ": one value expected");
    }

    private static void checkTerminationState(MediaParameter.TerminationStateDescriptor state) throws GatewayError {
        for (MediaParameter.TerminationStateParameter parameter : state.parameters()) {
            switch (parameter) {
                case MediaParameter.ServiceStates s when s.state() == MediaParameter.ServiceState.IN_SERVICE -> { }
                case MediaParameter.EventBufferControl b when !b.lockStep() -> { }
                default -> throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "TerminationState " + parameter
                        + " is not supported by this gateway");
            }
        }
    }

    /**
     * H.248.1 7.1.7: SendReceive, SendOnly, ReceiveOnly and Inactive say which way a leg's bytes may flow (hold, CTRL-7);
     * a byte stream relay has no loopback, so Loopback is refused.
     */
    private static MediaParameter.StreamMode checkMode(MediaParameter.StreamMode mode) throws GatewayError {
        if (mode == MediaParameter.StreamMode.LOOPBACK) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_OR_INVALID_MODE, "mode Loopback: TCP/TLS streams are relayed, not looped back");
        }
        return mode;
    }

    private static RequestedEvents checkEvents(Descriptor.EventsDescriptor events) throws GatewayError {
        for (Events.RequestedEvent event : events.events()) {
            String name = event.name().packageName() + "/" + event.name().itemName();
            Optional<ErrorDescriptor> rejected = PACKAGES.checkEvent(name, List.of()).map(r -> r.toErrorDescriptor());
            if (rejected.isPresent()) {
                throw new GatewayError(rejected.get());
            }
            if (!DETECTED_EVENTS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new GatewayError(ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_DETECT_EVENT, "this gateway does not detect " + name);
            }
        }
        if (!events.events().isEmpty() && events.requestId().isEmpty()) {
            throw new GatewayError(ErrorCode.SYNTAX_ERROR_IN_COMMAND, "Events without a RequestID");
        }
        return RequestedEvents.of(events);
    }

    /** Checks the signals; true when {@code tcpbcc/estab} is among them (TCP-4: a delayed leg establishes now). */
    private static boolean checkSignals(Descriptor.SignalsDescriptor signals) throws GatewayError {
        boolean establish = false;
        for (Signals.SignalParameter parameter : signals.signals()) {
            if (!(parameter instanceof Signals.SignalRequest request)) {
                throw new GatewayError(ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_GENERATE_SIGNAL, "signal lists are not supported");
            }
            String name = request.name().packageName() + "/" + request.name().itemName();
            Optional<ErrorDescriptor> rejected = PACKAGES.checkSignal(name, List.of()).map(r -> r.toErrorDescriptor());
            if (rejected.isPresent()) {
                throw new GatewayError(rejected.get());
            }
            if (!GENERATED_SIGNALS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new GatewayError(ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_GENERATE_SIGNAL, "this gateway does not generate " + name);
            }
            establish |= name.equalsIgnoreCase(TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_ESTABLISH_SIGNAL);
        }
        return establish;
    }
}
