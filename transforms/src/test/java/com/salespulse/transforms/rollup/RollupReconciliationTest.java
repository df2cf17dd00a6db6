package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.transforms.TestSpark;
import com.salespulse.transforms.contract.ContractFixtures;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rollups on a small hand-built org (calendar fiscal year, quarterly quotas, UTC):
 * VP Vera (005V, role RVP) manages Mo (005M1, RM1) and Nia (005M2, RM2); Ana (005A) and Ben (005B)
 * report to Mo; Cal (005C) reports to Mo until 2026-02-15, then to Nia (role RREP1 -> RREP2).
 * Deals: O1 won 2026-02-03 for 1000.00, split 33.3333 / 33.3333 / 33.3334 between Ana, Ben and
 * Cal; O2 Cal's, won 2026-03-01 for 500.50; O3 Ben's, lost 2026-03-10 for 200.00; O4 Ana's,
 * open, 3000.00 closing 2026-03-25. Quotas: 1000.00 each for Ana, Ben and Cal in Q1.
 */
public class RollupReconciliationTest {

  static final RollupRules RULES = RollupRules.from(com.salespulse.transforms.TestRules.defaults());
  static final LocalDate AS_OF = LocalDate.parse("2026-03-15");
  static Dataset<Row> userVersions;
  static Dataset<Row> roles;
  static Dataset<Row> oppVersions;
  static Dataset<Row> history;
  static Dataset<Row> stageHistory;
  static Dataset<Row> activities;
  static Dataset<Row> credits;
  static Dataset<Row> teams;
  static Dataset<Row> events;
  static Dataset<Row> periods;
  static Dataset<Row> rep;
  static Dataset<Row> team;

  static Dataset<Row> sql(String q) {
    return TestSpark.get().sql(q);
  }

