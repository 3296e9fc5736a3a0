package org.mediasec.h248.message;

/**
 * Annex B: {@code propertyParm = pkgdName parmValue}; also event, signal and ServiceChange extension parameters
 * (eventOther, sigOther, extension), whose names may lack a package.
 *
 * @param name the parameter name: {@code pkg/item}, or a bare NAME for event/signal parameters
 */
public record PropertyParameter(String name, PropertyValue value) {

    public PropertyParameter {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty parameter name");
        }
    }

    public static PropertyParameter of(String name, String value) {
        return new PropertyParameter(name, PropertyValue.Single.equalTo(value));
    }
}
