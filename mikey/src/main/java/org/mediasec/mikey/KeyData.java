package org.mediasec.mikey;

import java.util.Arrays;
import java.util.Optional;

/**
 * A key data sub-payload of KEMAC (RFC 3830 6.13, 6.14): the key's type (TGK 0, TGK+SALT 1, TEK 2, TEK+SALT 3; RFC 6043's MPK 4), the
 * key, its salt for the +SALT types, and its validity: none (0), an SPI/MKI (1) or an interval (2).
 */
public record KeyData(int keyType, byte[] key, Optional<byte[]> salt, Validity validity) {

    public static final int TGK = 0;
    public static final int TGK_SALT = 1;
    public static final int TEK = 2;
    public static final int TEK_SALT = 3;
    /** The MIKEY protection key of RFC 6043 (protects TRANSFER_INIT/RESP; value UNVERIFIED). */
    public static final int MPK = 4;

    /** Key validity (RFC 3830 6.14). */
    public sealed interface Validity {
        int kvType();

        record None() implements Validity {
            @Override
            public int kvType() {
                return 0;
            }
        }

        record Spi(byte[] spi) implements Validity {
            public Spi {
                spi = spi.clone();
                if (spi.length > 255) {
                    throw new IllegalArgumentException("SPI longer than 255 bytes");
                }
            }

            @Override
            public byte[] spi() {
                return spi.clone();
            }

            @Override
            public int kvType() {
                return 1;
            }

            @Override
            public boolean equals(Object other) {
                return other instanceof Spi s && Arrays.equals(spi, s.spi);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(spi);
            }
        }

        record Interval(byte[] validFrom, byte[] validTo) implements Validity {
            public Interval {
                validFrom = validFrom.clone();
                validTo = validTo.clone();
                if (validFrom.length > 255 || validTo.length > 255) {
                    throw new IllegalArgumentException("interval bound longer than 255 bytes");
                }
            }

            @Override
            public byte[] validFrom() {
                return validFrom.clone();
            }

            @Override
            public byte[] validTo() {
                return validTo.clone();
            }

            @Override
            public int kvType() {
                return 2;
            }

            @Override
            public boolean equals(Object other) {
                return other instanceof Interval i && Arrays.equals(validFrom, i.validFrom) && Arrays.equals(validTo, i.validTo);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(validFrom) * 31 + Arrays.hashCode(validTo);
            }
        }
    }

    public KeyData {
        key = key.clone();
        salt = salt.map(byte[]::clone);
        if (keyType < TGK || keyType > MPK) {
            throw new IllegalArgumentException("key type " + keyType);
        }
        if ((keyType == TGK_SALT || keyType == TEK_SALT) != salt.isPresent()) {
            throw new IllegalArgumentException("a salt goes with the +SALT key types, and only with them");
        }
        if (key.length > 0xffff || salt.map(s -> s.length > 0xffff).orElse(false)) {
            throw new IllegalArgumentException("key or salt longer than 65535 bytes");
        }
    }

    public static KeyData tgk(byte[] key, byte[] spi) {
        return new KeyData(TGK, key, Optional.empty(), new Validity.Spi(spi));
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public Optional<byte[]> salt() {
        return salt.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyData k && keyType == k.keyType && Arrays.equals(key, k.key) && validity.equals(k.validity)
                && Arrays.equals(salt.orElse(null), k.salt.orElse(null));
    }

    @Override
    public int hashCode() {
        return keyType * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "KeyData[type=" + keyType + ", " + key.length + " key bytes (not shown), validity=" + validity.kvType() + "]";
    }
}
