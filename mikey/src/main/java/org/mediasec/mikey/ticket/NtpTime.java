package org.mediasec.mikey.ticket;

import java.time.Instant;

/** NTP-UTC timestamps (RFC 3830 6.6, RFC 5905): 32 bits of seconds since 1900-01-01, 32 bits of fraction. */
public final class NtpTime {

    private static final long SECONDS_1900_TO_1970 = 2_208_988_800L;

    private NtpTime() {}

    public static long of(Instant instant) {
        long seconds = instant.getEpochSecond() + SECONDS_1900_TO_1970;
        long fraction = ((long) instant.getNano() << 32) / 1_000_000_000L;
        return (seconds << 32) | fraction;
    }

    public static Instant toInstant(long ntp) {
        long seconds = (ntp >>> 32) - SECONDS_1900_TO_1970;
        long nanos = ((ntp & 0xffffffffL) * 1_000_000_000L) >>> 32;
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
