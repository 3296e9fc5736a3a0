package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** SEC-2: which remote addresses a realm refuses by default, and what allowing a category allows. */
class RemoteAddressPolicyTest {

    private static InetAddress at(String address) throws Exception {
        return InetAddress.getByName(address);
    }

    @Test
    @Tag("SEC-2")
    void theStrictPolicyRefusesWhatAForgedSdpCouldAimAt() throws Exception {
        RemoteAddressPolicy strict = RemoteAddressPolicy.strict(Set.of(at("198.51.100.10"), at("10.9.0.2")));
        for (String refused : new String[] {"127.0.0.1", "127.3.4.5", "::1", "169.254.169.254", "fe80::1", "0.0.0.0", "::", "224.0.0.1", "ff02::1",
                "255.255.255.255", "198.51.100.10", "10.9.0.2"}) {
            assertThat(strict.refusal(at(refused))).as(refused).isPresent();
        }
        for (String allowed : new String[] {"192.0.2.7", "10.1.0.2", "2001:db8::7", "203.0.113.200"}) {
            assertThat(strict.refusal(at(allowed))).as(allowed).isEmpty();
        }
        assertThat(strict.refusal(at("169.254.169.254")).orElseThrow()).contains("link-local").contains("allow 'link-local'");
    }

    @Test
    @Tag("SEC-2")
    void allowingACategoryAllowsItAloneAndTheOneMachineDefaultAllowsLoopback() throws Exception {
        RemoteAddressPolicy oneMachine = RemoteAddressPolicy.oneMachine(Set.of(at("127.0.0.1")));
        assertThat(oneMachine.refusal(at("127.0.0.1"))).isEmpty(); // our own loopback address too: it is loopback
        assertThat(oneMachine.refusal(at("::1"))).isEmpty();
        assertThat(oneMachine.refusal(at("169.254.0.1"))).isPresent();
        RemoteAddressPolicy own = new RemoteAddressPolicy(Set.of(RemoteAddressPolicy.Category.OWN), Set.of(at("198.51.100.10")));
        assertThat(own.refusal(at("198.51.100.10"))).isEmpty();
        assertThat(own.refusal(at("127.0.0.1"))).isPresent();
    }
}
