package org.mediasec.gateway;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.LegSpec;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.RelayPair;
import org.mediasec.bearer.ReleaseReason;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.TcpRole;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.gateway.profile.GatewayProfile;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.message.Signals;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.packages.PackageCatalogue;
import org.mediasec.h248.packages.PackageDefinition;
import org.mediasec.h248.packages.TcpTlsPackageNames;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media gateway's command handling (H.248.1 clause 7 on an MG): contexts of at most two ephemeral {@code ip/n}
 * terminations, each standing for one TCP or TLS leg, related by one relay pair of the bearer plane. Each request is
 * checked against the profile (GW-9) before anything changes; a failed Add leaves nothing allocated.
 *
 * <p>Stream procedures (TS 23.334 5.11.2.x, h248-stage3 reference §1): the m-line transport selects TCP or TLS
 * (TLS-2, TCP-3); {@code a=setup} in Local is our TCP role, in Remote the peer's (TCP-1); the TLS role is the TCP role
 * (RFC 4572) unless {@code tlsbsc/role} says otherwise (TLS-1); the Remote {@code a=fingerprint}s are the peer's
 * (TLS-3); our certificate's fingerprint goes into the reply's Local (TLS-3); {@code tlsbsc/domain} selects the TLS
 * domain (TLS-8). A context's pair opens as soon as both legs are known (an active leg needs the peer's address, a
 * TLS leg the peer's fingerprints): the TCP client connects and the TLS client starts its handshake by itself
 * (TCP-2, TLS-9), so the establish signals are accepted and need no further action.
 *
 * <p>State is guarded by this object's monitor; Notify commands leave through the {@link NotifySink} outside it.
 */