  /** Builds the hand-built org's rollups once per JVM (the table contract test reads them too). */
  @BeforeAll
  public static synchronized void build() {
    if (team != null) {
      return;
    }
    roles = sql("SELECT * FROM VALUES ('RVP', 'VP Sales', NULL), ('RM1', 'East', 'RVP'), ('RM2', 'West', 'RVP'), "
        + "('RREP1', 'East AEs', 'RM1'), ('RREP2', 'West AEs', 'RM2') AS t(user_role_id, role_name, parent_role_id)");
    userVersions = sql("SELECT user_id, full_name, lower(full_name) || '@maventech.com' AS email, 'AE' AS title, "
        + "'Sales' AS department, true AS is_active, manager_user_id, user_role_id, CAST(valid_from AS TIMESTAMP) valid_from, "
        + "CAST(valid_to AS TIMESTAMP) valid_to, valid_to IS NULL AS is_current FROM VALUES "
        + "('005V', 'Vera', NULL, 'RVP', '2025-12-01 00:00:00', NULL), "
        + "('005M1', 'Mo', '005V', 'RM1', '2025-12-01 00:00:00', NULL), "
        + "('005M2', 'Nia', '005V', 'RM2', '2025-12-01 00:00:00', NULL), "
        + "('005A', 'Ana', '005M1', 'RREP1', '2025-12-01 00:00:00', NULL), "
        + "('005B', 'Ben', '005M1', 'RREP1', '2025-12-01 00:00:00', NULL), "
        + "('005C', 'Cal', '005M1', 'RREP1', '2025-12-01 00:00:00', '2026-02-15 00:00:00'), "
        + "('005C', 'Cal', '005M2', 'RREP2', '2026-02-15 00:00:00', NULL) "
        + "AS t(user_id, full_name, manager_user_id, user_role_id, valid_from, valid_to)");
    oppVersions = sql("SELECT opportunity_id, 'ACC' AS account_id, owner_user_id, stage_name, CAST(amount AS DECIMAL(18,2)) amount, "
        + "'USD' AS currency_code, CAST(close_date AS DATE) close_date, is_closed, is_won, "
        + "CAST(created_at AS TIMESTAMP) created_at, false AS is_deleted, 'Pipeline' AS forecast_category_name, "
        + "CAST(valid_from AS TIMESTAMP) valid_from, CAST(valid_to AS TIMESTAMP) valid_to, valid_to IS NULL AS is_current FROM VALUES "
        + "('O1', '005A', 'Proposal', 1000.00, '2026-02-28', false, false, '2026-01-05 10:00:00', '2026-01-05 10:00:00', '2026-02-03 12:00:00'), "
        + "('O1', '005A', 'Closed Won', 1000.00, '2026-02-03', true, true, '2026-01-05 10:00:00', '2026-02-03 12:00:00', NULL), "
        + "('O2', '005C', 'Proposal', 500.50, '2026-03-20', false, false, '2026-01-10 10:00:00', '2026-01-10 10:00:00', '2026-03-01 12:00:00'), "
        + "('O2', '005C', 'Closed Won', 500.50, '2026-03-01', true, true, '2026-01-10 10:00:00', '2026-03-01 12:00:00', NULL), "
        + "('O3', '005B', 'Qualification', 200.00, '2026-03-31', false, false, '2026-01-20 10:00:00', '2026-01-20 10:00:00', '2026-03-10 12:00:00'), "
        + "('O3', '005B', 'Closed Lost', 200.00, '2026-03-10', true, false, '2026-01-20 10:00:00', '2026-03-10 12:00:00', NULL), "
        + "('O4', '005A', 'Prospecting', 3000.00, '2026-03-25', false, false, '2026-01-15 10:00:00', '2026-01-15 10:00:00', NULL) "
        + "AS t(opportunity_id, owner_user_id, stage_name, amount, close_date, is_closed, is_won, created_at, valid_from, valid_to)");
    history = sql("SELECT opportunity_history_id, opportunity_id, stage_name, CAST(amount AS DECIMAL(18,2)) amount, "
        + "CAST(close_date AS DATE) close_date, CAST(probability AS DECIMAL(7,4)) probability, "
        + "CAST(created_at AS TIMESTAMP) created_at, false AS is_deleted FROM VALUES "
        + "('H1', 'O1', 'Prospecting', 1000.00, '2026-02-20', 10, '2026-01-05 10:00:00'), "
        + "('H2', 'O1', 'Proposal', 1000.00, '2026-02-20', 60, '2026-01-20 10:00:00'), "
        + "('H3', 'O1', 'Proposal', 1000.00, '2026-02-28', 60, '2026-01-25 10:00:00'), "
        + "('H4', 'O1', 'Closed Won', 1000.00, '2026-02-03', 100, '2026-02-03 12:00:00'), "
        + "('H5', 'O2', 'Proposal', 500.50, '2026-03-20', 60, '2026-01-10 10:00:00'), "
        + "('H6', 'O2', 'Closed Won', 500.50, '2026-03-01', 100, '2026-03-01 12:00:00'), "
        + "('H7', 'O3', 'Qualification', 200.00, '2026-03-31', 20, '2026-01-20 10:00:00'), "
        + "('H8', 'O3', 'Closed Lost', 200.00, '2026-03-10', 0, '2026-03-10 12:00:00'), "
        + "('H9', 'O4', 'Prospecting', 3000.00, '2026-03-05', 10, '2026-01-15 10:00:00'), "
        + "('H10', 'O4', 'Prospecting', 3000.00, '2026-03-18', 10, '2026-02-20 10:00:00'), "
        + "('H11', 'O4', 'Prospecting', 3000.00, '2026-03-25', 10, '2026-03-01 10:00:00') "
        + "AS t(opportunity_history_id, opportunity_id, stage_name, amount, close_date, probability, created_at)");
    Dataset<Row> current = oppVersions.where(col("is_current"));
    stageHistory = FctOpportunityStageHistory.apply(history, current, RULES, "r").localCheckpoint();
    activities = sql("SELECT activity_id, activity_type, CAST(occurred_at AS TIMESTAMP) occurred_at, "
        + "CAST(substr(occurred_at, 1, 10) AS DATE) activity_date, direction, user_id, 'ACC' AS account_id, opportunity_id, "
        + "duration_seconds, call_disposition, contact_ids FROM VALUES "
        + "('a1', 'email', '2026-01-12 10:00:00', 'outbound', '005A', 'O1', NULL, NULL, array('K1')), "
        + "('a2', 'email', '2026-01-13 10:00:00', 'outbound', '005A', 'O1', NULL, NULL, array('K1')), "
        + "('a3', 'meeting', '2026-02-05 10:00:00', 'outbound', '005B', 'O3', 1800, NULL, array('K2', 'K3')), "
        + "('a4', 'email', '2026-02-10 10:00:00', 'outbound', '005C', 'O2', NULL, NULL, array('K2')), "
        + "('a5', 'call', '2026-02-20 10:00:00', 'outbound', '005C', 'O2', 300, 'connected', array('K2')), "
        + "('a6', 'email', '2026-01-14 10:00:00', 'internal', '005M1', NULL, NULL, NULL, array()), "
        + "('a7', 'email', '2026-03-10 10:00:00', 'outbound', '005A', 'O4', NULL, NULL, array('K4')) "
        + "AS t(activity_id, activity_type, occurred_at, direction, user_id, opportunity_id, duration_seconds, "
        + "call_disposition, contact_ids)");
    credits = activities.where(col("opportunity_id").isNotNull())
        .select(col("activity_id"), col("opportunity_id"), col("activity_date"),
            org.apache.spark.sql.functions.lit(1.0).as("credit_weight"));
    Dataset<Row> splits = sql("SELECT opportunity_split_id, 'O1' AS opportunity_id, split_owner_user_id, "
        + "CAST(split_percentage AS DECIMAL(7,4)) split_percentage, false AS is_deleted FROM VALUES "
        + "('S1', '005A', 33.3333), ('S2', '005B', 33.3333), ('S3', '005C', 33.3334) "
        + "AS t(opportunity_split_id, split_owner_user_id, split_percentage)");
    Dataset<Row> quotas = sql("SELECT quota_owner_user_id, DATE'2026-01-01' AS period_start_date, "
        + "CAST(1000 AS DECIMAL(18,2)) quota_amount FROM VALUES ('005A'), ('005B'), ('005C') AS t(quota_owner_user_id)");
    teams = DimTeams.apply(userVersions, roles, DimTeams.levels(DimTeams.roleEdges(roles).collectAsList(),
        DimTeams.managerEdges(userVersions).collectAsList())).localCheckpoint();
    events = PerformanceEvents.apply(activities, credits, oppVersions, stageHistory, splits, quotas, RULES).localCheckpoint();
    periods = events.select(org.apache.spark.sql.functions.explode(Periods.all(col("event_date"), 1)).as("p"))
        .select(col("p.period_type").as("period_type"), col("p.period_start").as("period_start")).distinct();
    rep = FctRepPerformance.apply(events, periods, userVersions, current, AS_OF, RULES, "r").localCheckpoint();
    team = FctTeamPerformance.apply(events, periods, teams, rep, RULES, "r").localCheckpoint();
    ContractFixtures.register(FctOpportunityStageHistory.NAME, stageHistory);
    ContractFixtures.register(DimTeams.NAME, teams);
    ContractFixtures.register(FctRepPerformance.NAME, rep);
    ContractFixtures.register(FctTeamPerformance.NAME, team);
    ContractFixtures.register(FctOpportunityEngagementDaily.NAME, engagement());
    Dataset<Row> users = userVersions.where(col("is_current")).select("user_id", "full_name");
    ContractFixtures.register(DimUsers.NAME, DimUsers.apply(userVersions, users, roles).localCheckpoint());
  }

