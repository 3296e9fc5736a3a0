package org.mediasec.ng.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgDocument;
import org.mediasec.ng.NgFormat;
import org.mediasec.ng.NgFraming;
import org.mediasec.ng.NgLimits;
import org.mediasec.ng.NgValue;
import org.mediasec.ng.NgValues;

/**
 * Requests and replies round-trip: through dictionaries, and through whole messages (cookie, space, bencode or JSON)
 * read the way the endpoint reads them.
 */
class NgMessageRoundTripPropertyTest {

    @Property(tries = 1000)
    void requestsRoundTripThroughDictionaries(@ForAll("requests") NgRequest request) throws Exception {
        assertThat(NgRequestReader.read(NgRequestWriter.write(request))).isEqualTo(request);
    }

    @Property(tries = 1000)
    void requestsRoundTripThroughMessagesInBothForms(@ForAll("requests") NgRequest request, @ForAll("cookies") NgCookie cookie,
            @ForAll NgFormat format) {
        byte[] message = NgFraming.frame(cookie, format.encode(NgRequestWriter.write(request)));
        assertThat(NgInbound.read(message, NgLimits.DEFAULT)).isEqualTo(new NgInbound.Accepted(cookie, format, request));
    }

    @Property(tries = 1000)
    void repliesRoundTrip(@ForAll("replies") NgReply reply, @ForAll NgFormat format) throws Exception {
        assertThat(NgReplies.read(NgReplies.write(reply))).isEqualTo(reply);
        byte[] encoded = format.encode(NgReplies.write(reply));
        assertThat(NgReplies.read(NgDocument.decode(encoded, 0, encoded.length, NgLimits.DEFAULT).dictionary()))
                .isEqualTo(reply);
    }

    @Provide
    Arbitrary<NgCookie> cookies() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(NgCookie.MAX_LENGTH).map(NgCookie::new);
    }

    @Provide
    Arbitrary<NgRequest> requests() {
        Arbitrary<String> required = NgValues.text(30).filter(s -> !s.isEmpty());
        return Combinators.combine(parameters(), required, required, required, required, Arbitraries.integers().between(0, 7), commandNames())
                .as((p, callId, fromTag, toTag, sdp, kind, unknownName) -> switch (kind) {
                    case 0 -> new NgRequest.Ping(p);
                    case 1 -> new NgRequest.Offer(with(p, callId, fromTag, Optional.empty(), sdp));
                    case 2 -> new NgRequest.Answer(with(p, callId, fromTag, Optional.of(toTag), sdp));
                    case 3 -> new NgRequest.Delete(with(p, callId, fromTag, p.toTag(), null));
                    case 4 -> new NgRequest.Query(with(p, callId, fromTag, p.toTag(), null));
                    case 5 -> new NgRequest.ListCalls(p);
                    case 6 -> new NgRequest.Statistics(p);
                    default -> new NgRequest.Unknown(unknownName, p);
                });
    }

    @Provide
    Arbitrary<NgReply> replies() {
        Arbitrary<Optional<String>> optionalText = NgValues.text(40).optional();
        Arbitrary<Map<String, NgValue>> fields = Combinators.combine(NgValues.text(12), NgValues.values(2, true))
                .as(Map::entry).list().ofMaxSize(4).map(entries -> {
                    Map<String, NgValue> map = new LinkedHashMap<>();
                    entries.stream().filter(e -> !NgReply.Ok.TYPED.contains(e.getKey())).forEach(e -> map.putIfAbsent(e.getKey(), e.getValue()));
                    return map;
                });
        return Arbitraries.oneOf(
                Combinators.combine(optionalText, optionalText, fields).as(NgReply.Ok::new),
                Arbitraries.just(new NgReply.Pong()),
                NgValues.text(60).map(NgReply.Error::new),
                optionalText.map(NgReply.LoadLimit::new));
    }

    private static Arbitrary<String> commandNames() {
        return Arbitraries.of("start recording", "play media", "block DTMF", "subscribe request", "x")
                .filter(name -> !NgCommands.known(name));
    }

    private static NgParameters with(NgParameters p, String callId, String fromTag, Optional<String> toTag, String sdp) {
        return new NgParameters(Optional.of(callId), Optional.of(fromTag), toTag, p.viaBranch(), sdp == null ? p.sdp() : Optional.of(sdp),
                p.flags(), p.replace(), p.direction(), p.receivedFrom(), p.transportProtocol(), p.sipMessageType(), p.rtppFlags(),
                p.deleteDelay(), p.limit(), p.supports(), p.extra());
    }

    private static Arbitrary<NgParameters> parameters() {
        Arbitrary<Optional<String>> optionalText = NgValues.text(20).optional();
        Arbitrary<List<String>> texts = NgValues.text(15).list().ofMaxSize(3);
        Arbitrary<Optional<ReceivedFrom>> receivedFrom = Arbitraries.of(
                new ReceivedFrom("IP4", "192.0.2.1"), new ReceivedFrom("IP6", "2001:db8::7"), new ReceivedFrom("IP6", "::ffff:10.0.0.1")).optional();
        Arbitrary<OptionalInt> count = Arbitraries.integers().between(0, Integer.MAX_VALUE).optional()
                .map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty()));
        Arbitrary<Map<String, NgValue>> extra = Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8),
                        NgValues.values(2, true))
                .as((name, value) -> Map.entry("x " + name, value)).list().ofMaxSize(3).map(entries -> {
                    Map<String, NgValue> map = new LinkedHashMap<>();
                    Set<String> seen = new HashSet<>();
                    entries.forEach(e -> {
                        if (seen.add(NgKeys.normalise(e.getKey()))) {
                            map.put(e.getKey(), e.getValue());
                        }
                    });
                    return map;
                });
        Arbitrary<Identity> identity = Combinators.combine(optionalText, optionalText, optionalText, optionalText, receivedFrom)
                .as(Identity::new);
        Arbitrary<Lists> lists = Combinators.combine(texts, texts, NgValues.text(10).list().ofMaxSize(2), texts).as(Lists::new);
        return Combinators.combine(identity, lists, optionalText, Arbitraries.of(SipMessageType.class).optional(), optionalText, count, count,
                        extra)
                .as((id, l, transport, type, rtpp, delay, limit, more) -> new NgParameters(id.callId(), Optional.empty(), id.toTag(),
                        id.viaBranch(), id.sdp(), l.flags(), l.replace(), l.direction(), id.receivedFrom(), transport, type, rtpp, delay, limit,
                        l.supports(), more));
    }

    private record Identity(Optional<String> callId, Optional<String> toTag, Optional<String> viaBranch, Optional<String> sdp,
            Optional<ReceivedFrom> receivedFrom) {}

    private record Lists(List<String> flags, List<String> replace, List<String> direction, List<String> supports) {}
}
