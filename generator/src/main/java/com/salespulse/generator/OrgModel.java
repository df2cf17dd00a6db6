package com.salespulse.generator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The simulated org: its people (a role hierarchy four levels deep, managers and reps), accounts
 * with website domains, contacts (some on free-mail, some shared between accounts), deals with
 * their stage history, contact roles and splits, and the world's random stream. Everything the
 * other parts of the simulation change lives here; {@link #changed} lists what changed today, to
 * be exported in today's CRM drop.
 */
final class OrgModel {

  static final String DOMAIN = "maventech.com";
  static final String[] STAGES = {"Prospecting", "Qualification", "Discovery", "Proposal", "Negotiation"};
  static final int[] PROBABILITY = {10, 20, 40, 60, 80};
  static final String[] PRODUCTS = {"Platform", "Analytics", "Security Suite", "Data Cloud", "Integrations", "Support Renewal"};
  static final String[] FIRST = {"Ana", "Ben", "Chen", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jon", "Kai", "Lia",
      "Max", "Nia", "Oto", "Pia", "Quin", "Rae", "Sol", "Tao", "Uma", "Vic", "Wes", "Xia", "Yuri", "Zoe"};
  static final String[] LAST = {"Adams", "Brook", "Chen", "Diaz", "Evans", "Frost", "Garcia", "Hill", "Ito", "Jones",
      "Khan", "Lopez", "Meyer", "Nash", "Ortiz", "Park", "Quinn", "Reyes", "Shah", "Tran", "Uribe", "Vega", "Wong",
      "Young", "Zhou"};
  static final String[] NAME_A = {"Globex", "Initech", "Umbrella", "Stark", "Wayne", "Acme", "Hooli", "Vandelay",
      "Soylent", "Cyberdyne", "Tyrell", "Wonka", "Gringotts", "Aperture", "Oscorp", "Massive", "Pied", "Dunder",
      "Blue Sun", "Monarch", "Nakatomi", "Virtucon", "Genco", "Prestige"};
  static final String[] NAME_B = {"Systems", "Health", "Logistics", "Foods", "Energy", "Labs", "Capital", "Retail",
      "Media", "Robotics", "Motors", "Pharma", "Networks", "Holdings"};
  static final String[] FREEMAIL = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com"};
  static final String[] VENDORS = {"news.vendorletter.io", "updates.saasweekly.com", "mail.eventhub.net"};
  static final String[] TITLES = {"CFO", "VP Operations", "Director of IT", "IT Manager", "Procurement Lead", "Analyst", "CTO"};
  static final String[] CONTACT_ROLES = {"Decision Maker", "Economic Buyer", "Technical Buyer", "Influencer", "Evaluator"};

  static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  // ---- the simulated world ----
  static final class Role { String id; String name; String parentId; Instant modifiedAt; }
  static final class User { String id; String first; String last; String email; String roleId; String managerId;
    String title; String phone; Instant modifiedAt; boolean isRep; boolean inactive; }
  static final class Account { String id; String name; String domain; String website; String industry; String ownerId; Instant modifiedAt; }
  static final class Contact { String id; String accountId; String first; String last; String email; String phone;
    String title; Instant modifiedAt; }
  static final class Opp { String id; String accountId; String ownerId; String product; String name; int stage;
    BigDecimal amount; LocalDate closeDate; Instant createdAt; boolean closed; boolean won; Instant modifiedAt;
    LocalDate closedOn; final List<String> contactIds = new ArrayList<>();
    /** Set aside by an injected payout anomaly: the simulation no longer changes it. */
    boolean frozen; }
  static final class History { String id; String oppId; String stage; BigDecimal amount; LocalDate closeDate; int probability; Instant at; }
  static final class ContactRole { String id; String oppId; String contactId; String role; boolean primary; Instant modifiedAt; }
  static final class Quota { String id; String ownerId; LocalDate start; BigDecimal amount; Instant modifiedAt; }
  static final class Split { String id; String oppId; String ownerId; BigDecimal pct; BigDecimal amount; Instant modifiedAt; }

  /** The world's random stream: the simulated org depends on nothing else. */
  final Random rnd;
  final Generator.Profile profile;
  final int repCount;
  final double scale;
  private final Map<String, Integer> counters = new TreeMap<>();

  final List<Role> roles = new ArrayList<>();
  final List<User> users = new ArrayList<>();
  final List<User> reps = new ArrayList<>();
  final List<Account> accounts = new ArrayList<>();
  final List<Contact> contacts = new ArrayList<>();
  final List<Opp> opps = new ArrayList<>();
  final List<History> history = new ArrayList<>();
  final List<ContactRole> contactRoles = new ArrayList<>();
  final List<Quota> quotas = new ArrayList<>();
  final List<Split> splits = new ArrayList<>();
  final Map<String, User> userById = new LinkedHashMap<>();
  final Map<String, Account> accountById = new LinkedHashMap<>();
  final Map<String, Contact> contactById = new LinkedHashMap<>();
  final Map<String, List<Contact>> contactsByAccount = new LinkedHashMap<>();
  /** The records changed today, in the order they changed: today's CRM export. */
  final List<Object> changed = new ArrayList<>();

  OrgModel(long seed, int repCount, double scale, Generator.Profile profile) {
    this.rnd = new Random(seed);
    this.repCount = repCount;
    this.scale = scale;
    this.profile = profile;
  }

  String id(String prefix) {
    int n = counters.merge(prefix, 1, Integer::sum);
    return prefix + String.format("%012d", n) + "AAA";
  }

  <T> T pick(List<T> xs) {
    return xs.get(rnd.nextInt(xs.size()));
  }

  String pick(String[] xs) {
    return xs[rnd.nextInt(xs.length)];
  }

  boolean chance(double p) {
    return rnd.nextDouble() < p;
  }

  int poisson(double mean) {
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }

  Instant at(LocalDate day, int fromHour, int toHour) {
    int minutes = fromHour * 60 + rnd.nextInt(Math.max(1, (toHour - fromHour) * 60));
    return day.atStartOfDay().toInstant(ZoneOffset.UTC).plus(minutes, ChronoUnit.MINUTES);
  }

  static String crmTs(Instant t) {
    return ISO_MILLIS.format(t);
  }

  String phoneDigits() {
    return (200 + rnd.nextInt(700)) + String.format("%03d", rnd.nextInt(1000)) + String.format("%04d", rnd.nextInt(10000));
  }

  static String crmPhone(String d) {
    return "(" + d.substring(0, 3) + ") " + d.substring(3, 6) + "-" + d.substring(6);
  }

  static String digitsOf(String crmPhone) {
    return crmPhone.replaceAll("[^0-9]", "");
  }

  private Instant roleTime;

  void buildOrg(Instant t) {
    roleTime = t;
    Role vpRole = role("VP Sales", null);
    User vp = user("Vera", "Stone", vpRole.id, null, "VP Sales", false, t);
    int teams = Math.max(2, (int) Math.ceil(repCount / 6.0));
    int regions = Math.max(1, (int) Math.ceil(teams / 3.0));
    String[] regionNames = {"East", "West", "Central", "North", "South", "EMEA", "APAC"};
    List<User> directors = new ArrayList<>();
    List<Role> regionRoles = new ArrayList<>();
    for (int r = 0; r < regions; r++) {
      Role rr = role(regionNames[r % regionNames.length] + (r >= regionNames.length ? " " + r : "") + " Region", vpRole.id);
      regionRoles.add(rr);
      directors.add(user(pick(FIRST), pick(LAST), rr.id, vp.id, "Regional Director", false, t));
    }
    List<User> managers = new ArrayList<>();
    List<Role> teamRoles = new ArrayList<>();
    for (int k = 0; k < teams; k++) {
      Role parent = regionRoles.get(k % regions);
      Role tr = role(parent.name.replace(" Region", "") + " - Team " + (k + 1), parent.id);
      teamRoles.add(tr);
      managers.add(user(pick(FIRST), pick(LAST), tr.id, directors.get(k % regions).id, "Sales Manager", false, t));
    }
    for (int i = 0; i < repCount; i++) {
      int k = i % teams;
      User u = user(pick(FIRST), pick(LAST), teamRoles.get(k).id, managers.get(k).id, "Account Executive", true, t);
      reps.add(u);
    }
  }

  Role role(String name, String parent) {
    Role r = new Role();
    r.id = id("00E");
    r.name = name;
    r.parentId = parent;
    r.modifiedAt = roleTime;
    roles.add(r);
    return r;
  }

  User user(String first, String last, String roleId, String managerId, String title, boolean isRep, Instant t) {
    User u = new User();
    u.id = id("005");
    u.first = first;
    u.last = last;
    String local = (first + "." + last).toLowerCase();
    String email = local + "@" + DOMAIN;
    int n = 2;
    while (emailTaken(email)) {
      email = local + n++ + "@" + DOMAIN;
    }
    u.email = email;
    u.roleId = roleId;
    u.managerId = managerId;
    u.title = title;
    u.phone = "+1415555" + String.format("%04d", users.size() + 1);
    u.modifiedAt = t;
    u.isRep = isRep;
    users.add(u);
    userById.put(u.id, u);
    return u;
  }

  boolean emailTaken(String email) {
    return users.stream().anyMatch(u -> u.email.equals(email));
  }

  void buildAccounts(Instant t) {
    int n = profile.hard() ? Math.max(4, repCount) : repCount * 4;
    List<String> used = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name;
      do {
        name = pick(NAME_A) + " " + pick(NAME_B);
      } while (used.contains(name) && used.size() < NAME_A.length * NAME_B.length);
      if (used.contains(name)) {
        name = name + " " + i;
      }
      used.add(name);
      Account a = new Account();
      a.id = id("001");
      a.name = name;
      a.domain = name.toLowerCase().replaceAll("[^a-z0-9]", "") + ".com";
      a.website = switch (rnd.nextInt(4)) {
        case 0 -> "http://www." + a.domain;
        case 1 -> "https://" + a.domain + "/";
        case 2 -> a.domain;
        default -> "https://www." + a.domain + "/about";
      };
      a.industry = pick(new String[] {"technology", "healthcare", "retail", "finance", "manufacturing"});
      a.ownerId = reps.get(i % reps.size()).id;
      a.modifiedAt = t;
      accounts.add(a);
      accountById.put(a.id, a);
      int k = profile.hard() ? 8 + rnd.nextInt(8) : 3 + rnd.nextInt(4);
      for (int c = 0; c < k; c++) {
        contact(a, t);
      }
    }
    // consultants who are contacts at two accounts (same person, two Contact records)
    for (int i = 0; i + 1 < accounts.size() && i < repCount / 4 + 1; i++) {
      Account a = accounts.get(rnd.nextInt(accounts.size()));
      Account b = accounts.get(rnd.nextInt(accounts.size()));
      if (a == b) {
        continue;
      }
      Contact src = pick(contactsByAccount.get(a.id));
      Contact copy = contact(b, t);
      copy.first = src.first;
      copy.last = src.last;
      copy.email = src.email;
      copy.phone = src.phone;
    }
  }

  Contact contact(Account a, Instant t) {
    Contact c = new Contact();
    c.id = id("003");
    c.accountId = a.id;
    c.first = pick(FIRST);
    c.last = pick(LAST);
    String local = (c.first + "." + c.last).toLowerCase() + contacts.size();
    c.email = chance(0.1) ? local + "@" + pick(FREEMAIL) : local + "@" + a.domain;
    c.phone = crmPhone(phoneDigits());
    c.title = pick(TITLES);
    c.modifiedAt = t;
    contacts.add(c);
    contactById.put(c.id, c);
    contactsByAccount.computeIfAbsent(a.id, k -> new ArrayList<>()).add(c);
    changed.add(c);
    return c;
  }

  Opp newOpp(Account a, Instant createdAt, LocalDate today) {
    Opp o = new Opp();
    o.id = id("006");
    o.accountId = a.id;
    o.ownerId = chance(profile.hard() ? 0.4 : 0.85) ? a.ownerId : pick(reps).id;
    List<String> usedProducts = opps.stream().filter(x -> x.accountId.equals(a.id) && !x.closed).map(x -> x.product).toList();
    String product;
    do {
      product = pick(PRODUCTS);
    } while (!profile.hard() && usedProducts.contains(product) && usedProducts.size() < PRODUCTS.length);
    o.product = product;
    // a hard org names deals by account and product only: several open deals share a name
    o.name = a.name + " - " + product + (profile.hard() ? "" : " " + (opps.size() + 1));
    o.stage = 0;
    o.amount = BigDecimal.valueOf(5_000 + rnd.nextInt(120) * 1_000L).setScale(2, RoundingMode.UNNECESSARY);
    o.closeDate = today.plusDays(30 + rnd.nextInt(90));
    o.createdAt = createdAt;
    o.modifiedAt = createdAt;
    opps.add(o);
    // Each deal has its own buying group; a contact already on another open deal of the account
    // joins this one too only sometimes (shared contacts keep attribution honest).
    List<Contact> pool = new ArrayList<>(contactsByAccount.get(a.id));
    List<String> onOpenDeals = opps.stream().filter(x -> x.accountId.equals(a.id) && !x.closed)
        .flatMap(x -> x.contactIds.stream()).toList();
    if (pool.stream().filter(c -> !onOpenDeals.contains(c.id)).count() >= 2) {
      pool.removeIf(c -> onOpenDeals.contains(c.id) && !chance(profile.hard() ? 0.5 : 0.25));
    }
    // the primary contact is someone not already on another open deal of the account, when possible
    pool.sort(Comparator.comparing(c -> onOpenDeals.contains(c.id)));
    int fresh = (int) pool.stream().filter(c -> !onOpenDeals.contains(c.id)).count();
    int roles = Math.min(pool.size(), 1 + rnd.nextInt(3));
    for (int i = 0; i < roles; i++) {
      Contact c = pool.remove(i == 0 && fresh > 0 ? rnd.nextInt(fresh) : rnd.nextInt(pool.size()));
      addContactRole(o, c, i == 0, createdAt);
    }
    addHistory(o, createdAt);
    changed.add(o);
    return o;
  }

  void addContactRole(Opp o, Contact c, boolean primary, Instant t) {
    ContactRole r = new ContactRole();
    r.id = id("00K");
    r.oppId = o.id;
    r.contactId = c.id;
    r.role = pick(CONTACT_ROLES);
    r.primary = primary;
    r.modifiedAt = t;
    contactRoles.add(r);
    o.contactIds.add(c.id);
    changed.add(r);
  }

  void addHistory(Opp o, Instant t) {
    History h = new History();
    h.id = id("008");
    h.oppId = o.id;
    h.stage = stageName(o);
    h.amount = o.amount;
    h.closeDate = o.closeDate;
    h.probability = o.closed ? (o.won ? 100 : 0) : PROBABILITY[o.stage];
    h.at = t;
    history.add(h);
    changed.add(h);
  }

  static String stageName(Opp o) {
    return o.closed ? (o.won ? "Closed Won" : "Closed Lost") : STAGES[o.stage];
  }

  void split(Opp o, String ownerId, int pct, Instant t) {
    Split s = new Split();
    s.id = id("0FS");
    s.oppId = o.id;
    s.ownerId = ownerId;
    s.pct = BigDecimal.valueOf(pct).setScale(2, RoundingMode.UNNECESSARY);
    s.amount = o.amount.multiply(BigDecimal.valueOf(pct)).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
    s.modifiedAt = t;
    splits.add(s);
    changed.add(s);
  }

  List<Split> splitsOf(Opp o) {
    return splits.stream().filter(x -> x.oppId.equals(o.id)).toList();
  }

  Opp opp(String id) {
    return opps.stream().filter(o -> o.id.equals(id)).findFirst().orElse(null);
  }

  static String nz(String s) {
    return s == null ? "" : s;
  }
}
