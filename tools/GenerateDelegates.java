import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Writes the plumbing half of Pool's JDBC handles: one abstract {@code *Delegate} class per JDBC
 * interface in pool-core/src/main/java/dev/pool/jdbc, whose every method checks the handle, calls the
 * driver's object and lets the handle inspect any error. The behaviour (closing, tracking, wrapping,
 * session state) is hand-written in the {@code *Handle} classes; the methods they own are left
 * abstract here. Parameter names come from the parameter types ({@code int intValue},
 * {@code String string}, {@code int[] ints}, repeated ones numbered): the JDK's class files carry no
 * names, and its src.zip is not on every machine, so this way every JDK 17 or newer writes the same
 * files. pool-core's {@code GeneratedDelegatesTest} compiles this file, runs {@link #generateAll()}
 * and fails on any difference from the committed files.
 *
 * Run from the repository root with JDK 17 or newer: {@code java tools/GenerateDelegates.java}
 */
public class GenerateDelegates {

    /** Methods every handle writes itself. */
    static final Set<String> HAND_WRITTEN = Set.of("close", "isClosed", "unwrap", "isWrapperFor");

    record Spec(Class<?> type, String className, String typeParams, String superclass, String delegateType,
                Set<String> handWritten, boolean declaredOnly) {}

    /** Where the generated files live, from the repository root. */
    static final String OUTPUT = "pool-core/src/main/java/dev/pool/jdbc";

    public static void main(String[] args) throws IOException {
        Path out = Path.of(OUTPUT);
        for (Map.Entry<String, String> file : generateAll().entrySet()) {
            Files.writeString(out.resolve(file.getKey()), file.getValue());
        }
    }

    /** Every generated file: its name in {@link #OUTPUT} to its content. */
    public static Map<String, String> generateAll() {
        // JDK 17 decides the methods (the release we compile for); java.sql has not changed since JDBC 4.3 (JDK 9)
        List<Spec> specs = List.of(
                new Spec(Connection.class, "ConnectionDelegate", "", null, "Connection",
                        Set.of("setAutoCommit", "setReadOnly", "setTransactionIsolation", "setCatalog", "setSchema",
                                "setNetworkTimeout", "abort", "isValid", "setClientInfo"), false),
                new Spec(Statement.class, "StatementDelegate", "<S extends Statement>", null, "S",
                        Set.of("getConnection"), false),
                new Spec(PreparedStatement.class, "PreparedStatementDelegate", "<S extends PreparedStatement>",
                        "TrackedStatement<S>", "S", Set.of(), true),
                new Spec(CallableStatement.class, "CallableStatementDelegate", "",
                        "PreparedStatementDelegate<CallableStatement>", "CallableStatement", Set.of(), true),
                new Spec(DatabaseMetaData.class, "DatabaseMetaDataDelegate", "", null, "DatabaseMetaData",
                        Set.of("getConnection"), false),
                new Spec(ResultSet.class, "ResultSetDelegate", "", null, "ResultSet",
                        Set.of("getStatement"), false));
        Map<String, String> files = new TreeMap<>();
        for (Spec spec : specs) {
            files.put(spec.className + ".java", generate(spec));
        }
        return files;
    }

    private static final Set<String> KEYWORDS = Set.of("boolean", "byte", "char", "class", "double", "float", "int", "long", "short");

