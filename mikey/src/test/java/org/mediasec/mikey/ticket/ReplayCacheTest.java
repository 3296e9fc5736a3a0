package org.mediasec.mikey.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;

/** RFC 3830 5.4: timestamps within the skew, replays refused, a full cache (or a full share) refuses rather than forgets. */
class ReplayCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00.250Z");

    @Test
    void ntpTimeRoundTrips() {
        assertThat(NtpTime.toInstant(NtpTime.of(NOW))).isBetween(NOW.minusNanos(1), NOW.plusNanos(1));
        assertThat(NtpTime.of(Instant.EPOCH) >>> 32).isEqualTo(2_208_988_800L);
    }

    @Test
    void freshMessagesPassOnceStaleAndFutureOnesNever() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ReplayCache cache = new ReplayCache(clock, Duration.ofMinutes(2), 10, 10);
        cache.accept("sip:a@x", NtpTime.of(NOW.minusSeconds(30)), new byte[] {1}, 0);
        assertThatThrownBy(() -> cache.accept("sip:a@x", NtpTime.of(NOW.minusSeconds(30)), new byte[] {1}, 7)).isInstanceOf(MikeyException.class)
                .hasMessageContaining("replayed").satisfies(e -> {
                    assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_TIMESTAMP);
                    assertThat(((MikeyException) e).offset()).isEqualTo(7);
                });
        assertThatThrownBy(() -> cache.accept("sip:a@x", NtpTime.of(NOW.minusSeconds(121)), new byte[] {2}, 0)).hasMessageContaining("outside");
        assertThatThrownBy(() -> cache.accept("sip:a@x", NtpTime.of(NOW.plusSeconds(121)), new byte[] {3}, 0)).hasMessageContaining("outside");
    }

    @Test
    void entriesAreForgottenOnlyWhenTheirTimestampWouldRefuseThem() throws Exception {
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now[0];
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        ReplayCache cache = new ReplayCache(clock, Duration.ofMinutes(2), 2, 2);
        cache.accept("sip:a@x", NtpTime.of(NOW), new byte[] {1}, 0);
        cache.accept("sip:b@x", NtpTime.of(NOW), new byte[] {2}, 0);
        assertThatThrownBy(() -> cache.accept("sip:c@x", NtpTime.of(NOW), new byte[] {3}, 0)).hasMessageContaining("full");
        now[0] = NOW.plus(Duration.ofMinutes(4)).plusSeconds(1);
        assertThat(cache.size()).isZero();
        cache.accept("sip:a@x", NtpTime.of(now[0]), new byte[] {3}, 0);
    }

    @Test
    void oneSenderFillsOnlyItsOwnShare() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ReplayCache cache = new ReplayCache(clock, Duration.ofMinutes(2), 10, 3);
        for (byte i = 0; i < 3; i++) {
            cache.accept("sip:mallory@x", NtpTime.of(NOW), new byte[] {i}, 0);
        }
        assertThatThrownBy(() -> cache.accept("sip:mallory@x", NtpTime.of(NOW), new byte[] {9}, 0)).isInstanceOf(MikeyException.class)
                .hasMessageContaining("its share");
        cache.accept("sip:alice@x", NtpTime.of(NOW), new byte[] {10}, 0);
        assertThat(cache.size("sip:mallory@x")).isEqualTo(3);
        assertThat(cache.size("sip:alice@x")).isEqualTo(1);
        // a replay is a replay whoever claims to send it
        assertThatThrownBy(() -> cache.accept("sip:alice@x", NtpTime.of(NOW), new byte[] {0}, 0)).hasMessageContaining("replayed");
    }

    @Test
    void aShareLargerThanTheCapacityIsRefused() {
        assertThatThrownBy(() -> new ReplayCache(Clock.systemUTC(), Duration.ofMinutes(2), 2, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
