package org.mediasec.gateway.command;

import java.util.List;
import java.util.Optional;
import org.mediasec.gateway.context.GatewayContext;
import org.mediasec.gateway.context.Termination;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.packages.TcpTlsPackageNames;

/** The descriptors replies carry: our Local SDP, the termination's statistics, the packages we implement. */
final class Replies {

    private Replies() {}

    /** Stream 1 with our Local SDP (address, port, setup, fingerprint filled in, and what the profile adds). */
    static Descriptor.MediaDescriptor localMedia(GatewayContext context, Termination termination) {
        String local = termination.localAnswer(media -> context.media().answer(termination, media));
        return new Descriptor.MediaDescriptor(List.of(new MediaParameter.StreamDescriptor(1, List.of(new MediaParameter.LocalDescriptor(local)))));
    }

    /** nt/os, nt/or (octets sent and received on the termination's leg) and nt/dur (ms in the context), H.248.1 E.1. */
    static Descriptor.StatisticsDescriptor statistics(GatewayContext context, Termination termination) {
        Termination.Octets octets = context.media().octets(termination);
        return new Descriptor.StatisticsDescriptor(List.of(
                statistic("os", octets.sent()), statistic("or", octets.received()), statistic("dur", termination.durationMillis())));
    }

    private static Descriptor.StatisticsParameter statistic(String name, long value) {
        return new Descriptor.StatisticsParameter(PackageItem.of("nt", name), Optional.of(PropertyValue.Single.equalTo(Long.toString(value))));
    }

    static Descriptor.PackagesDescriptor packages() {
        return new Descriptor.PackagesDescriptor(List.of(new Descriptor.PackageVersion("nt", 1),
                new Descriptor.PackageVersion(TcpTlsPackageNames.TCP_PACKAGE, 1), new Descriptor.PackageVersion(TcpTlsPackageNames.TLS_PACKAGE, 1)));
    }
}
