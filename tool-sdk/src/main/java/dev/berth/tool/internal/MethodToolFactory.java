package dev.berth.tool.internal;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.berth.tool.Tool;
import dev.berth.tool.ToolContext;
import dev.berth.tool.ToolHandle;
import dev.berth.tool.ToolParam;
import dev.berth.tool.internal.ArgumentBinder.Slot;
import dev.berth.tool.internal.ValueType.ObjectType;
import dev.berth.tool.internal.ValueType.Property;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Builds a {@link ToolHandle} from one {@code @Tool} method, checking every rule up front
 * so that a badly declared tool fails when it is loaded, not when the model first calls it.
 */
public final class MethodToolFactory {

    private MethodToolFactory() {
    }

    /** @throws IllegalArgumentException naming the method and the broken rule */
    public static ToolHandle create(Object target, Method method) {
        Tool tool = method.getAnnotation(Tool.class);
        String where = method.getDeclaringClass().getName() + "#" + method.getName();
        String name = ToolNames.requireValid(tool.name().isBlank() ? ToolNames.snakeCase(method.getName()) : tool.name(), where);
        if (tool.description().isBlank()) {
            throw new IllegalArgumentException(where + ": @Tool description must not be blank; the model reads it"
                    + " to decide when to call the tool");
        }
        requireCallable(target, method, where);
        List<Slot> slots = slots(method, where);
        ObjectType arguments = new ObjectType(slots.stream().filter(s -> !s.isContext()).map(Slot::property).toList());
        boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
        var definition = new MethodTool.Definition(name, tool.description().strip(), SchemaWriter.object(arguments),
                tool.requiresApproval(), async, returnsNothing(method, async));
        return new MethodTool(target, method, definition, new ArgumentBinder(name, arguments, slots));
    }

    private static List<Slot> slots(Method method, String where) {
        List<Slot> slots = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean hasContext = false;
        TypeModeler modeler = new TypeModeler();
        for (Parameter parameter : method.getParameters()) {
            if (parameter.getType() == ToolContext.class) {
                if (hasContext) {
                    throw new IllegalArgumentException(where + ": declares more than one ToolContext parameter");
                }
                hasContext = true;
                slots.add(Slot.context());
                continue;
            }
            ToolParam annotation = parameter.getAnnotation(ToolParam.class);
            String wireName = TypeModeler.wireName(annotation, javaName(parameter, annotation, where));
            if (!names.add(wireName)) {
                throw new IllegalArgumentException(where + ": two parameters are named '" + wireName + "'");
            }
            ValueType type = modeler.model(parameter, parameter.getAnnotatedType(), where + "(" + wireName + ")");
            Property property = new Property(wireName, wireName, TypeModeler.description(annotation), type);
            ObjectReader reader = ToolJson.MAPPER.readerFor(ToolJson.MAPPER.constructType(parameter.getParameterizedType()));
            slots.add(new Slot(property, reader));
        }
        return slots;
    }

    /**
     * Without {@code -parameters} the JVM only knows {@code arg0, arg1...}; exposing those to
     * the model would make calls meaningless, so a name is required from somewhere.
     */
    private static String javaName(Parameter parameter, ToolParam annotation, String where) {
        if (parameter.isNamePresent() || (annotation != null && !annotation.name().isBlank())) {
            return parameter.getName();
        }
        throw new IllegalArgumentException(where + ": parameter names are not available; compile with"
                + " -parameters (maven-compiler-plugin <parameters>true</parameters>) or name each parameter"
                + " with @ToolParam(name = ...)");
    }

    private static boolean returnsNothing(Method method, boolean async) {
        if (!async) {
            return method.getReturnType() == void.class;
        }
        Type stage = method.getGenericReturnType();
        return stage instanceof ParameterizedType p && p.getActualTypeArguments()[0] == Void.class;
    }

    private static void requireCallable(Object target, Method method, String where) {
        if (!Modifier.isPublic(method.getModifiers())) {
            throw new IllegalArgumentException(where + ": @Tool methods must be public");
        }
        Object receiver = Modifier.isStatic(method.getModifiers()) ? null : target;
        if (!method.canAccess(receiver) && !method.trySetAccessible()) {
            throw new IllegalArgumentException(where + ": cannot be called from Berth; make its class public"
                    + " or open its package");
        }
    }
}
