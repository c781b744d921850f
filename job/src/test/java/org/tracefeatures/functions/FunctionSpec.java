package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.runtime.typeutils.ExternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.tracefeatures.runner.SqlScripts;
import org.tracefeatures.runner.SqlStatements;

/**
 * One case of a function run through the planner, as Flink's BuiltInFunctionTestBase runs its functions from
 * one spec: input rows of a declared row type, a query over the view {@code input}, the rows it must give.
 *
 * <p>{@link #run()} creates a streaming table environment of parallelism 1, registers the project's
 * functions by running {@code sql/init/functions.sql} as the jobs do, makes {@code input} of the rows (a
 * bounded stream of the declared type, in the order given; with {@link #eventTime}, one whose rows carry
 * that column as their event time, in the column {@code rowtime}, for window TVFs), runs the query and
 * compares what it collects with the expected rows, in any order unless {@link #expectInOrder} says
 * otherwise. An updating result (a GROUP BY without a window) is compared once all its changes are applied.
 */
final class FunctionSpec {
    private final String description;
    private String inputType;
    private final List<Row> input = new ArrayList<>();
    private String eventTimeColumn;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private String query;
    private final List<Row> expected = new ArrayList<>();
    private boolean ordered;

    private FunctionSpec(String description) {
        this.description = description;
    }

    static FunctionSpec spec(String description) {
        return new FunctionSpec(description);
    }

    /** The input rows, of a SQL row type such as {@code ROW<id INT, tags ARRAY<...>>}. */
    FunctionSpec input(String rowType, Row... rows) {
        this.inputType = rowType;
        this.input.addAll(Arrays.asList(rows));
        return this;
    }

    /**
     * Makes the input an event-time stream, in the order of the rows: this BIGINT column (epoch milliseconds)
     * is each row's timestamp, readable as {@code rowtime TIMESTAMP_LTZ(3)}. No watermark passes before the
     * input ends, so every row is on time and windows fire only at the end.
     */
    FunctionSpec eventTime(String millisColumn) {
        this.eventTimeColumn = millisColumn;
        return this;
    }

    /** A configuration option, as a job script's SET statement sets it. */
    FunctionSpec set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** A query over {@code input}. */
    FunctionSpec query(String sql) {
        this.query = sql;
        return this;
    }

    /** Expressions over {@code input}: {@code SELECT <expressions> FROM input}. */
    FunctionSpec select(String expressions) {
        return query("SELECT " + expressions + " FROM input");
    }

    FunctionSpec expect(Row... rows) {
        expected.addAll(Arrays.asList(rows));
        return this;
    }

    FunctionSpec expectInOrder(Row... rows) {
        ordered = true;
        return expect(rows);
    }

    @Override
    public String toString() {
        return description;
    }

    void run() throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        StreamTableEnvironment tableEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        settings.forEach((key, value) -> tableEnv.getConfig().set(key, value));
        for (String statement : SqlStatements.split(SqlScripts.read("init/functions.sql"))) {
            tableEnv.executeSql(statement);
        }
        tableEnv.createTemporaryView("input", inputTable(env, tableEnv));

        List<Row> actual = collect(tableEnv.sqlQuery(query));

        if (ordered) {
            assertThat(actual).as(description).containsExactlyElementsOf(expected);
        } else {
            assertThat(actual).as(description).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /**
     * The rows as a bounded stream of the declared type. Not {@code fromValues}: it makes each value a literal and
     * cannot find a type for nested rows with NULL fields (Jaeger's JSON leaves proto3's defaults out), nor give an
     * empty array; and like the jobs' sources, a stream hands the query Flink's internal data, not literals.
     */
    private Table inputTable(StreamExecutionEnvironment env, StreamTableEnvironment tableEnv) {
        DataType rowType = TypeConversions.fromLogicalToDataType(
                LogicalTypeParser.parse(inputType, FunctionSpec.class.getClassLoader()));
        DataStream<Row> rows = env.fromData(input, ExternalTypeInfo.of(rowType));
        if (eventTimeColumn == null) {
            return tableEnv.fromDataStream(rows);
        }
        int millis = ((RowType) rowType.getLogicalType()).getFieldIndex(eventTimeColumn);
        if (millis < 0) {
            throw new IllegalArgumentException("No column " + eventTimeColumn + " in " + inputType);
        }
        DataStream<Row> timed = rows.assignTimestampsAndWatermarks(WatermarkStrategy.<Row>noWatermarks()
                .withTimestampAssigner((row, previous) -> (Long) row.getField(millis)));
        return tableEnv.fromDataStream(
                timed,
                Schema.newBuilder()
                        .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                        .watermark("rowtime", "SOURCE_WATERMARK()")
                        .build());
    }

    /** The rows of the result with every change applied: an update or delete takes back a row given before. */
    private static List<Row> collect(Table result) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> changes = result.execute().collect()) {
            while (changes.hasNext()) {
                Row change = changes.next();
                RowKind kind = change.getKind();
                Row row = Row.copy(change);
                row.setKind(RowKind.INSERT);
                if (kind == RowKind.INSERT || kind == RowKind.UPDATE_AFTER) {
                    rows.add(row);
                } else if (!rows.remove(row)) {
                    throw new AssertionError(kind + " of a row the result does not have: " + row + " in " + rows);
                }
            }
        }
        return rows;
    }
}
