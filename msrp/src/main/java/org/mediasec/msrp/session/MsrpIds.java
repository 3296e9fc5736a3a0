package org.mediasec.msrp.session;

import java.security.SecureRandom;

/** Transaction IDs and Message-IDs (RFC 4975 9: ident = ALPHANUM 3*31 identchar), random so they do not collide. */
final class MsrpIds {

    private static final char[] ALPHANUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private MsrpIds() {}

    static String next(int length) {
        char[] id = new char[length];
        for (int i = 0; i < length; i++) {
            id[i] = ALPHANUM[RANDOM.nextInt(ALPHANUM.length)];
        }
        return new String(id);
    }
}
