package org.mediasec.controller.mgc;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.client.CommandClient;

/**
 * One gateway as the controller sees it: whether it is registered, the typed command client that reaches it, and
 * its load (the contexts our procedures hold on it), by which the controller picks among gateways of a realm.
 */
public final class ControlledGateway {

    private final GatewayPeer peer;
    private final CommandClient commands;
    private final MgcRegistrar registrar;
    private final AtomicInteger contexts = new AtomicInteger();

    ControlledGateway(GatewayPeer peer, CommandClient commands, MgcRegistrar registrar) {
        this.peer = peer;
        this.commands = commands;
        this.registrar = registrar;
    }

    public GatewayPeer peer() {
        return peer;
    }

    public String name() {
        return peer.name();
    }

    public CommandClient commands() {
        return commands;
    }

    public boolean registered() {
        return registrar.registration().isPresent();
    }

    public Optional<MgcRegistrar.Registration> registration() {
        return registrar.registration();
    }

    /** Contexts held on this gateway by the procedures. */
    public int load() {
        return contexts.get();
    }

    public void contextCreated() {
        contexts.incrementAndGet();
    }

    public void contextReleased() {
        contexts.updateAndGet(n -> Math.max(0, n - 1));
    }

    /** After a restart the gateway holds nothing. */
    void forgetContexts() {
        contexts.set(0);
    }

    @Override
    public String toString() {
        return peer.name() + "@" + peer.control().getHostString() + ":" + peer.control().getPort();
    }
}
