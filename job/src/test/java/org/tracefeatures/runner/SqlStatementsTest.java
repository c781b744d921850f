package org.tracefeatures.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlStatementsTest {
    @Test
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        String script = "-- a comment; not a statement end\n"
                + "SET 'k' = 'a;b';\n"
                + "CREATE VIEW `v;1` AS SELECT 'it''s; fine' AS s /* ; */ FROM t;\n"
                + "/* trailing comment */\n"
                + "INSERT INTO x SELECT * FROM y";

        assertThat(SqlStatements.split(script))
                .containsExactly(
                        "-- a comment; not a statement end\nSET 'k' = 'a;b'",
                        "CREATE VIEW `v;1` AS SELECT 'it''s; fine' AS s /* ; */ FROM t",
                        "/* trailing comment */\nINSERT INTO x SELECT * FROM y");
    }

    @Test
    void commentOnlyAndEmptyPiecesAreDropped() {
        assertThat(SqlStatements.split("-- nothing\n;\n;  ;\n/* x */")).isEmpty();
    }

    @Test
    void aStatementSetIsOneStatement() {
        String script =
                "EXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT 1;\n  INSERT INTO b SELECT 2;\nEND;\nSELECT 3;";

        assertThat(SqlStatements.split(script))
                .containsExactly(
                        "EXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT 1;\n  INSERT INTO b SELECT 2;\nEND",
                        "SELECT 3");
    }
}
