package org.mediasec.app.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.controller.alg.CallListener;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.ImsAlgPolicy;
import org.mediasec.controller.alg.TlsRolePolicy;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.controller.mgc.GatewayPeer;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.h248stack.transport.WireTap;

/**
 * The demo's network on 127.0.0.1: an IMS-ALG (controller, this process) and IMS-AGW gateways ({@code mediasec
 * gateway} processes, H.248 over UDP). Several calls may run through it at once, each drawn on a {@link Ladder} of
 * its own: H.248 from the controller's wire tap (routed by {@link CallLadders}: a scenario hands its offers to the
 * IMS-ALG inside {@link #setUp}), UE events from their traces, releases from the call listener.
 */
public final class DemoNetwork implements AutoCloseable {

    public static final String UE_A = "UE-A";
    public static final String ALG = "IMS-ALG";
    public static final String AGW = "IMS-AGW";
    public static final String UE_B = "UE-B";
    public static final String ACCESS_REALM = "access";
    public static final String BORDER_REALM = "border";

    private final MediaGatewayController controller;
    private final CallProcedures alg;
    private final List<GatewayProcess> gateways = new ArrayList<>();
    private final Map<String, CompletableFuture<String>> releases = new ConcurrentHashMap<>();
    private final CallLadders ladders = new CallLadders();

    private DemoNetwork(Path directory, List<String> profiles) throws IOException, InterruptedException {
        int mgcPort;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            mgcPort = probe.getLocalPort();
        }
        List<GatewayPeer> peers = new ArrayList<>();
        for (int i = 0; i < profiles.size(); i++) {
            boolean trgw = profiles.get(i).equals("trgw");
            GatewayProcess gateway = GatewayProcess.start((trgw ? "trgw" : "agw") + (i + 1), directory, profiles.get(i), mgcPort);
            gateways.add(gateway);
            // IMS-AGWs serve the access realm (the IMS-ALG's), TrGWs the border realm (the IBCF's)
            peers.add(new GatewayPeer(gateway.name(), gateway.control(), trgw ? BORDER_REALM : ACCESS_REALM));
        }
        controller = MediaGatewayController.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), mgcPort), 3, peers);
        alg = new CallProcedures(controller, ACCESS_REALM, new ImsAlgPolicy(), TlsRolePolicy.DEFAULT, Optional.empty(), new CallListener() {
            @Override
            public void onCallReleased(String callId, String reason) {
                ladders.ofCall(callId).ifPresent(ladder -> ladder.note(ALG, "call " + callId + " released by the media plane: " + reason));
                releases.computeIfAbsent(callId, id -> new CompletableFuture<>()).complete(reason);
            }

            @Override
            public void onBearerEvent(String callId, int mediaIndex, boolean towardsOfferer, GatewayEvent event) {
                // drawn from the Notify itself
            }

            @Override
            public void onNatTraversal(String callId, int mediaIndex, String choice) {
                // TR 29.828 4.4.2.3: the IMS-ALG's choice and why
                ladders.ofCall(callId).ifPresent(ladder -> ladder.note(ALG, "call " + callId + " m-line " + mediaIndex + ": " + choice));
            }
        });
        // transport bookkeeping (H.248.1 D.1.4) and the gateways' (de)registration are drawn on no call's ladder: so no
        // scenario waits for registration's exchange to settle before it draws
        controller.tap((direction, protocol, local, remote, text) -> ladders.draw(direction == WireTap.Direction.SENT, remote, text, ALG, AGW));
    }

    /** Starts {@code gatewayCount} gateways and the controller, and waits until every gateway registered. */
    public static DemoNetwork start(Path directory, int gatewayCount, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return start(directory, java.util.Collections.nCopies(gatewayCount, "ims-agw"), timeout);
    }

    /** Starts one gateway per profile (ims-agw, trgw) and the controller, and waits until every gateway registered. */
    public static DemoNetwork start(Path directory, List<String> profiles, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        DemoNetwork network = new DemoNetwork(directory, profiles);
        try {
            network.awaitRegistered(timeout);
        } catch (TimeoutException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    public void awaitRegistered(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!controller.gateways().stream().allMatch(ControlledGateway::registered)) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (GatewayProcess gateway : gateways) {
                    logs.append(" (see ").append(gateway.log()).append(")");
                }
                throw new TimeoutException("the gateways did not register within " + timeout.toSeconds() + " s" + logs);
            }
            Thread.sleep(20);
        }
    }

    public CallProcedures alg() {
        return alg;
    }

    public MediaGatewayController controller() {
        return controller;
    }

    public List<GatewayProcess> gateways() {
        return List.copyOf(gateways);
    }

    /** A new ladder for a scenario. */
    public Ladder newLadder() {
        return newLadder(List.of(UE_A, ALG, AGW, UE_B));
    }

    /** A new ladder with other lifelines (a scenario that draws more parties, e.g. the P-CSCF). */
    Ladder newLadder(List<String> lifelines) {
        return new Ladder(lifelines);
    }

    /**
     * Waits until no other call is being set up, then holds the set-up until closed: the contexts the IMS-ALG creates
     * meanwhile are {@code callId}'s, and its H.248 and what the controller says of it are drawn on {@code ladder}.
     * Hold it around handing an offer or a re-offer to the IMS-ALG (what may create a context), not around an answer
     * (it modifies the offer's context) or media.
     */
    CallLadders.SetUp setUp(String callId, Ladder ladder) {
        return ladders.setUp(callId, ladder);
    }

    /** Completes with the reason when the media plane releases the call. */
    public CompletableFuture<String> release(String callId) {
        return releases.computeIfAbsent(callId, id -> new CompletableFuture<>());
    }

    /** The trace that draws a UE's events on {@code ladder}; {@code lifeline} is UE-A or UE-B. */
    public UeTrace trace(Ladder ladder, String lifeline) {
        return (ue, kind, sent, peer, what) -> {
            switch (kind) {
                case TLS, MIKEY, ERROR -> ladder.note(lifeline, what);
                case TCP -> {
                    if (what.startsWith("TCP connected")) {
                        ladder.arrow(lifeline, AGW, "TCP SYN -> established");
                    } else if (what.startsWith("TCP accepted")) {
                        ladder.arrow(AGW, lifeline, "TCP SYN -> established");
                    } else {
                        ladder.note(lifeline, what);
                    }
                }
                case MSRP, BFCP -> {
                    if (sent) {
                        ladder.arrow(lifeline, AGW, what);
                    } else {
                        ladder.arrow(AGW, lifeline, what);
                    }
                }
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        // gateways first: their ServiceChange Forced still finds the controller
        for (GatewayProcess gateway : gateways) {
            gateway.close();
        }
        controller.close();
    }
}
