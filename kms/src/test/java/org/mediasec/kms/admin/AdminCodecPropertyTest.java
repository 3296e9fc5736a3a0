package org.mediasec.kms.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mediasec.kms.KmsUser;

/**
 * jqwik: {@code parseRequest(request(r)) == r} and {@code parseReply(reply(a)) == a} for every kind; truncated,
 * oversize and malformed input yields the typed error with its offset.
 */
class AdminCodecPropertyTest {

    @Property(tries = 300)
    void requestsRoundTrip(@ForAll("requests") AdminRequest request) throws AdminProtocolException {
        assertThat(AdminCodec.parseRequest(AdminCodec.request(request))).isEqualTo(request);
    }

    @Property(tries = 300)
    void repliesRoundTrip(@ForAll("replies") AdminReply reply) throws AdminProtocolException {
        assertThat(AdminCodec.parseReply(AdminCodec.reply(reply))).isEqualTo(reply);
    }

    @Property(tries = 200)
    void everyTruncatedRequestIsRefusedWithAnOffset(@ForAll("requests") AdminRequest request) {
        byte[] bytes = AdminCodec.request(request);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 1); // without its line feed
        assertThatThrownBy(() -> AdminCodec.parseRequest(truncated)).isInstanceOf(AdminProtocolException.class)
                .satisfies(e -> assertThat(((AdminProtocolException) e).offset()).isBetween(0, bytes.length));
    }

    @Example
    void malformedRequestsSayWhereAndWhy() {
        refused("user-add sip:a@b 00\n", 17, "16 to 64 bytes");
        refused("user-add sip:a@b zz\n", 17, "hex");
        refused("user-remove  sip:a@b\n", 12, "one space");
        refused("user-list extra\n", 10, "takes 0 arguments");
        refused("rotate-master-key PT0S\n", 18, "positive");
        refused("drop-table\n", 0, "unknown command");
        refused("user-list\r\n", 9, "control character");
        refused("user-list\nuser-list\n", 9, "control character");
        refused("user-add sip:a@b 00112233445566778899aabbccddeeff resolve=\n", 58, "identity");
        byte[] huge = new byte[AdminCodec.MAX_REQUEST_BYTES + 1];
        Arrays.fill(huge, (byte) 'a');
        assertThatThrownBy(() -> AdminCodec.parseRequest(huge)).isInstanceOf(AdminProtocolException.class).hasMessageContaining("at most");
        byte[] latin1 = "user-remove sip:\u00ff@b\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> AdminCodec.parseRequest(latin1)).isInstanceOf(AdminProtocolException.class)
                .satisfies(e -> assertThat(((AdminProtocolException) e).offset()).isEqualTo(16));
    }

    private static void refused(String request, int offset, String reason) {
        assertThatThrownBy(() -> AdminCodec.parseRequest(request.getBytes(StandardCharsets.UTF_8))).as(request).isInstanceOf(AdminProtocolException.class)
                .hasMessageContaining(reason).satisfies(e -> assertThat(((AdminProtocolException) e).offset()).isEqualTo(offset));
    }

    /** Identities as KmsUser allows them: printable, no spaces, including beyond ASCII. */
    private static Arbitrary<String> identities() {
        return Arbitraries.strings().withCharRange('!', '~').withChars('é', 'ü', '日').ofMinLength(1).ofMaxLength(40);
    }

    @Provide
    Arbitrary<AdminRequest> requests() {
        Arbitrary<AdminRequest> add = Combinators.combine(identities(), Arbitraries.bytes().array(byte[].class).ofMinSize(KmsUser.MIN_KEY_BYTES)
                        .ofMaxSize(KmsUser.MAX_KEY_BYTES), identities().set().ofMaxSize(4), identities().set().ofMaxSize(4))
                .as((uid, key, resolve, conferences) -> new AdminRequest.AddUser(new KmsUser(uid, key, resolve, conferences)));
        Arbitrary<AdminRequest> remove = identities().map(AdminRequest.RemoveUser::new);
        Arbitrary<AdminRequest> rotate = Arbitraries.longs().between(1, 10_000_000).map(s -> new AdminRequest.RotateMasterKey(Duration.ofSeconds(s)));
        return Arbitraries.oneOf(add, remove, rotate, Arbitraries.just(new AdminRequest.ListUsers()), Arbitraries.just(new AdminRequest.RotateKek()));
    }

    @Provide
    Arbitrary<AdminReply> replies() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars('é').ofMaxLength(60);
        return Combinators.combine(Arbitraries.of(AdminReply.Status.class), text, text.list().ofMaxSize(5)).as(AdminReply::new);
    }
}
