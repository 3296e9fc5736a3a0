package org.mediasec.h248.message;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The descriptors a command or a command reply carries (H.248.1 7.1; Annex B ammParameter and
 * auditReturnParameter). Media-level parts are in {@link MediaParameter}; event and signal parts in {@link Events}
 * and {@link Signals}.
 */
public sealed interface Descriptor
        permits Descriptor.MediaDescriptor, Descriptor.ModemDescriptor, Descriptor.MuxDescriptor, Descriptor.EventsDescriptor,
                Descriptor.EventBufferDescriptor, Descriptor.SignalsDescriptor, Descriptor.DigitMapDescriptor,
                Descriptor.AuditDescriptor, Descriptor.StatisticsDescriptor, Descriptor.ObservedEventsDescriptor,
                Descriptor.PackagesDescriptor, Descriptor.ServiceChangeDescriptor, Descriptor.AuditReturnItem,
                TopologyDescriptor, ErrorDescriptor {

    /** RequestID {@code *} (Annex B: {@code RequestID = ( UINT32 / "*" )}), e.g. in audit replies. */
    long ALL_REQUESTS = -1;

    /** {@code Media { TerminationState{…}, Stream = 1 {…}, LocalControl{…}, Local{…}, … }} in the order received. */
    record MediaDescriptor(List<MediaParameter> parameters) implements Descriptor {
        public MediaDescriptor {
            parameters = List.copyOf(parameters);
        }
    }

    /** {@code Modem = type [{ properties }]} or {@code Modem [t1, t2]} (deprecated in v3, still parsed). */
    record ModemDescriptor(List<String> modemTypes, List<PropertyParameter> properties) implements Descriptor {
        public ModemDescriptor {
            modemTypes = List.copyOf(modemTypes);
            properties = List.copyOf(properties);
        }
    }

    /** {@code Mux = H221 { T1, T2 }}. */
    record MuxDescriptor(String muxType, List<TerminationId> terminationIds) implements Descriptor {
        public MuxDescriptor {
            terminationIds = List.copyOf(terminationIds);
        }
    }

    /** {@code Events [= requestID { requestedEvent, … }]}; a bare {@code Events} clears them (no request ID, no events). */
    record EventsDescriptor(OptionalLong requestId, List<Events.RequestedEvent> events) implements Descriptor {
        public EventsDescriptor {
            events = List.copyOf(events);
        }
    }

    /** {@code EventBuffer [{ eventSpec, … }]}. */
    record EventBufferDescriptor(List<Events.EventSpec> events) implements Descriptor {
        public EventBufferDescriptor {
            events = List.copyOf(events);
        }
    }

    /** {@code Signals [{ signalRequest / signalList, … }]}; a bare {@code Signals} stops all signals. */
    record SignalsDescriptor(List<Signals.SignalParameter> signals) implements Descriptor {
        public SignalsDescriptor {
            signals = List.copyOf(signals);
        }
    }

    /**
     * {@code DigitMap = name}, {@code DigitMap = { value }} or {@code DigitMap = name { value }}; the value is kept as
     * text with white space removed (its grammar allows LWSP anywhere).
     */
    record DigitMapDescriptor(Optional<String> name, Optional<String> value) implements Descriptor {
        public DigitMapDescriptor {
            if (name.isEmpty() && value.isEmpty()) {
                throw new IllegalArgumentException("a digit map has a name or a value");
            }
        }
    }

    /** {@code Audit { Media, Events, … }}; empty braces audit nothing but the termination's existence. */
    record AuditDescriptor(List<AuditItem> items) implements Descriptor {
        public AuditDescriptor {
            items = List.copyOf(items);
        }
    }

    /** {@code Statistics { nt/os = 45123, rtp/pl }}. */
    record StatisticsDescriptor(List<StatisticsParameter> statistics) implements Descriptor, MediaParameter.StreamParameter {
        public StatisticsDescriptor {
            statistics = List.copyOf(statistics);
        }
    }

    /** {@code pkgdName [EQUAL VALUE / LSBRKT VALUE *(COMMA VALUE) RSBRKT]}: a statistic, with its value in replies. */
    record StatisticsParameter(PackageItem name, Optional<PropertyValue> value) {}

    /** {@code ObservedEvents = requestID { [timestamp:] pkg/event [{ params }], … }}. */
    record ObservedEventsDescriptor(long requestId, List<Events.ObservedEvent> events) implements Descriptor {
        public ObservedEventsDescriptor {
            events = List.copyOf(events);
        }
    }

    /** {@code Packages { nt-1, rtp-1 }}. */
    record PackagesDescriptor(List<PackageVersion> packages) implements Descriptor {
        public PackagesDescriptor {
            packages = List.copyOf(packages);
        }
    }

    record PackageVersion(String name, int version) {
        public PackageVersion {
            Values.uint16(version, "package version");
        }
    }

    /**
     * {@code Services { Method = Restart, Reason = 901, … }} in requests and in ServiceChange replies. The parameters
     * form a set (H.248.1 7.2.8 names each once; their order carries no meaning), so they are held in one canonical
     * order: method, reason, delay, address, profile, version, MgcIdToTry, time stamp, extensions, incomplete, info.
     * Two descriptors with the same parameters in another order are equal (Erlang megaco, for one, reorders them).
     */
    record ServiceChangeDescriptor(List<ServiceChangeParameter> parameters) implements Descriptor {
        public ServiceChangeDescriptor {
            parameters = parameters.stream().sorted(java.util.Comparator.comparingInt(ServiceChangeDescriptor::rank)).toList();
        }

        private static int rank(ServiceChangeParameter parameter) {
            return switch (parameter) {
                case ServiceChangeParameter.Method m -> 0;
                case ServiceChangeParameter.Reason r -> 1;
                case ServiceChangeParameter.Delay d -> 2;
                case ServiceChangeParameter.Address a -> 3;
                case ServiceChangeParameter.Profile p -> 4;
                case ServiceChangeParameter.Version v -> 5;
                case ServiceChangeParameter.MgcIdToTry m -> 6;
                case ServiceChangeParameter.TimeStamp t -> 7;
                case ServiceChangeParameter.Extension e -> 8;
                case ServiceChangeParameter.Incomplete i -> 9;
                case ServiceChangeParameter.Info i -> 10;
            };
        }

        public Optional<ServiceChangeParameter.Method> method() {
            return first(ServiceChangeParameter.Method.class);
        }

        public Optional<ServiceChangeParameter.Reason> reason() {
            return first(ServiceChangeParameter.Reason.class);
        }

        public Optional<ServiceChangeParameter.MgcIdToTry> mgcIdToTry() {
            return first(ServiceChangeParameter.MgcIdToTry.class);
        }

        public Optional<ServiceChangeParameter.Address> address() {
            return first(ServiceChangeParameter.Address.class);
        }

        public Optional<ServiceChangeParameter.Profile> profile() {
            return first(ServiceChangeParameter.Profile.class);
        }

        public OptionalInt version() {
            return first(ServiceChangeParameter.Version.class).map(v -> OptionalInt.of(v.version())).orElse(OptionalInt.empty());
        }

        private <T extends ServiceChangeParameter> Optional<T> first(Class<T> type) {
            return parameters.stream().filter(type::isInstance).map(type::cast).findFirst();
        }
    }

    /** A bare audit return item in a reply (Annex B auditReturnItem): {@code Media}, {@code Statistics}, … */
    record AuditReturnItem(AuditItem item) implements Descriptor {}
}
