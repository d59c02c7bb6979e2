package dev.berth.tool;

import dev.berth.tool.internal.MethodToolFactory;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the {@link Tool} methods of an object and turns each into a {@link ToolHandle}.
 *
 * <p>Everything that can be checked without the model is checked here, so a badly declared
 * tool fails when it is loaded: names ({@code [a-zA-Z0-9_-]{1,64}}, unique per object),
 * parameter names (compile with {@code -parameters} or use {@link ToolParam#name()}),
 * parameter types (see the type table in the module README), at most one
 * {@link ToolContext} parameter, public methods, non-blank descriptions.
 *
 * <p>Annotations are looked up through the class hierarchy and interfaces, so tools on a
 * subclass proxy (CDI client proxies, for example) are found on the class that declares
 * them; the call is still dispatched to the object.
 *
 * <p>Threading: stateless and thread safe. Scanning uses reflection and is meant for
 * start-up, not for each call; the returned handles are immutable and thread safe.
 */
public final class ToolScanner {

    private ToolScanner() {
    }

    /**
     * @return one handle per {@code @Tool} method, ordered by tool name
     * @throws IllegalArgumentException when a tool is declared wrongly, with a message that
     *         names the method and the rule; or when the object has no tool at all
     */
    public static List<ToolHandle> scan(Object toolObject) {
        Objects.requireNonNull(toolObject, "toolObject");
        List<ToolHandle> tools = new ArrayList<>();
        for (Method method : toolMethods(toolObject.getClass())) {
            tools.add(MethodToolFactory.create(toolObject, method));
        }
        if (tools.isEmpty()) {
            throw new IllegalArgumentException(toolObject.getClass().getName() + " has no @Tool methods"
                    + foreignToolAnnotationHint(toolObject.getClass()));
        }
        tools.sort(Comparator.comparing(ToolHandle::name));
        requireUniqueNames(tools, toolObject.getClass());
        return List.copyOf(tools);
    }

    /**
     * The most specific annotated declaration of each method signature. An override without
     * the annotation does not hide the tool: annotations on methods are not inherited by
     * Java, but a proxy that overrides every method must not make tools disappear.
     */
    private static List<Method> toolMethods(Class<?> type) {
        Map<String, Method> bySignature = new LinkedHashMap<>();
        Deque<Class<?>> pending = new ArrayDeque<>(List.of(type));
        Set<Class<?>> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Class<?> current = pending.poll();
            if (current == Object.class || !seen.add(current)) {
                continue;
            }
            Method[] declared = current.getDeclaredMethods();
            Arrays.sort(declared, Comparator.comparing(Method::toGenericString));
            for (Method method : declared) {
                if (method.isAnnotationPresent(Tool.class) && !method.isBridge() && !method.isSynthetic()) {
                    bySignature.putIfAbsent(signature(method), method);
                }
            }
            if (current.getSuperclass() != null) {
                pending.add(current.getSuperclass());
            }
            pending.addAll(List.of(current.getInterfaces()));
        }
        return new ArrayList<>(bySignature.values());
    }

    /**
     * A plugin jar that bundles its own copy of the SDK, loaded child-first, carries a
     * {@code @Tool} that is a different class from ours: its tools would silently vanish.
     */
    private static String foreignToolAnnotationHint(Class<?> type) {
        for (Method method : type.getMethods()) {
            for (Annotation annotation : method.getAnnotations()) {
                Class<?> annotationType = annotation.annotationType();
                if (annotationType != Tool.class && annotationType.getName().equals(Tool.class.getName())) {
                    return "; its methods are annotated with a copy of @Tool from another class loader:"
                            + " do not bundle berth-tool-sdk in plugin jars (use the provided scope)";
                }
            }
        }
        return "";
    }

    private static String signature(Method method) {
        return method.getName() + Arrays.toString(method.getParameterTypes());
    }

    private static void requireUniqueNames(List<ToolHandle> sortedTools, Class<?> type) {
        for (int i = 1; i < sortedTools.size(); i++) {
            if (sortedTools.get(i).name().equals(sortedTools.get(i - 1).name())) {
                throw new IllegalArgumentException(type.getName() + ": two @Tool methods are named '"
                        + sortedTools.get(i).name() + "'; set @Tool(name = ...) on one of them");
            }
        }
    }
}
