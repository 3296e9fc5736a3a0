package org.mediasec.gateway;

import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.TerminationId;

/** Where the gateway's Notify commands go: the MGC it is registered with (a CommandClient on the endpoint). */
@FunctionalInterface
public interface NotifySink {
    void notify(ContextId context, TerminationId termination, Descriptor.ObservedEventsDescriptor events);
}
