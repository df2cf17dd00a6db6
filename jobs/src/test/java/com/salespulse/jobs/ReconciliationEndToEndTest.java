package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incentive reconciliation on a generated org whose pay runs carry one injected anomaly of each
 * kind beside clean lines (five weeks of history in one drop, one nightly run): every code caught,
 * no clean line raising a high-severity exception, totals tying to the cent, and every finance query
 * in sql/queries answering what the tables imply.
 */
class ReconciliationEndToEndTest {

  @TempDir
  static Path tmp;
  static String warehouse;
  static String truth;
  static SparkSession spark;
  static final StringBuilder log = new StringBuilder();

  @BeforeAll
  static void build() throws IOException {
    String input = tmp.resolve("drop").toString();
    warehouse = tmp.resolve("warehouse").toUri().toString().replaceAll("/$", "");
    truth = tmp.resolve("drop-truth").resolve("payout_truth.csv").toString();
    // the generator's known exceptions are due once a reopened deal waits 3 days for its clawback and a
    // deal won 7 days ago is unpaid; the configured weights attribute (learning is tested elsewhere)
    Path conf = tmp.resolve("reconcile.properties");
    Files.writeString(conf, "reconcile.clawback-days=3\nreconcile.won-not-paid-days=7\nattribution.learn=false\n");
    TestSupport.run(ExitCode.SUCCESS, "generate", "--out", input, "--start-date", "2026-09-07", "--days", "35",
        "--bulk-days", "35", "--reps", "12", "--seed", "5");
    try (AutoCloseable capture = PrivacyTest.capture(log)) {
      TestSupport.run(ExitCode.SUCCESS, "nightly", "--run-date", "2026-10-11", "--input-root", input,
          "--warehouse", warehouse, "--conf", conf.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    spark = TestSupport.sessionWithTables(warehouse);
  }

  static List<Row> sql(String q) {
    return spark.sql(q).collectAsList();
  }

  static List<CSVRecord> query(String name) throws IOException {
    return TestSupport.query(warehouse, name);
  }

  @Test
  void everyInjectedAnomalyIsCaughtAndCleanLinesRaiseNoHighSeverityException() throws IOException {
    List<CSVRecord> rows = TestSupport.csv(TestSupport.stdout("evaluate-reconciliation", "--warehouse", warehouse, "--truth", truth));
    Map<String, CSVRecord> byCode = rows.stream().collect(Collectors.toMap(r -> r.get("exception_code"), r -> r));
    assertThat(byCode.keySet()).as("every code evaluated").containsExactlyInAnyOrderElementsOf(
        com.salespulse.transforms.reconcile.FctIncentiveExceptions.SEVERITY.keySet());
    for (CSVRecord r : rows) {
      String code = r.get("exception_code");
      assertThat(Long.parseLong(r.get("expected"))).as("%s injected", code).isPositive();
      assertThat(Long.parseLong(r.get("caught"))).as("%s caught", code).isPositive();
      if (r.get("severity").equals("high")) {
        assertThat(Long.parseLong(r.get("missed"))).as("%s: high-severity injections all caught", code).isZero();
        assertThat(Long.parseLong(r.get("false_alarms"))).as("%s: no clean line raises it", code).isZero();
      }
    }
    // the activity codes depend on attribution, which is imperfect: most, not all
    CSVRecord noActivity = byCode.get("deal_without_activity");
    assertThat(Double.parseDouble(noActivity.get("caught")) / Double.parseDouble(noActivity.get("expected")))
        .as("payments on deals nobody worked, found").isGreaterThanOrEqualTo(0.7);
  }

  @Test
  void totalsTieToTheCentAndCreditedWonIsTheRollups() {
    List<Row> periods = sql("""
        WITH staged AS (
          SELECT p.period_type, p.period_start, sum(s.amount) AS amount
          FROM stg_comp__payouts s
          JOIN (SELECT DISTINCT period_type, period_start, period_end FROM fct_incentive_reconciliation) p
            ON s.period_start_date BETWEEN p.period_start AND p.period_end
          GROUP BY p.period_type, p.period_start),
        reconciled AS (
          SELECT period_type, period_start, sum(net_paid) AS amount FROM fct_incentive_reconciliation
          WHERE hierarchy = 'payee' GROUP BY period_type, period_start)
        SELECT s.*, r.amount AS reconciled FROM staged s FULL JOIN reconciled r USING (period_type, period_start)
        WHERE coalesce(s.amount, 0) <> coalesce(r.amount, 0)""");
    assertThat(periods).as("periods whose payee net_paid differs from the staged lines").isEmpty();
    Row totals = sql("""
        SELECT (SELECT sum(amount) FROM stg_comp__payouts), (SELECT sum(amount) FROM fct_incentive_payouts),
               (SELECT count(*) FROM stg_comp__payouts), (SELECT count(*) FROM fct_incentive_payouts)""").get(0);
    assertThat(totals.getDecimal(1)).as("fct_incentive_payouts amount = staged").isEqualByComparingTo(totals.getDecimal(0));
    assertThat(totals.getLong(3)).as("one row per staged line").isEqualTo(totals.getLong(2));
    List<Row> won = sql("""
        SELECT r.node_id, r.period_type, r.period_start FROM fct_incentive_reconciliation r
        JOIN fct_rep_performance p ON p.user_id = r.node_id AND p.period_type = r.period_type
          AND p.period_start = r.period_start
        WHERE r.hierarchy = 'payee' AND r.credited_won_amount <> p.won_amount""");
    assertThat(won).as("payee rows whose credited won differs from fct_rep_performance").isEmpty();
    List<Row> teams = sql("""
        SELECT r.hierarchy, r.node_id, r.period_type, r.period_start FROM fct_incentive_reconciliation r
        JOIN fct_team_performance t USING (hierarchy, node_id, period_type, period_start)
        WHERE r.credited_won_amount <> t.won_amount""");
    assertThat(teams).as("team rows whose credited won differs from fct_team_performance").isEmpty();
    assertThat(sql("SELECT count(*) FROM fct_incentive_reconciliation GROUP BY hierarchy, node_id, period_type, "
        + "period_start HAVING count(*) > 1")).as("grain unique").isEmpty();
  }

  @Test
  void amountsOfSeveralCurrenciesAreWarnedAboutOrConvertedNeverSilentlyMixed() throws IOException {
    // the generator pays some deal lines in EUR (its currency_mismatch injections); without a corporate
    // currency they are added up as they are, and the run says so
    assertThat(log.toString()).as("the nightly's warning")
        .contains("Adding up the amounts of stg_comp__payouts in 2 currencies (EUR, USD) without conversion");
    // with a corporate currency but no rate for EUR, the step stops before it writes anything
    Path conf = tmp.resolve("usd.properties");
    Files.writeString(conf, "reconcile.clawback-days=3\nreconcile.won-not-paid-days=7\norg.corporate-currency=USD\n");
    Map<String, Long> before = TestSupport.versions(Path.of(java.net.URI.create(warehouse)));
    StringBuilder failed = new StringBuilder();
    try (AutoCloseable capture = PrivacyTest.capture(failed)) {
      TestSupport.run(ExitCode.USAGE, "reconcile", "--run-date", "2026-10-11", "--warehouse", warehouse,
          "--conf", conf.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    assertThat(failed.toString()).as("the error names the table, the currencies and the setting").contains(
        "Cannot convert the amounts of stg_comp__payouts to USD: org.currency-rates has no rate for EUR");
    Map<String, Long> after = TestSupport.versions(Path.of(java.net.URI.create(warehouse)));
    after.remove("audit_runs");
    before.remove("audit_runs");
    assertThat(after).as("no table written but the failed attempt's audit row").isEqualTo(before);
  }

  @Test
  void incentiveTablesOfAnOlderReleaseGetTheNewColumnsAndAreReconciledAgain() throws IOException {
    // the line-level tables as the release before the corporate-currency amounts wrote them
    Path copy = tmp.resolve("older-release");
    TestSupport.copyTree(Path.of(java.net.URI.create(warehouse)), copy);
    String older = TestSupport.uri(copy);
    for (String t : List.of("fct_incentive_payouts", "fct_incentive_exceptions")) {
      TestSupport.table(older, t).drop("amount_in_corporate_currency", "amount_at_risk_in_corporate_currency")
          .localCheckpoint().write().format("delta").mode("overwrite").option("overwriteSchema", "true")
          .save(older + "/" + t);
      assertThat(TestSupport.table(older, t).columns()).as("%s as an older release left it", t)
          .doesNotContain("amount_in_corporate_currency");
    }
    TestSupport.run(ExitCode.SUCCESS, "reconcile", "--run-date", "2026-10-11", "--warehouse", older,
        "--conf", tmp.resolve("reconcile.properties").toString());
    for (String t : List.of("fct_incentive_payouts", "fct_incentive_exceptions")) {
      assertThat(TestSupport.table(older, t).where("amount_in_corporate_currency IS DISTINCT FROM amount").count())
          .as("%s upgraded and rewritten: the amounts in the corporate currency filled (none set: as they are)", t)
          .isZero();
      // the added columns come last in the upgraded table: compared by name
      Dataset<Row> upgraded = TestSupport.table(older, t).drop("run_id");
      Dataset<Row> clean = TestSupport.table(warehouse, t).drop("run_id");
      String[] cols = java.util.Arrays.stream(clean.columns()).sorted().toArray(String[]::new);
      assertThat(upgraded.columns()).as("%s's columns", t).containsExactlyInAnyOrder(clean.columns());
      assertThat(upgraded.selectExpr(cols).exceptAll(clean.selectExpr(cols)).count()
          + clean.selectExpr(cols).exceptAll(upgraded.selectExpr(cols)).count())
          .as("%s: rows that differ from the clean run's", t).isZero();
    }
  }

  @Test
  void everyFinanceQueryRunsAndAnswers() throws IOException {
    List<CSVRecord> queue = query("incentive_exception_queue");
    assertThat(queue).as("the queue holds every exception")
        .hasSize((int) sql("SELECT count(*) FROM fct_incentive_exceptions").get(0).getLong(0));
    assertThat(queue.get(0).get("severity")).as("worst first").isEqualTo("high");
    assertThat(queue.get(queue.size() - 1).get("severity")).as("context last").isEqualTo("info");

    List<CSVRecord> teams = query("incentive_spend_vs_results_by_team");
    Row byTeam = sql("SELECT count(*), sum(net_paid) FROM fct_incentive_reconciliation "
        + "WHERE hierarchy = 'manager' AND period_type = 'quarter'").get(0);
    assertThat(teams).as("manager teams x quarters").hasSize((int) byTeam.getLong(0));
    assertThat(teams.stream().map(r -> new BigDecimal(r.get("net_paid"))).reduce(BigDecimal.ZERO, BigDecimal::add))
        .as("spend by team").isEqualByComparingTo(byTeam.getDecimal(1));

    List<CSVRecord> idle = query("incentive_spend_on_deals_without_activity");
    Row flagged = sql("SELECT count(DISTINCT opportunity_id), sum(amount_in_corporate_currency) FROM fct_incentive_exceptions "
        + "WHERE exception_code = 'deal_without_activity'").get(0);
    assertThat(idle).as("one row per deal flagged deal_without_activity").hasSize((int) flagged.getLong(0));
    assertThat(idle.stream().map(r -> new BigDecimal(r.get("paid_amount"))).reduce(BigDecimal.ZERO, BigDecimal::add))
        .as("paid on them").isEqualByComparingTo(flagged.getDecimal(1));

    List<CSVRecord> bands = query("incentive_pay_vs_performance_by_attainment_band");
    Row withQuota = sql("SELECT count(*), sum(net_paid) FROM fct_incentive_reconciliation "
        + "WHERE hierarchy = 'payee' AND period_type = 'quarter' AND quota_amount > 0").get(0);
    assertThat(bands.stream().mapToLong(r -> Long.parseLong(r.get("payees"))).sum()).as("every payee with a quota once")
        .isEqualTo(withQuota.getLong(0));
    assertThat(bands.stream().map(r -> new BigDecimal(r.get("net_paid"))).reduce(BigDecimal.ZERO, BigDecimal::add))
        .as("their pay").isEqualByComparingTo(withQuota.getDecimal(1));
    assertThat(bands).allSatisfy(r -> assertThat(r.get("attainment_band"))
        .isIn("<50%", "50-75%", "75-100%", "100-125%", ">125%"));
  }
}
