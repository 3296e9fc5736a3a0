package org.mediasec.h248.message;

import java.util.List;
import java.util.OptionalInt;

/** {@code Topology { T1, T2, isolate [, Stream = 1] , … }} (H.248.1 7.1.18; the stream is v2+). */
public record TopologyDescriptor(List<Triple> triples) implements Descriptor {

    public TopologyDescriptor {
        triples = List.copyOf(triples);
    }

    public enum Direction { BOTHWAY, ISOLATE, ONEWAY, ONEWAY_EXTERNAL, ONEWAY_BOTH }

    public record Triple(TerminationId from, TerminationId to, Direction direction, OptionalInt stream) {}
}
