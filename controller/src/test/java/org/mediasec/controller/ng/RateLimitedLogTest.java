package org.mediasec.controller.ng;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

    private long now;

    @Test
    void logsOncePerIntervalAndCountsWhatItLeftOut() {
        Logger logger = (Logger) LoggerFactory.getLogger("ng-rate-limit-test");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        RateLimitedLog log = new RateLimitedLog(logger, Duration.ofSeconds(10), () -> now);

        assertThat(log.warn("dropped 1")).isTrue();
        now += Duration.ofSeconds(9).toNanos();
        assertThat(log.warn("dropped 2")).isFalse();
        assertThat(log.warn("dropped 3")).isFalse();
        now += Duration.ofSeconds(1).toNanos();
        assertThat(log.warn("dropped 4")).isTrue();
        assertThat(log.warn("dropped 5")).isFalse();

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("dropped 1", "dropped 4 (2 similar left out)");
    }
}
