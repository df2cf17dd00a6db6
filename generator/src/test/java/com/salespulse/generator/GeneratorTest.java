package com.salespulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {

  @TempDir
  Path tmp;

  static void generate(String... args) {
    assertThat(GenerateCommand.run(args)).as("exit code of generate %s", String.join(" ", args))
        .isEqualTo(GenerateCommand.SUCCESS);
  }

  Map<String, byte[]> generate(String name, String seed) throws IOException {
    Path out = tmp.resolve(name);
    generate("--out", out.toString(), "--start-date", "2026-11-02",
        "--days", "3", "--reps", "6", "--seed", seed);
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(out.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherData() throws IOException {
    Map<String, byte[]> a = generate("a", "7");
    Map<String, byte[]> b = generate("b", "7");
    Map<String, byte[]> c = generate("c", "8");
    assertThat(a.keySet()).as("same files").isEqualTo(b.keySet());
    for (String f : a.keySet()) {
      assertThat(b.get(f)).as("bytes of %s", f).isEqualTo(a.get(f));
    }
    assertThat(new String(c.get("comms/email/dt=2026-11-02/part-0001.jsonl"), StandardCharsets.UTF_8))
        .as("another seed gives other activity").isNotEqualTo(new String(a.get("comms/email/dt=2026-11-02/part-0001.jsonl"), StandardCharsets.UTF_8));
    for (String ds : List.of("crm/User", "crm/UserRole", "crm/Account", "crm/Contact", "crm/Opportunity",
        "crm/OpportunityHistory", "crm/OpportunityContactRole", "crm/ForecastingQuota", "crm/OpportunitySplit",
        "comms/email", "comms/meeting", "comms/call", "comp/payout", "crm/Task", "crm/Event", "crm/EmailMessage")) {
      for (String day : List.of("2026-11-02", "2026-11-03", "2026-11-04")) {
        assertThat(a).as("%s has a complete folder on %s", ds, day).containsKey(ds + "/dt=" + day + "/_SUCCESS");
      }
    }
  }

  @Test
  void theOrgIsDeepAndTheDealsAmbiguous() throws IOException {
    Path out = tmp.resolve("org");
    generate("--out", out.toString(), "--start-date", "2026-11-02",
        "--days", "2", "--reps", "12", "--seed", "42");
    List<Map<String, String>> roles = csv(out.resolve("crm/UserRole/dt=2026-11-02/UserRole.csv"));
    Map<String, String> parent = new HashMap<>();
    roles.forEach(r -> parent.put(r.get("Id"), r.get("ParentRoleId")));
    int depth = 0;
    for (String id : parent.keySet()) {
      int d = 1;
      for (String p = parent.get(id); p != null && !p.isEmpty(); p = parent.get(p)) {
        d++;
      }
      depth = Math.max(depth, d);
    }
    assertThat(depth).as("role hierarchy depth").isGreaterThanOrEqualTo(3);

    List<Map<String, String>> opps;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve("crm/Opportunity/dt=2026-11-02/Opportunity.csv.gz")))) {
      opps = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Map<String, Integer> openPerAccount = new HashMap<>();
    opps.stream().filter(o -> o.get("IsClosed").equals("false")).forEach(o -> openPerAccount.merge(o.get("AccountId"), 1, Integer::sum));
    assertThat(openPerAccount.values().stream().filter(n -> n >= 2).count())
        .as("accounts with several open deals at once").isGreaterThanOrEqualTo(3);

    List<Map<String, String>> contacts = csv(out.resolve("crm/Contact/dt=2026-11-02/Contact.csv"));
    assertThat(contacts.stream().filter(c -> c.get("Email").endsWith("@gmail.com") || c.get("Email").endsWith("@yahoo.com")
        || c.get("Email").endsWith("@outlook.com") || c.get("Email").endsWith("@hotmail.com")).count()).as("free-mail contacts").isPositive();
    Map<String, Integer> byEmail = new HashMap<>();
    contacts.forEach(c -> byEmail.merge(c.get("Email"), 1, Integer::sum));
    assertThat(byEmail.values().stream().filter(n -> n > 1).count()).as("contacts shared between accounts").isPositive();

    List<Map<String, String>> truth = csv(Path.of(out + "-truth/activity_truth.csv"));
    Map<String, Integer> categories = new TreeMap<>();
    truth.forEach(t -> categories.merge(t.get("category"), 1, Integer::sum));
    assertThat(categories).as("truth categories").containsKeys("deal", "internal", "newsletter");
    assertThat(categories.get("deal")).as("deal activity dominates").isGreaterThan(categories.get("internal"));
  }

  @Test
  void theHardProfileHasManyConcurrentDealsPerAccountAndRepsLogSomeActivity() throws IOException {
    Path out = tmp.resolve("hard");
    generate("--out", out.toString(), "--start-date", "2026-11-02",
        "--days", "2", "--reps", "12", "--seed", "42", "--profile", "hard");
    List<Map<String, String>> opps;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve("crm/Opportunity/dt=2026-11-02/Opportunity.csv.gz")))) {
      opps = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Map<String, Integer> openPerAccount = new HashMap<>();
    Map<String, java.util.Set<String>> ownersPerAccount = new HashMap<>();
    Map<String, Integer> namesPerAccount = new HashMap<>();
    opps.stream().filter(o -> o.get("IsClosed").equals("false")).forEach(o -> {
      openPerAccount.merge(o.get("AccountId"), 1, Integer::sum);
      ownersPerAccount.computeIfAbsent(o.get("AccountId"), k -> new java.util.HashSet<>()).add(o.get("OwnerId"));
      namesPerAccount.merge(o.get("AccountId") + "|" + o.get("Name"), 1, Integer::sum);
    });
    double meanOpen = openPerAccount.values().stream().mapToInt(Integer::intValue).average().orElse(0);
    assertThat(meanOpen).as("open deals per account").isGreaterThanOrEqualTo(15);
    assertThat(ownersPerAccount.values().stream().mapToInt(java.util.Set::size).min().orElse(0))
        .as("reps selling to each account").isGreaterThanOrEqualTo(2);
    assertThat(namesPerAccount.values().stream().filter(n -> n > 1).count())
        .as("open deals of one account that differ only by product share a name").isPositive();

    List<Map<String, String>> tasks = csv(out.resolve("crm/Task/dt=2026-11-02/Task.csv"));
    assertThat(tasks).as("logged calls").isNotEmpty();
    assertThat(tasks.stream().filter(t -> t.get("CallObject").isEmpty()).count()).as("calls logged by hand, no dialer id")
        .isLessThan(tasks.size());
    assertThat(csv(out.resolve("crm/EmailMessage/dt=2026-11-02/EmailMessage.csv"))).as("logged emails").isNotEmpty();
    List<Map<String, String>> truth = csv(Path.of(out + "-truth/activity_truth.csv"));
    java.util.Set<String> handLogged = new java.util.HashSet<>();
    tasks.stream().filter(t -> t.get("CallObject").isEmpty()).forEach(t -> handLogged.add(t.get("Id")));
    assertThat(truth.stream().filter(t -> handLogged.contains(t.get("source_id"))).count()).as("hand-logged calls are in the truth")
        .isEqualTo(handLogged.size());
  }

  @Test
  void everyCsvHeaderIsItsStagingTablesFieldList() throws IOException {
    Path out = tmp.resolve("headers");
    generate("--out", out.toString(), "--start-date", "2026-11-02", "--days", "1", "--reps", "4", "--seed", "1");
    Map<String, com.salespulse.transforms.staging.StagingTable> tables = Map.of(
        "crm/User/dt=2026-11-02/User.csv", new com.salespulse.transforms.staging.StgCrmUsers(),
        "crm/Task/dt=2026-11-02/Task.csv", new com.salespulse.transforms.staging.StgCrmTasks(),
        "comms/call/dt=2026-11-02/calls.csv", new com.salespulse.transforms.staging.StgCommsCalls(),
        "comp/payout/dt=2026-11-02/payouts.csv", new com.salespulse.transforms.staging.StgCompPayouts());
    for (var e : tables.entrySet()) {
      String header = Files.readAllLines(out.resolve(e.getKey())).get(0);
      assertThat(List.of(header.split(",")))
          .as("header of %s", e.getKey())
          .isEqualTo(e.getValue().fields().stream().map(com.salespulse.transforms.staging.Field::source).toList());
    }
  }

  @Test
  void aRecordOutsideTheContractFailsTheGenerator() {
    assertThatThrownBy(() -> new ContractWriter(null).payouts(java.time.LocalDate.parse("2026-11-02"), List.of(payout())))
        .as("a payout without its required currency")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot write comp/payout: required field 'currency' is missing");
  }

  private static Compensation.Payout payout() {
    Compensation.Payout p = new Compensation.Payout();
    p.id = "PAY1";
    p.payeeId = "005000000000001AAA";
    p.periodStart = java.time.LocalDate.parse("2026-11-01");
    p.periodEnd = java.time.LocalDate.parse("2026-11-30");
    p.component = "commission";
    p.paidDate = java.time.LocalDate.parse("2026-11-12");
    p.amount = java.math.BigDecimal.TEN;
    p.currency = null;
    return p;
  }

  @Test
  void aWrongOptionIsAUsageError() {
    assertThat(GenerateCommand.run("--out", tmp.resolve("x").toString(), "--start-date", "2026-11-02", "--days", "0"))
        .as("--days 0").isEqualTo(GenerateCommand.USAGE);
    assertThat(GenerateCommand.run("--out", tmp.resolve("x").toString(), "--start-date", "2026-02-30"))
        .as("an impossible date").isEqualTo(GenerateCommand.USAGE);
    assertThat(GenerateCommand.run("--start-date", "2026-11-02")).as("--out missing").isEqualTo(GenerateCommand.USAGE);
  }

  static List<Map<String, String>> csv(Path p) throws IOException {
    return parse(Files.readString(p));
  }

  static List<Map<String, String>> parse(String text) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    try (var parser = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new java.io.StringReader(text))) {
      parser.forEach(r -> out.add(r.toMap()));
    }
    return out;
  }
}
