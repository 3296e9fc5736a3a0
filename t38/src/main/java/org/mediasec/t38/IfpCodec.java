package org.mediasec.t38;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediasec.t38.IfpPacket.Data;
import org.mediasec.t38.IfpPacket.DataField;
import org.mediasec.t38.IfpPacket.Indicator;
import org.mediasec.t38.IfpPacket.TypeOfMessage;
import org.mediasec.t38.T38Exception.Reason;

/**
 * Decodes and encodes IFP packets (ITU-T T.38 clause 9.1, the 2002 ASN.1 module, used from T38FaxVersion 1 on) in
 * ALIGNED PER:
 *
 * <pre>
 * bit  data-field present (OPTIONAL)
 * bit  Type-of-msg index: 0 t30-indicator, 1 t30-data
 * bit  the enumeration's extension bit; 0: its root value in 4 bits, 1: a normally small number (X.691 10.6)
 * data-field: count (aligned length determinant), then per element, not aligned between elements:
 *   bit field-data present, bit extension, field-type (3 bits, or a normally small number),
 *   field-data: length − 1 in two aligned octets (SIZE (1..65535), X.691 10.9.3.3), then the octets
 * </pre>
 *
 * The 1998 module (T38FaxVersion 0) has no extension bit in field-type and is not decoded here. An IFP is one open
 * type: trailing octets after its padding are an error. Stateless and thread-safe.
 */
public final class IfpCodec {

    /** The root of t30-indicator and t30-data both fit in four bits (16 and 9 values). */
    private static final int ROOT_BITS = 4;
    /** The root of field-type fits in three bits (8 values). */
    private static final int FIELD_TYPE_ROOT_BITS = 3;

    private IfpCodec() {}

    public static IfpPacket decode(Octets ifp) throws T38Exception {
        return decode(ifp.unsafeBytes(), 0);
    }

    /** {@code base}: the offset errors report for the IFP's first octet (its place in the datagram). */
    public static IfpPacket decode(byte[] ifp, int base) throws T38Exception {
        PerReader in = new PerReader(ifp, base);
        boolean dataFieldPresent = in.bit();
        TypeOfMessage type = in.bit() ? new Data(value(in, T30Data.values(), T30Data.ROOT, ROOT_BITS))
                : new Indicator(value(in, T30Indicator.values(), T30Indicator.ROOT, ROOT_BITS));
        Optional<List<DataField>> dataField = Optional.empty();
        if (dataFieldPresent) {
            List<DataField> fields = new ArrayList<>();
            in.fragmented(0, count -> {
                for (int i = 0; i < count; i++) {
                    fields.add(field(in));
                }
            });
            dataField = Optional.of(fields);
        }
        in.align();
        if (!in.atEnd()) {
            throw new T38Exception(Reason.TRAILING_OCTETS, in.offset(), in.remainingOctets() + " octets after the IFP");
        }
        return new IfpPacket(type, dataField);
    }

    private static DataField field(PerReader in) throws T38Exception {
        boolean present = in.bit();
        FieldType type = value(in, FieldType.values(), FieldType.ROOT, FIELD_TYPE_ROOT_BITS);
        if (!present) {
            return new DataField(type, Optional.empty());
        }
        int length = in.twoOctets() + 1;
        return new DataField(type, Optional.of(new Octets(in.octets(length))));
    }

    /** An extensible ENUMERATED (X.691 13.3): extension bit, then the root index or a normally small number. */
    private static <E extends Enum<E>> E value(PerReader in, E[] values, int root, int rootBits) throws T38Exception {
        int at = in.offset();
        if (!in.bit()) {
            int index = in.bits(rootBits);
            if (index >= root) {
                throw new T38Exception(Reason.UNKNOWN_VALUE, at, values[0].getDeclaringClass().getSimpleName() + " root index " + index
                        + " (the root has " + root + ")");
            }
            return values[index];
        }
        int addition = in.normallySmall();
        if (addition >= values.length - root) {
            throw new T38Exception(Reason.UNKNOWN_VALUE, at, values[0].getDeclaringClass().getSimpleName() + " extension addition " + addition
                    + " (T.38 defines " + (values.length - root) + ")");
        }
        return values[root + addition];
    }

    public static Octets encode(IfpPacket packet) {
        PerWriter out = new PerWriter();
        out.bit(packet.dataField().isPresent());
        switch (packet.type()) {
            case Indicator indicator -> {
                out.bit(false);
                value(out, indicator.indicator().ordinal(), T30Indicator.ROOT, ROOT_BITS);
            }
            case Data data -> {
                out.bit(true);
                value(out, data.data().ordinal(), T30Data.ROOT, ROOT_BITS);
            }
        }
        packet.dataField().ifPresent(fields -> out.fragmented(fields.size(), (from, count) -> {
            for (DataField field : fields.subList(from, from + count)) {
                out.bit(field.fieldData().isPresent());
                value(out, field.fieldType().ordinal(), FieldType.ROOT, FIELD_TYPE_ROOT_BITS);
                field.fieldData().ifPresent(data -> {
                    out.twoOctets(data.length() - 1);
                    out.octets(data.unsafeBytes(), 0, data.length());
                });
            }
        }));
        return new Octets(out.toByteArray());
    }

    private static void value(PerWriter out, int ordinal, int root, int rootBits) {
        if (ordinal < root) {
            out.bit(false);
            out.bits(ordinal, rootBits);
        } else {
            out.bit(true);
            out.normallySmall(ordinal - root);
        }
    }
}