    /**
     * Names for a method's parameters from their types alone: the simple name with its leading
     * capitals lowered ({@code SQLType sqlType}, {@code NClob nClob}), {@code Value} added to a
     * keyword ({@code int intValue}), {@code s} to an array ({@code String[] strings}); a name that
     * occurs twice is numbered from 1 ({@code int intValue1, int intValue2}).
     */
    static List<String> parameterNames(Method method) {
        List<String> bases = new ArrayList<>();
        for (Class<?> type : method.getParameterTypes()) {
            bases.add(baseName(type));
        }
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String base : bases) {
            int n = seen.merge(base, 1, Integer::sum);
            names.add(Collections.frequency(bases, base) == 1 ? base : base + n);
        }
        return names;
    }

    static String baseName(Class<?> type) {
        if (type.isArray()) {
            return lowerLeadingCapitals(type.getComponentType().getSimpleName()) + "s";
        }
        String name = lowerLeadingCapitals(type.getSimpleName());
        return KEYWORDS.contains(name) ? name + "Value" : name;
    }

    static String lowerLeadingCapitals(String name) {
        int capitals = 0;
        while (capitals < name.length() && Character.isUpperCase(name.charAt(capitals))) {
            capitals++;
        }
        if (capitals == name.length()) {
            return name.toLowerCase(Locale.ROOT);
        }
        int lower = Math.max(1, capitals - 1); // SQLType: the T starts the next word
        return name.substring(0, lower).toLowerCase(Locale.ROOT) + name.substring(lower);
    }

    static String generate(Spec spec) {
        Set<String> imports = new TreeSet<>();
        imports.add("java.sql." + spec.type.getSimpleName());
        imports.add("java.sql.SQLException");
        StringBuilder body = new StringBuilder();
        boolean root = spec.superclass == null;
        boolean uncheckedUsed = false;
        Set<String> wrapped = new TreeSet<>();

        List<Method> methods = Arrays.stream(spec.declaredOnly ? spec.type.getDeclaredMethods() : spec.type.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getDeclaringClass() != Object.class)
                .filter(m -> spec.declaredOnly || m.getDeclaringClass() == spec.type || m.getDeclaringClass().getName().startsWith("java.sql"))
                .sorted(Comparator.comparing(Method::getName).thenComparing(m -> Arrays.toString(m.getParameterTypes())))
                .collect(Collectors.toList());
        Set<String> seen = new TreeSet<>();
        for (Method method : methods) {
            String signature = method.getName() + Arrays.toString(method.getParameterTypes());
            if (!seen.add(signature)) {
                continue;
            }
            if (HAND_WRITTEN.contains(method.getName()) || spec.handWritten.contains(method.getName())) {
                continue;
            }
            boolean throwsSql = Arrays.asList(method.getExceptionTypes()).contains(SQLException.class);
            if (!throwsSql && method.getExceptionTypes().length > 0) {
                throw new IllegalStateException("hand-write it: " + method);
            }
            List<String> names = parameterNames(method);
            StringBuilder params = new StringBuilder();
            StringBuilder call = new StringBuilder();
            Parameter[] parameters = method.getParameters();
            for (int i = 0; i < parameters.length; i++) {
                Type type = parameters[i].getParameterizedType();
                collectImports(type, imports);
                if (i > 0) {
                    params.append(", ");
                    call.append(", ");
                }
                String typeName = simpleName(type);
                if (method.isVarArgs() && i == parameters.length - 1) {
                    typeName = typeName.replaceFirst("\\[\\]$", "...");
                }
                params.append(typeName).append(' ').append(names.get(i));
                call.append(names.get(i));
            }
            Type returnType = method.getGenericReturnType();
            collectImports(returnType, imports);
            String returnName = simpleName(returnType);
            String typeVars = method.getTypeParameters().length == 0 ? "" : "<" + Arrays.stream(method.getTypeParameters())
                    .map(v -> v.getName()).collect(Collectors.joining(", ")) + "> ";
            String invocation = (throwsSql ? "delegate()." : "unchecked().") + method.getName() + "(" + call + ")";
            uncheckedUsed |= !throwsSql;
            Class<?> rt = method.getReturnType();
            if (rt == ResultSet.class || (spec.type == Connection.class
                    && (rt == Statement.class || rt == PreparedStatement.class || rt == CallableStatement.class || rt == DatabaseMetaData.class))) {
                invocation = "wrap(" + invocation + ")";
                wrapped.add(rt.getSimpleName());
                imports.add("java.sql." + rt.getSimpleName());
            }
            body.append("\n    @Override\n    public ").append(typeVars).append(returnName).append(' ').append(method.getName())
                    .append('(').append(params).append(')');
            if (throwsSql) {
                body.append(" throws SQLException {\n        ").append(spec.delegateType).append(" target = delegate();\n        try {\n            ")
                        .append(rt == void.class ? "" : "return ").append(invocation.replace("delegate().", "target.")).append(";\n")
                        .append("        } catch (SQLException e) {\n            throw inspect(e);\n        } finally {\n            exit();\n        }\n    }\n");
            } else {
                body.append(" {\n        ").append(rt == void.class ? "" : "return ").append(invocation).append(";\n    }\n");
            }
        }

        StringBuilder head = new StringBuilder();
        for (String type : wrapped) {
            head.append("\n    /** Wraps a ").append(type).append(" the driver returned, so the borrower never holds the raw one. */\n")
                    .append("    abstract ").append(type).append(" wrap(").append(type).append(" raw) throws SQLException;\n");
        }
        if (!root) {
            head.setLength(0); // the superclass declares the hooks
            head.append("\n    ").append(spec.className).append("(ConnectionHandle connection, ").append(spec.delegateType)
                    .append(" raw) {\n        super(connection, raw);\n    }\n");
        }
        if (uncheckedUsed) {
            head.insert(0, "\n    /** The driver's object, for the few methods that cannot throw SQLException (no check). */\n"
                    + "    abstract " + spec.delegateType + " unchecked();\n");
        }
        if (root) {
            head.insert(0, "\n    /** The driver's object, once the handle has checked it may still be used (else it throws). */\n"
                    + "    abstract " + spec.delegateType + " delegate() throws SQLException;\n"
                    + "\n    /** Marks the end of the call {@link #delegate()} began, so a call in progress is never taken for idleness. */\n"
                    + "    abstract void exit();\n"
                    + "\n    /** Looks at an error the driver raised (a connection-class SQLState marks the connection broken); returns it. */\n"
                    + "    abstract SQLException inspect(SQLException e);\n");
        }
        StringBuilder file = new StringBuilder();
        file.append("package dev.pool.jdbc;\n\n");
        for (String i : imports) {
            if (!i.startsWith("java.lang.") || i.lastIndexOf('.') != "java.lang".length()) {
                file.append("import ").append(i).append(";\n");
            }
        }
        file.append("\n/**\n * Plumbing for {@code ").append(spec.type.getSimpleName())
                .append("} handles: every method checks the handle, calls the driver, lets the handle inspect\n")
                .append(" * errors and marks the end of the call. Generated by {@code tools/GenerateDelegates.java}; do not edit, regenerate. The\n")
                .append(" * behaviour lives in the hand-written handle classes, which implement the abstract methods.\n */\n");
        file.append("abstract class ").append(spec.className).append(spec.typeParams);
        if (!root) {
            file.append(" extends ").append(spec.superclass);
        }
        file.append(" implements ").append(spec.type.getSimpleName()).append(" {\n");
        file.append(head).append(body).append("}\n");
        return file.toString();
    }

    static void collectImports(Type type, Set<String> imports) {
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (!c.isPrimitive() && !c.getPackageName().equals("java.lang")) {
                imports.add(c.getName().replace('$', '.'));
            }
        } else if (type instanceof java.lang.reflect.ParameterizedType p) {
            collectImports(p.getRawType(), imports);
            for (Type arg : p.getActualTypeArguments()) {
                collectImports(arg, imports);
            }
        } else if (type instanceof java.lang.reflect.WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                collectImports(b, imports);
            }
        }
    }

    static String simpleName(Type type) {
        if (type instanceof Class<?> c) {
            return c.isArray() ? simpleName(c.getComponentType()) + "[]" : c.getSimpleName();
        }
        if (type instanceof java.lang.reflect.ParameterizedType p) {
            return simpleName(p.getRawType()) + "<" + Arrays.stream(p.getActualTypeArguments())
                    .map(GenerateDelegates::simpleName).collect(Collectors.joining(", ")) + ">";
        }
        if (type instanceof java.lang.reflect.WildcardType w) {
            Type[] upper = w.getUpperBounds();
            return upper.length == 1 && upper[0] == Object.class ? "?" : "? extends " + simpleName(upper[0]);
        }
        return type.getTypeName();
    }
}
