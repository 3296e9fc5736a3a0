package org.mediasec.h248.message;

import java.util.Locale;

/**
 * A TerminationID (Annex B: {@code terminationID = "ROOT" / pathNAME / "$" / "*"}), with the wildcards {@code *}
 * (all) and {@code $} (choose) possibly inside the path, e.g. {@code ip/$} or {@code ip/*}. ROOT is spelled in
 * upper case whatever the input's case.
 */
public record TerminationId(String id) {

    public static final TerminationId ROOT = new TerminationId("ROOT");
    public static final TerminationId CHOOSE = new TerminationId("$");
    public static final TerminationId ALL = new TerminationId("*");

    public TerminationId {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("empty TerminationID");
        }
        if (id.equalsIgnoreCase("root")) {
            id = "ROOT";
        }
    }

    public static TerminationId of(String id) {
        return new TerminationId(id);
    }

    public boolean isRoot() {
        return id.equals("ROOT");
    }

    /** Contains {@code $}: the MG picks the termination (H.248.1 6.2). */
    public boolean isChoose() {
        return id.indexOf('$') >= 0;
    }

    /** Contains {@code *}: matches all terminations of that pattern. */
    public boolean isAll() {
        return id.indexOf('*') >= 0;
    }

    public boolean isWildcard() {
        return isChoose() || isAll();
    }

    /** The part before the first {@code /}, lower case: e.g. {@code ip} for {@code ip/12}. */
    public String prefix() {
        int slash = id.indexOf('/');
        return (slash < 0 ? id : id.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id;
    }
}
