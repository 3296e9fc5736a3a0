package org.mediasec.ng;

/** A bencode integer ({@code i42e}): signed 64 bits, the range rtpengine's decoder reads into. */
public record NgInteger(long value) implements NgValue {

    @Override
    public String kind() {
        return "an integer";
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
