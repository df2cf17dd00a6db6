package com.salespulse.transforms.reconcile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.transforms.TestSpark;
import com.salespulse.transforms.contract.ContractFixtures;
import com.salespulse.transforms.rollup.DimTeams;
import com.salespulse.transforms.rollup.FctRepPerformance;
import com.salespulse.transforms.rollup.FctTeamPerformance;
import com.salespulse.transforms.rollup.PerformanceEvents;
import com.salespulse.transforms.rollup.Periods;
import com.salespulse.transforms.rollup.RollupRules;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation on hand-built payouts, one line per case, "now" = 2026-03-31, default rules
 * (clawback 30 days, won-not-paid 45 days, period grace 15 days). Ana (005A) and Ben (005B) report
 * to Mo (005M, role RM); Xena (005X) left (inactive). Deals (USD):
 * D1 Ana's, won 02-03, 1000 · D2 Ben's, won 02-05, 2000, reopened 03-01 · D3 Ana's, won 02-10, 500,
 * reopened 03-02 and clawed back · D4 Ben's, open, closing 03-30 · D5 Ana's, won 02-12, 1000, split
 * Ana 60 / Ben 60 · D6 Ana's, won 01-20, 800, never paid · D7 Ben's, won 02-20, 700 · D8 Ana's, won
 * 02-25, 300, no activity (one faint secondary credit) · D9 Ana's, won 02-18, 900 · 006000000000010AAA
 * Ana's, won 02-16, 400, paid under its 15-character id. Every deal but D8 has one activity, by its owner.
 */
public class IncentiveReconciliationTest {

  static final LocalDate AS_OF = LocalDate.parse("2026-03-31");
  static final ReconcileRules RULES = ReconcileRules.from(com.salespulse.transforms.TestRules.defaults());
  static Dataset<Row> payouts;
  static Dataset<Row> lines;
  static Dataset<Row> exceptions;
  static Dataset<Row> table;
  static Dataset<Row> rep;
  static Dataset<Row> reconciliation;
  static Dataset<Row> opportunityVersions;
  static Dataset<Row> splits;
  static Dataset<Row> users;
  static Dataset<Row> teams;
  static Dataset<Row> team;
  static Dataset<Row> activities;
  static Dataset<Row> credits;

  static Dataset<Row> sql(String q) {
    return TestSpark.get().sql(q);
  }

