package org.mediasec.mikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** jqwik: decode(encode(message)) == message for messages made of every payload kind, and the bytes are stable. */
class MikeyRoundTripPropertyTest {

    @Property(tries = 300)
    void messagesRoundTrip(@ForAll("messages") MikeyMessage message) throws MikeyException {
        byte[] bytes = MikeyEncoder.encode(message).bytes();
        MikeyMessage decoded = MikeyDecoder.decode(bytes).message();
        assertThat(decoded).isEqualTo(message);
        assertThat(MikeyEncoder.encode(decoded).bytes()).isEqualTo(bytes);
    }

    private static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }

    @Provide
    Arbitrary<MikeyMessage> messages() {
        Arbitrary<Payload> timestamp = Combinators.combine(Arbitraries.of(0, 1), Arbitraries.longs())
                .as((type, value) -> (Payload) new Payload.Timestamp(type, value));
        Arbitrary<Payload> counter = Arbitraries.longs().between(0, 0xffffffffL).map(value -> new Payload.Timestamp(Payload.Timestamp.COUNTER, value));
        Arbitrary<Payload> rand = bytes(1, 40).map(Payload.Rand::new);
        Arbitrary<Payload> identity = Combinators.combine(Arbitraries.integers().between(-1, 7), Arbitraries.integers().between(0, 2), bytes(0, 60))
                .as((role, type, value) -> new Payload.Identity(role < 0 ? OptionalInt.empty() : OptionalInt.of(role), type, value));
        Arbitrary<Payload> policy = Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Combinators.combine(Arbitraries.integers().between(0, 255), bytes(0, 8)).as(Payload.PolicyParameter::new).list().ofMaxSize(5))
                .as(Payload.SecurityPolicy::new);
        Arbitrary<Payload> error = Arbitraries.of(MikeyErrorCode.class).map(Payload.Error::new);
        Arbitrary<Payload> extension = Combinators.combine(Arbitraries.integers().between(0, 255), bytes(0, 30)).as(Payload.GeneralExtension::new);
        Arbitrary<Payload> kemac = Combinators.combine(Arbitraries.integers().between(0, 2), bytes(0, 64), Arbitraries.of(0, 1, 2))
                .as((encryption, data, mac) -> new Payload.Kemac(encryption, data, mac, new byte[MacAlgorithm.length(mac)]));
        Arbitrary<Payload> verification = Arbitraries.of(0, 1, 2).map(mac -> new Payload.Verification(mac, new byte[MacAlgorithm.length(mac)]));
        Arbitrary<Payload> timestampWithRole = Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.longs())
                .as((role, value) -> new Payload.TimestampWithRole(role, new Payload.Timestamp(Payload.Timestamp.NTP_UTC, value)));
        Arbitrary<Payload> randWithRole = Combinators.combine(Arbitraries.integers().between(0, 255), bytes(1, 32))
                .as((role, value) -> new Payload.RandWithRole(role, new Payload.Rand(value)));
        Arbitrary<Payload> ticketPolicy = Combinators.combine(Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 0xffff), bytes(0, 20))
                .as(Payload.TicketPolicy::new);
        Arbitrary<Payload> ticket = Combinators.combine(Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 255), bytes(0, 80)).as(Payload.Ticket::new);
        Arbitrary<List<Payload>> payloads = Arbitraries.oneOf(timestamp, counter, rand, identity, policy, error, extension, kemac, verification,
                timestampWithRole, randWithRole, ticketPolicy, ticket).list().ofMaxSize(8);
        Arbitrary<CryptoSessionMap> map = Arbitraries.oneOf(
                Arbitraries.just(new CryptoSessionMap.Empty()),
                Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.longs().between(0, 0xffffffffL), Arbitraries.longs().between(0, 0xffffffffL))
                        .as(CryptoSessionMap.Srtp.Entry::new).list().ofMaxSize(3).map(CryptoSessionMap.Srtp::new),
                Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255), Arbitraries.of(true, false),
                        bytes(0, 3), bytes(0, 5), bytes(0, 8)).as(CryptoSessionMap.Generic.Entry::new).list().ofMaxSize(3).map(CryptoSessionMap.Generic::new));
        Arbitrary<CommonHeader> header = Combinators.combine(Arbitraries.integers().between(0, 18), Arbitraries.of(true, false), Arbitraries.of(0, 1),
                Arbitraries.longs().between(0, 0xffffffffL), map).as(CommonHeader::new);
        return Combinators.combine(header, payloads).as(MikeyMessage::new);
    }
}