public final class MediaGateway implements RequestHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaGateway.class);
    private static final PackageCatalogue PACKAGES = PackageCatalogue.standard();
    /** TLS-PSK handshakes on the MRFP (E2E-5) get as long as certificate handshakes do by default. */
    private static final java.time.Duration PSK_HANDSHAKE_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final GatewayConfig config;
    private final BearerPlane plane;
    private final PortAllocator ports;
    private final NotifySink notifications;
    private final Map<Long, GatewayContext> contexts = new LinkedHashMap<>();
    private long nextContextId = 1;
    private long nextTerminationNumber = 1;

    /** A context: its terminations, in the order added, and their relay pair once open. */
    private static final class GatewayContext {
        final long id;
        final List<Termination> terminations = new ArrayList<>();
        RelayPair pair;
        boolean releasing;
        /** MRFP: the conference's floor control server, from its first BFCP participant on. */
        org.mediasec.gateway.mrfp.FloorControlFocus focus;
        /** MRFP: the conference's MSRP focus, from its first MSRP member on. */
        org.mediasec.gateway.mrfp.MsrpConferenceFocus msrpFocus;
        int nextUserId = 1;

        GatewayContext(long id) {
            this.id = id;
        }

        Optional<Termination> termination(TerminationId id) {
            return terminations.stream().filter(t -> t.id.equals(id)).findFirst();
        }
    }

    private final MeterRegistry meters;

    public MediaGateway(GatewayConfig config, BearerPlane plane, NotifySink notifications) {
        this(config, plane, notifications, new SimpleMeterRegistry());
    }

    /**
     * With operator metrics in {@code meters}: contexts, terminations and open bearers (gauges); H.248 commands by
     * command and result; bearer releases and TLS handshake failures by reason; bytes relayed.
     */
    public MediaGateway(GatewayConfig config, BearerPlane plane, NotifySink notifications, MeterRegistry meters) {
        this.config = config;
        this.plane = plane;
        this.ports = new PortAllocator(config.realms());
        this.notifications = notifications;
        this.meters = meters;
        Gauge.builder("mediasec.contexts", this, MediaGateway::contexts).description("contexts in the gateway").register(meters);
        Gauge.builder("mediasec.terminations", this, g -> g.count(c -> c.terminations.size())).description("terminations in contexts").register(meters);
        Gauge.builder("mediasec.bearers.open", this, g -> g.count(c -> (c.pair == null ? 0 : 1) + (int) c.terminations.stream().filter(t -> t.pair != null).count()))
                .description("relay pairs open").register(meters);
        Gauge.builder("mediasec.ports.in.use", this, MediaGateway::portsInUse).description("bearer ports allocated").register(meters);
    }

    private synchronized double count(java.util.function.ToIntFunction<GatewayContext> per) {
        return contexts.values().stream().mapToInt(per).sum();
    }

    private void countCommand(Command command, Optional<ErrorDescriptor> error) {
        meters.counter("mediasec.h248.commands", "command", command.getClass().getSimpleName(),
                "result", error.map(e -> Integer.toString(e.code())).orElse("ok")).increment();
    }

    public GatewayProfile profile() {
        return config.profile();
    }

    public synchronized int contexts() {
        return contexts.size();
    }

    /** Relay pairs open now. */
    public synchronized int bearersOpen() {
        return (int) contexts.values().stream().filter(c -> c.pair != null).count();
    }

    /** Ports in use in the default realm (for leak checks). */
    public int portsInUse() {
        return ports.inUse(config.realms().get(0).name());
    }

    // ---- transactions -----------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Transaction.TransactionReply> onTransactionRequest(Transaction.TransactionRequest request) {
        CompletableFuture<List<ActionReply>> replies = CompletableFuture.completedFuture(new ArrayList<>());
        for (ActionRequest action : request.actions()) {
            replies = replies.thenCompose(done -> action(action).thenApply(reply -> {
                done.add(reply);
                return done;
            }));
        }
        return replies.thenApply(done -> Transaction.TransactionReply.of(request.transactionId(), done));
    }

    /** One action: its commands in order, stopping at the first that fails (H.248.1 7.1; optional ones go on). */
    private CompletableFuture<ActionReply> action(ActionRequest action) {
        List<CommandReply> replies = new ArrayList<>();
        ContextId replyContext = action.contextId();
        Optional<ErrorDescriptor> error = Optional.empty();
        GatewayContext touched = null;
        synchronized (this) {
            GatewayContext context = null;
            try {
                context = switch (action.contextId()) {
                    case ContextId.Specific specific -> {
                        GatewayContext existing = contexts.get(specific.value());
                        if (existing == null) {
                            throw new GatewayError(ErrorCode.UNKNOWN_CONTEXT_ID, "no context " + specific.value());
                        }
                        yield existing;
                    }
                    case ContextId.Choose choose -> null; // created by the first Add
                    case ContextId.Null none -> null;
                    case ContextId.All all -> null;
                };
            } catch (GatewayError e) {
                return CompletableFuture.completedFuture(new ActionReply(replyContext, List.of(), List.of(), Optional.of(e.error())));
            }
            boolean created = false;
            for (CommandRequest request : action.commands()) {
                try {
                    if (context == null && action.contextId() instanceof ContextId.Choose && request.command() instanceof Command.Add) {
                        if (contexts.size() >= config.maxContexts()) {
                            throw new GatewayError(ErrorCode.NO_CONTEXT_IDS_AVAILABLE, "all " + config.maxContexts() + " contexts are in use");
                        }
                        context = new GatewayContext(nextContextId++);
                        created = true;
                    }
                    replies.addAll(command(action.contextId(), context, request.command()));
                    countCommand(request.command(), Optional.empty());
                    if (context != null && created && !contexts.containsKey(context.id)) {
                        contexts.put(context.id, context);
                    }
                } catch (GatewayError e) {
                    countCommand(request.command(), Optional.of(e.error()));
                    if (request.optional()) {
                        continue;
                    }
                    error = Optional.of(e.error());
                    break;
                }
            }
            if (context != null) {
                if (context.terminations.isEmpty()) {
                    contexts.remove(context.id);
                } else {
                    replyContext = ContextId.of(context.id);
                    touched = context;
                }
            }
        }
        ContextId answerContext = replyContext;
        Optional<ErrorDescriptor> failure = error;
        if (touched == null || failure.isPresent()) {
            return CompletableFuture.completedFuture(reply(answerContext, replies, failure));
        }
        GatewayContext opening = touched;
        CompletableFuture<Void> open = config.profile().conference() ? openParticipants(touched) : openIfReady(touched);
        return open.handle((opened, problem) -> {
            if (problem != null) {
                // the bearer could not be opened (e.g. a port taken meanwhile): what this action added goes again, so
                // that the context is as before the action (a failed Add leaves nothing allocated)
                List<CommandReply> kept = new ArrayList<>(replies);
                ContextId context = answerContext;
                synchronized (this) {
                    for (CommandReply added : replies) {
                        if (added instanceof CommandReply.AddReply) {
                            opening.termination(added.terminationId()).ifPresent(t -> {
                                opening.terminations.remove(t);
                                ports.release(t.allocation);
                                kept.remove(added);
                            });
                        }
                    }
                    if (opening.terminations.isEmpty()) {
                        contexts.remove(opening.id);
                        context = action.contextId();
                    }
                }
                return new ActionReply(context, List.of(), kept, Optional.of(ErrorDescriptor.of(ErrorCode.INSUFFICIENT_RESOURCES,
                        "bearer could not be opened: " + rootMessage(problem))));
            }
            return reply(answerContext, replies, Optional.empty());
        });
    }

    private static ActionReply reply(ContextId context, List<CommandReply> replies, Optional<ErrorDescriptor> error) {
        if (replies.isEmpty() && error.isEmpty()) {
            error = Optional.of(ErrorDescriptor.of(ErrorCode.SYNTAX_ERROR_IN_ACTION, "the action holds no command"));
        }
        return new ActionReply(context, List.of(), replies, error);
    }

    private List<CommandReply> command(ContextId contextId, GatewayContext context, Command command) throws GatewayError {
        if (command instanceof Command.Subtract subtract) {
            return subtract(requireContext(contextId, context), subtract); // one reply per termination (H.248.1 6.2 wildcards)
        }
        return List.of(single(contextId, context, command));
    }

    private CommandReply single(ContextId contextId, GatewayContext context, Command command) throws GatewayError {
        return switch (command) {
            case Command.Add add -> add(context, add);
            case Command.Modify modify -> modify(requireContext(contextId, context), modify);
            case Command.Subtract subtract -> throw new IllegalStateException("handled above");
            case Command.AuditValue audit -> auditValue(contextId, context, audit);
            case Command.AuditCapabilities audit -> new CommandReply.AuditCapabilitiesReply(audit.terminationId(), List.of(packagesDescriptor()));
            case Command.Move move -> move(contextId, context, move);
            case Command.ServiceChange change when change.terminationId().isRoot() ->
                    new CommandReply.ServiceChangeReply(TerminationId.ROOT, Optional.empty(), Optional.empty());
            case Command.ServiceChange change -> throw new GatewayError(ErrorCode.COMMAND_NOT_ALLOWED_ON_THIS_TERMINATION,
                    "ServiceChange from the MGC is accepted on ROOT only");
            case Command.Notify notify -> throw new GatewayError(ErrorCode.UNSUPPORTED_COMMAND, "an MG does not accept Notify");
        };
    }

    private static GatewayContext requireContext(ContextId id, GatewayContext context) throws GatewayError {
        if (context == null) {
            throw new GatewayError(ErrorCode.UNKNOWN_ACTION, "the command needs a specific context, not " + id);
        }
        return context;
    }

    // ---- Add, Modify ------------------------------------------------------------------------------------------

    private CommandReply add(GatewayContext context, Command.Add add) throws GatewayError {
        if (context == null) {
            throw new GatewayError(ErrorCode.UNKNOWN_ACTION, "Add needs context $ or an existing context");
        }
        TerminationId requested = add.terminationId();
        if (!requested.isChoose() || !(requested.prefix().equals("ip") || requested.id().equals("$"))) {
            throw new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, "ephemeral terminations are chosen by the MG: Add ip/$ (not " + requested + ")");
        }
        if (context.terminations.size() >= config.profile().maxTerminationsPerContext()) {
            throw new GatewayError(ErrorCode.MAX_TERMINATIONS_IN_CONTEXT, config.profile().conference()
                    ? "the conference has its " + config.profile().maxTerminationsPerContext() + " participants" : "a context relays between two terminations");
        }
        if (context.pair != null) {
            throw new GatewayError(ErrorCode.MAX_TERMINATIONS_IN_CONTEXT, "the context's bearer is already open");
        }
        PortAllocator.Allocation allocation = allocateUsablePort();
        Termination termination = new Termination(TerminationId.of("ip/" + nextTerminationNumber++), allocation);
        try {
            apply(termination, add.descriptors(), true);
            if (termination.transport == null) {
                throw new GatewayError(ErrorCode.MISSING_REMOTE_OR_LOCAL_DESCRIPTOR, "Add needs a Local or Remote descriptor with the stream's m-line");
            }
            for (Termination other : context.terminations) {
                Optional<ErrorDescriptor> refused = config.profile().checkPair(other.transport, termination.transport);
                if (refused.isPresent()) {
                    throw new GatewayError(refused.get());
                }
            }
            if (config.profile().conference()) {
                joinConference(context, termination);
            }
        } catch (GatewayError e) {
            ports.release(allocation); // a failed Add leaves nothing allocated
            throw e;
        }
        context.terminations.add(termination);
        LOG.atInfo().addKeyValue("context", context.id).addKeyValue("termination", termination.id).log("added ({} {}, {} leg on {})", termination.transport,
                termination.tls == null && !termination.pskTls ? "TCP" : (termination.pskTls ? "TLS-PSK " : "TLS ") + (termination.tlsClient ? "client" : "server"),
                termination.role, termination.localAddress());
        return new CommandReply.AddReply(termination.id, List.of(localMedia(termination)));
    }

    /**
     * Move (H.248.1 7.2.4): the termination leaves its context (whose bearer, if open, is released: a pair is two
     * legs) and joins the action's context, where a new pair opens once both legs are known. The termination keeps its
     * port, SDP and events; descriptors in the Move apply as in a Modify.
     */
    private CommandReply move(ContextId contextId, GatewayContext target, Command.Move move) throws GatewayError {
        if (target == null) {
            throw new GatewayError(ErrorCode.UNKNOWN_ACTION, "Move needs an existing destination context, not " + contextId);
        }
        if (config.profile().conference()) {
            throw new GatewayError(ErrorCode.NOT_IMPLEMENTED, "Move between conferences is not supported: Subtract and Add the participant");
        }
        GatewayContext source = contexts.values().stream().filter(c -> c.termination(move.terminationId()).isPresent()).findFirst()
                .orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, "no termination " + move.terminationId()));
        if (source == target) {
            throw new GatewayError(ErrorCode.TERMINATION_ID_ALREADY_IN_CONTEXT, move.terminationId() + " is already in context " + target.id);
        }
        if (target.terminations.size() >= config.profile().maxTerminationsPerContext() || target.pair != null) {
            throw new GatewayError(ErrorCode.MAX_TERMINATIONS_IN_CONTEXT, "context " + target.id + " already relays between two terminations");
        }
        Termination termination = source.termination(move.terminationId()).orElseThrow();
        for (Termination other : target.terminations) {
            Optional<ErrorDescriptor> refused = config.profile().checkPair(other.transport, termination.transport);
            if (refused.isPresent()) {
                throw new GatewayError(refused.get());
            }
        }
        apply(termination, move.descriptors(), false);
        if (source.pair != null) {
            source.releasing = true;
            source.pair.release("Move of " + termination.id);
            source.pair = null;
        }
        source.terminations.remove(termination);
        source.terminations.forEach(t -> t.side = null);
        if (source.terminations.isEmpty()) {
            contexts.remove(source.id);
        }
        termination.side = null;
        target.terminations.add(termination);
        LOG.atInfo().addKeyValue("context", target.id).addKeyValue("termination", termination.id).log("moved in from context {}", source.id);
        return new CommandReply.MoveReply(termination.id, List.of(localMedia(termination)));
    }

    /**
     * A port of the realm that this host can bind now: a port another process holds is skipped (and tried again
     * later, round robin), so that the port in our SDP answer is one we can listen on. 510 when none is left.
     */
    private PortAllocator.Allocation allocateUsablePort() throws GatewayError {
        PortAllocator.Realm realm = config.realms().get(0);
        List<PortAllocator.Allocation> busy = new ArrayList<>();
        try {
            for (int attempt = 0; attempt <= realm.lastPort() - realm.firstPort(); attempt++) {
                PortAllocator.Allocation allocation = ports.allocate(realm.name());
                try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                    probe.setReuseAddress(true);
                    probe.bind(new InetSocketAddress(realm.address(), allocation.port()));
                    return allocation;
                } catch (java.io.IOException inUse) {
                    busy.add(allocation);
                }
            }
            throw new GatewayError(ErrorCode.INSUFFICIENT_RESOURCES, "no port of realm " + realm.name() + " can be bound");
        } catch (PortAllocator.NoPortAvailable e) {
            throw new GatewayError(ErrorCode.INSUFFICIENT_RESOURCES, e.getMessage());
        } finally {
            busy.forEach(ports::release);
        }
    }

    private CommandReply modify(GatewayContext context, Command.Modify modify) throws GatewayError {
        Termination termination = context.termination(modify.terminationId())
                .orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, modify.terminationId() + " is not in context " + context.id));
        RelayPair open = config.profile().conference() ? termination.pair : context.pair;
        if (open != null || termination.opening) {
            // the bearer is open: only what it can take without reopening (a passive leg learning its peer, events)
            Optional<InetSocketAddress> before = termination.remote;
            var transportBefore = termination.transport;
            var roleBefore = termination.role;
            apply(termination, modify.descriptors(), false);
            if (termination.transport != transportBefore || termination.role != roleBefore) {
                throw new GatewayError(ErrorCode.NOT_IMPLEMENTED, "changing the transport or TCP role of an open bearer is not supported");
            }
            if (open != null && termination.role == TcpRole.PASSIVE && termination.remote.isPresent() && !termination.remote.equals(before)) {
                open.expectRemote(config.profile().conference() ? Side.A : termination.side, termination.remote.get());
            }
        } else {
            apply(termination, modify.descriptors(), false);
        }
        return new CommandReply.ModifyReply(termination.id, List.of(localMedia(termination)));
    }

    /** Applies Media, Events and Signals descriptors; anything else is refused (444/447). */
    private void apply(Termination termination, List<Descriptor> descriptors, boolean adding) throws GatewayError {
        String localSdp = null;
        String remoteSdp = null;
        Optional<String> tlsRole = Optional.empty();
        Optional<String> tlsDomain = Optional.empty();
        byte[] psk = null;
        MediaParameter.StreamMode mode = termination.mode;
        Descriptor.EventsDescriptor events = null;
        for (Descriptor descriptor : descriptors) {
            switch (descriptor) {
                case Descriptor.MediaDescriptor media -> {
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
                                case MediaParameter.LocalDescriptor local -> localSdp = local.sdp();
                                case MediaParameter.RemoteDescriptor remote -> remoteSdp = remote.sdp();
                                case MediaParameter.LocalControlDescriptor control -> {
                                    for (MediaParameter.LocalControlParameter p : control.parameters()) {
                                        switch (p) {
                                            case MediaParameter.Mode m -> mode = checkMode(m.mode());
                                            case MediaParameter.ReservedValue r -> { }
                                            case MediaParameter.ReservedGroup r -> { }
                                            case MediaParameter.LocalControlProperty property -> {
                                                String value = value(property.property());
                                                switch (localControl(property.property())) {
                                                    case "role" -> tlsRole = Optional.of(value);
                                                    case "domain" -> tlsDomain = Optional.of(value);
                                                    case "psk" -> psk = PskProperty.parse(config.profile(), value);
                                                    default -> throw new IllegalStateException();
                                                }
                                            }
                                        }
                                    }
                                }
                                case Descriptor.StatisticsDescriptor statistics -> throw new GatewayError(ErrorCode.UNABLE_TO_SET_STATISTIC_ON_STREAM,
                                        "statistics are reported, not set");
                            }
                        }
                    }
                }
                case Descriptor.EventsDescriptor requested -> events = checkEvents(requested);
                case Descriptor.SignalsDescriptor signals -> checkSignals(signals);
                case Descriptor.AuditDescriptor audit -> { } // what the reply carries is fixed: Local (and the fingerprint)
                default -> throw new GatewayError(ErrorCode.UNSUPPORTED_DESCRIPTOR, descriptor.getClass().getSimpleName().replace("Descriptor", "")
                        + " is not supported by this gateway");
            }
        }
        // everything checked: now compute the leg, still without changing the termination until it is consistent
        SessionDescription local = localSdp == null ? null : parseSdp(localSdp, "Local");
        SessionDescription remote = remoteSdp == null ? null : parseSdp(remoteSdp, "Remote");
        MediaDescription localMedia = local == null ? null : singleMedia(local, "Local");
        MediaDescription remoteMedia = remote == null ? null : singleMedia(remote, "Remote");
        var transport = localMedia != null ? localMedia.transport() : remoteMedia != null ? remoteMedia.transport() : termination.transport;
        if (transport != null) {
            Optional<ErrorDescriptor> refused = config.profile().checkTransport(transport);
            if (refused.isPresent()) {
                throw new GatewayError(refused.get());
            }
            if (localMedia != null && remoteMedia != null && !localMedia.transport().equals(remoteMedia.transport())) {
                throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "Local transport " + localMedia.transport() + " and Remote "
                        + remoteMedia.transport() + " differ");
            }
        }
        Optional<InetSocketAddress> peer = termination.remote;
        List<CertificateFingerprint> fingerprints = termination.remoteFingerprints;
        if (remote != null) {
            peer = remoteAddress(remote, remoteMedia);
            fingerprints = new ArrayList<>();
            for (Fingerprint fingerprint : remote.fingerprints(remoteMedia)) {
                try {
                    String text = fingerprint.attributeValue();
                    fingerprints.add(CertificateFingerprint.parse(fingerprint.hashFunction(), text.substring(text.indexOf(' ') + 1)));
                } catch (IllegalArgumentException e) {
                    throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "a=fingerprint:" + fingerprint.attributeValue() + ": " + e.getMessage());
                }
            }
        }
        TcpRole role = role(localMedia == null ? Optional.empty() : localMedia.setup(), remoteMedia == null ? Optional.empty() : remoteMedia.setup(),
                termination.role, localMedia != null || remoteMedia != null);
        if (role == TcpRole.PASSIVE && remoteMedia != null && peer.isPresent()
                && remoteMedia.setup().filter(s -> s == Setup.ACTIVE || s == Setup.ACTPASS).isPresent()) {
            // RFC 4145 4.1: a peer that connects does so from a port of its choosing; the m-line port of an actpass
            // offer is where it would listen, so only its address is checked (TCP-9)
            peer = Optional.of(new InetSocketAddress(peer.get().getAddress(), 0));
        }
        // RFC 4145 4.1: Local actpass with no answer yet leaves the role open: the leg listens (so the port can be
        // offered) but does not take part in a bearer until Remote's a=setup (or a Local active/passive) decides it
        boolean roleOpen = localMedia != null || remoteMedia != null
                ? localMedia != null && localMedia.setup().filter(s -> s == Setup.ACTPASS).isPresent()
                        && (remoteMedia == null || remoteMedia.setup().filter(s -> s != Setup.ACTPASS).isEmpty())
                : termination.roleOpen;
        boolean terminateTls = transport != null && transport.isTls() && config.profile().terminatesTls();
        TlsEngines engines = null;
        boolean client = false;
        boolean pskTls = terminateTls && config.profile().pskTls();
        if (psk != null && !pskTls) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, PskProperty.NAME + " on a stream that is not TLS (" + transport + ")");
        }
        if (pskTls) {
            if (tlsDomain.isPresent()) {
                throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "the MRFP's TLS is keyed by " + PskProperty.NAME + ", not by a TLS domain's certificate");
            }
            client = tlsRole.map(r -> r.equalsIgnoreCase("client")).orElse(role == TcpRole.ACTIVE); // RFC 4572: TCP client = TLS client
        } else if (terminateTls) {
            String domainName = tlsDomain.orElse(termination.tls == null ? config.defaultDomain() : termination.tls.domain().name());
            engines = config.tlsDomains().get(domainName);
            if (engines == null) {
                throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, TcpTlsPackageNames.TLS_PACKAGE + "/"
                        + TcpTlsPackageNames.TLS_DOMAIN_PROPERTY + " " + domainName + ": no such TLS domain (" + config.tlsDomains().keySet() + ")");
            }
            client = tlsRole.map(r -> r.equalsIgnoreCase("client")).orElse(role == TcpRole.ACTIVE); // RFC 4572: TCP client = TLS client
        } else if (tlsRole.isPresent() || tlsDomain.isPresent()) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "TLS properties on a stream whose TLS is not terminated here (" + transport + ")");
        }
        boolean conferenceMsrp = config.profile().conference() && transport != null && transport.application().equals("MSRP");
        ConferenceIds ids = config.profile().conference() && !conferenceMsrp && localMedia != null ? ConferenceIds.of(localMedia) : null;
        MsrpMember member = conferenceMsrp && remoteMedia != null ? MsrpMember.of(remote, remoteMedia) : null;
        // commit
        if (ids != null) {
            // a later Local (e.g. the Modify that brings the PSK) keeps the IDs it does not restate
            termination.conferenceId = ids.conferenceId().or(() -> termination.conferenceId);
            termination.userId = ids.userId().or(() -> termination.userId);
            termination.floorIds = ids.floorIds().isEmpty() ? termination.floorIds : ids.floorIds();
        }
        if (member != null) {
            termination.msrpPath = member.path();
            termination.acceptTypes = member.acceptTypes();
            termination.identity = member.identity();
        }
        termination.pskTls = pskTls;
        if (psk != null) {
            if (termination.psk != null) {
                java.util.Arrays.fill(termination.psk, (byte) 0);
            }
            termination.psk = psk;
        }
        if (localSdp != null) {
            termination.localSdp = localSdp;
        }
        if (remoteSdp != null) {
            termination.remoteSdp = remoteSdp;
        }
        termination.transport = transport;
        termination.role = role;
        termination.roleOpen = roleOpen;
        termination.remote = peer;
        termination.remoteFingerprints = List.copyOf(fingerprints);
        if (engines != termination.tls) {
            termination.tls = engines;
            termination.certificate = engines == null ? null : engines.certificateForStream();
        }
        termination.tlsClient = client;
        termination.mode = mode;
        if (events != null) {
            termination.eventsRequestId = events.requestId();
            termination.events = new ArrayList<>(events.events());
        }
    }

    private static String value(PropertyParameter property) throws GatewayError {
        if (property.value() instanceof PropertyValue.Single single && single.relation() == PropertyValue.Relation.EQUAL) {
            return single.value();
        }
        throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, property.name() + ": one value expected");
    }

    /** The LocalControl properties we act on; others are checked by the catalogue and refused (445) if valid. */
    private static String localControl(PropertyParameter property) throws GatewayError {
        if (property.name().equalsIgnoreCase(PskProperty.NAME)) {
            return "psk"; // checked by PskProperty, which never echoes the key into an error text (the catalogue would)
        }
        Optional<ErrorDescriptor> rejected = PACKAGES.checkProperty(property, PackageDefinition.Descriptor.LOCAL_CONTROL).map(r -> r.toErrorDescriptor());
        if (rejected.isPresent()) {
            throw new GatewayError(rejected.get());
        }
        String name = property.name().toLowerCase(java.util.Locale.ROOT);
        if (name.equals(TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_ROLE_PROPERTY)) {
            return "role";
        }
        if (name.equals(TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_DOMAIN_PROPERTY)) {
            return "domain";
        }
        throw new GatewayError(ErrorCode.UNSUPPORTED_PROPERTY, property.name() + " is not supported by this gateway");
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

    private static MediaParameter.StreamMode checkMode(MediaParameter.StreamMode mode) throws GatewayError {
        // a byte-stream relay has no meaningful one-way mode; Inactive is accepted and relays nothing new only once
        // the pair exists, so it is refused rather than half-done
        if (mode != MediaParameter.StreamMode.SEND_RECEIVE) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_OR_INVALID_MODE, "mode " + mode + ": TCP/TLS streams are relayed SendReceive");
        }
        return mode;
    }

    private static Descriptor.EventsDescriptor checkEvents(Descriptor.EventsDescriptor events) throws GatewayError {
        for (Events.RequestedEvent event : events.events()) {
            String name = event.name().packageName() + "/" + event.name().itemName();
            Optional<ErrorDescriptor> rejected = PACKAGES.checkEvent(name, List.of()).map(r -> r.toErrorDescriptor());
            if (rejected.isPresent()) {
                throw new GatewayError(rejected.get());
            }
            boolean ours = switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case String n when n.equals(TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_ESTABLISHED_EVENT)
                        || n.equals(TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_FAILURE_EVENT)
                        || n.equals(TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_ESTABLISHED_EVENT)
                        || n.equals(TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_FAILURE_EVENT)
                        || n.equals("nt/netfail") -> true;
                default -> false;
            };
            if (!ours) {
                throw new GatewayError(ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_DETECT_EVENT, "this gateway does not detect " + name);
            }
        }
        if (!events.events().isEmpty() && events.requestId().isEmpty()) {
            throw new GatewayError(ErrorCode.SYNTAX_ERROR_IN_COMMAND, "Events without a RequestID");
        }
        return events;
    }

    private static void checkSignals(Descriptor.SignalsDescriptor signals) throws GatewayError {
        for (Signals.SignalParameter parameter : signals.signals()) {
            if (!(parameter instanceof Signals.SignalRequest request)) {
                throw new GatewayError(ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_GENERATE_SIGNAL, "signal lists are not supported");
            }
            String name = request.name().packageName() + "/" + request.name().itemName();
            Optional<ErrorDescriptor> rejected = PACKAGES.checkSignal(name, List.of()).map(r -> r.toErrorDescriptor());
            if (rejected.isPresent()) {
                throw new GatewayError(rejected.get());
            }
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.equals(TcpTlsPackageNames.TCP_PACKAGE + "/" + TcpTlsPackageNames.TCP_ESTABLISH_SIGNAL)
                    && !lower.equals(TcpTlsPackageNames.TLS_PACKAGE + "/" + TcpTlsPackageNames.TLS_ESTABLISH_SIGNAL)) {
                throw new GatewayError(ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_GENERATE_SIGNAL, "this gateway does not generate " + name);
            }
        }
    }

    private static SessionDescription parseSdp(String text, String which) throws GatewayError {
        try {
            return SdpParser.parseH248(text).get(0);
        } catch (SdpParseException e) {
            throw new GatewayError(ErrorCode.INVALID_SDP_SYNTAX, which + " SDP: " + e.getMessage());
        }
    }

    private static MediaDescription singleMedia(SessionDescription sdp, String which) throws GatewayError {
        if (sdp.media().size() != 1) {
            throw new GatewayError(ErrorCode.REQUIRED_INFORMATION_MISSING, which + " SDP must hold exactly one m-line, it holds " + sdp.media().size());
        }
        return sdp.media().get(0);
    }

    /** The peer's address from Remote: c= and the m-line port; $ or nothing means not known yet. */
    private static Optional<InetSocketAddress> remoteAddress(SessionDescription sdp, MediaDescription media) throws GatewayError {
        Optional<String> connection = sdp.connectionData(media);
        if (connection.isEmpty() || connection.get().contains("$") || media.mediaLine().portNumber().isEmpty()) {
            return Optional.empty();
        }
        String[] parts = connection.get().trim().split("\\s+");
        if (parts.length < 3 || !parts[0].equals("IN") || !(parts[1].equals("IP4") || parts[1].equals("IP6"))) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "c=" + connection.get() + ": IN IP4 or IN IP6 expected");
        }
        String host = parts[2].contains("/") ? parts[2].substring(0, parts[2].indexOf('/')) : parts[2];
        if (!host.matches("[0-9a-fA-F:.]+")) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "c=" + connection.get() + ": an address, not a name, is expected");
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(host), media.mediaLine().portNumber().getAsInt()));
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "c=" + connection.get() + ": " + e.getMessage());
        }
    }

    /**
     * Our TCP role (TCP-1, RFC 4145): Local a=setup active/passive is the MGC's choice for us; actpass or none follows
     * the peer (its active makes us passive and the reverse); with nothing known we listen, which never connects to an
     * address nobody checked (TCP-9).
     */
    private static TcpRole role(Optional<Setup> local, Optional<Setup> remote, TcpRole current, boolean sdpGiven) throws GatewayError {
        if (!sdpGiven) {
            return current;
        }
        if (local.filter(s -> s == Setup.HOLDCONN).isPresent() || remote.filter(s -> s == Setup.HOLDCONN).isPresent()) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "a=setup:holdconn is not supported");
        }
        if (local.isPresent() && local.get() != Setup.ACTPASS) {
            TcpRole chosen = local.get() == Setup.ACTIVE ? TcpRole.ACTIVE : TcpRole.PASSIVE;
            if (remote.isPresent() && remote.get() != Setup.ACTPASS && (remote.get() == Setup.ACTIVE) == (chosen == TcpRole.ACTIVE)) {
                throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "Local a=setup:" + local.get().token() + " and Remote a=setup:"
                        + remote.get().token() + " cannot both hold");
            }
            return chosen;
        }
        return remote.map(r -> r == Setup.PASSIVE ? TcpRole.ACTIVE : TcpRole.PASSIVE).orElse(TcpRole.PASSIVE);
    }

    /** The reply's Media: Stream 1 with our Local SDP (address, port, setup, fingerprint filled in). */
    private Descriptor localMedia(Termination termination) {
        InetAddress address = termination.allocation.realm().address();
        String connection = (address instanceof Inet6Address ? "IN IP6 " : "IN IP4 ") + address.getHostAddress();
        SessionDescription base;
        try {
            base = termination.localSdp.isBlank() ? null : SdpParser.parseH248(termination.localSdp).get(0);
        } catch (SdpParseException e) {
            base = null; // checked when applied
        }
        if (base == null) {
            base = minimalSdp(termination);
        }
        int port = termination.role == TcpRole.ACTIVE ? 9 : termination.allocation.port(); // RFC 4145 4: 9 for active
        MediaDescription media = base.media().get(0).withPort(String.valueOf(port)).withConnectionData(connection)
                .withTransport(termination.transport)
                .withSetup(termination.roleOpen ? Setup.ACTPASS : termination.role == TcpRole.ACTIVE ? Setup.ACTIVE : Setup.PASSIVE);
        Optional<CertificateFingerprint> ours = termination.localFingerprint();
        if (ours.isPresent()) {
            media = media.withFingerprints(List.of(Fingerprint.parse(ours.get().hashFunction() + " " + ours.get().value(), new String[1]).orElseThrow()));
        } else {
            media = media.withFingerprints(List.of());
        }
        if (termination.userId.isPresent()) {
            media = ConferenceIds.answer(media, termination);
        }
        if (termination.focusSessionId != null) {
            media = MsrpMember.answer(media, termination);
        }
        SessionDescription answer = base.withMedia(0, media).withConnectionData(connection);
        return new Descriptor.MediaDescriptor(List.of(new MediaParameter.StreamDescriptor(1,
                List.of(new MediaParameter.LocalDescriptor(answer.write("\n").strip())))));
    }

    private static SessionDescription minimalSdp(Termination termination) {
        try {
            return SdpParser.parse("v=0\r\nc=IN IP4 0.0.0.0\r\nm=" + (termination.transport.application().equals("BFCP") ? "application" : "message")
                    + " 9 " + termination.transport + " *\r\n");
        } catch (SdpParseException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- Subtract, AuditValue -----------------------------------------------------------------------------------

    private List<CommandReply> subtract(GatewayContext context, Command.Subtract subtract) throws GatewayError {
        List<Termination> removed = subtract.terminationId().isAll() ? List.copyOf(context.terminations)
                : List.of(context.termination(subtract.terminationId()).orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID,
                        subtract.terminationId() + " is not in context " + context.id)));
        if (removed.isEmpty()) {
            throw new GatewayError(ErrorCode.NO_TERMINATION_ID_MATCHED_WILDCARD, "context " + context.id + " has no termination");
        }
        List<CommandReply> replies = new ArrayList<>();
        for (Termination termination : removed) {
            replies.add(new CommandReply.SubtractReply(termination.id, List.of(statistics(context, termination))));
            context.terminations.remove(termination);
        }
        if (config.profile().conference()) {
            removed.forEach(termination -> leaveConference(context, termination));
            if (context.terminations.isEmpty()) {
                contexts.remove(context.id);
                if (context.focus != null) {
                    context.focus.close();
                }
                if (context.msrpFocus != null) {
                    context.msrpFocus.close();
                }
            }
            LOG.atInfo().addKeyValue("context", context.id).addKeyValue("termination", removed.stream().map(t -> t.id.id()).toList()).log("subtracted");
            return replies;
        }
        List<PortAllocator.Allocation> freed = removed.stream().map(t -> t.allocation).toList();
        if (context.pair != null) {
            // the ports go back once both sockets are closed (the pair's one Released event), never while in use
            context.releasing = true;
            RelayPair pair = context.pair;
            pair.released().whenComplete((released, problem) -> freed.forEach(ports::release));
            pair.release("Subtract");
        } else {
            freed.forEach(ports::release);
        }
        // the peer termination (if any) stays, without a bearer: a new Add may pair it again
        context.pair = null;
        context.terminations.forEach(t -> t.side = null);
        if (context.terminations.isEmpty()) {
            contexts.remove(context.id);
        }
        LOG.atInfo().addKeyValue("context", context.id).addKeyValue("termination", removed.stream().map(t -> t.id.id()).toList()).log("subtracted");
        return replies;
    }

    /** nt/os, nt/or (octets sent and received on this termination's leg) and nt/dur (ms in the context). */
    private static Descriptor statistics(GatewayContext context, Termination termination) {
        long received = 0;
        long sent = 0;
        if (context.pair != null && termination.side != null) {
            received = context.pair.bytesReceived(termination.side);
            sent = context.pair.bytesReceived(termination.side == Side.A ? Side.B : Side.A);
        } else if (termination.pair != null) {
            received = termination.pair.bytesReceived(Side.A);
            sent = termination.pair.bytesReceived(Side.B);
        }
        long duration = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termination.createdNanos);
        return new Descriptor.StatisticsDescriptor(List.of(
                new Descriptor.StatisticsParameter(PackageItem.of("nt", "os"), Optional.of(PropertyValue.Single.equalTo(Long.toString(sent)))),
                new Descriptor.StatisticsParameter(PackageItem.of("nt", "or"), Optional.of(PropertyValue.Single.equalTo(Long.toString(received)))),
                new Descriptor.StatisticsParameter(PackageItem.of("nt", "dur"), Optional.of(PropertyValue.Single.equalTo(Long.toString(duration))))));
    }

    private CommandReply auditValue(ContextId contextId, GatewayContext context, Command.AuditValue audit) throws GatewayError {
        TerminationId id = audit.terminationId();
        if (id.isRoot()) {
            return new CommandReply.AuditValueReply(TerminationId.ROOT, List.of(packagesDescriptor()));
        }
        if (contextId instanceof ContextId.All || context == null) {
            // AuditValue over all contexts: which terminations exist (H.248.1 7.2.5)
            List<TerminationId> all = contexts.values().stream().flatMap(c -> c.terminations.stream()).map(t -> t.id)
                    .filter(t -> id.isAll() || t.equals(id)).toList();
            if (all.isEmpty()) {
                throw new GatewayError(id.isAll() ? ErrorCode.NO_TERMINATION_ID_MATCHED_WILDCARD : ErrorCode.UNKNOWN_TERMINATION_ID, "no termination " + id);
            }
            return new CommandReply.ContextTerminationAudit(false, all, Optional.empty());
        }
        if (id.isAll()) {
            return new CommandReply.ContextTerminationAudit(false, context.terminations.stream().map(t -> t.id).toList(), Optional.empty());
        }
        Termination termination = context.termination(id)
                .orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, id + " is not in context " + context.id));
        List<Descriptor> descriptors = new ArrayList<>();
        List<MediaParameter.StreamParameter> stream = new ArrayList<>();
        Descriptor.MediaDescriptor local = (Descriptor.MediaDescriptor) localMedia(termination);
        stream.addAll(((MediaParameter.StreamDescriptor) local.parameters().get(0)).parameters());
        if (!termination.remoteSdp.isBlank()) {
            stream.add(new MediaParameter.RemoteDescriptor(termination.remoteSdp));
        }
        descriptors.add(new Descriptor.MediaDescriptor(List.of(new MediaParameter.StreamDescriptor(1, stream))));
        if (termination.eventsRequestId.isPresent()) {
            descriptors.add(new Descriptor.EventsDescriptor(termination.eventsRequestId, termination.events));
        }
        descriptors.add(statistics(context, termination));
        return new CommandReply.AuditValueReply(id, descriptors);
    }

    private static Descriptor packagesDescriptor() {
        return new Descriptor.PackagesDescriptor(List.of(new Descriptor.PackageVersion("nt", 1),
                new Descriptor.PackageVersion(TcpTlsPackageNames.TCP_PACKAGE, 1), new Descriptor.PackageVersion(TcpTlsPackageNames.TLS_PACKAGE, 1)));
    }

    // ---- bearer -------------------------------------------------------------------------------------------------

    /** Opens the context's relay pair when both legs are known; completes when it is open (or at once). */
    private CompletableFuture<Void> openIfReady(GatewayContext context) {
        LegSpec a;
        LegSpec b;
        Termination first;
        Termination second;
        synchronized (this) {
            if (context.pair != null || context.terminations.size() != 2 || !context.terminations.stream().allMatch(Termination::complete)) {
                return CompletableFuture.completedFuture(null);
            }
            first = context.terminations.get(0);
            second = context.terminations.get(1);
            a = leg(first);
            b = leg(second);
        }
        CompletableFuture<RelayPair> opening;
        try {
            opening = plane.open(a, b, event -> onBearerEvent(context, event));
        } catch (RuntimeException e) { // e.g. the bearer plane is shutting down
            return CompletableFuture.failedFuture(e);
        }
        return opening.thenAccept(pair -> {
            synchronized (this) {
                context.pair = pair;
                first.side = Side.A;
                second.side = Side.B;
            }
            pair.released().thenAccept(released -> {
                meters.counter("mediasec.bearer.bytes").increment(pair.bytesReceived(Side.A) + pair.bytesReceived(Side.B));
                meters.counter("mediasec.bearer.releases", "reason", BearerReasons.reason(released.reason())).increment();
                if (released.reason() == ReleaseReason.TLS_HANDSHAKE_FAILED || released.reason() == ReleaseReason.HANDSHAKE_TIMEOUT) {
                    meters.counter("mediasec.tls.handshake.failures", "reason", BearerReasons.reason(released.reason())).increment();
                }
            });
            LOG.atInfo().addKeyValue("context", context.id).addKeyValue("termination", List.of(first.id.id(), second.id.id()))
                    .log("bearer open ({} <-> {})", pair.localAddress(Side.A), pair.localAddress(Side.B));
        });
    }

    private static LegSpec leg(Termination termination) {
        // RFC 4145 4: an active endpoint's port is irrelevant (answered as 9); it connects from the realm's address
        LegSpec spec = termination.role == TcpRole.ACTIVE
                ? LegSpec.active(new InetSocketAddress(termination.allocation.realm().address(), 0), termination.remote.orElseThrow())
                : LegSpec.passive(termination.localAddress(), termination.remote);
        if (termination.tls != null) {
            spec = spec.withTls(new LegSpec.Tls(termination.tls, termination.tlsClient, termination.remoteFingerprints, Optional.of(termination.certificate)));
        }
        if (termination.pskTls) {
            spec = spec.withPsk(new LegSpec.PskTls(termination.tlsClient, termination.psk, PSK_HANDSHAKE_TIMEOUT));
        }
        return spec;
    }

    // ---- MRFP conferences ----------------------------------------------------------------------------------------

    /** The event loop of the conferences' focus side (one thread: each floor control server is single-threaded). */
    private io.netty.channel.EventLoopGroup focusLoops;

    /**
     * A new participant of the conference (GW-4): its BFCP IDs agree with the conference's (RFC 8856: one
     * conference ID, the floors the conference has), its user ID is its own; what the MRFC left open is chosen.
     */
    private void joinConference(GatewayContext context, Termination termination) throws GatewayError {
        if (focusLoops == null) {
            focusLoops = new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.nio.NioIoHandler.newFactory());
        }
        if (termination.transport.application().equals("MSRP")) {
            termination.focusSessionId = MsrpMember.newSessionId(); // RFC 4975 14.1: unguessable
            if (context.msrpFocus == null) {
                context.msrpFocus = new org.mediasec.gateway.mrfp.MsrpConferenceFocus(focusLoops.next());
            }
            return;
        }
        long conferenceId = termination.conferenceId.orElse(context.focus != null ? context.focus.policy().conferenceId() : context.id);
        if (context.focus != null && conferenceId != context.focus.policy().conferenceId()) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "a=confid:" + conferenceId + " but this conference is "
                    + context.focus.policy().conferenceId());
        }
        for (Termination other : context.terminations) {
            if (other.conferenceId.isPresent() && other.conferenceId.get() != conferenceId) {
                throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "a=confid:" + conferenceId + " but this conference is " + other.conferenceId.get());
            }
        }
        List<Integer> floors = ConferenceIds.floorNumbers(termination.floorIds);
        if (context.focus != null && !context.focus.policy().floors().keySet().containsAll(floors)) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "floors " + floors + " are not all among the conference's "
                    + context.focus.policy().floors().keySet());
        }
        if (termination.userId.isPresent() && context.terminations.stream().anyMatch(t -> t.userId.equals(termination.userId))) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "a=userid:" + termination.userId.get() + " is another participant's");
        }
        if (termination.userId.isEmpty()) {
            int candidate = context.nextUserId;
            while (true) {
                int id = candidate;
                if (context.terminations.stream().noneMatch(t -> t.userId.equals(Optional.of(id)))) {
                    break;
                }
                candidate++;
            }
            termination.userId = Optional.of(candidate);
            context.nextUserId = candidate + 1;
        }
        termination.conferenceId = Optional.of(conferenceId);
        if (context.focus == null) {
            java.util.Map<Integer, Optional<Integer>> floorPolicy = new java.util.HashMap<>();
            (floors.isEmpty() ? List.of(ConferenceIds.DEFAULT_FLOOR) : floors).forEach(id -> floorPolicy.put(id, Optional.empty()));
            context.focus = new org.mediasec.gateway.mrfp.FloorControlFocus(focusLoops.next(),
                    new org.mediasec.bfcp.server.FloorPolicy(conferenceId, floorPolicy, 16, 1));
        }
        if (termination.floorIds.isEmpty()) {
            termination.floorIds = context.focus.policy().floors().keySet().stream().sorted().map(String::valueOf).toList();
        }
    }

    /** Opens each complete participant's relay pair: its leg towards the UE (side A), and the focus (side B). */
    private CompletableFuture<Void> openParticipants(GatewayContext context) {
        List<CompletableFuture<Void>> opened = new ArrayList<>();
        synchronized (this) {
            for (Termination termination : context.terminations) {
                if (termination.pair == null && !termination.opening && termination.complete()) {
                    termination.opening = true;
                    opened.add(openParticipant(context, termination));
                }
            }
        }
        return CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> openParticipant(GatewayContext context, Termination termination) {
        LegSpec ue;
        synchronized (this) {
            ue = leg(termination);
            wipe(termination); // the leg holds the key now
        }
        CompletableFuture<InetSocketAddress> joined;
        Runnable leave;
        String who;
        if (termination.focusSessionId != null) {
            org.mediasec.msrp.conference.ConferenceMember member = new org.mediasec.msrp.conference.ConferenceMember(termination.id.toString(),
                    termination.msrpPath, MsrpMember.focusUri(termination), termination.acceptTypes, termination.identity);
            joined = context.msrpFocus.join(member);
            leave = () -> context.msrpFocus.leave(member.key());
            who = "MSRP member " + termination.identity;
        } else {
            org.mediasec.bfcp.server.FloorControlServer.User user = new org.mediasec.bfcp.server.FloorControlServer.User(termination.userId.orElseThrow(), "",
                    termination.id.toString());
            joined = context.focus.join(user);
            leave = () -> context.focus.leave(user.userId());
            who = "BFCP user " + user.userId();
        }
        return joined.thenCompose(focusAddress -> {
            LegSpec focus = LegSpec.active(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), focusAddress);
            return plane.open(ue, focus, event -> onParticipantEvent(context, termination, event));
        }).handle((pair, problem) -> {
            synchronized (this) {
                termination.opening = false;
                if (problem != null) {
                    leave.run();
                    throw new java.util.concurrent.CompletionException(problem);
                }
                if (termination.releasing || !context.terminations.contains(termination)) {
                    pair.release("Subtract");
                    return null;
                }
                termination.pair = pair;
            }
            LOG.atInfo().addKeyValue("context", context.id).addKeyValue("termination", termination.id)
                    .log("participant open: {} on {}", who, pair.localAddress(Side.A));
            pair.released().thenAccept(released -> meters.counter("mediasec.bearer.releases", "reason", BearerReasons.reason(released.reason())).increment());
            return null;
        });
    }

    /** Subtract of a participant: its pair goes (the port with it, once closed), the floors it held pass on. */
    private void leaveConference(GatewayContext context, Termination termination) {
        termination.releasing = true;
        wipe(termination);
        RelayPair pair = termination.pair;
        termination.pair = null;
        if (pair != null) {
            pair.released().whenComplete((released, problem) -> ports.release(termination.allocation));
            pair.release("Subtract");
        } else {
            ports.release(termination.allocation);
        }
        if (termination.focusSessionId != null && context.msrpFocus != null) {
            context.msrpFocus.leave(termination.id.toString());
        } else if (context.focus != null) {
            termination.userId.ifPresent(context.focus::leave);
        }
    }

    private static void wipe(Termination termination) {
        if (termination.psk != null) {
            java.util.Arrays.fill(termination.psk, (byte) 0);
            termination.psk = null;
        }
    }

    /** A participant's bearer events: only its UE leg (side A) concerns the MGC; the focus side is internal. */
    private void onParticipantEvent(GatewayContext context, Termination termination, BearerEvent event) {
        if (event.side() != Side.A && !(event instanceof BearerEvent.Released)) {
            return;
        }
        Events.ObservedEvent observed = null;
        OptionalLong requestId;
        synchronized (this) {
            requestId = termination.eventsRequestId;
            switch (event) {
                case BearerEvent.Released released when termination.releasing || released.reason() == ReleaseReason.RELEASED -> { }
                case BearerEvent.Released released -> {
                    LOG.atInfo().addKeyValue("context", context.id).addKeyValue("termination", termination.id)
                            .addKeyValue("reason", BearerReasons.reason(released.reason())).log("participant's bearer released: {}", released.detail());
                    observed = observation(termination, event, termination.pskTls);
                    termination.pair = null; // the participant left the floors (the focus saw its connection close); Subtract frees the port
                }
                default -> observed = observation(termination, event, termination.pskTls);
            }
        }
        if (observed != null && requestId.isPresent()) {
            notifications.notify(ContextId.of(context.id), termination.id, new Descriptor.ObservedEventsDescriptor(requestId.getAsLong(), List.of(observed)));
        }
    }

    /** TLS-9, TLS-10, TCP-8: what the MGC asked to hear about, as a Notify on the termination concerned, once. */
    private void onBearerEvent(GatewayContext context, BearerEvent event) {
        Termination termination;
        ContextId contextId = ContextId.of(context.id);
        Events.ObservedEvent observed = null;
        OptionalLong requestId;
        synchronized (this) {
            // events can come before the pair is recorded (TCP up at once): the side is the termination's order in the context
            Side side = event.side();
            int index = side == Side.A ? 0 : 1;
            if (index >= context.terminations.size()) {
                return;
            }
            termination = context.terminations.get(index);
            requestId = termination.eventsRequestId;
            switch (event) {
                case BearerEvent.Released released when context.releasing || released.reason() == ReleaseReason.RELEASED -> context.releasing = false;
                case BearerEvent.Released released -> {
                    LOG.atInfo().addKeyValue("context", context.id).addKeyValue("termination", termination.id)
                            .addKeyValue("reason", BearerReasons.reason(released.reason())).log("bearer released: {}", released.detail());
                    observed = observation(termination, event, termination.tls != null);
                    context.pair = null; // the peer leg is released with it (one pair); Subtract frees the ports
                }
                default -> observed = observation(termination, event, termination.tls != null);
            }
        }
        if (observed != null && requestId.isPresent()) {
            notifications.notify(contextId, termination.id, new Descriptor.ObservedEventsDescriptor(requestId.getAsLong(), List.of(observed)));
        }
    }

    /**
     * The event the MGC asked to hear about for a bearer event of the termination's leg, or null (TLS-9, TLS-10,
     * TCP-8): establishment of TCP or TLS, and a release as the failure event of its layer or as nt/netfail.
     */
    private static Events.ObservedEvent observation(Termination termination, BearerEvent event, boolean tlsLeg) {
        return switch (event) {
            case BearerEvent.TcpEstablished established when termination.wants(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_ESTABLISHED_EVENT) ->
                    observed(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_ESTABLISHED_EVENT, List.of());
            case BearerEvent.TlsEstablished established when termination.wants(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_ESTABLISHED_EVENT) ->
                    observed(TcpTlsPackageNames.TLS_PACKAGE, TcpTlsPackageNames.TLS_ESTABLISHED_EVENT, List.of());
            case BearerEvent.Released released -> {
                String pkg = BearerReasons.failurePackage(released.reason(), tlsLeg);
                String reason = BearerReasons.reason(released.reason());
                if (termination.wants(pkg, TcpTlsPackageNames.TCP_FAILURE_EVENT)) {
                    yield observed(pkg, TcpTlsPackageNames.TCP_FAILURE_EVENT, List.of(PropertyParameter.of(TcpTlsPackageNames.REASON, reason)));
                }
                yield termination.wants("nt", "netfail") ? observed("nt", "netfail", List.of(PropertyParameter.of("cs", reason))) : null;
            }
            default -> null;
        };
    }

    private static Events.ObservedEvent observed(String pkg, String event, List<PropertyParameter> parameters) {
        return new Events.ObservedEvent(Optional.empty(), PackageItem.of(pkg, event), parameters.stream().<Events.EventParameter>map(Events.EventOther::new).toList());
    }

    private static String rootMessage(Throwable problem) {
        Throwable cause = problem;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** Releases every bearer and forgets every context (shutdown, or a restart with state loss). */
    @Override
    public synchronized void close() {
        for (GatewayContext context : contexts.values()) {
            context.releasing = true;
            if (context.pair != null) {
                context.pair.release("gateway shutting down");
            }
            for (Termination termination : context.terminations) {
                termination.releasing = true;
                if (termination.pair != null) {
                    termination.pair.release("gateway shutting down");
                }
                wipe(termination);
            }
            if (context.focus != null) {
                context.focus.close();
            }
            if (context.msrpFocus != null) {
                context.msrpFocus.close();
            }
            context.terminations.forEach(t -> ports.release(t.allocation));
        }
        contexts.clear();
        if (focusLoops != null) {
            focusLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
