package org.mediasec.gateway.context;

import org.mediasec.bearer.BearerPlane;
import org.mediasec.gateway.GatewayMetrics;
import org.mediasec.gateway.notify.BearerNotifier;

/** What a context's media works with: the bearer plane, the ports, the MGC's Notify, the metrics. All thread-safe. */
public record MediaServices(BearerPlane plane, UsablePorts ports, BearerNotifier notifier, GatewayMetrics metrics) {}
