package org.mediasec.ng;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetransmissionCacheTest {

    private long now = 1_000;
    private final RetransmissionCache<String> cache = new RetransmissionCache<>(3, 100, Duration.ofSeconds(30), () -> now);

    private static NgCookie cookie(String value) {
        return new NgCookie(value);
    }

    private void advance(Duration duration) {
        now += duration.toNanos();
    }

    @Test
    void aFreshCookieIsPendingUntilAnsweredThenAnsweredWithTheSameBytes() {
        assertThat(cache.begin("kamailio", cookie("1_2_3"))).isInstanceOf(RetransmissionCache.Fresh.class);
        assertThat(cache.begin("kamailio", cookie("1_2_3"))).isInstanceOf(RetransmissionCache.Pending.class);
        cache.complete("kamailio", cookie("1_2_3"), new byte[] {1, 2, 3});
        assertThat(cache.begin("kamailio", cookie("1_2_3")))
                .isInstanceOfSatisfying(RetransmissionCache.Answered.class, answered -> assertThat(answered.reply()).containsExactly(1, 2, 3));
    }

    @Test
    void theSameCookieFromAnotherSourceIsAnotherRequest() {
        cache.begin("kamailio-a", cookie("1_2_3"));
        cache.complete("kamailio-a", cookie("1_2_3"), new byte[] {1});
        assertThat(cache.begin("kamailio-b", cookie("1_2_3"))).isInstanceOf(RetransmissionCache.Fresh.class);
    }

    @Test
    void entriesExpireAtTheirAgeCountedFromTheReply() {
        cache.begin("k", cookie("a"));
        advance(Duration.ofSeconds(20));
        cache.complete("k", cookie("a"), new byte[] {1});
        advance(Duration.ofSeconds(29));
        assertThat(cache.begin("k", cookie("a"))).isInstanceOf(RetransmissionCache.Answered.class);
        advance(Duration.ofSeconds(1));
        assertThat(cache.begin("k", cookie("a"))).isInstanceOf(RetransmissionCache.Fresh.class);
    }

    @Test
    void theOldestEntryGoesWhenTheCountIsReached() {
        for (String c : new String[] {"a", "b", "c", "d"}) {
            cache.begin("k", cookie(c));
            cache.complete("k", cookie(c), new byte[] {1});
            advance(Duration.ofMillis(1));
        }
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.begin("k", cookie("a"))).isInstanceOf(RetransmissionCache.Fresh.class);
        assertThat(cache.begin("k", cookie("d"))).isInstanceOf(RetransmissionCache.Answered.class);
    }

    @Test
    void theOldestRepliesGoWhenTheBytesAreReachedAndAnOversizeReplyIsNotKept() {
        cache.begin("k", cookie("a"));
        cache.complete("k", cookie("a"), new byte[60]);
        cache.begin("k", cookie("b"));
        cache.complete("k", cookie("b"), new byte[60]);
        assertThat(cache.bytes()).isEqualTo(60);
        assertThat(cache.begin("k", cookie("a"))).isInstanceOf(RetransmissionCache.Fresh.class);
        cache.complete("k", cookie("a"), new byte[101]);
        assertThat(cache.begin("k", cookie("a"))).isInstanceOf(RetransmissionCache.Fresh.class);
        assertThat(cache.bytes()).isEqualTo(60);
    }

    @Test
    void anAbandonedCookieIsFreshAgainAndNothingIsLeftAfterExpiry() {
        cache.begin("k", cookie("a"));
        cache.abandon("k", cookie("a"));
        assertThat(cache.begin("k", cookie("a"))).isInstanceOf(RetransmissionCache.Fresh.class);
        cache.complete("k", cookie("a"), new byte[10]);
        advance(Duration.ofSeconds(31));
        cache.begin("k", cookie("z"));
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void theCachedReplyCannotBeChangedThroughTheArrays() {
        byte[] reply = {1, 2};
        cache.begin("k", cookie("a"));
        cache.complete("k", cookie("a"), reply);
        reply[0] = 9;
        RetransmissionCache.Answered answered = (RetransmissionCache.Answered) cache.begin("k", cookie("a"));
        answered.reply()[1] = 9;
        assertThat(((RetransmissionCache.Answered) cache.begin("k", cookie("a"))).reply()).containsExactly(1, 2);
    }
}
