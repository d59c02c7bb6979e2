package dev.berth.tool.internal;

import java.util.List;

/**
 * The shape of a tool argument, derived once from the Java type when a tool is scanned.
 * It is the single source for both the JSON schema sent to the model
 * ({@link SchemaWriter}) and the validation of the model's arguments
 * ({@link ArgumentReader}), so the two cannot disagree.
 */
public sealed interface ValueType {

    /** A string, boolean or number, possibly with a format. */
    record ScalarType(Scalar scalar, Class<?> javaType) implements ValueType {
    }

    /** A Java enum, sent as one of its constant names. */
    record EnumType(List<String> values) implements ValueType {
        public EnumType {
            values = List.copyOf(values);
        }
    }

    /**
     * A closed object whose properties are all required: a record, a map entry, or the
     * arguments of a tool.
     */
    record ObjectType(List<Property> properties) implements ValueType {
        public ObjectType {
            properties = List.copyOf(properties);
        }
    }

    /** A list, set or array. */
    record ArrayType(ValueType items) implements ValueType {
    }

    /**
     * A {@code Map}; on the wire an array of {@code {"key":..,"value":..}} objects, see
     * {@link SchemaWriter} for why.
     */
    record MapType(ValueType key, ValueType value) implements ValueType {

        /** The shape of one entry on the wire. */
        public ObjectType entry() {
            return new ObjectType(List.of(
                    new Property("key", "key", "", key),
                    new Property("value", "value", "", value)));
        }
    }

    /** An {@code Optional} or {@code @Nullable} value: the inner type or JSON null. */
    record NullableType(ValueType inner) implements ValueType {
    }

    /**
     * A named property of an object, or a parameter of a tool.
     *
     * @param wireName the name the model sees
     * @param javaName the record component or parameter name Jackson binds to
     * @param description for the model, or empty
     */
    record Property(String wireName, String javaName, String description, ValueType type) {
    }
}
