package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

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

  Map<String, byte[]> generate(String name, String seed) throws IOException {
    Path out = tmp.resolve(name);
    TestSupport.run(ExitCode.SUCCESS, "generate", "--out", out.toString(), "--start-date", "2026-11-02",
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
    TestSupport.run(ExitCode.SUCCESS, "generate", "--out", out.toString(), "--start-date", "2026-11-02",
        "--days", "2", "--reps", "12", "--seed", "42");
    List<String[]> roles = csv(out.resolve("crm/UserRole/dt=2026-11-02/UserRole.csv"));
    Map<String, String> parent = new HashMap<>();
    roles.forEach(r -> parent.put(r[0], r[2]));
    int depth = 0;
    for (String id : parent.keySet()) {
      int d = 1;
      for (String p = parent.get(id); p != null && !p.isEmpty(); p = parent.get(p)) {
        d++;
      }
      depth = Math.max(depth, d);
    }
    assertThat(depth).as("role hierarchy depth").isGreaterThanOrEqualTo(3);

    List<String[]> opps;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve("crm/Opportunity/dt=2026-11-02/Opportunity.csv.gz")))) {
      opps = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Map<String, Integer> openPerAccount = new HashMap<>();
    opps.stream().filter(o -> o[8].equals("false")).forEach(o -> openPerAccount.merge(o[1], 1, Integer::sum));
    assertThat(openPerAccount.values().stream().filter(n -> n >= 2).count())
        .as("accounts with several open deals at once").isGreaterThanOrEqualTo(3);

    List<String[]> contacts = csv(out.resolve("crm/Contact/dt=2026-11-02/Contact.csv"));
    assertThat(contacts.stream().filter(c -> c[4].endsWith("@gmail.com") || c[4].endsWith("@yahoo.com")
        || c[4].endsWith("@outlook.com") || c[4].endsWith("@hotmail.com")).count()).as("free-mail contacts").isPositive();
    Map<String, Integer> byEmail = new HashMap<>();
    contacts.forEach(c -> byEmail.merge(c[4], 1, Integer::sum));
    assertThat(byEmail.values().stream().filter(n -> n > 1).count()).as("contacts shared between accounts").isPositive();

    List<String[]> truth = csv(Path.of(out + "-truth/activity_truth.csv"));
    Map<String, Integer> categories = new TreeMap<>();
    truth.forEach(t -> categories.merge(t[6], 1, Integer::sum));
    assertThat(categories).as("truth categories").containsKeys("deal", "internal", "newsletter");
    assertThat(categories.get("deal")).as("deal activity dominates").isGreaterThan(categories.get("internal"));
  }

  @Test
  void theHardProfileHasManyConcurrentDealsPerAccountAndRepsLogSomeActivity() throws IOException {
    Path out = tmp.resolve("hard");
    TestSupport.run(ExitCode.SUCCESS, "generate", "--out", out.toString(), "--start-date", "2026-11-02",
        "--days", "2", "--reps", "12", "--seed", "42", "--profile", "hard");
    List<String[]> opps;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve("crm/Opportunity/dt=2026-11-02/Opportunity.csv.gz")))) {
      opps = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Map<String, Integer> openPerAccount = new HashMap<>();
    Map<String, java.util.Set<String>> ownersPerAccount = new HashMap<>();
    Map<String, Integer> namesPerAccount = new HashMap<>();
    opps.stream().filter(o -> o[8].equals("false")).forEach(o -> {
      openPerAccount.merge(o[1], 1, Integer::sum);
      ownersPerAccount.computeIfAbsent(o[1], k -> new java.util.HashSet<>()).add(o[2]);
      namesPerAccount.merge(o[1] + "|" + o[3], 1, Integer::sum);
    });
    double meanOpen = openPerAccount.values().stream().mapToInt(Integer::intValue).average().orElse(0);
    assertThat(meanOpen).as("open deals per account").isGreaterThanOrEqualTo(15);
    assertThat(ownersPerAccount.values().stream().mapToInt(java.util.Set::size).min().orElse(0))
        .as("reps selling to each account").isGreaterThanOrEqualTo(2);
    assertThat(namesPerAccount.values().stream().filter(n -> n > 1).count())
        .as("open deals of one account that differ only by product share a name").isPositive();

    List<String[]> tasks = csv(out.resolve("crm/Task/dt=2026-11-02/Task.csv"));
    assertThat(tasks).as("logged calls").isNotEmpty();
    assertThat(tasks.stream().filter(t -> t[7].isEmpty()).count()).as("calls logged by hand, no dialer id")
        .isLessThan(tasks.size());
    assertThat(csv(out.resolve("crm/EmailMessage/dt=2026-11-02/EmailMessage.csv"))).as("logged emails").isNotEmpty();
    List<String[]> truth = csv(Path.of(out + "-truth/activity_truth.csv"));
    java.util.Set<String> handLogged = new java.util.HashSet<>();
    tasks.stream().filter(t -> t[7].isEmpty()).forEach(t -> handLogged.add(t[0]));
    assertThat(truth.stream().filter(t -> handLogged.contains(t[1])).count()).as("hand-logged calls are in the truth")
        .isEqualTo(handLogged.size());
  }

  static List<String[]> csv(Path p) throws IOException {
    return parse(Files.readString(p));
  }

  static List<String[]> parse(String text) throws IOException {
    List<String[]> out = new ArrayList<>();
    try (var parser = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new java.io.StringReader(text))) {
      parser.forEach(r -> out.add(r.values()));
    }
    return out;
  }
}