  /** Builds the hand-built payouts' reconciliation once per JVM (the table contract test reads it too). */
  @BeforeAll
  public static synchronized void build() {
    if (reconciliation != null) {
      return;
    }
    Dataset<Row> userVersions = sql("SELECT user_id, full_name, is_active, manager_user_id, user_role_id, "
        + "TIMESTAMP'2025-12-01 00:00:00' AS valid_from, CAST(NULL AS TIMESTAMP) AS valid_to, true AS is_current FROM VALUES "
        + "('005M', 'Mo', true, NULL, 'RM'), ('005A', 'Ana', true, '005M', 'RREP'), ('005B', 'Ben', true, '005M', 'RREP'), "
        + "('005X', 'Xena', false, '005M', 'RREP') AS t(user_id, full_name, is_active, manager_user_id, user_role_id)");
    Dataset<Row> roles = sql("SELECT * FROM VALUES ('RM', 'East', NULL), ('RREP', 'East AEs', 'RM') "
        + "AS t(user_role_id, role_name, parent_role_id)");
    opportunityVersions = sql("SELECT opportunity_id, 'ACC' AS account_id, owner_user_id, stage_name, "
        + "CAST(amount AS DECIMAL(18,2)) amount, 'USD' AS currency_code, CAST(close_date AS DATE) close_date, "
        + "stage_name LIKE 'Closed%' AS is_closed, stage_name = 'Closed Won' AS is_won, "
        + "TIMESTAMP'2026-01-02 10:00:00' AS created_at, false AS is_deleted, CAST(valid_from AS TIMESTAMP) valid_from, "
        + "CAST(valid_to AS TIMESTAMP) valid_to, valid_to IS NULL AS is_current FROM VALUES "
        + "('D1', '005A', 'Proposal', 1000, '2026-02-28', '2026-01-02 10:00:00', '2026-02-03 12:00:00'), "
        + "('D1', '005A', 'Closed Won', 1000, '2026-02-03', '2026-02-03 12:00:00', NULL), "
        + "('D2', '005B', 'Closed Won', 2000, '2026-02-05', '2026-02-05 12:00:00', '2026-03-01 12:00:00'), "
        + "('D2', '005B', 'Negotiation', 2000, '2026-02-05', '2026-03-01 12:00:00', NULL), "
        + "('D3', '005A', 'Closed Won', 500, '2026-02-10', '2026-02-10 12:00:00', '2026-03-02 12:00:00'), "
        + "('D3', '005A', 'Negotiation', 500, '2026-02-10', '2026-03-02 12:00:00', NULL), "
        + "('D4', '005B', 'Proposal', 4000, '2026-03-30', '2026-01-02 10:00:00', NULL), "
        + "('D5', '005A', 'Closed Won', 1000, '2026-02-12', '2026-02-12 12:00:00', NULL), "
        + "('D6', '005A', 'Closed Won', 800, '2026-01-20', '2026-01-20 12:00:00', NULL), "
        + "('D7', '005B', 'Closed Won', 700, '2026-02-20', '2026-02-20 12:00:00', NULL), "
        + "('D8', '005A', 'Closed Won', 300, '2026-02-25', '2026-02-25 12:00:00', NULL), "
        + "('D9', '005A', 'Closed Won', 900, '2026-02-18', '2026-02-18 12:00:00', NULL), "
        + "('006000000000010AAA', '005A', 'Closed Won', 400, '2026-02-16', '2026-02-16 12:00:00', NULL) "
        + "AS t(opportunity_id, owner_user_id, stage_name, amount, close_date, valid_from, valid_to)");
    splits = sql("SELECT opportunity_split_id, 'D5' AS opportunity_id, split_owner_user_id, "
        + "CAST(split_percentage AS DECIMAL(7,4)) split_percentage, false AS is_deleted FROM VALUES "
        + "('S1', '005A', 60), ('S2', '005B', 60) AS t(opportunity_split_id, split_owner_user_id, split_percentage)");
    activities = sql("SELECT activity_id, 'email' AS activity_type, 'outbound' AS direction, "
        + "CAST(occurred_at AS TIMESTAMP) occurred_at, CAST(substr(occurred_at, 1, 10) AS DATE) activity_date, user_id, "
        + "'ACC' AS account_id, opportunity_id, CAST(NULL AS INT) duration_seconds, CAST(NULL AS STRING) call_disposition "
        + "FROM VALUES ('A1', '005A', 'D1', '2026-02-01 10:00:00'), ('A2', '005B', 'D2', '2026-02-02 10:00:00'), "
        + "('A3', '005A', 'D3', '2026-02-03 10:00:00'), ('A4', '005B', 'D4', '2026-02-04 10:00:00'), "
        + "('A5', '005A', 'D5', '2026-02-05 10:00:00'), ('A6', '005A', 'D6', '2026-01-06 10:00:00'), "
        + "('A7', '005B', 'D7', '2026-02-07 10:00:00'), ('A9', '005A', 'D9', '2026-02-09 10:00:00'), "
        + "('A10', '005A', '006000000000010AAA', '2026-02-10 10:00:00') "
        + "AS t(activity_id, user_id, opportunity_id, occurred_at)");
    // each activity is its deal's, and A1 also leaves a faint secondary credit on D8 (not work on D8)
    credits = activities.select(col("activity_id"), col("opportunity_id"), col("activity_date"),
            org.apache.spark.sql.functions.lit(1.0).as("credit_weight"), org.apache.spark.sql.functions.lit(true).as("is_primary"))
        .unionByName(sql("SELECT 'A1' AS activity_id, 'D8' AS opportunity_id, DATE'2026-02-01' AS activity_date, "
            + "0.2D AS credit_weight, false AS is_primary"));
    payouts = sql("SELECT payout_id, payee_user_id, CAST(period_start_date AS DATE) period_start_date, "
        + "CAST(period_end_date AS DATE) period_end_date, component, opportunity_id, CAST(amount AS DECIMAL(18,2)) amount, "
        + "currency_code, CAST(paid_date AS DATE) paid_date, "
        + "CASE WHEN payout_id = 'P9' THEN array('h1', 'h2') ELSE array('h') END AS content_hashes FROM VALUES "
        + "('P1', '005A', '2026-02-01', '2026-02-28', 'commission', 'D1', 100, 'USD', '2026-02-15'), "
        + "('P1dup', '005A', '2026-02-01', '2026-02-28', 'commission', 'D1', 100, 'USD', '2026-03-15'), "
        + "('P2', '005B', '2026-02-01', '2026-02-28', 'commission', 'D2', 200, 'USD', '2026-02-15'), "
        + "('P3', '005A', '2026-02-01', '2026-02-28', 'commission', 'D3', 50, 'USD', '2026-02-15'), "
        + "('P3c', '005A', '2026-03-01', '2026-03-31', 'clawback', 'D3', -50, 'USD', '2026-03-05'), "
        + "('P4', '005B', '2026-03-01', '2026-03-31', 'commission', 'D4', 400, 'USD', '2026-03-10'), "
        + "('P5a', '005A', '2026-02-01', '2026-02-28', 'commission', 'D5', 60, 'USD', '2026-02-20'), "
        + "('P5b', '005B', '2026-02-01', '2026-02-28', 'commission', 'D5', 60, 'USD', '2026-02-20'), "
        + "('P7', '005B', '2026-01-01', '2026-01-31', 'commission', 'D7', 70, 'USD', '2026-02-25'), "
        + "('P8', '005B', '2026-02-01', '2026-02-28', 'commission', 'D8', 30, 'USD', '2026-03-05'), "
        + "('P9', '005A', '2026-02-01', '2026-02-28', 'spiff', 'D1', 250, 'USD', '2026-02-15'), "
        + "('P10', '005A', '2026-02-01', '2026-02-28', 'commission', 'DZZ', 500, 'USD', '2026-02-15'), "
        + "('P11', '005Q', '2026-02-01', '2026-02-28', 'bonus', NULL, 1000, 'USD', '2026-02-28'), "
        + "('P12', '005X', '2026-02-01', '2026-02-28', 'bonus', NULL, 300, 'USD', '2026-02-28'), "
        + "('P13', '005B', '2026-03-01', '2026-03-31', 'clawback', 'D1', -100, 'USD', '2026-03-10'), "
        + "('P14', '005A', '2026-02-01', '2026-02-28', 'commission', 'D9', 90, 'EUR', '2026-02-25'), "
        + "('P15', '005B', '2026-02-01', '2026-02-28', 'draw', NULL, 300, 'USD', '2026-02-28'), "
        + "('P16', '005A', '2026-02-01', '2026-02-28', 'commission', '006000000000010', 40, 'USD', '2026-02-20') "
        + "AS t(payout_id, payee_user_id, period_start_date, period_end_date, component, opportunity_id, amount, "
        + "currency_code, paid_date)");

    lines = FctIncentivePayouts.lines(payouts, opportunityVersions, splits, userVersions, activities, credits, AS_OF, RULES)
        .localCheckpoint();
    exceptions = FctIncentiveExceptions.apply(lines, opportunityVersions, splits, AS_OF, RULES, "r").localCheckpoint();
    table = FctIncentivePayouts.apply(lines, exceptions, "r").localCheckpoint();

    RollupRules rollup = RollupRules.from(com.salespulse.transforms.TestRules.defaults());
    Dataset<Row> stageHistory = sql("SELECT 'x' AS opportunity_id, true AS is_advance, "
        + "TIMESTAMP'2026-01-01 00:00:00' AS entered_at, DATE'2026-01-01' AS entered_date WHERE false");
    Dataset<Row> quotas = sql("SELECT quota_owner_user_id, DATE'2026-01-01' AS period_start_date, "
        + "CAST(5000 AS DECIMAL(18,2)) quota_amount FROM VALUES ('005A'), ('005B') AS t(quota_owner_user_id)");
    teams = DimTeams.apply(userVersions, roles, DimTeams.levels(DimTeams.roleEdges(roles).collectAsList(),
        DimTeams.managerEdges(userVersions).collectAsList()));
    Dataset<Row> events = PerformanceEvents.apply(activities, credits, opportunityVersions, stageHistory, splits, quotas,
        rollup);
    Dataset<Row> periods = events.select(org.apache.spark.sql.functions.explode(Periods.all(col("event_date"), 1)).as("p"))
        .select(col("p.period_type").as("period_type"), col("p.period_start").as("period_start")).distinct();
    rep = FctRepPerformance.apply(events, periods, userVersions, opportunityVersions.where(col("is_current")), AS_OF,
        rollup, "r").localCheckpoint();
    team = FctTeamPerformance.apply(events, periods, teams, rep, rollup, "r");
    users = userVersions;
    reconciliation = FctIncentiveReconciliation.apply(table, exceptions, rep, team, teams, userVersions, RULES, "r").localCheckpoint();
    ContractFixtures.register(FctIncentivePayouts.NAME, table);
    ContractFixtures.register(FctIncentiveExceptions.NAME, exceptions);
    ContractFixtures.register(FctIncentiveReconciliation.NAME, reconciliation);
  }

