package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class EphemeralPortRangeTest {

    private static PortAllocator.Realm realm(int first, int last) {
        return new PortAllocator.Realm("access", InetAddress.getLoopbackAddress(), first, last);
    }

    @Test
    void readsTheKernelsFormAndRefusesAnythingElse() {
        assertThat(EphemeralPortRange.parse("32768\t60999\n")).contains(new EphemeralPortRange(32768, 60999));
        assertThat(EphemeralPortRange.parse("")).isEmpty();
        assertThat(EphemeralPortRange.parse("32768")).isEmpty();
        assertThat(EphemeralPortRange.parse("60999 32768")).isEmpty();
        assertThat(EphemeralPortRange.parse("0 70000")).isEmpty();
        assertThat(EphemeralPortRange.parse("a b")).isEmpty();
    }

    @Test
    void aRealmOverlapsWhenItSharesOnePort() {
        EphemeralPortRange kernel = new EphemeralPortRange(32768, 60999);
        assertThat(kernel.overlaps(realm(30000, 30999))).isFalse();
        assertThat(kernel.overlaps(realm(30000, 32767))).isFalse();
        assertThat(kernel.overlaps(realm(30000, 32768))).isTrue();
        assertThat(kernel.overlaps(realm(60999, 61999))).isTrue();
        assertThat(kernel.overlaps(realm(61000, 61999))).isFalse();
        assertThat(kernel.overlaps(realm(40000, 40001))).isTrue();
    }

    @Test
    void thisHostsRangeIsReadOnLinux() {
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(EphemeralPortRange.ofThisHost()).isPresent();
        }
    }
}
