package org.mediasec.h248.text;

/** The two text encodings of H.248.1 Annex B: long tokens, indented; or short tokens, minimal white space. */
public enum TextStyle {
    PRETTY,
    COMPACT
}
