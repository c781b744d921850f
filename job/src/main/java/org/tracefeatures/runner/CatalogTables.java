package org.tracefeatures.runner;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.ObjectIdentifier;

/** The connector options of the tables (not views) that the init parts declared, as the catalog holds them. */
final class CatalogTables {
    private CatalogTables() {}

    /** Table name to its options (after LIKE, so with what the environment part gave), in the catalog's order. */
    static Map<String, Map<String, String>> options(TableEnvironment tableEnv) {
        CatalogManager catalogs = ((TableEnvironmentInternal) tableEnv).getCatalogManager();
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        for (String table : tableEnv.listTables()) {
            ObjectIdentifier identifier =
                    ObjectIdentifier.of(catalogs.getCurrentCatalog(), catalogs.getCurrentDatabase(), table);
            catalogs.getTable(identifier)
                    .<CatalogBaseTable>map(resolved -> resolved.getTable())
                    .filter(base -> base.getTableKind() == CatalogBaseTable.TableKind.TABLE)
                    .ifPresent(base -> tables.put(table, base.getOptions()));
        }
        return tables;
    }
}
