package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal data of people outside the company: never in a fact or dimension table; with
 * {@code privacy.pseudonymise-external=true} not in staging either (keyed hashes instead), with the
 * same attribution; and never in a run's log, nor a credential or secret setting.
 */
class PrivacyTest {

  static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,}");
  static final Pattern PHONE_LIKE = Pattern.compile("\\+?\\(?\\d[\\d ().-]{6,}\\d");
  static final Pattern AWS_KEY = Pattern.compile("(AKIA|ASIA)[0-9A-Z]{16}");
  static final String KEY_ENV = "SALESPULSE_PSEUDONYMISATION_KEY";
  static final String KEY = "privacy-test key (not a secret) of 32+ chars";
  static final String DAY = "2026-11-25";

  @TempDir
  Path tmp;

  /** Outside addresses in a text: those whose domain is not internal. */
  static Set<String> outsideAddresses(String text, List<String> internal) {
    Set<String> out = new TreeSet<>();
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      String a = m.group().toLowerCase(java.util.Locale.ROOT);
      if (!internal.contains(a.substring(a.indexOf('@') + 1)) && !a.startsWith("p.")) {
        out.add(a);
      }
    }
    return out;
  }

  /** Known phone numbers (digits only, 8 or more) appearing in a text, whatever their formatting. */
  static Set<String> knownPhones(String text, Set<String> phones) {
    Set<String> out = new TreeSet<>();
    Matcher m = PHONE_LIKE.matcher(text);
    while (m.find()) {
      String digits = m.group().replaceAll("\\D", "");
      phones.stream().filter(p -> digits.endsWith(p) || p.endsWith(digits) && digits.length() >= 8).forEach(out::add);
    }
    return out;
  }

  /** Message-IDs look like addresses (<id@mail.host>) but name a message, not a person. */
  static final Pattern MESSAGE_ID_COLUMN = Pattern.compile(".*(message_id|message_identifier|message_key|thread_id|source_id)");

  /** Every value (message ids aside) of the tables whose names start with one of these prefixes, as JSON text. */
  static Map<String, String> text(String warehouse, String... prefixes) {
    com.salespulse.jobs.io.Warehouse w = new com.salespulse.jobs.io.Warehouse(TestSupport.spark(), warehouse);
    return w.tables().stream().filter(t -> java.util.Arrays.stream(prefixes).anyMatch(t::startsWith))
        .collect(Collectors.toMap(t -> t, t -> {
          org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> d = TestSupport.table(warehouse, t);
          for (String c : d.columns()) {
            if (MESSAGE_ID_COLUMN.matcher(c).matches()) {
              d = d.drop(c);
            }
          }
          return String.join("\n", d.toJSON().as(Encoders.STRING()).collectAsList());
        }));
  }

  /** The outside people's phone numbers staged in a warehouse (digits of contacts' and calls' numbers). */
  static Set<String> stagedPhones(String warehouse) {
    return TestSupport.table(warehouse, "stg_crm__contacts").selectExpr("phone AS p").union(
            TestSupport.table(warehouse, "stg_crm__contacts").selectExpr("mobile_phone AS p")).union(
            TestSupport.table(warehouse, "stg_comms__calls").selectExpr("counterpart_phone AS p"))
        .where("p IS NOT NULL").as(Encoders.STRING()).collectAsList().stream()
        .map(p -> p.replaceAll("\\D", "")).filter(p -> p.length() >= 8).collect(Collectors.toSet());
  }

  static List<String> internalDomains() {
    return Settings.load(null, Map.of()).attributionRules().internalDomains();
  }

  @Test
  void noFactOrDimensionTableHoldsAnOutsideAddressOrNumber() throws Exception {
    String golden = TestSupport.uri(TestSupport.golden().resolve("warehouse"));
    List<String> internal = internalDomains();
    Set<String> phones = stagedPhones(golden);
    assertThat(phones).as("the golden org stages outside numbers (the scan has something to find)").isNotEmpty();
    assertThat(outsideAddresses(text(golden, "stg_comms__emails").get("stg_comms__emails"), internal))
        .as("and outside addresses").isNotEmpty();
    for (Map.Entry<String, String> t : text(golden, "fct_", "dim_").entrySet()) {
      assertThat(outsideAddresses(t.getValue(), internal)).as("outside addresses in %s", t.getKey()).isEmpty();
      assertThat(knownPhones(t.getValue(), phones)).as("outside numbers in %s", t.getKey()).isEmpty();
    }
  }

  @Test
  void pseudonymisedStagingHoldsNoOutsideAddressOrNumberAndAttributesTheSame() throws Exception {
    String drop = TestSupport.exampleDrop().toString();
    String plain = TestSupport.uri(tmp.resolve("plain"));
    String pseudonymised = TestSupport.uri(tmp.resolve("pseudonymised"));
    Path conf = tmp.resolve("privacy.properties");
    Files.writeString(conf, "privacy.pseudonymise-external=true\n");

    // without the key in the environment the setting is refused before any work
    Environment.set(KEY_ENV, null);
    TestSupport.run(ExitCode.USAGE, "ingest", "--run-date", DAY, "--input-root", drop, "--warehouse", pseudonymised,
        "--conf", conf.toString());

    for (String command : List.of("ingest", "attribute")) {
      TestSupport.run(ExitCode.SUCCESS, command, "--run-date", DAY, "--input-root", drop, "--warehouse", plain);
    }
    Environment.set(KEY_ENV, KEY);
    StringBuilder log = new StringBuilder();
    try (AutoCloseable capture = capture(log)) {
      for (String command : List.of("ingest", "attribute")) {
        TestSupport.run(ExitCode.SUCCESS, command, "--run-date", DAY, "--input-root", drop, "--warehouse", pseudonymised,
            "--conf", conf.toString());
      }
    } finally {
      Environment.set(KEY_ENV, null);
    }

    List<String> internal = internalDomains();
    Set<String> phones = stagedPhones(plain);
    Set<String> addresses = new TreeSet<>();
    text(plain, "stg_").values().forEach(v -> addresses.addAll(outsideAddresses(v, internal)));
    assertThat(addresses).as("the example drop's outside addresses, staged in the clear by default").isNotEmpty();
    for (Map.Entry<String, String> t : text(pseudonymised, "stg_", "fct_", "dim_").entrySet()) {
      assertThat(outsideAddresses(t.getValue(), internal)).as("outside addresses in %s", t.getKey()).isEmpty();
      assertThat(knownPhones(t.getValue(), phones)).as("outside numbers in %s", t.getKey()).isEmpty();
    }
    assertThat(TestSupport.table(pseudonymised, "stg_crm__contacts").selectExpr("email").as(Encoders.STRING())
        .collectAsList()).as("contacts' addresses are pseudonyms that keep their domain")
        .allMatch(e -> e == null || e.matches("p\\.[0-9a-f]{24}@[a-z0-9.-]+"));
    for (String fact : List.of("fct_activities", "fct_activity_opportunity_credits")) {
      assertThat(TestSupport.tableRows(pseudonymised, fact)).as("%s with pseudonyms equals it without", fact)
          .isEqualTo(TestSupport.tableRows(plain, fact)).isNotEmpty();
    }

    String logged = log.toString();
    assertThat(logged).as("the run logged something").contains("END ingest");
    assertThat(outsideAddresses(logged, internal)).as("outside addresses in the log").isEmpty();
    assertThat(knownPhones(logged, phones)).as("outside numbers in the log").isEmpty();
    assertThat(logged).as("the key in the log").doesNotContain(KEY);
    assertThat(AWS_KEY.matcher(logged).find()).as("an AWS access key id in the log").isFalse();
  }

  /** Collects what the loggers print while open (the root logger's level and the salespulse loggers'). */
  static AutoCloseable capture(StringBuilder into) {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    AbstractAppender appender = new AbstractAppender("privacy-capture", null, null, true,
        org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        synchronized (into) {
          into.append(event.getMessage().getFormattedMessage()).append('\n');
          if (event.getThrown() != null) {
            into.append(event.getThrown()).append('\n');
          }
        }
      }
    };
    appender.start();
    ctx.getConfiguration().addAppender(appender);
    ctx.getConfiguration().getRootLogger().addAppender(appender, null, null);
    ctx.updateLoggers();
    return () -> {
      ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
      ctx.updateLoggers();
      appender.stop();
    };
  }
}