  /** The engagement snapshots of the hand-built deals from March 9 to the as-of date. */
  static Dataset<Row> engagement() {
    Dataset<Row> contactRoles = sql("SELECT 'O4' AS opportunity_id, 'K4' AS contact_id, false AS is_deleted");
    return FctOpportunityEngagementDaily.apply(oppVersions, history, stageHistory, activities, credits,
        contactRoles, LocalDate.parse("2026-03-09"), AS_OF, RULES, "r").localCheckpoint();
  }

  static Row repRow(String user, String type, String start) {
    List<Row> r = rep.where(col("user_id").equalTo(user).and(col("period_type").equalTo(type))
        .and(col("period_start").equalTo(start))).collectAsList();
    assertThat(r).as("one %s row for %s at %s", type, user, start).hasSize(1);
    return r.get(0);
  }

  static Row teamRow(String hierarchy, String node, String type, String start) {
    List<Row> r = team.where(col("hierarchy").equalTo(hierarchy).and(col("node_id").equalTo(node))
        .and(col("period_type").equalTo(type)).and(col("period_start").equalTo(start))).collectAsList();
    assertThat(r).as("one %s row for %s %s at %s", type, hierarchy, node, start).hasSize(1);
    return r.get(0);
  }

  static BigDecimal sumOverReps(String column, String type, String start) {
    Row r = rep.where(col("period_type").equalTo(type).and(col("period_start").equalTo(start)))
        .agg(org.apache.spark.sql.functions.sum(column)).first();
    return r.isNullAt(0) ? BigDecimal.ZERO : r.getDecimal(0);
  }

  @Test
  void wonAmountsOverRepsEqualTheDealsClosedInEachPeriod() {
    Map<String, BigDecimal> expected = new HashMap<>();
    expected.put("month 2026-01-01", new BigDecimal("0"));
    expected.put("month 2026-02-01", new BigDecimal("1000.00"));
    expected.put("month 2026-03-01", new BigDecimal("500.50"));
    expected.put("quarter 2026-01-01", new BigDecimal("1500.50"));
    expected.put("day 2026-02-03", new BigDecimal("1000.00"));
    expected.put("week 2026-02-02", new BigDecimal("1000.00"));
    expected.forEach((k, v) -> assertThat(sumOverReps("won_amount", k.split(" ")[0], k.split(" ")[1]))
        .as("won_amount over reps, %s", k).isEqualByComparingTo(v));
    assertThat(sumOverReps("lost_amount", "quarter", "2026-01-01")).as("lost in Q1").isEqualByComparingTo("200.00");
    // the split: shares rounded to cents, the largest share takes the remainder
    assertThat(repRow("005A", "month", "2026-02-01").<BigDecimal>getAs("won_amount")).as("Ana's split")
        .isEqualByComparingTo("333.33");
    assertThat(repRow("005B", "month", "2026-02-01").<BigDecimal>getAs("won_amount")).as("Ben's split")
        .isEqualByComparingTo("333.33");
    assertThat(repRow("005C", "month", "2026-02-01").<BigDecimal>getAs("won_amount")).as("Cal's split")
        .isEqualByComparingTo("333.34");
    Row cal = repRow("005C", "quarter", "2026-01-01");
    assertThat(cal.<BigDecimal>getAs("won_amount")).as("Cal's quarter").isEqualByComparingTo("833.84");
    assertThat(cal.<Long>getAs("won_count")).as("Cal won two deals").isEqualTo(2L);
    assertThat(cal.<Double>getAs("attainment")).as("Cal's attainment").isEqualTo(0.8338);
    assertThat(cal.<BigDecimal>getAs("avg_deal_size")).as("average deal size, split shares weighted")
        .isEqualByComparingTo(new BigDecimal("833.84").divide(new BigDecimal("1.333334"), 2, java.math.RoundingMode.HALF_UP));
    Row ben = repRow("005B", "quarter", "2026-01-01");
    assertThat(ben.<Long>getAs("lost_count")).as("Ben lost O3").isEqualTo(1L);
    assertThat(ben.<Double>getAs("win_rate_count")).as("Ben: one won (split), one lost").isEqualTo(0.5);
  }

