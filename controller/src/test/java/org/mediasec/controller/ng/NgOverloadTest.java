package org.mediasec.controller.ng;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When the ng endpoint refuses new calls (NG-1): the soft in-flight bound and the standing delay, on a manual clock. */
class NgOverloadTest {

    private static final Duration TARGET = Duration.ofMillis(100);
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final long SLOW = Duration.ofMillis(150).toNanos();
    private static final long QUICK = Duration.ofMillis(2).toNanos();

    private long now = 42;
    private final NgOverload overload = new NgOverload(4, TARGET, INTERVAL, () -> now);

    private void advance(Duration by) {
        now += by.toNanos();
    }

    @Test
    @Tag("NG-1")
    void atTheSoftBoundItIsOverloadedAndBelowItIsNot() {
        assertThat(overload.overloaded(3)).isFalse();
        assertThat(overload.overloaded(4)).isTrue();
        assertThat(overload.overloaded(0)).isFalse();
    }

    @Test
    @Tag("NG-1")
    void aRequestThatWaitedTheTargetBeforeItWasReadMayNotStartACall() {
        assertThat(overload.overloaded(0, TARGET.toNanos())).as("the target alone is a transient").isFalse();
        assertThat(overload.overloaded(0, 2 * TARGET.toNanos() - 1)).isFalse();
        assertThat(overload.overloaded(0, 2 * TARGET.toNanos())).isTrue();
        assertThat(overload.overloaded(4, 0)).as("the other signals still count").isTrue();
        assertThat(overload.overloaded(0)).as("one request's wait is not a state").isFalse();
    }

    @Test
    @Tag("NG-1")
    void theDelayMustStandForTwiceTheTargetAndForCoDelsIntervalAtLeast() {
        assertThat(NgOverload.interval(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(400));
        assertThat(NgOverload.interval(Duration.ofMillis(20))).isEqualTo(NgOverload.MIN_INTERVAL);
    }

    /**
     * The default's proportions (interval twice the target): a first standing delay needs the whole interval; once it
     * has stood and ended, it stands again after CoDel's 100 ms, until 16 intervals have passed without one.
     */
    @Test
    @Tag("NG-1")
    void aDelayThatStoodRecentlyStandsAgainAfterCoDelsIntervalOnly() {
        Duration interval = Duration.ofMillis(400);
        NgOverload slowToStart = new NgOverload(4, TARGET, interval, () -> now);
        long slow = SLOW;
        slowToStart.handled(slow);
        advance(Duration.ofMillis(200));
        slowToStart.handled(slow);
        assertThat(slowToStart.overloaded(0)).as("a first transient of 200 ms").isFalse();
        advance(Duration.ofMillis(200));
        slowToStart.handled(slow);
        assertThat(slowToStart.overloaded(0)).as("stood the interval").isTrue();
        slowToStart.handled(QUICK);
        assertThat(slowToStart.overloaded(0)).isFalse();

        advance(Duration.ofMillis(50));
        slowToStart.handled(slow);
        advance(Duration.ofMillis(50));
        slowToStart.handled(slow);
        advance(Duration.ofMillis(50));
        slowToStart.handled(slow);
        assertThat(slowToStart.overloaded(0)).as("recent: 100 ms are enough").isTrue();
        slowToStart.handled(QUICK);

        advance(interval.multipliedBy(NgOverload.MEMORY_INTERVALS));
        slowToStart.handled(slow);
        advance(Duration.ofMillis(100));
        slowToStart.handled(slow);
        advance(Duration.ofMillis(100));
        slowToStart.handled(slow);
        assertThat(slowToStart.overloaded(0)).as("no longer recent: the whole interval again").isFalse();
    }

    @Test
    @Tag("NG-1")
    void eachCheckThatHoldsIsNamedNotOnlyTheFirst() {
        long waitedTooLong = 2 * TARGET.toNanos();
        assertThat(overload.causes(0, 0)).isZero();
        assertThat(overload.causes(4, 0)).isEqualTo(NgOverload.Cause.SOFT_BOUND.bit());
        assertThat(overload.causes(0, waitedTooLong)).isEqualTo(NgOverload.Cause.WAITED.bit());
        slowForAnInterval();
        int all = overload.causes(4, waitedTooLong);
        assertThat(NgOverload.Cause.values()).allMatch(cause -> cause.in(all));
        assertThat(overload.causes(0, 0)).isEqualTo(NgOverload.Cause.STANDING_DELAY.bit());
    }

    @Test
    @Tag("NG-1")
    void oneSlowExchangeAloneDoesNotMakeItOverloaded() {
        overload.handled(SLOW);
        advance(Duration.ofMillis(50));
        overload.handled(SLOW);
        assertThat(overload.overloaded(0)).isFalse();
    }

    /** Slow exchanges every half interval for a whole interval. */
    private void slowForAnInterval() {
        overload.handled(SLOW);
        advance(INTERVAL.dividedBy(2));
        overload.handled(SLOW);
        advance(INTERVAL.dividedBy(2));
        overload.handled(SLOW);
    }

    @Test
    @Tag("NG-1")
    void slowExchangesForAnIntervalWithoutAQuickOneMakeItOverloaded() {
        slowForAnInterval();
        assertThat(overload.overloaded(0)).isTrue();
    }

    @Test
    @Tag("NG-1")
    void slowExchangesAnIntervalApartAreNoQueue() {
        overload.handled(SLOW);
        advance(INTERVAL);
        overload.handled(SLOW);
        assertThat(overload.overloaded(0)).isFalse();
    }

    @Test
    @Tag("NG-1")
    void aQuickExchangeInBetweenStartsTheIntervalAgain() {
        overload.handled(SLOW);
        advance(Duration.ofMillis(60));
        overload.handled(QUICK);
        advance(Duration.ofMillis(60));
        overload.handled(SLOW);
        assertThat(overload.overloaded(0)).isFalse();
        slowForAnInterval();
        assertThat(overload.overloaded(0)).isTrue();
    }

    @Test
    @Tag("NG-1")
    void aQuickExchangeEndsTheOverload() {
        slowForAnInterval();
        overload.handled(QUICK);
        assertThat(overload.overloaded(0)).isFalse();
    }

    @Test
    @Tag("NG-1")
    void withNothingHandledForAnIntervalTheNextExchangeMeasuresAgain() {
        slowForAnInterval();
        advance(INTERVAL.minusMillis(1));
        assertThat(overload.overloaded(0)).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(overload.overloaded(0)).as("every new call refused, nothing measured: it lapses").isFalse();
        overload.handled(SLOW);
        assertThat(overload.overloaded(0)).as("one slow exchange after the lapse starts a new interval").isFalse();
    }

    @Test
    void aClockAtZeroIsNoSpecialCase() {
        now = -INTERVAL.toNanos();
        NgOverload atZero = new NgOverload(4, TARGET, INTERVAL, () -> now);
        atZero.handled(SLOW);
        now = -INTERVAL.toNanos() / 2;
        atZero.handled(SLOW);
        now = 0;
        atZero.handled(SLOW);
        assertThat(atZero.overloaded(0)).isTrue();
    }
}
