package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerJvmOptionsTest {

    @Test
    void theResourceGivesAFixedYoungGenerationInAHeapOfAtLeastOneGigabyte() {
        assertThat(ServerJvmOptions.options()).containsExactly("-Xms1g", "-Xmn512m");
    }

    @Test
    void commentsAndBlankLinesAreNotOptions() {
        assertThat(ServerJvmOptions.parse("# why\n\n  -Xmx1g  \n   # indented comment\n-XX:NewRatio=1\n")).containsExactly("-Xmx1g", "-XX:NewRatio=1");
    }
}
