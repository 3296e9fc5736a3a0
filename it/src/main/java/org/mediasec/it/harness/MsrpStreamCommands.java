package org.mediasec.it.harness;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.controller.mgc.LegRequest;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.controller.mgc.RemoteEnd;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.client.CommandClient.ActionResult;
import org.mediasec.h248stack.client.CommandFailedException;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;

/**
 * The H.248 commands our MGC sends when it drives a gateway as the IMS-ALG does for an MSRP stream (controller's
 * CallProcedures), for the harnesses that do so (the call-rate benchmark, the soak): one transaction with two Adds in
 * context CHOOSE (the access leg with the UE's Remote, the core leg actpass without one: TS 23.334 6.2.10.3), a Modify
 * giving the core leg the answerer's Remote (the bearer opens: two listening ports), and the audit of what is left.
 * Also the gateway's Notifies counted by event. Thread rule: the commands are stateless; {@link NotifyCounts} is
 * concurrent.
 */
public final class MsrpStreamCommands {

    /** The Events descriptor's request ID, as the IMS-ALG uses it. */
    private static final long EVENTS_REQUEST_ID = 1;
    private static final TerminationId CHOOSE_IP = TerminationId.of("ip/$");
    /** RFC 4145 4: an active end's port is irrelevant and written as 9. The UE connects out (TCP-7), the core answered active. */
    private static final RemoteEnd ACTIVE_PEER = new RemoteEnd("IN IP4 127.0.0.1", 9, Optional.of(Setup.ACTIVE), List.of());
    private static final LegRequest ACCESS_LEG = new LegRequest("message", Transport.TCP_MSRP, Setup.PASSIVE, Optional.of(ACTIVE_PEER),
            Optional.empty(), Optional.empty(), true);
    private static final LegRequest CORE_OFFERED = new LegRequest("message", Transport.TCP_MSRP, Setup.ACTPASS, Optional.empty(),
            Optional.empty(), Optional.empty(), true);
    private static final LegRequest CORE_ANSWERED = CORE_OFFERED.withLocalSetup(Setup.PASSIVE).withRemote(ACTIVE_PEER);

    private MsrpStreamCommands() {
    }

    /** The two Adds, access leg first, for one transaction on context CHOOSE. */
    public static List<Command> adds() {
        return adds(ACCESS_LEG);
    }

    /** The two Adds with {@code access} as the access leg (e.g. {@link #tlsAccess}), for one transaction on context CHOOSE. */
    public static List<Command> adds(LegRequest access) {
        return List.of(new Command.Add(CHOOSE_IP, access.descriptors(EVENTS_REQUEST_ID)),
                new Command.Add(CHOOSE_IP, CORE_OFFERED.descriptors(EVENTS_REQUEST_ID)));
    }

    /**
     * The access leg of an e2ae stream (TLS-3): the gateway terminates the UE's TLS and holds it to {@code ue}, the
     * fingerprint of its certificate (TLS-4); the UE connects (TCP-7), so the gateway is the TLS server.
     */
    public static LegRequest tlsAccess(Fingerprint ue) {
        RemoteEnd end = new RemoteEnd(ACTIVE_PEER.connectionAddress(), ACTIVE_PEER.port(), ACTIVE_PEER.setup(), List.of(ue));
        return new LegRequest("message", Transport.TCP_TLS_MSRP, Setup.PASSIVE, Optional.of(end), Optional.empty(), Optional.empty(), true);
    }

    /** The Modify that gives the core leg {@code core} the answerer's Remote. */
    public static List<Command> answerCore(TerminationId core) {
        return List.of(new Command.Modify(core, CORE_ANSWERED.descriptors(EVENTS_REQUEST_ID)));
    }

    /** The port the gateway listens on for the termination of the {@code index}th reply (an Add's or a Modify's). */
    public static int localPort(ActionResult result, int index) {
        return LocalEnd.of((CommandReply.AmmsReply) result.replies().get(index)).port();
    }

    /** AuditValue of every termination, to send on Context = * (H.248.1 7.2.5). */
    public static List<Command> auditAll() {
        return List.of(new Command.AuditValue(TerminationId.ALL, Optional.of(new Descriptor.AuditDescriptor(List.of()))));
    }

    /** The terminations an {@link #auditAll} reply names. */
    public static int terminations(ActionResult audit) {
        return audit.replies().stream().mapToInt(reply -> reply instanceof CommandReply.ContextTerminationAudit all ? all.terminationIds().size() : 1)
                .sum();
    }

    /** Whether {@code failure} is the gateway's 431 to {@link #auditAll}: no termination at all. */
    public static boolean noneLeft(Throwable failure) {
        return failure instanceof CommandFailedException refused && refused.error().code() == ErrorCode.NO_TERMINATION_ID_MATCHED_WILDCARD.code();
    }

    /** The gateway's Notifies by event ("tcp established", "tls failed (reason)", ...). Concurrent. */
    public static final class NotifyCounts {

        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        /** Counts {@code event}; returns its name. */
        public String count(GatewayEvent event) {
            String kind = switch (event) {
                case GatewayEvent.Established established -> established.layer() + " established";
                case GatewayEvent.Latched latched -> "latched";
                case GatewayEvent.Failed failed -> failed.layer() + " failed (" + failed.reason() + ")";
                case GatewayEvent.NetworkFailure failure -> "network failure (" + failure.cause() + ")";
            };
            counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
            return kind;
        }

        /** The counts so far, by event name. */
        public Map<String, Long> snapshot() {
            Map<String, Long> counted = new TreeMap<>();
            counts.forEach((kind, count) -> counted.put(kind, count.sum()));
            return counted;
        }
    }
}
