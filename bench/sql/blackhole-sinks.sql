-- Bench-only init part, run after sinks.sql: the sink tables with the same schema, writing nowhere, so
-- a run measures the pipeline without Elasticsearch. Temporary tables shadow the catalog's.
CREATE TEMPORARY TABLE trace_summaries WITH ('connector' = 'blackhole') LIKE trace_summaries (EXCLUDING OPTIONS);
CREATE TEMPORARY TABLE trace_features WITH ('connector' = 'blackhole') LIKE trace_features (EXCLUDING OPTIONS);
CREATE TEMPORARY TABLE trace_critical_path WITH ('connector' = 'blackhole') LIKE trace_critical_path (EXCLUDING OPTIONS);
