package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of the quick JIT for a small quiet night (scripts/quick-jit.sh), asked of
 * bash about the golden warehouse and a copy of its drop with a night that lands no record.
 */
class QuickJitTest {

  private static final String QUIET = "2026-11-05";

  /** A night like {@link #QUIET} but for one call record: a small drop, not a quiet night. */
  private static final String ONE_RECORD = "2026-11-06";

  @TempDir
  static Path tmp;

  private static Path drop;
  private static Path warehouse;

  @BeforeAll
  static void quietDrop() throws IOException {
    warehouse = TestSupport.golden().resolve("warehouse");
    drop = tmp.resolve("drop");
    TestSupport.copyTree(Path.of(TestSupport.goldenDrop()), drop);
    TestSupport.quietNight(drop, TestSupport.GOLDEN_LAST, QUIET);
    TestSupport.quietNight(drop, TestSupport.GOLDEN_LAST, ONE_RECORD);
    List<String> calls = Files.readAllLines(drop.resolve("comms/call/dt=" + TestSupport.GOLDEN_LAST + "/calls.csv"));
    assertThat(calls).as("the golden drop's calls of %s", TestSupport.GOLDEN_LAST).hasSizeGreaterThan(1);
    Files.write(drop.resolve("comms/call/dt=" + ONE_RECORD + "/calls.csv"), calls.subList(0, 2));
  }

  /** The choice's exit code (0: the quick JIT) and what it printed. */
  private record Choice(int exit, String out) {}

  private static Choice choose(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c",
        "source ../scripts/quick-jit.sh && QUICK_JIT_DEFAULTS=../conf/local.properties quick_jit_reason \"$@\"", "choice"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return new Choice(p.waitFor(), out);
  }

  private static Choice nightly(String date, String... more) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("nightly", "--run-date", date, "--input-root", drop.toString(),
        "--warehouse", TestSupport.uri(warehouse)));
    args.addAll(List.of(more));
    return choose(Map.of(), args.toArray(String[]::new));
  }

  @Test
  void aQuietNightOfASmallOrgGetsTheQuickJit() throws Exception {
    Choice c = nightly(QUIET);
    assertThat(c.exit()).as("the choice for a drop without records: %s", c.out()).isZero();
    assertThat(c.out()).as("the reason printed").startsWith("a quiet night (a drop of ").contains("for " + QUIET)
        .contains("fact tables of");
    // each step run alone on that night, and the settings from a --conf file instead of the command line
    Path conf = tmp.resolve("night.properties");
    Files.writeString(conf, "salespulse.warehouse=" + warehouse + "\nsalespulse.input-root = " + drop + "\n");
    for (String step : List.of("ingest", "attribute", "rollup", "reconcile")) {
      assertThat(choose(Map.of(), step, "--run-date=" + QUIET, "--conf", conf.toString()).exit())
          .as("the choice for %s alone with its settings in %s", step, conf).isZero();
    }
  }

  @Test
  void everyOtherNightKeepsTheTieredJit() throws Exception {
    long quietBytes = Long.parseLong(nightly(QUIET).out().replaceAll(".*a drop of (\\d+) bytes.*", "$1"));
    assertThat(choose(Map.of("QUICK_JIT_MAX_DROP_BYTES", String.valueOf(quietBytes - 1)), "nightly", "--run-date",
        QUIET, "--input-root", drop.toString(), "--warehouse", warehouse.toString()).exit())
        .as("a drop one byte over the limit").isEqualTo(1);
    assertThat(choose(Map.of("QUICK_JIT_MAX_FACT_BYTES", "1"), "nightly", "--run-date", QUIET, "--input-root",
        drop.toString(), "--warehouse", warehouse.toString()).exit())
        .as("a warehouse whose fact tables are over the limit").isEqualTo(1);
    Choice one = nightly(ONE_RECORD);
    assertThat(one.exit()).as("a drop of one record, under the size limit: %s", one.out()).isEqualTo(1);
    assertThat(nightly(QUIET, "--full").exit()).as("--full").isEqualTo(1);
    assertThat(nightly(QUIET, "--to-date", "2026-11-06").exit()).as("a range of dates").isEqualTo(1);
    assertThat(nightly("2026-11-20").exit()).as("a date whose drop is not there").isEqualTo(1);
    assertThat(choose(Map.of(), "nightly", "--run-date", QUIET, "--input-root", drop.toString(), "--warehouse",
        "s3a://bucket/warehouse").exit()).as("a warehouse in S3").isEqualTo(1);
    Path empty = Files.createDirectories(tmp.resolve("new-warehouse"));
    assertThat(choose(Map.of(), "nightly", "--run-date", QUIET, "--input-root", drop.toString(), "--warehouse",
        empty.toString()).exit()).as("a first load").isEqualTo(1);
    assertThat(choose(Map.of(), "sql", "-e", "select 1").exit()).as("sql (its own flags)").isEqualTo(1);
    assertThat(choose(Map.of(), "maintain", "--warehouse", warehouse.toString()).exit()).as("maintain").isEqualTo(1);
  }
}
