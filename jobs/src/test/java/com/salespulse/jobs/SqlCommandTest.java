package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What `salespulse sql` loads for a statement: only the warehouse tables it names. */
class SqlCommandTest {

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
}
