package org.mediasec.controller.mgc;

import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.association.MgcRegistrar;

/**
 * What the controller's procedures hear from their gateways. Called on the H.248 transport's thread: must not
 * block (send commands, complete futures, hand work on).
 */
public interface GatewayListener {

    /** A Notify reported an event on a termination. */
    void onEvent(ControlledGateway gateway, ContextId context, TerminationId termination, GatewayEvent event);

    /**
     * A gateway registered. When it had registered before (a Restart after a reboot, H.248.1 11.4), it has lost
     * every context it held: the procedures forget theirs and release their calls.
     */
    void onRegistered(ControlledGateway gateway, MgcRegistrar.Registration registration, boolean again);

    /**
     * A gateway took itself out of service (ServiceChange Forced on ROOT, H.248.1 7.2.8.1.1, as {@code mediasec
     * gateway} does when it stops): every context it held is gone; the procedures forget theirs and release their
     * calls. It is registered again by its next Restart ({@link #onRegistered}, {@code again}).
     */
    default void onOutOfService(ControlledGateway gateway, MgcRegistrar.Registration change) {}
}
