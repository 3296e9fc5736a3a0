package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The logging set up in code keeps what logback.xml said: stderr, warnings, the gateway's info, -Dmediasec.log. */
class LogSetupTest {

    @Test
    void warningsToStderrAndTheGatewaysInfoByDefault() {
        LoggerContext context = configured(null);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.mediasec.gateway.context").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class, appender -> {
            assertThat(appender.getTarget()).isEqualTo("System.err");
            assertThat(appender.isStarted()).isTrue();
        });
    }

    @Test
    void mediasecLogSetsEveryLevel() {
        LoggerContext context = configured("debug");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("org.mediasec.gateway").getLevel()).isEqualTo(Level.DEBUG);
    }

    @Test
    void anOperatorsConfigurationFileTakesOver() {
        LoggerContext context = withProperty("logback.configurationFile", "/etc/mediasec/logback.xml", () -> configure(ExecutionStatus.INVOKE_NEXT_IF_ANY));
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    }

    private static LoggerContext configured(String level) {
        return withProperty("mediasec.log", level, () -> configure(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY));
    }

    private static LoggerContext configure(ExecutionStatus expected) {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        assertThat(setup.configure(context)).isEqualTo(expected);
        return context;
    }

    /** Runs {@code action} with the system property {@code name} set to {@code value} (cleared when null), then restores it. */
    private static <T> T withProperty(String name, String value, Supplier<T> action) {
        String before = System.getProperty(name);
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
        try {
            return action.get();
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }
}
