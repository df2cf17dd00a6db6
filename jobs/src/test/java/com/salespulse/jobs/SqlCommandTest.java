package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `salespulse sql` loads for a statement (only the warehouse tables it names), how it prints a
 * result, and what an analyst sees when a statement fails.
 */
class SqlCommandTest {

  @TempDir
  Path tmp;

  static final List<String> TABLES = List.of("dim_teams", "dim_users", "fct_activities",
      "fct_activity_opportunity_credits", "fct_rep_performance", "stg_crm__users", "stg_crm__user_versions");

  @Test
  void aStatementLoadsOnlyTheTablesItNames() {
    assertThat(SqlCommand.referenced("SELECT activity_type, count(*) FROM fct_activities GROUP BY 1", TABLES))
        .as("one table; a longer name sharing its prefix is not loaded").containsExactly("fct_activities");
    assertThat(SqlCommand.referenced("""
        select r.user_id, u.full_name from FCT_REP_PERFORMANCE r
        join dim_users u on u.user_id = r.user_id
        where r.team_node_id in (select team_node_id from dim_teams)""", TABLES))
        .as("joins and subqueries, in any case").containsExactlyInAnyOrder("fct_rep_performance", "dim_users",
            "dim_teams");
    assertThat(SqlCommand.referenced("SELECT * FROM stg_crm__user_versions", TABLES))
        .as("stg_crm__users is a prefix of another table, not named here").containsExactly("stg_crm__user_versions");
    assertThat(SqlCommand.referenced("SELECT 1", TABLES)).as("no table").isEmpty();
  }

  @Test
  void aScriptSplitsOnSemicolonsOutsideQuotesAndComments() {
    assertThat(SqlCommand.statements("-- a comment; still a comment\nSELECT ';' AS s;\n\nSELECT 2;"))
        .as("statements").hasSize(2);
  }

  @Test
  void aResultNamingTwoColumnsAlikeIsPrintedByPosition() {
    String out = TestSupport.stdout("sql", "--warehouse", TestSupport.uri(tmp.resolve("warehouse")), "-e",
        "SELECT 1 AS x, 'a,b' AS x, CAST(NULL AS INT) AS y, array(1, 2) AS z");
    assertThat(out.lines().toList()).as("header and row, columns by position, CSV-quoted, null empty, arrays as JSON")
        .containsExactly("x,x,y,z", "1,\"a,b\",,\"[1,2]\"");
  }

  @Test
  void aStatementThatCannotRunFailsWithItsOwnErrorAndExitCode() {
    String warehouse = TestSupport.uri(tmp.resolve("warehouse"));
    TestSupport.run(ExitCode.USAGE, "sql", "--warehouse", warehouse, "-e", "SELECT no_such_column");
    TestSupport.run(ExitCode.USAGE, "sql", "--warehouse", warehouse, "-e", "SELEC 1");
    TestSupport.run(ExitCode.FAILURE, "sql", "--warehouse", warehouse, "-e", "SELECT 1 / 0");

    Exception unresolved = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> TestSupport.spark().sql("SELECT no_such_column"));
    RuntimeException e = SqlCommand.statementError(unresolved);
    assertThat(e).as("an unknown column: the analyst's to fix").isInstanceOf(SalesPulseException.class);
    assertThat(((SalesPulseException) e).exitCode()).as("its exit code").isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage()).as("Spark's own words, after ours")
        .startsWith("Cannot run the statement: [UNRESOLVED_COLUMN").contains("no_such_column");
    IllegalStateException internal = new IllegalStateException("not the statement's fault");
    assertThat(SqlCommand.statementError(internal)).as("anything else, as it came").isSameAs(internal);
  }
}
