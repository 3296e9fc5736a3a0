package org.mediasec.controller.alg;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.LegRequest;
import org.mediasec.controller.mgc.LegTraversal;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.controller.mgc.RemoteEnd;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.Signals;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.packages.TcpTlsPackageNames;
import org.mediasec.sdp.ConnectionAttribute;
import org.mediasec.sdp.Direction;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;
import org.mediasec.traceability.Implements;

/**
 * What the procedures ask of the gateway for one anchored m-line (TS 23.334 6.2.10.3, 6.2.18; TS 29.334 5.17), and
 * how the m-line is written for each party: the two legs added in one context for an offer, the answerer's leg
 * configured with the answer, both legs updated by a re-offer that keeps the stream (CTRL-7), the context subtracted.
 * Stateless; used on the procedures' thread.
 */
@Implements({"CTRL-6", "TCP-7", "TLS-14", "TCP-4", "TCP-6"})
final class StreamLegs {

    private static final TerminationId CHOOSE_IP = TerminationId.of("ip/$");
    private static final long EVENTS_REQUEST_ID = 1;
    /** RFC 7345, T.38 Annex D: the largest UDPTL datagram the party receives. */
    private static final String T38_MAX_DATAGRAM = "T38FaxMaxDatagram";

    private final StreamPolicy policy;
    private final TlsRolePolicy tlsRoles;
    private final Optional<String> tlsDomain;
    private final NatTraversalPolicy nat;

    StreamLegs(StreamPolicy policy, TlsRolePolicy tlsRoles, Optional<String> tlsDomain, NatTraversalPolicy nat) {
        this.policy = policy;
        this.tlsRoles = tlsRoles;
        this.tlsDomain = tlsDomain;
        this.nat = nat;
    }

