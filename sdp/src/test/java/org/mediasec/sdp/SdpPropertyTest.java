package org.mediasec.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** parse(write(d)) == d for generated descriptions; rewrites keep every other line. */
class SdpPropertyTest {

    @Provide
    Arbitrary<SessionDescription> descriptions() {
        Arbitrary<String> word = Arbitraries.strings().withChars("abcdefXYZ0123456789-./_").ofMinLength(1).ofMaxLength(10);
        Arbitrary<SdpLine> attribute = Arbitraries.oneOf(
                Combinators.combine(word, word).as((name, value) -> SdpLine.attribute("x-" + name, value)),
                Arbitraries.of(Setup.class).map(setup -> SdpLine.attribute("setup", setup.token())),
                Arbitraries.of("sendrecv", "recvonly", "msrp-cema").map(SdpLine::flag),
                Arbitraries.of("new", "existing").map(value -> SdpLine.attribute("connection", value)),
                Arbitraries.bytes().array(byte[].class).ofSize(32).map(bytes -> SdpLine.attribute("fingerprint", new Fingerprint("sha-256", bytes).attributeValue())));
        Arbitrary<MediaDescription> media = Combinators.combine(
                        Arbitraries.of("message", "application", "audio"), Arbitraries.integers().between(0, 65535),
                        Arbitraries.of(Transport.TCP_MSRP, Transport.TCP_TLS_MSRP, Transport.TCP_BFCP, Transport.TCP_TLS_BFCP, new Transport("RTP/AVP")),
                        attribute.list().ofMaxSize(5))
                .as((type, port, transport, attributes) -> {
                    List<SdpLine> lines = new ArrayList<>();
                    lines.add(new SdpLine('c', "IN IP4 192.0.2." + (port % 250)));
                    lines.addAll(attributes);
                    return new MediaDescription(new MediaLine(type, String.valueOf(port), java.util.OptionalInt.empty(), transport, List.of("*")), lines);
                });
        return Combinators.combine(attribute.list().ofMaxSize(3), media.list().ofMinSize(1).ofMaxSize(3)).as((sessionAttributes, descriptions) -> {
            List<SdpLine> session = new ArrayList<>(List.of(new SdpLine('v', "0"), new SdpLine('o', "- 1 1 IN IP4 192.0.2.1"),
                    new SdpLine('s', "-"), new SdpLine('t', "0 0")));
            session.addAll(sessionAttributes);
            return new SessionDescription(session, descriptions);
        });
    }

    @Property(tries = 300)
    void roundTrips(@ForAll("descriptions") SessionDescription description) throws Exception {
        assertThat(SdpParser.parse(description.write())).isEqualTo(description);
        assertThat(SdpParser.parseH248(description.write("\n"))).containsExactly(description);
    }

    @Property(tries = 200)
    void transportRewriteKeepsEveryOtherLine(@ForAll("descriptions") SessionDescription description) throws Exception {
        MediaDescription first = description.media().get(0);
        SessionDescription rewritten = description.withMedia(0, first.withTransport(first.transport().isTcp() ? first.transport().withTls() : first.transport()));
        SessionDescription reparsed = SdpParser.parse(rewritten.write());
        assertThat(reparsed.sessionLines()).isEqualTo(description.sessionLines());
        assertThat(reparsed.media().get(0).lines()).isEqualTo(first.lines());
        assertThat(reparsed.media().subList(1, reparsed.media().size())).isEqualTo(description.media().subList(1, description.media().size()));
    }
}
