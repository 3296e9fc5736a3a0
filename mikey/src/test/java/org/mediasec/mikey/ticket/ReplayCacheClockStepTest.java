package org.mediasec.mikey.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;

/**
 * RFC 3830 5.4 with the clock stepped (an NTP jump) between two checks: after the step a message is taken if and only
 * if its timestamp is within the skew of the clock as it now reads and it was not seen; a replay is refused whichever
 * way the clock went, also forward beyond the window and back again (the cache forgot the message while the clock was
 * ahead); a cache that replaces a lost one (a restart) takes nothing sent before it started.
 */
class ReplayCacheClockStepTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00.250Z");
    private static final Duration SKEW = Duration.ofMinutes(2);
    private static final String SENDER = "sip:alice@ims.example.org";

    /** A clock the test steps, as NTP steps the system clock. */
    private static final class SteppedClock extends Clock {
        private Instant now;

        SteppedClock(Instant now) {
            this.now = now;
        }

        void step(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static void refusedAsTimestamp(ReplayCache cache, Instant sent, byte[] mac, String why) {
        assertThatThrownBy(() -> cache.accept(SENDER, NtpTime.of(sent), mac, 0)).isInstanceOf(MikeyException.class).hasMessageContaining(why)
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_TIMESTAMP));
    }

    @Test
    void aStepForwardWithinTheSkewTakesNewMessagesAndStillRefusesTheReplay() throws Exception {
        SteppedClock clock = new SteppedClock(T0);
        ReplayCache cache = new ReplayCache(clock, SKEW, 100, 100);
        cache.accept(SENDER, NtpTime.of(T0), new byte[] {1}, 0);
        clock.step(Duration.ofSeconds(90));
        // T0 is still within the skew of the clock as it reads now: the replay is refused as a replay
        refusedAsTimestamp(cache, T0, new byte[] {1}, "replayed");
        assertThatCode(() -> cache.accept(SENDER, NtpTime.of(T0.plusSeconds(1)), new byte[] {2}, 0)).doesNotThrowAnyException();
        assertThatCode(() -> cache.accept(SENDER, NtpTime.of(T0.plusSeconds(90)), new byte[] {3}, 0)).doesNotThrowAnyException();
    }

    @Test
    void aStepForwardBeyondTheSkewRefusesWhatWasSentBeforeIt() throws Exception {
        SteppedClock clock = new SteppedClock(T0);
        ReplayCache cache = new ReplayCache(clock, SKEW, 100, 100);
        clock.step(Duration.ofMinutes(10));
        // a peer whose clock did not step: its fresh message is now 10 minutes old by ours, outside the skew
        refusedAsTimestamp(cache, T0, new byte[] {1}, "outside");
        assertThatCode(() -> cache.accept(SENDER, NtpTime.of(T0.plus(Duration.ofMinutes(10))), new byte[] {2}, 0)).doesNotThrowAnyException();
    }

    @Test
    void aStepBackKeepsTheSeenMessagesAndTakesNewOnesInsideTheSkewOfTheClockAsItNowReads() throws Exception {
        SteppedClock clock = new SteppedClock(T0);
        ReplayCache cache = new ReplayCache(clock, SKEW, 100, 100);
        cache.accept(SENDER, NtpTime.of(T0), new byte[] {1}, 0);
        clock.step(Duration.ofMinutes(-1));
        refusedAsTimestamp(cache, T0, new byte[] {1}, "replayed");
        assertThatCode(() -> cache.accept(SENDER, NtpTime.of(T0.minusSeconds(60)), new byte[] {2}, 0)).doesNotThrowAnyException();
        clock.step(Duration.ofMinutes(-5));
        // T0 is now 6 minutes in our future: outside the skew, refused before the cache is even asked
        refusedAsTimestamp(cache, T0, new byte[] {3}, "outside");
    }

    @Test
    void aStepForwardBeyondTheWindowAndBackDoesNotLetAForgottenMessageReplay() throws Exception {
        SteppedClock clock = new SteppedClock(T0);
        ReplayCache cache = new ReplayCache(clock, SKEW, 100, 100);
        cache.accept(SENDER, NtpTime.of(T0), new byte[] {1}, 0);
        clock.step(Duration.ofMinutes(10)); // far enough for the cache to forget T0's message
        cache.accept(SENDER, NtpTime.of(T0.plus(Duration.ofMinutes(10))), new byte[] {2}, 0);
        clock.step(Duration.ofMinutes(-10).plusSeconds(5)); // NTP steps it back
        refusedAsTimestamp(cache, T0, new byte[] {1}, "may have been seen and forgotten");
        // a message sent after the forgotten one is taken
        assertThatCode(() -> cache.accept(SENDER, NtpTime.of(T0.plusSeconds(5)), new byte[] {3}, 0)).doesNotThrowAnyException();
    }

    @Test
    void aCacheThatReplacesALostOneTakesNothingSentBeforeItStarted() throws Exception {
        SteppedClock clock = new SteppedClock(T0);
        ReplayCache restarted = ReplayCache.replacingALostOne(clock, SKEW, 100, 100);
        refusedAsTimestamp(restarted, T0.minusSeconds(10), new byte[] {1}, "may have been seen and forgotten");
        clock.step(Duration.ofMillis(10));
        assertThatCode(() -> restarted.accept(SENDER, NtpTime.of(T0.plusMillis(5)), new byte[] {2}, 0)).doesNotThrowAnyException();
        // the ordinary cache (a responder created for one call) takes a message a little older than itself
        ReplayCache ordinary = new ReplayCache(clock, SKEW, 100, 100);
        assertThatCode(() -> ordinary.accept(SENDER, NtpTime.of(T0.minusSeconds(10)), new byte[] {1}, 0)).doesNotThrowAnyException();
    }
}
