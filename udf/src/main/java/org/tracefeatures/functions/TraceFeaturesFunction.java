package org.tracefeatures.functions;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;
import org.apache.flink.types.Row;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;
import org.tracefeatures.trace.features.TraceFeatures;

/**
 * {@code LATERAL TABLE(TRACE_FEATURES(spans))}: one row with every feature of the trace (see
 * {@link TraceFeatures} for the definitions). A table function, so that a query selecting twenty
 * features computes them once per trace, not once per column.
 *
 * <p>The row's columns are {@link TraceFeatures}' fields, in their order and under their names, each read with its
 * getter: a feature added there is a column here, with no type to write twice.
 */
public class TraceFeaturesFunction extends TableFunction<Row> {
    /** TraceFeatures' features, in the order of its fields. */
    static final List<Column> COLUMNS = columns();

    /** One column: its name, its SQL type and the getter that reads it. */
    record Column(String name, DataType type, Method getter) {}

    public void eval(Span[] spans) {
        TraceFeatures features = TraceFeatures.of(Trace.of(Arrays.asList(spans)));
        Object[] values = new Object[COLUMNS.size()];
        for (int i = 0; i < values.length; i++) {
            Object value = read(COLUMNS.get(i).getter(), features);
            values[i] = value instanceof List<?> list ? list.toArray(new String[0]) : value;
        }
        collect(Row.of(values));
    }

    /** One argument, the trace's spans; the output is the row of {@link #COLUMNS}. */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        DataType spans = typeFactory.createDataType(Span[].class);
        return TypeInference.newBuilder()
                .typedArguments(spans)
                .inputTypeStrategy(InputTypeStrategies.sequence(InputTypeStrategies.explicit(spans)))
                .outputTypeStrategy(TypeStrategies.explicit(rowType()))
                .build();
    }

    /** {@code ROW<rootService STRING, rootOperation STRING, ...>}, the type of the function's rows. */
    static DataType rowType() {
        return DataTypes.ROW(COLUMNS.stream()
                .map(column -> DataTypes.FIELD(column.name(), column.type()))
                .toArray(DataTypes.Field[]::new));
    }

    private static Object read(Method getter, TraceFeatures features) {
        try {
            return getter.invoke(features);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Could not read " + getter.getName() + " of the trace's features", e);
        }
    }

    private static List<Column> columns() {
        List<Column> columns = new ArrayList<>();
        for (Field field : TraceFeatures.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            String name = field.getName();
            String getter = "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
            try {
                columns.add(new Column(name, sqlType(field.getGenericType()), TraceFeatures.class.getMethod(getter)));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("TraceFeatures." + name + " has no public " + getter + "()", e);
            }
        }
        return List.copyOf(columns);
    }

    /** The SQL type of a feature's Java type; every column is nullable, as the sink tables declare them. */
    private static DataType sqlType(Type type) {
        if (type == String.class) {
            return DataTypes.STRING();
        } else if (type == int.class || type == Integer.class) {
            return DataTypes.INT();
        } else if (type == long.class || type == Long.class) {
            return DataTypes.BIGINT();
        } else if (type == double.class || type == Double.class) {
            return DataTypes.DOUBLE();
        } else if (type instanceof ParameterizedType generic) {
            Type[] arguments = generic.getActualTypeArguments();
            if (generic.getRawType() == List.class && arguments[0] == String.class) {
                return DataTypes.ARRAY(DataTypes.STRING());
            } else if (generic.getRawType() == Map.class) {
                return DataTypes.MAP(sqlType(arguments[0]), sqlType(arguments[1]));
            }
        }
        throw new IllegalStateException("TraceFeatures has a feature of type " + type.getTypeName()
                + ", which TRACE_FEATURES does not map to SQL: add it to TraceFeaturesFunction.sqlType");
    }
}