  static Map<String, Set<String>> codesByLine() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Row r : exceptions.collectAsList()) {
      String key = r.getAs("payout_id") == null
          ? r.getAs("opportunity_id") + "/" + r.getAs("payee_user_id") : r.getAs("payout_id");
      out.computeIfAbsent(key, k -> new TreeSet<>()).add(r.getAs("exception_code"));
    }
    return out;
  }

  static Row exception(String payoutId, String code) {
    List<Row> r = exceptions.where(col("payout_id").equalTo(payoutId).and(col("exception_code").equalTo(code)))
        .collectAsList();
    assertThat(r).as("one %s exception for %s", code, payoutId).hasSize(1);
    return r.get(0);
  }

  @Test
  void everyCodeIsRaisedOnItsLineAndCleanLinesRaiseNothing() {
    Map<String, Set<String>> found = codesByLine();
    assertThat(found).as("exception codes by payout line (won_not_paid by deal/person)").isEqualTo(Map.ofEntries(
        Map.entry("P1dup", Set.of("duplicate_payout")),
        Map.entry("P2", Set.of("missing_clawback")),
        Map.entry("P4", Set.of("paid_not_won")),
        Map.entry("P5a", Set.of("credit_over_100")),
        Map.entry("P5b", Set.of("credit_over_100", "payee_without_activity")),
        Map.entry("P7", Set.of("out_of_period")),
        Map.entry("P8", Set.of("payee_not_credited", "deal_without_activity")),
        Map.entry("P9", Set.of("duplicate_payout")),
        Map.entry("P10", Set.of("unknown_deal")),
        Map.entry("P11", Set.of("unknown_payee")),
        Map.entry("P12", Set.of("inactive_payee")),
        Map.entry("P13", Set.of("clawback_without_payout")),
        Map.entry("P14", Set.of("currency_mismatch")),
        Map.entry("D6/005A", Set.of("won_not_paid"))));
    assertThat(found.keySet()).as("clean lines: paid on a won deal once, a clawed-back deal, a period-level draw, "
        + "a deal named by its 15-character Salesforce id").doesNotContain("P1", "P3", "P3c", "P15", "P16");
    assertThat(table.where(col("payout_id").equalTo("P16")).first().<String>getAs("opportunity_id"))
        .as("the short id resolved to the CRM's").isEqualTo("006000000000010AAA");
    assertThat(exceptions.select("exception_code").distinct().count()).as("all codes covered")
        .isEqualTo(FctIncentiveExceptions.SEVERITY.size());
    assertThat(exceptions.select("exception_id").distinct().count()).as("exception_id is unique")
        .isEqualTo(exceptions.count());
  }

  @Test
  void exceptionsCarryTheirSeverityAmountAtRiskAndEvidence() {
    assertThat(exception("P1dup", "duplicate_payout").<String>getAs("related_payout_id")).as("repeats P1").isEqualTo("P1");
    assertThat(exception("P1dup", "duplicate_payout").<String>getAs("severity")).isEqualTo("high");
    assertThat(exception("P5a", "credit_over_100").<BigDecimal>getAs("amount_at_risk"))
        .as("the share above 100%: 60 - 60 * 100 / 120").isEqualByComparingTo("10.00");
    assertThat(exception("P13", "clawback_without_payout").<BigDecimal>getAs("amount_at_risk"))
        .as("money taken back").isEqualByComparingTo("100.00");
    assertThat(exception("P4", "paid_not_won").<String>getAs("evidence")).as("stage at paid")
        .isEqualTo("stage on 2026-03-10: Proposal");
    assertThat(exception("P2", "missing_clawback").<String>getAs("evidence"))
        .contains("left Closed Won on 2026-03-01");
    assertThat(exception("P8", "deal_without_activity").<String>getAs("severity")).isEqualTo("medium");
    assertThat(exception("P12", "inactive_payee").<String>getAs("severity")).isEqualTo("info");
    Row unpaid = exceptions.where(col("exception_code").equalTo("won_not_paid")).first();
    assertThat(unpaid.<String>getAs("payout_id")).as("a missing line has no payout id").isNull();
    assertThat(unpaid.<Object>getAs("amount_at_risk")).as("commission owed is not known").isNull();
  }

  @Test
  void aClawbackAfterTheGracePeriodIsMissingOnlyOnceTheGracePeriodEnded() {
    Dataset<Row> early = FctIncentiveExceptions.apply(lines, opportunityVersions, splits,
        LocalDate.parse("2026-03-20"), RULES, "r");
    assertThat(early.where(col("exception_code").equalTo("missing_clawback")).count())
        .as("on 03-20 the deal left Closed Won only 19 days ago (grace 30)").isZero();
  }

  @Test
  void payoutLinesShowTheDealAtPaidAndNowAndTheCreditAndWorkBehindThem() {
    Row p2 = table.where(col("payout_id").equalTo("P2")).first();
    assertThat(p2.<Boolean>getAs("is_deal_won_at_paid")).as("won when paid").isTrue();
    assertThat(p2.<Boolean>getAs("is_deal_won")).as("not won now").isFalse();
    assertThat(p2.<String>getAs("deal_stage_name")).isEqualTo("Negotiation");
    assertThat(p2.<Long>getAs("exception_count")).isEqualTo(1L);
    assertThat(p2.<String>getAs("max_severity")).isEqualTo("high");
    Row p5b = table.where(col("payout_id").equalTo("P5b")).first();
    assertThat(p5b.<Double>getAs("payee_credit_share")).as("60 of 120").isEqualTo(0.5);
    assertThat(p5b.<BigDecimal>getAs("split_percentage_total")).isEqualByComparingTo("120");
    assertThat(p5b.<Long>getAs("payee_activity_count")).isZero();
    assertThat(p5b.<Long>getAs("deal_activity_count")).isEqualTo(1L);
    Row p1 = table.where(col("payout_id").equalTo("P1")).first();
    assertThat(p1.<Double>getAs("payee_credit_share")).as("the closing owner without splits").isEqualTo(1.0);
    assertThat(p1.<Long>getAs("exception_count")).isZero();
    assertThat(p1.<String>getAs("max_severity")).isNull();
    assertThat(table.count()).as("one row per payout line").isEqualTo(payouts.count());
  }

  @Test
  void totalsTieToTheCentAndResultsAreTheRollupsOwn() {
    for (String type : List.of("month", "quarter")) {
      BigDecimal paid = reconciliation.where(col("hierarchy").equalTo("payee").and(col("period_type").equalTo(type)))
          .agg(sum("net_paid")).first().getDecimal(0);
      assertThat(paid).as("%s: payee rows add up to the staged lines", type)
          .isEqualByComparingTo(payouts.agg(sum("amount")).first().getDecimal(0));
    }
    Row ana = reconciliation.where(col("hierarchy").equalTo("payee").and(col("node_id").equalTo("005A"))
        .and(col("period_type").equalTo("quarter")).and(col("period_start").equalTo("2026-01-01"))).first();
    Row anaRep = rep.where(col("user_id").equalTo("005A").and(col("period_type").equalTo("quarter"))
        .and(col("period_start").equalTo("2026-01-01"))).first();
    assertThat(ana.<BigDecimal>getAs("credited_won_amount")).as("credited won = fct_rep_performance.won_amount")
        .isEqualByComparingTo(anaRep.<BigDecimal>getAs("won_amount"));
    // Ana: P1 100 + P1dup 100 + P3 50 + P3c -50 + P5a 60 + P9 250 + P10 500 + P14 90 + P16 40
    assertThat(ana.<BigDecimal>getAs("net_paid")).isEqualByComparingTo("1140.00");
    assertThat(ana.<BigDecimal>getAs("commission_paid")).isEqualByComparingTo("940.00");
    assertThat(ana.<BigDecimal>getAs("clawback_amount")).isEqualByComparingTo("-50.00");
    assertThat(ana.<Double>getAs("effective_rate")).as("net paid / credited won")
        .isCloseTo(1140.0 / anaRep.<BigDecimal>getAs("won_amount").doubleValue(), org.assertj.core.data.Offset.offset(1e-6));
    Row team = reconciliation.where(col("hierarchy").equalTo("role").and(col("node_id").equalTo("RM"))
        .and(col("period_type").equalTo("quarter")).and(col("period_start").equalTo("2026-01-01"))).first();
    BigDecimal members = reconciliation.where(col("hierarchy").equalTo("payee")
            .and(col("node_id").isin("005A", "005B", "005X", "005M")).and(col("period_type").equalTo("quarter"))
            .and(col("period_start").equalTo("2026-01-01")))
        .agg(sum("net_paid")).first().getDecimal(0);
    assertThat(team.<BigDecimal>getAs("net_paid")).as("the team node = its members").isEqualByComparingTo(members);
    Row ben = reconciliation.where(col("hierarchy").equalTo("payee").and(col("node_id").equalTo("005B"))
        .and(col("period_type").equalTo("month")).and(col("period_start").equalTo("2026-02-01"))).first();
    assertThat(ben.<BigDecimal>getAs("paid_on_deals_without_activity")).as("P8 on D8").isEqualByComparingTo("30.00");
    assertThat(reconciliation.select("hierarchy", "node_id", "period_type", "period_start").distinct().count())
        .as("grain unique").isEqualTo(reconciliation.count());
  }

  @Test
  void paidAmountsInAnotherCurrencyAreAddedUpInTheCorporateCurrency() {
    ReconcileRules converting = ReconcileRules.from(com.salespulse.transforms.TestRules.defaults()
        .with(com.salespulse.transforms.CurrencyConversion.CORPORATE_CURRENCY, "USD")
        .with(com.salespulse.transforms.CurrencyConversion.RATES, "EUR:1.10"));
    // the line-level tables keep each line's amount in its currency beside the amount to add up
    Dataset<Row> convertedLines = FctIncentivePayouts.lines(payouts, opportunityVersions, splits, users, activities,
        credits, AS_OF, converting).localCheckpoint();
    Dataset<Row> convertedExceptions = FctIncentiveExceptions.apply(convertedLines, opportunityVersions, splits, AS_OF,
        converting, "r").localCheckpoint();
    Dataset<Row> convertedTable = FctIncentivePayouts.apply(convertedLines, convertedExceptions, "r").localCheckpoint();
    Row p14 = convertedTable.where(col("payout_id").equalTo("P14")).first();
    assertThat(p14.<BigDecimal>getAs("amount")).as("P14 in its own currency").isEqualByComparingTo("90.00");
    assertThat(p14.<BigDecimal>getAs("amount_in_corporate_currency")).as("P14 in USD").isEqualByComparingTo("99.00");
    Row mismatch = convertedExceptions.where(col("payout_id").equalTo("P14")
        .and(col("exception_code").equalTo("currency_mismatch"))).first();
    assertThat(mismatch.<BigDecimal>getAs("amount_at_risk_in_corporate_currency")).as("its amount at risk in USD")
        .isEqualByComparingTo("99.00");
    assertThat(mismatch.<BigDecimal>getAs("amount_in_corporate_currency")).as("its amount in USD")
        .isEqualByComparingTo("99.00");
    assertThat(table.where(col("payout_id").equalTo("P14")).first().<BigDecimal>getAs("amount_in_corporate_currency"))
        .as("no corporate currency: the amount as it is").isEqualByComparingTo("90.00");

    // the reconciliation adds the converted amounts up
    Row ana = FctIncentiveReconciliation.apply(convertedTable, convertedExceptions, rep, team, teams, users, converting,
            "r")
        .where(col("hierarchy").equalTo("payee").and(col("node_id").equalTo("005A"))
            .and(col("period_type").equalTo("quarter")).and(col("period_start").equalTo("2026-01-01"))).first();
    // as in totalsTieToTheCent..., with P14's EUR 90 at 1.10 = 99.00 instead of 90
    assertThat(ana.<BigDecimal>getAs("net_paid")).as("net paid in USD").isEqualByComparingTo("1149.00");
    assertThat(ana.<BigDecimal>getAs("commission_paid")).as("commission in USD").isEqualByComparingTo("949.00");
    assertThat(ana.<BigDecimal>getAs("exception_amount_medium").subtract(reconciliation.where(col("hierarchy")
            .equalTo("payee").and(col("node_id").equalTo("005A")).and(col("period_type").equalTo("quarter"))
            .and(col("period_start").equalTo("2026-01-01"))).first().<BigDecimal>getAs("exception_amount_medium")))
        .as("P14's currency_mismatch at risk (90 EUR) converted too").isEqualByComparingTo("9.00");
  }

  @Test
  void adjustmentsAreAddedUpAndAPaidDealsCorrectionRaisesNothing() {
    // the contract's sixth component, which the generator never writes: a top-up and a correction on D1
    // (won, Ana's, paid by P1), and a period-level adjustment to Ben
    Dataset<Row> adjusted = payouts.unionByName(sql("SELECT payout_id, payee_user_id, DATE'2026-02-01' AS "
        + "period_start_date, DATE'2026-02-28' AS period_end_date, 'adjustment' AS component, opportunity_id, "
        + "CAST(amount AS DECIMAL(18,2)) amount, 'USD' AS currency_code, DATE'2026-02-27' AS paid_date, "
        + "array('h') AS content_hashes FROM VALUES ('PA1', '005A', 'D1', 20), ('PA2', '005A', 'D1', -10), "
        + "('PA3', '005B', NULL, 15) AS t(payout_id, payee_user_id, opportunity_id, amount)"));
    Dataset<Row> adjustedLines = FctIncentivePayouts.lines(adjusted, opportunityVersions, splits, users, activities,
        credits, AS_OF, RULES).localCheckpoint();
    Dataset<Row> adjustedExceptions = FctIncentiveExceptions.apply(adjustedLines, opportunityVersions, splits, AS_OF,
        RULES, "r").localCheckpoint();
    assertThat(adjustedExceptions.where(col("payout_id").isin("PA1", "PA2", "PA3")).select("payout_id", "exception_code")
        .collectAsList()).as("a top-up and a correction of a paid won deal's commission by its owner, and a "
            + "period-level adjustment: nothing to look at").isEmpty();
    assertThat(adjustedExceptions.where(col("payout_id").isNotNull().and(org.apache.spark.sql.functions.not(col("payout_id").isin("PA1", "PA2", "PA3"))))
        .select("payout_id", "exception_code").exceptAll(exceptions.where(col("payout_id").isNotNull())
            .select("payout_id", "exception_code")).collectAsList())
        .as("no other line raises anything new").isEmpty();
    Dataset<Row> adjustedTable = FctIncentivePayouts.apply(adjustedLines, adjustedExceptions, "r");
    Dataset<Row> adjustedReconciliation = FctIncentiveReconciliation.apply(adjustedTable, adjustedExceptions, rep, team,
        teams, users, RULES, "r");
    Row ana = adjustedReconciliation.where(col("hierarchy").equalTo("payee").and(col("node_id").equalTo("005A"))
        .and(col("period_type").equalTo("quarter")).and(col("period_start").equalTo("2026-01-01"))).first();
    assertThat(ana.<BigDecimal>getAs("adjustment_amount")).as("Ana's adjustments: 20 - 10").isEqualByComparingTo("10.00");
    assertThat(ana.<BigDecimal>getAs("net_paid")).as("1140.00 as in totalsTieToTheCent..., plus 10")
        .isEqualByComparingTo("1150.00");
    assertThat(ana.<BigDecimal>getAs("commission_paid")).as("commission unchanged").isEqualByComparingTo("940.00");
    Row ben = adjustedReconciliation.where(col("hierarchy").equalTo("payee").and(col("node_id").equalTo("005B"))
        .and(col("period_type").equalTo("month")).and(col("period_start").equalTo("2026-02-01"))).first();
    assertThat(ben.<BigDecimal>getAs("adjustment_amount")).as("Ben's period-level adjustment").isEqualByComparingTo("15.00");
  }

  @Test
  void alignmentIsPayShareAgainstWorkShare() {
    // D5: paid 60 / 60 (shares 0.5 / 0.5), worked 1 / 0: alignment min(0.5, 1) + min(0.5, 0) = 0.5; Ben's
    // February payments: P2 200 (D2, all his: 1.0), P5b 60 (0.5), P8 30 (no work: 0); P7 counts in January
    Row ben = reconciliation.where(col("hierarchy").equalTo("payee").and(col("node_id").equalTo("005B"))
        .and(col("period_type").equalTo("month")).and(col("period_start").equalTo("2026-02-01"))).first();
    assertThat(ben.<Double>getAs("paid_worked_alignment")).as("amount-weighted over his payments")
        .isCloseTo((200 * 1.0 + 60 * 0.5 + 30 * 0.0) / (200 + 60 + 30), org.assertj.core.data.Offset.offset(1e-4));
  }
}