    /** Add both legs of one m-line in one new context (one transaction, TS 23.334 6.2.10.3), for its offerer's offer. */
    CompletableFuture<Void> reserve(Call call, ControlledGateway gateway, AnchoredStream stream, SessionDescription offer) {
        StreamPlan plan = stream.plan;
        CallSide offerer = stream.offeredBy;
        CallSide answerer = offerer.other();
        MediaDescription media = offer.media().get(plan.mediaIndex());
        Setup offeredSetup;
        String connection;
        try {
            connection = SdpChecks.connection(offer, media, plan.mediaIndex(), "offer");
            offeredSetup = SdpChecks.offeredSetup(media, plan.mediaIndex());
        } catch (OfferRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
        // e2e: both setups mirror the endpoints' own, so that their TLS roles meet (the relay only splits TCP);
        // otherwise each side is set on its own (TCP-7): a UE is asked to connect out (NAT), the core is connected to
        Setup towardsOfferer = plan.transparent() && offeredSetup == Setup.ACTPASS ? Setup.ACTPASS
                : offeredSetup.answerTo(call.party(offerer).isAccess() ? Setup.PASSIVE : Setup.ACTIVE);
        Setup towardsAnswerer = plan.transparent() ? offeredSetup : Setup.ACTPASS;
        int port = media.mediaLine().portNumber().orElse(9);
        NatTraversalPolicy.Choice choice = fitted(nat.choose(call.party(offerer), connection, offeredSetup, port, StreamPolicy.datagram(media.transport())),
                towardsOfferer);
        stream.nat.put(offerer, choice);
        stream.advertised.put(offerer, InetSocketAddress.createUnresolved(NatTraversalPolicy.address(connection), port));
        RemoteEnd offererEnd = new RemoteEnd(remoteConnection(choice, connection), port, media.setup(),
                stream.security(offerer) == LegSecurity.TLS ? offer.fingerprints(media) : List.of(), gatewayAttributes(media), media.path());
        String mediaType = media.mediaLine().media();
        stream.requests.put(offerer, leg(mediaType, plan, stream.security(offerer), media.transport(), towardsOfferer, true)
                .withRemote(offererEnd).withMode(mode(offer.direction(media))).withTraversal(choice.traversal()));
        stream.requests.put(answerer, leg(mediaType, plan, stream.security(answerer), media.transport(), towardsAnswerer, false));
        List<Command> adds = List.of(new Command.Add(CHOOSE_IP, stream.requests.get(offerer).descriptors(EVENTS_REQUEST_ID)),
                new Command.Add(CHOOSE_IP, stream.requests.get(answerer).descriptors(EVENTS_REQUEST_ID)));
        return gateway.commands().action(ContextId.CHOOSE, adds).thenAccept(result -> {
            stream.context = result.contextId();
            stream.ends.put(offerer, LocalEnd.of((CommandReply.AmmsReply) result.replies().get(0)));
            stream.ends.put(answerer, LocalEnd.of((CommandReply.AmmsReply) result.replies().get(1)));
        });
    }

    /**
     * The policy's choice as the gateway's role towards the party allows it (LegPlanner's refusals): merge needs a
     * passive leg (TS 23.334 6.2.18.4), latching a leg that does not connect by itself.
     */
    private static NatTraversalPolicy.Choice fitted(NatTraversalPolicy.Choice choice, Setup gatewaySetup) {
        LegTraversal traversal = choice.traversal();
        if (traversal.merge() && gatewaySetup != Setup.PASSIVE) {
            return new NatTraversalPolicy.Choice(new LegTraversal(true, false, false), choice.remoteAddress(), choice.delayOther(),
                    choice.reason() + "; the gateway's role is " + gatewaySetup.token() + ", not passive: latching instead of merge");
        }
        if (traversal.latch() && gatewaySetup == Setup.ACTIVE) {
            return new NatTraversalPolicy.Choice(LegTraversal.NONE, choice.remoteAddress(), false, choice.reason() + "; the gateway connects: no latching");
        }
        return choice;
    }

    /** The party's c= for the gateway: the NAT's address (received-from) when the party is behind one, else its SDP's. */
    private static String remoteConnection(NatTraversalPolicy.Choice choice, String sdpConnection) {
        return choice.remoteAddress().map(address -> "IN " + (address.contains(":") ? "IP6 " : "IP4 ") + address).orElse(sdpConnection);
    }

    /**
     * TR 29.828 4.4.2.2 NOTE 3: the leg towards {@code side}, delayed, establishes now that the other leg's NAT
     * traversal is done (its connection is up): the establish signal of the TCP connection control package.
     */
    CompletableFuture<Void> establish(ControlledGateway gateway, AnchoredStream stream, CallSide side) {
        stream.waiting = Optional.empty();
        LegRequest request = stream.requests.get(side);
        stream.requests.put(side, request.withTraversal(request.traversal().withDelayed(false)));
        Descriptor signal = new Descriptor.SignalsDescriptor(List.of(new Signals.SignalRequest(
                PackageItem.of(TcpTlsPackageNames.TCP_PACKAGE, TcpTlsPackageNames.TCP_ESTABLISH_SIGNAL), List.of())));
        return gateway.commands().action(stream.context, List.of(new Command.Modify(stream.ends.get(side).termination(), List.of(signal))))
                .thenAccept(result -> { });
    }

    private LegRequest leg(String mediaType, StreamPlan plan, LegSecurity security, Transport offered, Setup setup, boolean gatewayIsAnswerer) {
        Transport transport = policy.gatewayTransport(security, offered);
        boolean tls = transport.isTls() && security == LegSecurity.TLS;
        return new LegRequest(mediaType, transport, setup, Optional.empty(),
                tls ? tlsRoles.gatewayRole(plan.application(), setup, gatewayIsAnswerer) : Optional.empty(),
                tls ? tlsDomain : Optional.empty(), true).withMsrpAware(plan.msrpAware());
    }

    /**
     * Tell the gateway the answerer's end (and, for e2e, the offerer's final role); the bearer opens. An access
     * answerer behind a NAT (its received-from, TR 29.828 4.4.2.3) gets the NAT traversal an offerer gets, and the
     * offerer's leg waits for it where the gateway connects to the offerer (4.4.2.2 NOTE 3).
     */
    CompletableFuture<Void> configure(Call call, ControlledGateway gateway, AnchoredStream stream, SessionDescription offer, SessionDescription answer) {
        int index = stream.mediaIndex();
        CallSide offerer = stream.offeredBy;
        CallSide answerer = offerer.other();
        MediaDescription answered = answer.media().get(index);
        Setup answeredSetup;
        String connection;
        try {
            answeredSetup = SdpChecks.answeredSetup(answered, index);
            Transport offeredToAnswerer = policy.partyTransport(stream.security(answerer), offer.media().get(index).transport());
            if (!answered.transport().token().equalsIgnoreCase(offeredToAnswerer.token())) {
                throw new OfferRejectedException(488, "m-line " + index + ": answered with " + answered.transport() + ", offered " + offeredToAnswerer
                        + " (RFC 3264 6.1)");
            }
            connection = SdpChecks.connection(answer, answered, index, "answer");
            if (stream.security(answerer) == LegSecurity.TLS && answer.fingerprints(answered).isEmpty()) {
                throw new OfferRejectedException(488, "m-line " + index + ": e2ae answer without a=fingerprint");
            }
        } catch (OfferRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
        boolean tlsTowardsAnswerer = stream.security(answerer) == LegSecurity.TLS;
        List<Command> commands = new ArrayList<>();
        Setup gatewaySetup = SdpChecks.opposite(answeredSetup);
        int answeredPort = answered.mediaLine().portNumber().orElse(9);
        NatTraversalPolicy.Choice answererNat = fitted(nat.choose(call.party(answerer), connection, answeredSetup, answeredPort,
                StreamPolicy.datagram(answered.transport())), gatewaySetup);
        stream.nat.put(answerer, answererNat);
        stream.advertised.put(answerer, InetSocketAddress.createUnresolved(NatTraversalPolicy.address(connection), answeredPort));
        LegRequest offererRequest = stream.requests.get(offerer);
        if (offererRequest.localSetup() == Setup.ACTPASS) {
            // e2e with actpass: the offerer learns the answerer's choice, so the gateway takes it towards the offerer
            offererRequest = offererRequest.withLocalSetup(answeredSetup);
        }
        if (answererNat.delayOther() && offererRequest.localSetup() == Setup.ACTIVE) {
            // TR 29.828 4.4.2.2 NOTE 3, the answerer behind the NAT: the gateway connects to the offerer only once the
            // answerer's leg is through (before the answerer's leg is complete, so that the bearer is not open yet)
            offererRequest = offererRequest.withTraversal(offererRequest.traversal().withDelayed(true));
            stream.waiting = Optional.of(offerer);
        }
        if (!offererRequest.equals(stream.requests.get(offerer))) {
            stream.requests.put(offerer, offererRequest);
            commands.add(new Command.Modify(stream.ends.get(offerer).termination(), offererRequest.descriptors(EVENTS_REQUEST_ID)));
        }
        RemoteEnd answererEnd = new RemoteEnd(remoteConnection(answererNat, connection), answeredPort,
                Optional.of(answeredSetup), tlsTowardsAnswerer ? answer.fingerprints(answered) : List.of(), gatewayAttributes(answered), answered.path());
        LegRequest request = stream.requests.get(answerer).withLocalSetup(gatewaySetup).withRemote(answererEnd).withMode(mode(answer.direction(answered)))
                .withTraversal(answererNat.traversal());
        if (tlsTowardsAnswerer && request.tlsRole().isEmpty()) {
            request = request.withTlsRole(tlsRoles.gatewayRole(stream.plan.application(), gatewaySetup, false));
        }
        NatTraversalPolicy.Choice offererNat = stream.nat.get(offerer);
        if (offererNat != null && offererNat.delayOther() && gatewaySetup == Setup.ACTIVE) {
            // TR 29.828 4.4.2.2 NOTE 3: the gateway connects to the answerer only once the offerer's leg is through its
            // NAT (a passive leg is not delayed: the answerer's connection would meet a reset)
            request = request.withTraversal(request.traversal().withDelayed(true));
            stream.waiting = Optional.of(answerer);
        }
        stream.requests.put(answerer, request);
        commands.add(new Command.Modify(stream.ends.get(answerer).termination(), request.descriptors(EVENTS_REQUEST_ID)));
        return modify(gateway, stream, commands);
    }

    /**
     * A re-offer kept the stream (CTRL-7): each leg learns its party's end and direction as the re-offer and its
     * answer restate them; the TCP connection and the TLS session stay (TLS-14) unless either side asked for a new
     * connection (RFC 4145 5, TCP-1). The roles the first exchange decided stay in both cases: the Remote carries no
     * a=setup that could contradict them.
     */
    CompletableFuture<Void> update(ControlledGateway gateway, AnchoredStream stream, CallSide offerer, SessionDescription offer, SessionDescription answer)
            throws OfferRejectedException {
        int index = stream.mediaIndex();
        MediaDescription offered = offer.media().get(index);
        MediaDescription answered = answer.media().get(index);
        boolean fresh = offered.connection().filter(c -> c == ConnectionAttribute.NEW).isPresent()
                || answered.connection().filter(c -> c == ConnectionAttribute.NEW).isPresent();
        List<Command> commands = new ArrayList<>();
        for (CallSide side : List.of(offerer, offerer.other())) {
            SessionDescription sdp = side == offerer ? offer : answer;
            MediaDescription media = side == offerer ? offered : answered;
            String connection = SdpChecks.connection(sdp, media, index, side == offerer ? "offer" : "answer");
            NatTraversalPolicy.Choice choice = stream.nat.get(side);
            stream.advertised.put(side, InetSocketAddress.createUnresolved(NatTraversalPolicy.address(connection), media.mediaLine().portNumber().orElse(9)));
            RemoteEnd end = new RemoteEnd(choice == null ? connection : remoteConnection(choice, connection), media.mediaLine().portNumber().orElse(9),
                    Optional.empty(), stream.security(side) == LegSecurity.TLS ? sdp.fingerprints(media) : List.of(), gatewayAttributes(media), media.path());
            LegRequest request = stream.requests.get(side).withRemote(end).withMode(mode(sdp.direction(media)))
                    .withConnection(Optional.of(fresh ? ConnectionAttribute.NEW : ConnectionAttribute.EXISTING));
            stream.requests.put(side, request);
            commands.add(new Command.Modify(stream.ends.get(side).termination(), request.descriptors(EVENTS_REQUEST_ID)));
        }
        return modify(gateway, stream, commands);
    }

    private static CompletableFuture<Void> modify(ControlledGateway gateway, AnchoredStream stream, List<Command> commands) {
        return gateway.commands().action(stream.context, commands).thenAccept(result -> {
            for (CommandReply reply : result.replies()) {
                LocalEnd end = LocalEnd.of((CommandReply.AmmsReply) reply);
                stream.sideOf(end.termination()).ifPresent(side -> stream.ends.put(side, end));
            }
        });
    }

    CompletableFuture<Void> subtract(ControlledGateway gateway, AnchoredStream stream) {
        return gateway.commands().subtract(stream.context, TerminationId.ALL, Optional.empty()).thenAccept(reply -> { });
    }

    /**
     * How the stream's m-line is written for {@code receiver}: the gateway's end of the receiver's leg, the transport
     * the receiver sees, the gateway's a=setup there (its role as asked, once decided as answered), and the e2ae
     * indicator where the gateway terminates TLS (TS 24.229: a=3ge2ae:applied). A fax stream's DTLS leg carries the
     * gateway's {@code a=tls-id} for its association with the receiver (RFC 8842 5), the same for as long as the
     * stream keeps it.
     */
    SdpRewriter.Rewrite towards(AnchoredStream stream, CallSide receiver, Transport given) {
        LegSecurity security = stream.security(receiver);
        LocalEnd end = stream.ends.get(receiver);
        boolean datagram = StreamPolicy.datagram(given);
        Optional<String> tlsId = datagram && security == LegSecurity.TLS ? Optional.of(stream.tlsId(receiver)) : Optional.empty();
        return new SdpRewriter.Rewrite(security, policy.partyTransport(security, given), end, end.setup(),
                security == LegSecurity.TLS ? Optional.of("applied") : Optional.empty(), datagram, tlsId, stream.plan.msrpAware());
    }

    /**
     * What the gateway reads from a party's m-line beyond address, role and fingerprints: for T.38 the datagram bound
     * (GW-7). The T.38 attributes themselves pass between the parties unchanged; the gateway only needs this one.
     */
    static List<String> gatewayAttributes(MediaDescription media) {
        return media.attributes(T38_MAX_DATAGRAM).stream().map(value -> T38_MAX_DATAGRAM + ":" + value.strip()).toList();
    }

    /**
     * H.248.1 7.1.7 from a party's SDP direction (CTRL-7, hold): the leg towards the party takes bytes in when the
     * party sends, and sends bytes out when the party receives.
     */
    static MediaParameter.StreamMode mode(Direction party) {
        if (party.sends() && party.receives()) {
            return MediaParameter.StreamMode.SEND_RECEIVE;
        }
        if (party.sends()) {
            return MediaParameter.StreamMode.RECEIVE_ONLY;
        }
        return party.receives() ? MediaParameter.StreamMode.SEND_ONLY : MediaParameter.StreamMode.INACTIVE;
    }
}
