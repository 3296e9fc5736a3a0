package org.mediasec.msrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.mediasec.msrp.relay.MsrpPathRewrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MsrpUriTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "msrp://atlanta.example.com:7654/jshA7weztas;tcp",
        "msrps://bob@biloxi.example.com:12763/kjhd37s2s20w2a;tcp",
        "msrps://[2001:db8::10]:2855/iau39soe2843z;tcp",
        "msrp://198.51.100.7:7394/iau39soe2843z;tcp;rport=9",
        "msrps://relay.example.net;tcp"
    })
    void parsesAndWritesBackUnchanged(String text) throws Exception {
        assertThat(MsrpUri.parse(text).toString()).isEqualTo(text);
    }

    @Test
    void componentsAreTyped() throws Exception {
        MsrpUri uri = MsrpUri.parse("msrps://bob@[2001:db8::10]:2855/abc=/x+y;tcp;p=1");
        assertThat(uri.secure()).isTrue();
        assertThat(uri.userinfo()).contains("bob");
        assertThat(uri.host()).isEqualTo("[2001:db8::10]");
        assertThat(uri.port()).hasValue(2855);
        assertThat(uri.sessionId()).contains("abc=/x+y");
        assertThat(uri.parameters()).isEqualTo(List.of("p=1"));
    }

    @Test
    void sessionMatchingFollowsRfc4975Section61() throws Exception {
        MsrpUri a = MsrpUri.parse("msrp://Atlanta.Example.COM:7654/jshA7weztas;TCP");
        assertThat(a.matches(MsrpUri.parse("msrp://user@atlanta.example.com:7654/jshA7weztas;tcp"))).isTrue();
        assertThat(a.matches(MsrpUri.parse("msrp://atlanta.example.com:7654/JSHA7weztas;tcp"))).isFalse();
        assertThat(a.matches(MsrpUri.parse("msrp://atlanta.example.com/jshA7weztas;tcp"))).isFalse();
        assertThat(a.matches(MsrpUri.parse("msrps://atlanta.example.com:7654/jshA7weztas;tcp"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sip:alice@example.com", "msrp://host:7654/s", "msrp://:7654/s;tcp", "msrp://host:99999/s;tcp",
        "msrp://host:76a4/s;tcp", "msrp://[2001:db8::1/s;tcp", "msrp://host:1/;tcp", "msrp://host:1/s;",
        "msrp://host:1/s p;tcp", "msrp://ho st:1/s;tcp"
    })
    void refusesBadUris(String text) {
        assertThatThrownBy(() -> MsrpUri.parse(text)).isInstanceOf(MsrpParseException.class);
    }

    @Test
    void pathRewriteReaddressesAndChecksSessionMatching() throws Exception {
        MsrpUri gatewayTowardsAlice = MsrpUri.parse("msrps://192.0.2.10:4000/gwA;tcp");
        MsrpUri gatewayTowardsBob = MsrpUri.parse("msrp://10.0.0.10:5000/gwB;tcp");
        MsrpUri bob = MsrpUri.parse("msrp://10.0.0.20:6000/bob;tcp");
        MsrpPathRewrite rewrite = new MsrpPathRewrite(gatewayTowardsAlice, List.of(bob), List.of(gatewayTowardsBob));
        MsrpFrameHead fromAlice = new MsrpFrameHead(new MsrpStartLine.Request("abcd1234", "SEND"),
                List.of(gatewayTowardsAlice), List.of(MsrpUri.parse("msrps://198.51.100.7:7394/alice;tcp")),
                List.of(new MsrpHeader("Message-ID", "1")), false);

        MsrpFrameHead towardsBob = rewrite.apply(fromAlice);

        assertThat(towardsBob.toPath()).containsExactly(bob);
        assertThat(towardsBob.fromPath()).containsExactly(gatewayTowardsBob);
        assertThat(towardsBob.headers()).isEqualTo(fromAlice.headers());
        assertThatThrownBy(() -> rewrite.apply(fromAlice.withPaths(List.of(bob), fromAlice.fromPath())))
                .isInstanceOfSatisfying(MsrpParseException.class, e -> assertThat(e.statusCode()).isEqualTo(481));
    }
}
