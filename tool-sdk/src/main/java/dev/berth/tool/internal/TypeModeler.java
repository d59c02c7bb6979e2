package dev.berth.tool.internal;

import dev.berth.tool.ToolParam;
import dev.berth.tool.internal.ValueType.ArrayType;
import dev.berth.tool.internal.ValueType.EnumType;
import dev.berth.tool.internal.ValueType.MapType;
import dev.berth.tool.internal.ValueType.NullableType;
import dev.berth.tool.internal.ValueType.ObjectType;
import dev.berth.tool.internal.ValueType.Property;
import dev.berth.tool.internal.ValueType.ScalarType;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Turns a Java parameter type into a {@link ValueType}, or fails with an
 * {@link IllegalArgumentException} that names where the unsupported type was found.
 *
 * <p>Only types with one unambiguous, closed JSON shape are accepted: free-form values
 * ({@code Object}, {@code JsonNode}, plain classes with setters) cannot be described in a
 * strict schema, and a tool author is better served by an error at start than by a model
 * that guesses. Not thread safe; use one instance per scan.
 */
public final class TypeModeler {

    private static final Set<Class<?>> LIST_TYPES = Set.of(List.class, Collection.class, Iterable.class);
    private static final Set<Class<?>> SET_TYPES = Set.of(Set.class, SortedSet.class, NavigableSet.class);
    private static final Set<Class<?>> MAP_TYPES = Set.of(Map.class, SortedMap.class, NavigableMap.class);

    /** Records being modelled, to reject recursion (a strict schema would be infinite). */
    private final Deque<Class<?>> recordsInProgress = new ArrayDeque<>();

    /**
     * Models a declared element (a parameter or a record component) of the given type.
     *
     * @param declaration where {@code @Nullable} may be declared
     * @param where a human-readable location for error messages
     */
    public ValueType model(AnnotatedElement declaration, AnnotatedType type, String where) {
        ValueType modelled = modelType(type, where);
        return isNullable(declaration.getAnnotations()) ? nullable(modelled, type, where) : modelled;
    }

    private ValueType modelType(AnnotatedType annotated, String where) {
        ValueType modelled = modelBare(annotated, where);
        return isNullable(annotated.getAnnotations()) ? nullable(modelled, annotated, where) : modelled;
    }

    private static ValueType nullable(ValueType modelled, AnnotatedType type, String where) {
        if (type.getType() instanceof Class<?> c && c.isPrimitive()) {
            throw unsupported(where, "a primitive cannot be @Nullable; use " + boxName(c) + " or Optional");
        }
        return modelled instanceof NullableType ? modelled : new NullableType(modelled);
    }

    private ValueType modelBare(AnnotatedType annotated, String where) {
        Type type = annotated.getType();
        if (annotated instanceof AnnotatedArrayType array) {
            return new ArrayType(modelType(array.getAnnotatedGenericComponentType(), where + "[]"));
        }
        if (type instanceof Class<?> c) {
            return modelClass(c, where);
        }
        if (type instanceof ParameterizedType p && annotated instanceof AnnotatedParameterizedType ap) {
            return modelParameterized((Class<?>) p.getRawType(), ap.getAnnotatedActualTypeArguments(), where);
        }
        throw unsupported(where, "type " + type.getTypeName() + " is not concrete; declare a concrete type");
    }

    private ValueType modelClass(Class<?> c, String where) {
        Optional<Scalar> scalar = Scalar.of(c);
        if (scalar.isPresent()) {
            return new ScalarType(scalar.get(), c);
        }
        if (c.isEnum()) {
            return new EnumType(Arrays.stream(c.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList());
        }
        if (c.isRecord()) {
            return modelRecord(c, where);
        }
        if (c == OptionalInt.class) {
            return new NullableType(new ScalarType(Scalar.INT, Integer.class));
        }
        if (c == OptionalLong.class) {
            return new NullableType(new ScalarType(Scalar.LONG, Long.class));
        }
        if (c == OptionalDouble.class) {
            return new NullableType(new ScalarType(Scalar.DOUBLE, Double.class));
        }
        if (c == Optional.class || LIST_TYPES.contains(c) || SET_TYPES.contains(c) || MAP_TYPES.contains(c)) {
            throw unsupported(where, "raw " + c.getSimpleName() + "; declare its type arguments");
        }
        throw unsupported(where, "type " + c.getName() + " has no JSON schema; use a String, number, boolean,"
                + " enum, record, java.time type, UUID, List, Set, array, Map or Optional");
    }

    private ValueType modelParameterized(Class<?> raw, AnnotatedType[] args, String where) {
        if (raw == Optional.class) {
            ValueType inner = modelType(args[0], where);
            if (inner instanceof NullableType) {
                throw unsupported(where, "an Optional of an optional value is ambiguous");
            }
            return new NullableType(inner);
        }
        if (LIST_TYPES.contains(raw) || SET_TYPES.contains(raw)) {
            return new ArrayType(modelType(args[0], where + "[]"));
        }
        if (MAP_TYPES.contains(raw)) {
            return new MapType(modelMapKey(args[0], where), modelType(args[1], where + "{value}"));
        }
        if (raw.isRecord()) {
            throw unsupported(where, "generic record " + raw.getSimpleName() + " is not supported; declare a record"
                    + " with concrete component types");
        }
        throw unsupported(where, "type " + raw.getName() + " has no JSON schema; use List, Set, Map or Optional");
    }

    private ValueType modelMapKey(AnnotatedType key, String where) {
        if (key.getType() == String.class) {
            return new ScalarType(Scalar.STRING, String.class);
        }
        if (key.getType() instanceof Class<?> c && c.isEnum()) {
            return modelClass(c, where);
        }
        throw unsupported(where, "map keys must be String or an enum, not " + key.getType().getTypeName());
    }

    private ValueType modelRecord(Class<?> record, String where) {
        if (recordsInProgress.contains(record)) {
            throw unsupported(where, "record " + record.getSimpleName() + " contains itself; recursive types"
                    + " cannot be described in a strict schema");
        }
        recordsInProgress.push(record);
        try {
            List<Property> properties = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (RecordComponent component : record.getRecordComponents()) {
                String javaName = component.getName();
                String wireName = wireName(component.getAnnotation(ToolParam.class), javaName);
                String at = where + "." + wireName;
                if (!names.add(wireName)) {
                    throw unsupported(at, "two components of " + record.getSimpleName() + " are named '" + wireName + "'");
                }
                ValueType type = model(component, component.getAnnotatedType(), at);
                properties.add(new Property(wireName, javaName, description(component.getAnnotation(ToolParam.class)), type));
            }
            return new ObjectType(properties);
        } finally {
            recordsInProgress.pop();
        }
    }

    /** The name the model sees: {@code @ToolParam(name)} if given, else the Java name. */
    public static String wireName(ToolParam param, String javaName) {
        return param != null && !param.name().isBlank() ? param.name() : javaName;
    }

    public static String description(ToolParam param) {
        return param == null ? "" : param.description().strip();
    }

    /**
     * Any annotation named {@code Nullable} counts (JSpecify, Jakarta, JSR-305, ...), so
     * the SDK does not force one library on tool authors.
     */
    private static boolean isNullable(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        return false;
    }

    private static String boxName(Class<?> primitive) {
        return primitive == int.class ? "Integer" : primitive == char.class ? "Character"
                : Character.toUpperCase(primitive.getName().charAt(0)) + primitive.getName().substring(1);
    }

    private static IllegalArgumentException unsupported(String where, String why) {
        return new IllegalArgumentException(where + ": " + why);
    }
}
