package org.mediasec.bearer.datagram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 6347 4.1.2.6: the 64-record anti-replay window. */
class ReplayWindowTest {

    private final ReplayWindow window = new ReplayWindow();

    @Test
    void aRecordIsAcceptedOnceAndLateOnesWithinTheWindowOnce() {
        assertThat(window.isReplay(1, 10)).isFalse();
        window.accept(1, 10);
        assertThat(window.isReplay(1, 10)).isTrue();
        assertThat(window.isReplay(1, 8)).isFalse(); // late, not seen
        window.accept(1, 8);
        assertThat(window.isReplay(1, 8)).isTrue();
        window.accept(1, 100);
        assertThat(window.isReplay(1, 100 - ReplayWindow.SIZE)).as("older than the window").isTrue();
        assertThat(window.isReplay(1, 100 - ReplayWindow.SIZE + 1)).isFalse();
        assertThat(window.isReplay(1, 101)).isFalse();
    }

    @Test
    void aNewEpochStartsANewWindowAndAnOldEpochIsRefused() {
        window.accept(1, 500);
        assertThat(window.isReplay(2, 0)).isFalse();
        window.accept(2, 0);
        assertThat(window.isReplay(2, 0)).isTrue();
        assertThat(window.isReplay(1, 501)).isTrue();
    }

    @Test
    void onlyAcceptedRecordsMoveTheWindow() {
        window.accept(1, 5);
        // a forged record with a huge sequence number is checked but never accepted: the window stays
        assertThat(window.isReplay(1, 1_000_000)).isFalse();
        assertThat(window.isReplay(1, 4)).isFalse();
    }
}
