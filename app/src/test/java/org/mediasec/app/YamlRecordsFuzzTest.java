package org.mediasec.app;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer: any text read as the gateway's or the controller's configuration gives settings, none, or the typed
 * {@link GatewayCommand.ConfigError} that names a key, never another exception (a parser's, a reflection's, a stack
 * overflow).
 */
class YamlRecordsFuzzTest {

    @FuzzTest
    void readAnything(byte[] input) {
        String yaml = new String(input, StandardCharsets.UTF_8);
        for (Class<? extends Record> type : java.util.List.of(GatewaySettings.class, ControllerSettings.class)) {
            try {
                YamlRecords.read(yaml, type);
            } catch (GatewayCommand.ConfigError expected) {
                if (!expected.getMessage().startsWith("configuration: ")) {
                    throw new AssertionError("an error without its key: " + expected.getMessage(), expected);
                }
            }
        }
    }
}
