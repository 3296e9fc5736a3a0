package org.mediasec.t38;

import java.util.List;
import java.util.Optional;

/**
 * An IFP packet (ITU-T T.38 clause 9.1, ASN.1 {@code IFPPacket}, 2002 module): the message type and the optional
 * data field. The gateway decodes it only to validate and count what it forwards; the octets go on unchanged.
 * {@code IfpCodec.decode(IfpCodec.encode(p))} equals {@code p}.
 *
 * @param type the t30-indicator or t30-data choice
 * @param dataField data-field, OPTIONAL: empty when absent, which differs from present with no fields
 */
public record IfpPacket(TypeOfMessage type, Optional<List<DataField>> dataField) {

    public IfpPacket {
        dataField = dataField.map(List::copyOf);
    }

    /** Type-of-msg: a CHOICE of two. */
    public sealed interface TypeOfMessage {}

    /** An indication of a line signal (CNG, CED, a preamble, a training). */
    public record Indicator(T30Indicator indicator) implements TypeOfMessage {}

    /** Data of a modulation. */
    public record Data(T30Data data) implements TypeOfMessage {}

    /**
     * One element of the data field.
     *
     * @param fieldData field-data, OPTIONAL, 1 to 65535 octets when present
     */
    public record DataField(FieldType fieldType, Optional<Octets> fieldData) {
        /** T.38 9.1: OCTET STRING (SIZE (1..65535)). */
        public static final int MAX_FIELD_DATA = 65_535;

        public DataField {
            fieldData.ifPresent(data -> {
                if (data.length() < 1 || data.length() > MAX_FIELD_DATA) {
                    throw new IllegalArgumentException("field-data of " + data.length() + " octets is outside 1..65535");
                }
            });
        }
    }

    public static IfpPacket indicator(T30Indicator indicator) {
        return new IfpPacket(new Indicator(indicator), Optional.empty());
    }

    public static IfpPacket data(T30Data data, List<DataField> fields) {
        return new IfpPacket(new Data(data), Optional.of(fields));
    }

    /** Octets of field data carried, for counting what is forwarded. */
    public int fieldDataOctets() {
        return dataField.orElse(List.of()).stream().mapToInt(field -> field.fieldData().map(Octets::length).orElse(0)).sum();
    }
}
