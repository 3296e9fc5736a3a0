package org.mediasec.mikey;

import java.util.Arrays;
import java.util.List;

/**
 * The HDR's crypto session ID map (RFC 3830 6.1.1; RFC 4563; RFC 6043 6.1.1): which crypto sessions the message
 * keys, one entry per crypto session (#CS).
 */
public sealed interface CryptoSessionMap {

    /** Map type: SRTP-ID 0 (checked against tshark 4.0), Empty 1 (RFC 4563), GENERIC-ID 2 (RFC 6043, UNVERIFIED). */
    int mapType();

    int sessions();

    /** SRTP-ID (RFC 3830 6.1.1): policy number, SSRC and ROC per crypto session. */
    record Srtp(List<Entry> entries) implements CryptoSessionMap {
        public record Entry(int policyNumber, long ssrc, long rolloverCounter) {}

        public Srtp {
            entries = List.copyOf(entries);
        }

        @Override
        public int mapType() {
            return 0;
        }

        @Override
        public int sessions() {
            return entries.size();
        }
    }

    /** Empty map (RFC 4563): no crypto session, e.g. in REQUEST and RESOLVE messages. */
    record Empty() implements CryptoSessionMap {
        @Override
        public int mapType() {
            return 1;
        }

        @Override
        public int sessions() {
            return 0;
        }
    }

    /**
     * GENERIC-ID (RFC 6043 6.1.1, layout UNVERIFIED, as TS 33.328 Annex H uses it for TLS): per crypto session its ID,
     * the security protocol type, the S flag, the security policy numbers, session data and an SPI naming the key.
     */
    record Generic(List<Entry> entries) implements CryptoSessionMap {
        public record Entry(int cryptoSessionId, int protocolType, boolean salting, byte[] policyNumbers, byte[] sessionData, byte[] spi) {
            public Entry {
                policyNumbers = policyNumbers.clone();
                sessionData = sessionData.clone();
                spi = spi.clone();
                if (policyNumbers.length > 127 || sessionData.length > 0xffff || spi.length > 255) {
                    throw new IllegalArgumentException("GENERIC-ID entry out of range");
                }
            }

            /** TS 33.328 Annex H: one TLS crypto session, no policies, no session data, the SPI naming the TGK. */
            public static Entry tls(int cryptoSessionId, int tlsProtocolType, byte[] spi) {
                return new Entry(cryptoSessionId, tlsProtocolType, false, new byte[0], new byte[0], spi);
            }

            @Override
            public byte[] policyNumbers() {
                return policyNumbers.clone();
            }

            @Override
            public byte[] sessionData() {
                return sessionData.clone();
            }

            @Override
            public byte[] spi() {
                return spi.clone();
            }

            @Override
            public boolean equals(Object other) {
                return other instanceof Entry e && cryptoSessionId == e.cryptoSessionId && protocolType == e.protocolType && salting == e.salting
                        && Arrays.equals(policyNumbers, e.policyNumbers) && Arrays.equals(sessionData, e.sessionData) && Arrays.equals(spi, e.spi);
            }

            @Override
            public int hashCode() {
                return cryptoSessionId * 31 + Arrays.hashCode(spi);
            }
        }

        public Generic {
            entries = List.copyOf(entries);
        }

        @Override
        public int mapType() {
            return 2;
        }

        @Override
        public int sessions() {
            return entries.size();
        }
    }
}
