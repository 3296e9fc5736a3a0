package org.mediasec.mikey.ticket;

import java.util.Arrays;

/** The key of one crypto session: its CS ID, the SPI that names the key (TS 33.328 H.3), and the key itself. */
public record CryptoSessionKey(int cryptoSessionId, byte[] spi, byte[] key) {

    public CryptoSessionKey {
        spi = spi.clone();
        key = key.clone();
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CryptoSessionKey k && cryptoSessionId == k.cryptoSessionId && Arrays.equals(spi, k.spi) && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
        return cryptoSessionId * 31 + Arrays.hashCode(spi);
    }

    @Override
    public String toString() {
        return "CryptoSessionKey[cs=" + cryptoSessionId + ", key not shown]";
    }
}