  @Test
  void amountsInSeveralCurrenciesAreAddedUpInTheCorporateCurrency() {
    // O2 (Cal's, won for 500.50) in EUR, O4 (Ana's open pipeline, 3000.00) in GBP
    RollupRules converting = RollupRules.from(com.salespulse.transforms.TestRules.defaults()
        .with(com.salespulse.transforms.CurrencyConversion.CORPORATE_CURRENCY, "USD")
        .with(com.salespulse.transforms.CurrencyConversion.RATES, "EUR:1.10,GBP:1.25"));
    Dataset<Row> versions = oppVersions.withColumn("currency_code",
        org.apache.spark.sql.functions.when(col("opportunity_id").equalTo("O2"), "EUR")
            .when(col("opportunity_id").equalTo("O4"), "GBP").otherwise(col("currency_code")));
    Dataset<Row> splits = sql("SELECT 'S1' AS opportunity_split_id, 'O1' AS opportunity_id, '005A' AS split_owner_user_id, "
        + "CAST(100 AS DECIMAL(7,4)) split_percentage, false AS is_deleted");
    Dataset<Row> quotas = sql("SELECT '005C' AS quota_owner_user_id, DATE'2026-01-01' AS period_start_date, "
        + "CAST(1000 AS DECIMAL(18,2)) quota_amount");
    Dataset<Row> converted = FctRepPerformance.apply(
        PerformanceEvents.apply(activities, credits, versions, stageHistory, splits, quotas, converting),
        periods, userVersions, versions.where(col("is_current")), AS_OF, converting, "r").localCheckpoint();
    java.util.function.Function<String, Row> q1 = user -> converted.where(col("user_id").equalTo(user)
        .and(col("period_type").equalTo("quarter")).and(col("period_start").equalTo("2026-01-01"))).first();
    assertThat(q1.apply("005C").<BigDecimal>getAs("won_amount")).as("Cal: O2's EUR 500.50 at 1.10")
        .isEqualByComparingTo("550.55");
    assertThat(q1.apply("005C").<Double>getAs("attainment")).as("against a quota in the corporate currency")
        .isEqualTo(0.5506);
    assertThat(q1.apply("005A").<BigDecimal>getAs("won_amount")).as("Ana: O1 in USD, as it is")
        .isEqualByComparingTo("1000.00");
    assertThat(q1.apply("005A").<BigDecimal>getAs("open_pipeline")).as("Ana: O4's GBP 3000.00 at 1.25")
        .isEqualByComparingTo("3750.00");
    assertThat(q1.apply("005A").<BigDecimal>getAs("pipeline_created")).as("Ana created O1 (USD 1000) and O4 (GBP 3000)")
        .isEqualByComparingTo("4750.00");
    assertThat(repRow("005A", "quarter", "2026-01-01").<BigDecimal>getAs("open_pipeline"))
        .as("the same deal unconverted by default").isEqualByComparingTo("3000.00");

    // a deal's snapshot keeps its amount in its own currency beside the amount to add up or rank by
    Dataset<Row> contactRoles = sql("SELECT 'O4' AS opportunity_id, 'K4' AS contact_id, false AS is_deleted");
    Row o4 = FctOpportunityEngagementDaily.apply(versions, history, stageHistory, activities, credits, contactRoles,
            AS_OF, AS_OF, converting, "r").where(col("opportunity_id").equalTo("O4")).first();
    assertThat(o4.<BigDecimal>getAs("amount")).as("O4's amount, in its own currency").isEqualByComparingTo("3000.00");
    assertThat(o4.<String>getAs("currency_code")).as("O4's currency").isEqualTo("GBP");
    assertThat(o4.<BigDecimal>getAs("amount_in_corporate_currency")).as("O4 in USD at 1.25")
        .isEqualByComparingTo("3750.00");
    Row o4Default = engagement().where(col("opportunity_id").equalTo("O4").and(col("snapshot_date").equalTo(
        java.sql.Date.valueOf(AS_OF)))).first();
    assertThat(o4Default.<BigDecimal>getAs("amount_in_corporate_currency")).as("no corporate currency: the amount as it is")
        .isEqualByComparingTo(o4Default.<BigDecimal>getAs("amount"));
  }

  @Test
  void windowedMeasuresEqualTheirWindowsCountedDayByDay() {
    // O4 touched over two months: the same contact again within 30 days and after them, fractional
    // credit, and touches that are and are not two-way
    Dataset<Row> acts = activities.unionByName(sql("SELECT activity_id, activity_type, CAST(occurred_at AS TIMESTAMP) "
        + "occurred_at, CAST(substr(occurred_at, 1, 10) AS DATE) activity_date, direction, '005A' AS user_id, "
        + "'ACC' AS account_id, 'O4' AS opportunity_id, CAST(NULL AS INT) AS duration_seconds, call_disposition, "
        + "contact_ids FROM VALUES "
        + "('w1', 'email', '2026-01-20 10:00:00', 'inbound', NULL, array('K4')), "
        + "('w2', 'email', '2026-02-01 10:00:00', 'outbound', NULL, array('K5')), "
        + "('w3', 'call', '2026-02-03 10:00:00', 'outbound', 'no_answer', array('K4')), "
        + "('w4', 'call', '2026-02-03 15:00:00', 'outbound', 'connected', array('K4', 'K6')), "
        + "('w5', 'meeting', '2026-02-25 10:00:00', 'outbound', NULL, array('K5', 'K4')) "
        + "AS t(activity_id, activity_type, occurred_at, direction, call_disposition, contact_ids)"));
    Dataset<Row> creds = acts.where(col("opportunity_id").isNotNull())
        .select(col("activity_id"), col("opportunity_id"), col("activity_date"),
            org.apache.spark.sql.functions.expr("CAST(CASE activity_id WHEN 'w2' THEN 0.5 WHEN 'w3' THEN 0.25 "
                + "WHEN 'w4' THEN 1.0 / 3 ELSE 1.0 END AS DOUBLE)").as("credit_weight"));
    Dataset<Row> contactRoles = sql("SELECT 'O4' AS opportunity_id, 'K4' AS contact_id, false AS is_deleted");
    List<Row> daily = FctOpportunityEngagementDaily.apply(oppVersions, history, stageHistory, acts, creds,
        contactRoles, LocalDate.parse("2026-01-16"), AS_OF, RULES, "r").where(col("opportunity_id").equalTo("O4"))
        .collectAsList();
    List<Row> touches = acts.join(creds.select("activity_id", "credit_weight"), "activity_id")
        .where(col("opportunity_id").equalTo("O4")).collectAsList();
    int n = RULES.engagementWindowDays();
    assertThat(daily).as("O4 open every day from January 16 to March 15").hasSize(59);
    for (Row day : daily) {
      LocalDate s = day.<java.sql.Date>getAs("snapshot_date").toLocalDate();
      double all = 0;
      double twoWay = 0;
      double outbound = 0;
      java.util.Set<String> contacts = new java.util.TreeSet<>();
      for (Row t : touches) {
        LocalDate d = t.<java.sql.Date>getAs("activity_date").toLocalDate();
        if (d.isAfter(s) || !d.isAfter(s.minusDays(n))) {
          continue;
        }
        double w = t.<Double>getAs("credit_weight");
        String type = t.getAs("activity_type");
        all += w;
        if (type.equals("meeting") || (type.equals("email") && "inbound".equals(t.getAs("direction")))
            || (type.equals("call") && "connected".equals(t.getAs("call_disposition")))) {
          twoWay += w;
        }
        if ("outbound".equals(t.getAs("direction"))) {
          outbound += w;
        }
        contacts.addAll(t.getList(t.fieldIndex("contact_ids")));
      }
      assertThat(day.<Double>getAs("activity_count_30d")).as("activities in the 30 days to %s", s)
          .isCloseTo(Math.round(all * 1000) / 1000.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(day.<Double>getAs("two_way_touch_count_30d")).as("two-way touches to %s", s)
          .isCloseTo(Math.round(twoWay * 1000) / 1000.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(day.<Double>getAs("outbound_count_30d")).as("outbound to %s", s)
          .isCloseTo(Math.round(outbound * 1000) / 1000.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(day.<Integer>getAs("contacts_engaged_30d")).as("contacts %s in the 30 days to %s", contacts, s)
          .isEqualTo(contacts.size());
      assertThat(day.<Integer>getAs("contact_roles_engaged_30d")).as("K4, the role, in the 30 days to %s", s)
          .isEqualTo(contacts.contains("K4") ? 1 : 0);
    }
    Row feb20 = daily.stream().filter(r -> r.getAs("snapshot_date").toString().equals("2026-02-20")).findFirst().get();
    assertThat(feb20.<Integer>getAs("contacts_engaged_30d")).as("K4 (twice), K5 and K6 by February 20").isEqualTo(3);
  }

  @Test
  void snapshotsContinuedFromTheDayBeforeEqualThoseFromTheWholeHistory() {
    // O4's only touch before March: an inbound email of January 20, before the 30-day window of March 1
    Dataset<Row> acts = activities.unionByName(sql("SELECT 'a8' AS activity_id, 'email' AS activity_type, "
        + "TIMESTAMP'2026-01-20 10:00:00' AS occurred_at, DATE'2026-01-20' AS activity_date, 'inbound' AS direction, "
        + "'005A' AS user_id, 'ACC' AS account_id, 'O4' AS opportunity_id, CAST(NULL AS INT) AS duration_seconds, "
        + "CAST(NULL AS STRING) AS call_disposition, array('K4') AS contact_ids"));
    Dataset<Row> creds = acts.where(col("opportunity_id").isNotNull())
        .select(col("activity_id"), col("opportunity_id"), col("activity_date"),
            org.apache.spark.sql.functions.lit(1.0).as("credit_weight"));
    Dataset<Row> contactRoles = sql("SELECT 'O4' AS opportunity_id, 'K4' AS contact_id, false AS is_deleted");
    LocalDate from = LocalDate.parse("2026-03-01");
    LocalDate to = LocalDate.parse("2026-03-05");
    Dataset<Row> whole = FctOpportunityEngagementDaily.apply(oppVersions, history, stageHistory, acts, creds,
        contactRoles, LocalDate.parse("2026-02-20"), to, RULES, "r").localCheckpoint();
    Dataset<Row> previous = FctOpportunityEngagementDaily.previous(whole, from.minusDays(1));
    assertThat(FctOpportunityEngagementDaily.uncovered(oppVersions, previous, from, to, RULES).count())
        .as("O2, O3 and O4 were all open on February 28").isZero();
    Dataset<Row> continued = FctOpportunityEngagementDaily.apply(oppVersions, history, stageHistory, acts, creds,
        contactRoles, previous, from, to, RULES, "r").localCheckpoint();
    Dataset<Row> expected = whole.where(col("snapshot_date").geq(java.sql.Date.valueOf(from)));
    assertThat(continued.count()).as("snapshots from March 1").isEqualTo(expected.count()).isEqualTo(11L);
    assertThat(continued.exceptAll(expected).count()).as("continued rows not in the whole history's").isZero();
    assertThat(expected.exceptAll(continued).count()).as("the whole history's rows not continued").isZero();
    Row o4 = continued.where(col("opportunity_id").equalTo("O4").and(col("snapshot_date").equalTo(
        java.sql.Date.valueOf(to)))).first();
    assertThat(o4.<java.sql.Date>getAs("last_activity_date")).as("O4's January email, from the day before")
        .isEqualTo(java.sql.Date.valueOf("2026-01-20"));
    assertThat(o4.<java.sql.Date>getAs("last_two_way_touch_date")).as("an inbound email is a two-way touch")
        .isEqualTo(java.sql.Date.valueOf("2026-01-20"));
    assertThat(o4.<Integer>getAs("days_since_last_activity")).as("44 days").isEqualTo(44);
    assertThat(o4.<Boolean>getAs("is_stale")).as("stale").isTrue();

    // a day before O4 was created holds no row for it: the snapshots then read the whole history
    Dataset<Row> early = FctOpportunityEngagementDaily.previous(FctOpportunityEngagementDaily.apply(oppVersions, history,
        stageHistory, acts, creds, contactRoles, LocalDate.parse("2026-01-12"), LocalDate.parse("2026-01-12"), RULES, "r"),
        LocalDate.parse("2026-01-12"));
    assertThat(FctOpportunityEngagementDaily.uncovered(oppVersions, early, from, to, RULES)
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .as("deals open from March 1 created after January 12 (O2 was open then)").containsExactlyInAnyOrder("O3", "O4");

    // the stored day before lacks O4 (as if created since): O4 continues from its history up to that day
    Dataset<Row> withoutO4 = previous.where(col("opportunity_id").notEqual("O4"));
    Dataset<Row> uncovered = FctOpportunityEngagementDaily.uncovered(oppVersions, withoutO4, from, to, RULES);
    assertThat(uncovered.as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).as("the deal the day lacks")
        .containsExactly("O4");
    Dataset<Row> touches = FctOpportunityEngagementDaily.lastTouches(acts, creds, uncovered, from.minusDays(1));
    assertThat(touches.exceptAll(previous.where(col("opportunity_id").equalTo("O4"))).count())
        .as("O4's last touches from its history, as its stored snapshot of February 28 holds them").isZero();
    Dataset<Row> mixed = FctOpportunityEngagementDaily.apply(oppVersions, history, stageHistory, acts, creds,
        contactRoles, withoutO4.unionByName(touches), from, to, RULES, "r").localCheckpoint();
    assertThat(mixed.exceptAll(expected).count()).as("continued rows, O4's from its history, not in the whole history's")
        .isZero();
    assertThat(expected.exceptAll(mixed).count()).as("the whole history's rows not continued so").isZero();
  }

  @Test
  void teamFiguresEqualTheSumOverTheirMembersWithoutDoubleCounting() {
    Row vp = teamRow("manager", "005V", "quarter", "2026-01-01");
    assertThat(vp.<Long>getAs("activity_count")).as("VP team: every activity once")
        .isEqualTo(activities.count());
    assertThat(vp.<BigDecimal>getAs("won_amount")).as("VP team won = every won deal once")
        .isEqualByComparingTo("1500.50");
    assertThat(vp.<Long>getAs("won_count")).as("the split deal counts once for the team").isEqualTo(2L);
    assertThat(vp.<BigDecimal>getAs("quota_amount")).as("quotas of everyone beneath").isEqualByComparingTo("3000.00");
    assertThat(vp.<Long>getAs("headcount")).as("everyone in the org").isEqualTo(6L);
    Row roleTop = teamRow("role", "RVP", "quarter", "2026-01-01");
    assertThat(roleTop.<Long>getAs("activity_count")).as("role hierarchy top = every activity")
        .isEqualTo(activities.count());
    assertThat(roleTop.<BigDecimal>getAs("won_amount")).as("role top won").isEqualByComparingTo("1500.50");
    // Mo's team: his own email, Ana's three, Ben's meeting, Cal's email before the move
    Row mo = teamRow("manager", "005M1", "quarter", "2026-01-01");
    assertThat(mo.<Long>getAs("activity_count")).as("Mo's team activities").isEqualTo(6L);
    assertThat(mo.<BigDecimal>getAs("won_amount")).as("O1 whole: all three split owners were Mo's at close")
        .isEqualByComparingTo("1000.00");
    assertThat(mo.<Long>getAs("won_count")).as("O1 once").isEqualTo(1L);
    Row nia = teamRow("manager", "005M2", "quarter", "2026-01-01");
    assertThat(nia.<BigDecimal>getAs("won_amount")).as("O2: Cal was Nia's at close").isEqualByComparingTo("500.50");
    // Vera has no events of her own, so her team is exactly Mo's plus Nia's, measure by measure
    assertThat(rep.where(col("user_id").equalTo("005V")).count()).as("Vera's own rows").isZero();
    for (String m : List.of("activity_count", "emails_sent", "meetings_held", "connected_calls", "deals_created",
        "stage_advances", "lost_count", "won_count")) {
      assertThat(vp.<Long>getAs(m)).as("VP %s = Mo's team + Nia's team", m)
          .isEqualTo(mo.<Long>getAs(m) + nia.<Long>getAs(m));
    }
    assertThat(vp.<Double>getAs("call_minutes")).as("call minutes add up")
        .isEqualTo(mo.<Double>getAs("call_minutes") + nia.<Double>getAs("call_minutes"));
  }

  @Test
  void eventsOfPeopleInNoTeamCountInEachHierarchysUnassignedNodeSoTheTopAddsUpToEveryone() {
    // Ana's deal O4 created by someone the User export lacks (an integration user, a rep never
    // exported): that event belongs to no node of either hierarchy
    Dataset<Row> orphan = events.where(col("created_opportunity_id").equalTo("O4"))
        .withColumn("user_id", org.apache.spark.sql.functions.lit("005X"));
    Dataset<Row> withOrphan = events.where(col("created_opportunity_id").isNull()
        .or(col("created_opportunity_id").notEqual("O4"))).unionByName(orphan);
    Dataset<Row> reps = FctRepPerformance.apply(withOrphan, periods, userVersions, oppVersions.where(col("is_current")),
        AS_OF, RULES, "r");
    Dataset<Row> teams2 = FctTeamPerformance.apply(withOrphan, periods, teams, reps, RULES, "r").localCheckpoint();
    for (String h : List.of("role", "manager")) {
      Row u = teams2.where(col("hierarchy").equalTo(h).and(col("node_id").equalTo(FctTeamPerformance.UNASSIGNED))
          .and(col("period_type").equalTo("quarter")).and(col("period_start").equalTo("2026-01-01"))).first();
      assertThat(u.<Long>getAs("deals_created")).as("%s: O4 created by the person in no team", h).isEqualTo(1L);
      assertThat(u.<java.math.BigDecimal>getAs("pipeline_created")).as("%s: its pipeline", h)
          .isEqualByComparingTo("3000.00");
      assertThat(u.<Integer>getAs("node_depth")).as("%s: beside the top", h).isZero();
      assertThat(u.<String>getAs("node_name")).as("%s: named", h).isEqualTo("Unassigned");
      assertThat(u.<Long>getAs("headcount")).as("%s: one person", h).isEqualTo(1L);
      // the additive measures (a split deal's won_count is one per owner but one per team: not additive)
      for (String m : List.of("deals_created", "activity_count", "stage_advances", "pipeline_created", "won_amount",
          "lost_amount", "quota_amount")) {
        Object top = teams2.where(col("hierarchy").equalTo(h).and(col("node_depth").equalTo(0))
            .and(col("period_type").equalTo("quarter"))).agg(org.apache.spark.sql.functions.sum(m)).first().get(0);
        Object people = reps.where(col("period_type").equalTo("quarter")).agg(org.apache.spark.sql.functions.sum(m))
            .first().get(0);
        assertThat(String.valueOf(top)).as("%s: %s over the nodes at depth 0 = over everyone", h, m)
            .isEqualTo(String.valueOf(people));
      }
    }
    assertThat(team.where(col("node_id").equalTo(FctTeamPerformance.UNASSIGNED)).count())
        .as("an org where everyone is in both hierarchies has no unassigned rows").isZero();
  }

  @Test
  void anEventCountsInTheTeamsItsPersonWasInAtItsInstantToTheMicrosecond() {
    // Cal moves from Mo's team to Nia's at 2026-02-15 00:00:00 (his first version also holds before
    // it began); 005X is in no export, so in no team
    Dataset<Row> moments = events.limit(0).unionByName(sql("SELECT user_id, CAST(at AS TIMESTAMP) AS event_at, "
        + "CAST(substr(at, 1, 10) AS DATE) AS event_date, 1 AS activity_n FROM VALUES "
        + "('005C', '2026-02-14 23:59:59.999999'), ('005C', '2026-02-15 00:00:00'), ('005C', '2025-11-30 12:00:00'), "
        + "('005X', '2025-11-30 12:00:00') AS t(user_id, at)"), true);
    Dataset<Row> days = sql("SELECT 'day' AS period_type, CAST(d AS DATE) AS period_start FROM VALUES "
        + "('2026-02-14'), ('2026-02-15'), ('2025-11-30') AS t(d)");
    List<Row> rows = FctTeamPerformance.apply(moments, days, teams, rep.limit(0), RULES, "r")
        .where(col("hierarchy").equalTo("manager").and(col("activity_count").gt(0)))
        .select(col("node_id"), col("period_start").cast("string"), col("activity_count")).collectAsList();
    assertThat(rows.stream().map(Row::toString).sorted().toList())
        .as("the last microsecond before the move in Mo's team (and the VP's), the move's instant in Nia's, "
            + "before Cal's first version in Mo's, someone in no team in the unassigned node")
        .containsExactly("[(unassigned),2025-11-30,1]", "[005M1,2025-11-30,1]", "[005M1,2026-02-14,1]",
            "[005M2,2026-02-15,1]", "[005V,2025-11-30,1]", "[005V,2026-02-14,1]", "[005V,2026-02-15,1]");
  }

  @Test
  void movingARepMidQuarterMovesOnlyLaterActivity() {
    assertThat(teamRow("manager", "005M1", "month", "2026-02-01").<Long>getAs("activity_count"))
        .as("Mo's February: Ben's meeting and Cal's email of Feb 10").isEqualTo(2L);
    assertThat(teamRow("manager", "005M2", "month", "2026-02-01").<Long>getAs("activity_count"))
        .as("Nia's February: Cal's call of Feb 20").isEqualTo(1L);
    assertThat(teamRow("role", "RREP2", "month", "2026-02-01").<Long>getAs("activity_count"))
        .as("West AEs role: Cal's call").isEqualTo(1L);
    assertThat(repRow("005C", "month", "2026-02-01").<Long>getAs("activity_count")).as("Cal's own February")
        .isEqualTo(2L);
    assertThat(team.where(col("hierarchy").equalTo("manager").and(col("node_id").equalTo("005M2"))
        .and(col("period_type").equalTo("month")).and(col("period_start").equalTo("2026-01-01"))).count())
        .as("Nia's team had no activity in January (Cal was still Mo's)").isZero();
    assertThat(teamRow("manager", "005M1", "quarter", "2026-01-01").<BigDecimal>getAs("quota_amount"))
        .as("Cal's Q1 quota stays with the team he had when the quarter began").isEqualByComparingTo("3000.00");
  }

  @Test
  void closureCoversEveryLevelOnce() {
    assertThat(teams.where(col("hierarchy").equalTo("manager").and(col("node_id").equalTo("005V"))
        .and(col("is_current"))).count()).as("Vera + Mo, Nia + Ana, Ben, Cal").isEqualTo(6L);
    assertThat(teams.where(col("hierarchy").equalTo("manager").and(col("member_user_id").equalTo("005C"))
        .and(col("node_id").equalTo("005V"))).count()).as("Cal under Vera via Mo, then via Nia").isEqualTo(2L);
    Row deepest = teams.where(col("hierarchy").equalTo("role").and(col("node_id").equalTo("RREP1"))).first();
    assertThat(deepest.<Integer>getAs("node_depth")).as("depth of East AEs").isEqualTo(2);
  }

  @Test
  void firstLineTeamsAreTheManagersOfPeopleWhoManageNoOne() {
    java.util.function.BiFunction<String, Boolean, List<String>> nodes = (hierarchy, firstLine) ->
        teams.where(col("hierarchy").equalTo(hierarchy).and(col("is_first_line").equalTo(firstLine)))
            .select("node_id").distinct().orderBy("node_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(nodes.apply("manager", true)).as("Mo (Ana, Ben) and Nia (Cal since February)")
        .containsExactly("005M1", "005M2");
    assertThat(nodes.apply("manager", false)).as("Vera manages managers; the reps manage no one")
        .containsExactly("005A", "005B", "005C", "005V");
    assertThat(nodes.apply("role", true)).as("the roles right above the AE roles").containsExactly("RM1", "RM2");
    assertThat(teams.where(col("is_first_line").isNull()).count()).as("never null").isZero();
  }

  @Test
  void earlyWarningFlagsLaggingRepsBeforeThePeriodEnds() {
    Row ana = repRow("005A", "quarter", "2026-01-01");
    Row ben = repRow("005B", "quarter", "2026-01-01");
    assertThat(ana.<Boolean>getAs("is_period_complete")).as("Q1 still running on Mar 15").isFalse();
    assertThat(ana.<Integer>getAs("days_elapsed")).as("Jan 1 to Mar 15").isEqualTo(74);
    assertThat(ana.<BigDecimal>getAs("open_pipeline")).as("O4 closes in the rest of Q1").isEqualByComparingTo("3000.00");
    assertThat(ana.<Double>getAs("pipeline_coverage")).as("3000 / (1000 - 333.33)").isEqualTo(4.5);
    assertThat(ana.<Double>getAs("team_median_activity_count")).as("Mo's reps now: Ana 3, Ben 1").isEqualTo(2.0);
    assertThat(ana.<Boolean>getAs("is_at_risk")).as("Ana on pace with pipeline").isFalse();
    assertThat(ben.<Boolean>getAs("is_at_risk")).as("Ben: half the team pace, no pipeline").isTrue();
    assertThat(ben.<String>getAs("at_risk_reason")).as("Ben's reasons")
        .isEqualTo("activity_pace_below_team,pipeline_coverage_low");
    assertThat(repRow("005A", "month", "2026-01-01").<Boolean>getAs("is_at_risk")).as("complete periods are not flagged")
        .isNull();
  }

  @Test
  void stageHistoryHasOneRowPerStageInterval() {
    List<Row> o1 = stageHistory.where(col("opportunity_id").equalTo("O1")).orderBy("stage_sequence").collectAsList();
    assertThat(o1).extracting(r -> r.<String>getAs("stage_name")).as("O1 intervals")
        .containsExactly("Prospecting", "Proposal", "Closed Won");
    assertThat(o1.get(1).<Integer>getAs("close_date_push_count")).as("pushed once in Proposal").isEqualTo(1);
    assertThat(o1.get(1).<Boolean>getAs("is_advance")).as("Prospecting -> Proposal is an advance").isTrue();
    assertThat(o1.get(0).<Double>getAs("duration_days")).as("Jan 5 to Jan 20").isEqualTo(15.0);
    assertThat(o1.get(2).<Boolean>getAs("is_closed_stage")).as("final interval of a won deal").isTrue();
    assertThat(o1.get(2).<Boolean>getAs("is_advance")).as("closing is not an advance").isFalse();
    assertThat(stageHistory.where(col("opportunity_id").equalTo("O4")).count()).as("O4 never changed stage").isEqualTo(1L);
  }

  @Test
  void engagementSnapshotCarriesActivityAndRiskAsOfItsDate() {
    Dataset<Row> daily = engagement();
    Row o4 = daily.where(col("opportunity_id").equalTo("O4").and(col("snapshot_date").equalTo("2026-03-15"))).first();
    assertThat(o4.<Double>getAs("activity_count_30d")).as("one email in 30 days").isEqualTo(1.0);
    assertThat(o4.<Integer>getAs("days_since_last_activity")).as("Mar 10 to Mar 15").isEqualTo(5);
    assertThat(o4.<Integer>getAs("contacts_engaged_30d")).as("K4 only").isEqualTo(1);
    assertThat(o4.<Integer>getAs("contact_roles_engaged_30d")).as("K4 is a role").isEqualTo(1);
    assertThat(o4.<Integer>getAs("close_date_push_count")).as("pushed Feb 20 and Mar 1").isEqualTo(2);
    assertThat(o4.<Boolean>getAs("is_ghosted")).as("outbound, never a reply").isTrue();
    assertThat(o4.<Boolean>getAs("is_single_threaded")).as("one contact").isTrue();
    assertThat(o4.<Boolean>getAs("is_closing_without_meeting")).as("closes Mar 25, no meeting").isTrue();
    assertThat(o4.<Boolean>getAs("is_close_date_slipping")).as("two pushes").isTrue();
    assertThat(o4.<Boolean>getAs("is_stale")).as("active 5 days ago").isFalse();
    assertThat(o4.<Double>getAs("won_stage_median_days")).as("O1, won in February, spent 15 days in Prospecting")
        .isEqualTo(15.0);
    assertThat(o4.<Integer>getAs("days_in_stage")).as("Jan 15 to Mar 15").isEqualTo(59);
    assertThat(o4.<Boolean>getAs("is_stalled_in_stage")).as("59 > 1.5 x 15").isTrue();
    assertThat(o4.<String>getAs("risk_reasons")).as("reasons")
        .isEqualTo("ghosted,single_threaded,stalled_in_stage,close_date_slipping,closing_without_meeting");
    Row before = daily.where(col("opportunity_id").equalTo("O4").and(col("snapshot_date").equalTo("2026-03-09"))).first();
    assertThat(before.<Double>getAs("activity_count_30d")).as("Mar 9: the email of Mar 10 is not seen yet").isEqualTo(0.0);
    assertThat(before.<Boolean>getAs("is_stale")).as("Mar 9: nothing since creation on Jan 15").isTrue();
    assertThat(daily.where(col("opportunity_id").equalTo("O3").and(col("snapshot_date").equalTo("2026-03-10"))).count())
        .as("O3 appears the day it closed").isEqualTo(1L);
    assertThat(daily.where(col("opportunity_id").equalTo("O3").and(col("snapshot_date").equalTo("2026-03-11"))).count())
        .as("and not after").isZero();
    assertThat(daily.where(col("opportunity_id").equalTo("O1")).count()).as("O1 closed before the window").isZero();
  }

  @Test
  void periodsFollowTheFiscalCalendar() {
    Row r = sql("SELECT DATE'2026-01-15' AS d, DATE'2026-03-01' AS s").select(
        Periods.start("quarter", col("d"), 2).as("fq"), Periods.start("quarter", col("d"), 1).as("q"),
        Periods.start("week", col("s"), 1).as("w"), Periods.fiscalYear(col("d"), 2).as("fy")).first();
    assertThat(r.getDate(0).toString()).as("fiscal year from February: Q4 began Nov 1").isEqualTo("2025-11-01");
    assertThat(r.getDate(1).toString()).as("calendar quarter").isEqualTo("2026-01-01");
    assertThat(r.getDate(2).toString()).as("Sunday Mar 1 is in the week of Monday Feb 23").isEqualTo("2026-02-23");
    assertThat(r.getInt(3)).as("Jan 2026 is in the fiscal year ending Jan 2026").isEqualTo(2026);
  }
}
