package com.salespulse.jobs.generate;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Simulates a sales org day by day and writes one contract-format drop per date: a role hierarchy
 * four levels deep, managers and reps, accounts with website domains, contacts (some on free-mail,
 * some shared between accounts), deals moving through stages with history, contact roles, quotas,
 * splits and payouts; emails (threads, replies, one copy per internal mailbox), meetings (one copy
 * per internal attendee, some cancelled or declined), calls (phone formats unlike the CRM's).
 *
 * <p>Ambiguity is there on purpose: accounts with several open deals at once, contacts on several
 * deals, generic subjects, internal-only mail, newsletters, unknown numbers and free-mail strangers.
 * A small share of malformed rows, late records and re-deliveries make the drops realistic. The
 * ground truth (activity -> rep, account, deal) is written outside the drop. Same seed, same bytes.
 */
final class Generator {

  record Summary(int files, long rows, long activities) {}

  /**
   * How the simulated org behaves. {@code hard}: few accounts with 20+ deals open at once, several
   * reps selling to each account, deals of one account named only by their product, mostly generic
   * subjects, big shared buying groups, and reps who work a handful of deals at a time. The logged
   * shares are the chance that a rep logs an activity in the CRM (EmailMessage, Task, Event);
   * a logged record names a sibling deal or only the account at the mis-log rates; hand-logged calls
   * (a mobile call with no dialer record) happen per rep and day at that rate.
   */
  record Profile(boolean hard, double loggedEmailShare, double loggedCallShare, double loggedMeetingShare,
                 double misLogSiblingRate, double misLogAccountRate, double handLoggedCallRate) {
    static Profile of(String name) {
      return switch (name) {
        case "easy" -> new Profile(false, 0.25, 1.0 / 3, 0.4, 0.03, 0.03, 0.05);
        case "hard" -> new Profile(true, 0.25, 1.0 / 3, 0.4, 0.03, 0.03, 0.05);
        default -> throw new IllegalArgumentException("Cannot use profile '" + name + "': expected easy or hard");
      };
    }

    Profile withLogging(double email, double call, double meeting, double sibling, double account) {
      return new Profile(hard, email, call, meeting, sibling, account, email + call + meeting == 0 ? 0 : handLoggedCallRate);
    }
  }

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
  static final class Task { String id; String ownerId; String whatId; String whoId; String subject; LocalDate day;
    String subtype; String callObject; Integer duration; Instant at; }
  static final class Event { String id; String ownerId; String whatId; String whoId; String subject; Instant start; Instant end; }
  static final class EmailMessage { String id; String messageId; String relatedToId; String from; String to;
    String subject; Instant at; }
  static final class Opp { String id; String accountId; String ownerId; String product; String name; int stage;
    BigDecimal amount; LocalDate closeDate; Instant createdAt; boolean closed; boolean won; Instant modifiedAt;
    LocalDate closedOn; final List<String> contactIds = new ArrayList<>();
    /** Set aside by an injected payout anomaly: the simulation no longer changes it. */
    boolean frozen; }
  static final class History { String id; String oppId; String stage; BigDecimal amount; LocalDate closeDate; int probability; Instant at; }
  static final class ContactRole { String id; String oppId; String contactId; String role; boolean primary; Instant modifiedAt; }
  static final class Quota { String id; String ownerId; LocalDate start; BigDecimal amount; Instant modifiedAt; }
  static final class Split { String id; String oppId; String ownerId; BigDecimal pct; BigDecimal amount; Instant modifiedAt; }
  static final class Payout { String id; String payeeId; LocalDate periodStart; LocalDate periodEnd; String component;
    String oppId; BigDecimal amount; LocalDate paidDate; String currency = "USD";
    /** Exported with 15-character Salesforce ids, as many compensation systems do. */
    boolean shortIds; }

  /** A communication line to deliver in a drop (one mailbox's copy), with its activity's day. */
  record Line(String dataset, Object content) {}

  private final DropWriter out;
  private final Random rnd;
  /** Logging decisions draw from their own stream, so the simulated world does not depend on them. */
  private final Random logRnd;
  /** Payouts draw from their own stream too: they never change the simulated world's randomness. */
  private final Random payRnd;
  private final boolean payoutAnomalies;
  private final Profile profile;
  private final Map<String, List<Opp>> focus = new LinkedHashMap<>();
  private final List<Object> loggedToday = new ArrayList<>();
  private final int repCount;
  private final double scale;
  private final Map<String, Integer> counters = new TreeMap<>();

  private final List<Role> roles = new ArrayList<>();
  private final List<User> users = new ArrayList<>();
  private final List<User> reps = new ArrayList<>();
  private final List<Account> accounts = new ArrayList<>();
  private final List<Contact> contacts = new ArrayList<>();
  private final List<Opp> opps = new ArrayList<>();
  private final List<History> history = new ArrayList<>();
  private final List<ContactRole> contactRoles = new ArrayList<>();
  private final List<Quota> quotas = new ArrayList<>();
  private final List<Split> splits = new ArrayList<>();
  private final Map<String, User> userById = new LinkedHashMap<>();
  private final Map<String, Account> accountById = new LinkedHashMap<>();
  private final Map<String, Contact> contactById = new LinkedHashMap<>();
  private final Map<String, List<Contact>> contactsByAccount = new LinkedHashMap<>();

  // per-day changes to export
  private final List<Object> changed = new ArrayList<>();
  private final List<Payout> payoutsToday = new ArrayList<>();
  // comms lines by delivery day offset
  private final Map<Integer, List<Line>> pending = new TreeMap<>();
  private final List<List<Object>> truth = new ArrayList<>();
  private long rows;

  Generator(DropWriter out, long seed, int repCount, double scale, Profile profile) {
    this(out, seed, repCount, scale, profile, true);
  }

  Generator(DropWriter out, long seed, int repCount, double scale, Profile profile, boolean payoutAnomalies) {
    this.out = out;
    this.rnd = new Random(seed);
    this.logRnd = new Random(seed * 31 + 7);
    this.payRnd = new Random(seed * 37 + 11);
    this.payoutAnomalies = payoutAnomalies;
    this.profile = profile;
    this.repCount = repCount;
    this.scale = scale;
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

  /** An ISO-8601 rendering of an instant with a varying offset, as different sources write it. */
  String ts(Instant t) {
    return switch (rnd.nextInt(4)) {
      case 0 -> ISO_MILLIS.format(t);
      case 1 -> t.atOffset(ZoneOffset.ofHours(-5)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      case 2 -> t.atOffset(ZoneOffset.ofHours(1)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      default -> t.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    };
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

  /** The same number as a dialer writes it: E.164, dashed with the country code, or dotted. */
  String dialerPhone(String d) {
    return switch (rnd.nextInt(3)) {
      case 0 -> "+1" + d;
      case 1 -> "1-" + d.substring(0, 3) + "-" + d.substring(3, 6) + "-" + d.substring(6);
      default -> d.substring(0, 3) + "." + d.substring(3, 6) + "." + d.substring(6);
    };
  }

  static String digitsOf(String crmPhone) {
    return crmPhone.replaceAll("[^0-9]", "");
  }

  // ------------------------------------------------------------------ world building

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
    pool.sort(java.util.Comparator.comparing(c -> onOpenDeals.contains(c.id)));
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

  /** One simulated day of CRM changes. */
  void crmDay(LocalDate day) {
    // new deals
    int newDeals = poisson(repCount * (profile.hard() ? 0.3 : 0.05));
    for (int i = 0; i < newDeals; i++) {
      newOpp(pick(accounts), at(day, 13, 22), day);
    }
    for (Opp o : List.copyOf(opps)) {
      if (o.closed || o.frozen) {
        continue;
      }
      boolean touched = false;
      Instant t = at(day, 13, 23);
      if (!o.createdAt.isBefore(day.atStartOfDay().toInstant(ZoneOffset.UTC))) {
        continue;
      }
      if (chance(0.06)) {
        if (o.stage == STAGES.length - 1 || (o.stage >= 2 && chance(0.1))) {
          o.closed = true;
          o.won = o.stage == STAGES.length - 1 && chance(0.6);
          o.closeDate = day;
          o.closedOn = day;
        } else {
          o.stage++;
        }
        touched = true;
      }
      if (!o.closed && chance(0.015)) {
        o.closeDate = o.closeDate.plusDays(14 + rnd.nextInt(30));
        touched = true;
      }
      if (!o.closed && chance(0.01)) {
        o.amount = o.amount.multiply(BigDecimal.valueOf(80 + rnd.nextInt(50))).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
        touched = true;
      }
      if (!o.closed && chance(0.01)) {
        List<Contact> pool = new ArrayList<>(contactsByAccount.get(o.accountId));
        pool.removeIf(c -> o.contactIds.contains(c.id));
        if (!pool.isEmpty()) {
          addContactRole(o, pick(pool), false, t);
        }
      }
      if (touched) {
        o.modifiedAt = t;
        addHistory(o, t);
        changed.add(o);
        if (o.won && chance(0.15)) {
          User other = pick(reps);
          if (!other.id.equals(o.ownerId)) {
            split(o, o.ownerId, 60, t);
            split(o, other.id, 40, t);
          }
        }
      }
    }
    if (chance(0.2)) {
      contact(pick(accounts), at(day, 14, 20));
    }
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

  /** A rep moves to another team: new manager and role from this instant. */
  void moveRep(LocalDate day) {
    User rep = reps.get(rnd.nextInt(reps.size()));
    List<User> managers = users.stream().filter(u -> u.title.equals("Sales Manager") && !u.id.equals(rep.managerId)).toList();
    if (managers.isEmpty()) {
      return;
    }
    User m = pick(managers);
    rep.managerId = m.id;
    rep.roleId = m.roleId;
    rep.modifiedAt = at(day, 8, 10);
    changed.add(rep);
  }

  // ------------------------------------------------------------------ incentive payouts

  /** Every payout line ever delivered, by id (a re-delivery replaces the content). */
  private final Map<String, Payout> allPayouts = new LinkedHashMap<>();
  /** Known exceptions: code, payout_id, opportunity_id, payee_user_id. */
  private final List<String[]> payoutTruth = new ArrayList<>();
  private final Set<String> overCredited = new java.util.HashSet<>();
  private final Set<String> wrongPeriod = new java.util.HashSet<>();
  private final Set<String> foreignCurrency = new java.util.HashSet<>();
  private User formerRep;
  private int payRuns;
  private LocalDate lastDate;

  void knownException(String code, String payoutId, String oppId, String payeeId) {
    payoutTruth.add(new String[] {code, nz(payoutId), nz(oppId), nz(payeeId)});
  }

  List<Split> splitsOf(Opp o) {
    return splits.stream().filter(x -> x.oppId.equals(o.id)).toList();
  }

  static LocalDate monthEnd(LocalDate d) {
    return d.withDayOfMonth(d.lengthOfMonth());
  }

  <T> T payPick(List<T> xs) {
    return xs.get(payRnd.nextInt(xs.size()));
  }

  /**
   * A pay run (Mondays and the first drop): commission on every deal won the week before (the
   * first run also pays the month before), 10% of the deal, to the owner or to each split owner by
   * share, in the close month's period; sometimes a spiff; sometimes a draw recovered. With
   * anomalies on, every exception code is injected beside the clean lines and recorded as known.
   */
  void payouts(LocalDate day, boolean first) {
    // the world's own stream draws here exactly as it always has (a spiff chance per deal won last
    // week, then the period-level line), so the simulated org does not change with the payout logic;
    // every other payout choice draws from payRnd
    Map<Opp, Boolean> spiffs = new IdentityHashMap<>();
    for (Opp o : opps) {
      if (o.won && o.closedOn != null && !o.closedOn.isBefore(day.minusDays(7)) && o.closedOn.isBefore(day)) {
        spiffs.put(o, chance(0.2));
      }
    }
    User drawn = null;
    int drawAmount = 0;
    if (chance(0.3)) {
      drawn = pick(reps);
      drawAmount = 150 + rnd.nextInt(500);
    }
    LocalDate from = first ? day.minusDays(7).withDayOfMonth(1) : day.minusDays(7);
    if (payoutAnomalies && !first) {
      phantomDeal(day);
    }
    List<Opp> due = opps.stream()
        .filter(o -> o.won && o.closedOn != null && !o.closedOn.isBefore(from) && o.closedOn.isBefore(day)).toList();
    Opp skipped = null;
    List<Opp> plain = new ArrayList<>(due.stream().filter(o -> splitsOf(o).isEmpty() && !o.contactIds.isEmpty()).toList());
    java.util.Collections.shuffle(plain, payRnd);
    if (payoutAnomalies && first) {
      // won_not_paid: the earliest deal won at least 8 days before the first drop is never paid
      skipped = due.stream().filter(o -> o.closedOn.isBefore(day.minusDays(8)))
          .min(java.util.Comparator.comparing((Opp o) -> o.closedOn).thenComparing(o -> o.id)).orElse(null);
    } else if (payoutAnomalies) {
      // anomalies on this run's deals, each kind first in turn (small orgs win few deals a week)
      for (int k = 0; k < 3 && !plain.isEmpty(); k++) {
        Opp o = plain.remove(0);
        switch ((payRuns + k) % 3) {
          case 0 -> {
            User other = payPick(reps.stream().filter(u -> !u.id.equals(o.ownerId)).toList());
            split(o, o.ownerId, 60, o.modifiedAt);
            split(o, other.id, 60, o.modifiedAt);
            overCredited.add(o.id);
          }
          case 1 -> wrongPeriod.add(o.id);
          default -> foreignCurrency.add(o.id);
        }
      }
      payRuns++;
    }
    for (Opp o : due) {
      List<Split> ss = splitsOf(o);
      if (o == skipped) {
        if (ss.isEmpty()) {
          knownException("won_not_paid", null, o.id, o.ownerId);
        } else {
          ss.forEach(x -> knownException("won_not_paid", null, o.id, x.ownerId));
        }
        continue;
      }
      LocalDate month = o.closedOn.withDayOfMonth(1).plusMonths(wrongPeriod.contains(o.id) ? 3 : 0);
      List<Payout> lines = new ArrayList<>();
      if (ss.isEmpty()) {
        lines.add(payout(o.ownerId, month, monthEnd(month), "commission", o.id, commission(o.amount), day));
      } else {
        for (Split x : ss) {
          lines.add(payout(x.ownerId, month, monthEnd(month), "commission", o.id,
              commission(o.amount.multiply(x.pct).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP)), day));
        }
      }
      for (Payout p : lines) {
        if (wrongPeriod.contains(o.id)) {
          knownException("out_of_period", p.id, o.id, p.payeeId);
        }
        if (foreignCurrency.contains(o.id)) {
          p.currency = "EUR";
          knownException("currency_mismatch", p.id, o.id, p.payeeId);
        }
      }
      if (Boolean.TRUE.equals(spiffs.get(o))) {
        lines.add(payout(o.ownerId, day.withDayOfMonth(1), monthEnd(day), "spiff", o.id,
            BigDecimal.valueOf(250).setScale(2, RoundingMode.UNNECESSARY), day));
      }
      if (overCredited.contains(o.id)) {
        lines.forEach(p -> knownException("credit_over_100", p.id, o.id, p.payeeId));
      }
    }
    if (drawn != null) {
      // a draw recovered: a period-level negative line
      payout(drawn.id, day.withDayOfMonth(1), monthEnd(day), "draw", null,
          BigDecimal.valueOf(-drawAmount).setScale(2, RoundingMode.UNNECESSARY), day);
    }
    if (payoutAnomalies && !first) {
      anomalies(day, plain);
    }
  }

  static BigDecimal commission(BigDecimal amount) {
    return amount.multiply(BigDecimal.valueOf(0.1)).setScale(2, RoundingMode.HALF_UP);
  }

  /** A deal entered already won, on an account nobody works: paid, with no activity behind it. */
  void phantomDeal(LocalDate day) {
    Account a = new Account();
    a.id = id("001");
    a.name = "Quiet Holdings " + a.id.substring(10, 15);
    a.domain = "quietholdings" + a.id.substring(10, 15) + ".com";
    a.website = a.domain;
    a.industry = "finance";
    a.ownerId = payPick(reps).id;
    a.modifiedAt = day.minusDays(20).atStartOfDay().toInstant(ZoneOffset.UTC).plus(10, ChronoUnit.HOURS);
    accountById.put(a.id, a);
    contactsByAccount.put(a.id, new ArrayList<>());
    changed.add(a);
    Opp o = new Opp();
    o.id = id("006");
    o.accountId = a.id;
    o.ownerId = a.ownerId;
    o.product = PRODUCTS[0];
    o.name = a.name + " - " + o.product;
    o.stage = STAGES.length - 1;
    o.amount = BigDecimal.valueOf(20_000 + payRnd.nextInt(40) * 1_000L).setScale(2, RoundingMode.UNNECESSARY);
    o.createdAt = a.modifiedAt;
    o.closed = true;
    o.won = true;
    o.closedOn = day.minusDays(5);
    o.closeDate = o.closedOn;
    o.modifiedAt = o.closedOn.atStartOfDay().toInstant(ZoneOffset.UTC).plus(15, ChronoUnit.HOURS);
    o.frozen = true;
    opps.add(o);
    addHistory(o, o.modifiedAt);
    changed.add(o);
  }

  /** The injected anomalies that need earlier lines or other deals. */
  void anomalies(LocalDate day, List<Opp> plain) {
    String month = day.withDayOfMonth(1).toString();
    // paid_not_won: an open deal paid (and left alone, so its close date stays in the period)
    List<Opp> open = opps.stream().filter(o -> !o.closed && !o.frozen && !o.createdAt.isAfter(day.atStartOfDay()
        .toInstant(ZoneOffset.UTC))).toList();
    if (!open.isEmpty()) {
      Opp o = payPick(open);
      o.frozen = true;
      LocalDate m = o.closeDate.withDayOfMonth(1);
      Payout p = payout(o.ownerId, m, monthEnd(m), "commission", o.id, commission(o.amount), day);
      knownException("paid_not_won", p.id, o.id, p.payeeId);
    }
    // deals whose every payment was paid before today, still won, untouched by other anomalies (a
    // deal reopened before a payment's paid date would make that payment paid_not_won)
    Map<String, LocalDate> lastPaid = new TreeMap<>();
    allPayouts.values().stream().filter(p -> p.oppId != null && p.amount.signum() > 0)
        .forEach(p -> lastPaid.merge(p.oppId, p.paidDate, (a, b) -> a.isAfter(b) ? a : b));
    List<Opp> paidWon = lastPaid.entrySet().stream().filter(e -> e.getValue().isBefore(day))
        .map(Map.Entry::getKey).map(this::opp)
        .filter(o -> o != null && o.won && !o.frozen && splitsOf(o).isEmpty() && !overCredited.contains(o.id)
            && !wrongPeriod.contains(o.id) && !foreignCurrency.contains(o.id))
        .sorted(java.util.Comparator.comparing(o -> o.id)).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    java.util.Collections.shuffle(paidWon, payRnd);
    if (paidWon.size() >= 2 && !day.isAfter(lastDate.minusDays(7))) {
      // missing_clawback: reopened after payment, nothing taken back
      Opp gone = paidWon.remove(0);
      reopen(gone, day);
      paymentsOn(gone).forEach(p -> knownException("missing_clawback", p.id, gone.id, p.payeeId));
      // the clean case: reopened and clawed back in full
      Opp back = paidWon.remove(0);
      reopen(back, day);
      for (Payout p : paymentsOn(back)) {
        payout(p.payeeId, day.withDayOfMonth(1), monthEnd(day), "clawback", back.id, p.amount.negate(), day);
      }
    }
    if (!paidWon.isEmpty()) {
      // duplicate_payout: the same commission paid again
      Opp o = paidWon.remove(0);
      Payout first = paymentsOn(o).stream().filter(p -> p.component.equals("commission")).findFirst().orElse(null);
      if (first != null) {
        Payout p = payout(first.payeeId, first.periodStart, first.periodEnd, "commission", o.id, first.amount, day);
        knownException("duplicate_payout", p.id, o.id, p.payeeId);
      }
    }
    List<Payout> earlier = allPayouts.values().stream()
        .filter(p -> p.oppId != null && p.component.equals("commission") && p.paidDate.isBefore(day)
            && payoutTruth.stream().noneMatch(t -> t[1].equals(p.id))).toList();
    if (!earlier.isEmpty()) {
      // duplicate_payout: one payout_id re-sent with another amount
      Payout was = payPick(earlier);
      Payout again = copy(was);
      again.amount = was.amount.add(BigDecimal.valueOf(100));
      payoutsToday.add(again);
      allPayouts.put(again.id, again);
      knownException("duplicate_payout", again.id, again.oppId, again.payeeId);
    }
    paidWon.addAll(plain);
    if (!paidWon.isEmpty()) {
      // payee_not_credited: someone other than the owner paid on a won deal
      Opp o = paidWon.remove(0);
      User other = payPick(reps.stream().filter(u -> !u.id.equals(o.ownerId)).toList());
      Payout p = payout(other.id, o.closedOn.withDayOfMonth(1), monthEnd(o.closedOn), "commission", o.id,
          commission(o.amount), day);
      knownException("payee_not_credited", p.id, o.id, p.payeeId);
    }
    if (!paidWon.isEmpty()) {
      // clawback_without_payout: money taken back from someone never paid on the deal
      Opp o = paidWon.remove(0);
      User other = payPick(reps.stream().filter(u -> !u.id.equals(o.ownerId)).toList());
      Payout p = payout(other.id, day.withDayOfMonth(1), monthEnd(day), "clawback", o.id,
          BigDecimal.valueOf(-200).setScale(2, RoundingMode.UNNECESSARY), day);
      knownException("clawback_without_payout", p.id, o.id, p.payeeId);
    }
    Payout ghostDeal = payout(payPick(reps).id, LocalDate.parse(month), monthEnd(day), "commission",
        "006ZZ" + String.format("%010d", payRnd.nextInt(1_000_000_000)), BigDecimal.valueOf(1_500).setScale(2), day);
    knownException("unknown_deal", ghostDeal.id, ghostDeal.oppId, ghostDeal.payeeId);
    Payout ghostPayee = payout("005ZZ" + String.format("%010d", payRnd.nextInt(1_000_000_000)), LocalDate.parse(month),
        monthEnd(day), "bonus", null, BigDecimal.valueOf(1_000).setScale(2), day);
    knownException("unknown_payee", ghostPayee.id, null, ghostPayee.payeeId);
    if (formerRep != null) {
      Payout p = payout(formerRep.id, LocalDate.parse(month), monthEnd(day), "bonus", null,
          BigDecimal.valueOf(500).setScale(2), day);
      knownException("inactive_payee", p.id, null, p.payeeId);
    }
  }

  Opp opp(String id) {
    return opps.stream().filter(o -> o.id.equals(id)).findFirst().orElse(null);
  }

  List<Payout> paymentsOn(Opp o) {
    return allPayouts.values().stream().filter(p -> o.id.equals(p.oppId) && p.amount.signum() > 0).toList();
  }

  /** The deal leaves Closed Won (reopened at the last stage) and is left alone from then on. */
  void reopen(Opp o, LocalDate day) {
    o.closed = false;
    o.won = false;
    o.stage = STAGES.length - 1;
    o.frozen = true;
    o.modifiedAt = day.atStartOfDay().toInstant(ZoneOffset.UTC).plus(12 * 60 + payRnd.nextInt(300), ChronoUnit.MINUTES);
    addHistory(o, o.modifiedAt);
    changed.add(o);
  }

  static Payout copy(Payout p) {
    Payout c = new Payout();
    c.id = p.id;
    c.payeeId = p.payeeId;
    c.periodStart = p.periodStart;
    c.periodEnd = p.periodEnd;
    c.component = p.component;
    c.oppId = p.oppId;
    c.amount = p.amount;
    c.paidDate = p.paidDate;
    c.currency = p.currency;
    c.shortIds = p.shortIds;
    return c;
  }

  Payout payout(String payee, LocalDate from, LocalDate to, String component, String oppId, BigDecimal amount, LocalDate day) {
    Payout p = new Payout();
    p.id = id("PAY");
    p.payeeId = payee;
    p.periodStart = from;
    p.periodEnd = to;
    p.component = component;
    p.oppId = oppId;
    p.amount = amount;
    p.paidDate = day.plusDays(10);
    p.shortIds = payoutAnomalies && payRnd.nextDouble() < 0.2;
    payoutsToday.add(p);
    allPayouts.put(p.id, p);
    return p;
  }

  /**
   * The known exceptions, with the activity codes read from the activity truth: a payment on a deal
   * nobody worked is deal_without_activity; on a deal others worked, payee_without_activity.
   */
  void writePayoutTruth(String activityTruthPath) throws IOException {
    Map<String, Set<String>> workers = new java.util.HashMap<>();
    for (List<Object> t : truth) {
      if (Boolean.TRUE.equals(t.get(2)) && !t.get(5).toString().isEmpty()) {
        workers.computeIfAbsent(t.get(5).toString(), k -> new java.util.HashSet<>()).add(t.get(3).toString());
      }
    }
    List<String[]> rowsOut = new ArrayList<>(payoutTruth);
    for (Payout p : allPayouts.values()) {
      if (p.oppId == null || p.amount.signum() <= 0 || opp(p.oppId) == null) {
        continue;
      }
      Set<String> w = workers.getOrDefault(p.oppId, Set.of());
      if (w.isEmpty()) {
        rowsOut.add(new String[] {"deal_without_activity", p.id, p.oppId, p.payeeId});
      } else if (!w.contains(p.payeeId)) {
        rowsOut.add(new String[] {"payee_without_activity", p.id, p.oppId, p.payeeId});
      }
    }
    StringBuilder sb = new StringBuilder("exception_code,payout_id,opportunity_id,payee_user_id\n");
    for (String[] r : rowsOut) {
      sb.append(String.join(",", r)).append('\n');
    }
    int slash = activityTruthPath.lastIndexOf('/');
    out.write(activityTruthPath.substring(0, slash + 1) + "payout_truth.csv", sb.toString());
  }

  // ------------------------------------------------------------------ communications

  void truth(String type, String sourceId, boolean isActivity, String userId, String accountId, String oppId, String category) {
    truth.add(List.of(type, sourceId, isActivity, nz(userId), nz(accountId), nz(oppId), category));
  }

  static String nz(String s) {
    return s == null ? "" : s;
  }

  /** Delivers a line on its day, a little late, or twice (re-delivery). */
  void deliver(int day, int days, String dataset, Object content) {
    int when = day;
    double r = rnd.nextDouble();
    if (r < 0.03 && day + 1 < days) {
      when = day + 1 + (day + 2 < days && chance(0.5) ? 1 : 0);
    }
    pending.computeIfAbsent(when, k -> new ArrayList<>()).add(new Line(dataset, content));
    if (r > 0.98 && day + 1 < days) {
      pending.computeIfAbsent(day + 1, k -> new ArrayList<>()).add(new Line(dataset, content));
    }
  }

  Map<String, Object> email(String messageId, String threadId, String inReplyTo, Instant sent, String from,
                            List<String> to, List<String> cc, String subject, String mailbox) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message_id", messageId);
    m.put("thread_id", threadId);
    m.put("in_reply_to", inReplyTo);
    m.put("sent_at", ts(sent));
    m.put("from", from);
    m.put("to", to);
    m.put("cc", cc);
    m.put("subject", subject);
    m.put("mailbox", mailbox);
    return m;
  }

  String display(String first, String last, String email) {
    return chance(0.3) ? first + " " + last + " <" + email + ">" : (chance(0.1) ? email.toUpperCase() : email);
  }

  String subjectFor(Opp o, Account a) {
    if (profile.hard() && chance(0.7)) {
      return pick(new String[] {"Checking in", "Quick question", "Follow-up", "Next steps", "Following up on our call"});
    }
    return switch (rnd.nextInt(8)) {
      case 0, 1 -> o.product + " pricing";
      case 2, 3 -> o.product + " demo next steps";
      case 4 -> "Proposal for " + a.name;
      case 5 -> "Checking in";
      case 6 -> "Quick question";
      default -> "Follow-up";
    };
  }

  List<Opp> eligibleDeals(User rep, LocalDate day) {
    List<Opp> out = new ArrayList<>();
    for (Opp o : opps) {
      if (!o.ownerId.equals(rep.id) || o.createdAt.isAfter(day.atStartOfDay().toInstant(ZoneOffset.UTC))) {
        continue;
      }
      if (!o.closed || (o.closedOn != null && !o.closedOn.isBefore(day.minusDays(3)))) {
        out.add(o);
      }
    }
    return out;
  }

  void commsDay(int d, int days, LocalDate day) {
    boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    double f = (weekend ? 0.1 : 1.0) * scale;
    for (User rep : reps) {
      User manager = userById.get(rep.managerId);
      List<Opp> deals = workList(rep, eligibleDeals(rep, day), day);
      int emails = poisson(4 * f);
      for (int i = 0; i < emails; i++) {
        if (deals.isEmpty() || chance(0.08)) {
          prospectEmail(d, days, day, rep);
        } else {
          dealEmail(d, days, day, rep, manager, pick(deals));
        }
      }
      int calls = poisson(1.6 * f);
      for (int i = 0; i < calls; i++) {
        if (!deals.isEmpty()) {
          dealCall(d, days, day, rep, pick(deals));
        }
      }
      if (!deals.isEmpty() && chance(0.35 * f)) {
        dealMeeting(d, days, day, rep, manager, pick(deals));
      }
      if (!deals.isEmpty() && logRnd.nextDouble() < profile.handLoggedCallRate() * f) {
        handLoggedCall(day, rep, deals.get(logRnd.nextInt(deals.size())));
      }
      noise(d, days, day, rep, manager, f);
    }
  }

  /**
   * The deals a rep works today. An easy org spreads activity over every eligible deal; in a hard
   * org a rep works up to three deals at a time, keeps most of them from one day to the next, and
   * picks new ones among deals just created or closing soon first.
   */
  List<Opp> workList(User rep, List<Opp> deals, LocalDate day) {
    if (!profile.hard() || deals.isEmpty()) {
      return deals;
    }
    List<Opp> work = new ArrayList<>();
    for (Opp o : focus.getOrDefault(rep.id, List.of())) {
      if (deals.contains(o) && chance(0.75)) {
        work.add(o);
      }
    }
    while (work.size() < Math.min(3, deals.size())) {
      double total = 0;
      double[] weights = new double[deals.size()];
      for (int i = 0; i < deals.size(); i++) {
        Opp o = deals.get(i);
        boolean fresh = !o.createdAt.isBefore(day.minusDays(14).atStartOfDay().toInstant(ZoneOffset.UTC));
        boolean closing = !o.closed && !o.closeDate.isAfter(day.plusDays(14));
        weights[i] = 1 + (fresh ? 3 : 0) + (closing ? 3 : 0);
        total += weights[i];
      }
      double r = rnd.nextDouble() * total;
      int i = 0;
      while (i < deals.size() - 1 && (r -= weights[i]) >= 0) {
        i++;
      }
      if (!work.contains(deals.get(i))) {
        work.add(deals.get(i));
      }
    }
    focus.put(rep.id, work);
    return work;
  }

  /** Where a rep logs an activity about a deal: the deal, sometimes a sibling deal or only the account. */
  String logTarget(Opp o) {
    double r = logRnd.nextDouble();
    if (r < profile.misLogSiblingRate()) {
      List<Opp> siblings = opps.stream().filter(x -> x.accountId.equals(o.accountId) && x != o && !x.closed).toList();
      return siblings.isEmpty() ? o.id : siblings.get(logRnd.nextInt(siblings.size())).id;
    }
    return r < profile.misLogSiblingRate() + profile.misLogAccountRate() ? o.accountId : o.id;
  }

  void logEmail(String messageId, String from, List<String> to, String subject, Instant sent, Opp o) {
    if (logRnd.nextDouble() >= profile.loggedEmailShare()) {
      return;
    }
    EmailMessage m = new EmailMessage();
    m.id = id("02s");
    m.messageId = messageId;
    m.relatedToId = logTarget(o);
    m.from = from;
    m.to = String.join("; ", to);
    m.subject = subject;
    m.at = sent;
    loggedToday.add(m);
  }

  void logCall(String callId, User rep, Opp o, Contact c, int duration, Instant at) {
    if (logRnd.nextDouble() >= profile.loggedCallShare()) {
      return;
    }
    loggedToday.add(task(rep, logTarget(o), c, "Call", callId, duration, at));
  }

  Task task(User rep, String whatId, Contact c, String subject, String callObject, int duration, Instant at) {
    Task t = new Task();
    t.id = id("00T");
    t.ownerId = rep.id;
    t.whatId = whatId;
    t.whoId = c.id;
    t.subject = subject;
    t.day = at.atOffset(ZoneOffset.UTC).toLocalDate();
    t.subtype = "Call";
    t.callObject = callObject;
    t.duration = duration;
    t.at = at;
    return t;
  }

  /** A call from a mobile phone, logged by hand: no dialer record, the Task is the only trace. */
  void handLoggedCall(LocalDate day, User rep, Opp o) {
    Contact c = contactById.get(o.contactIds.get(0));
    Instant at = day.atStartOfDay().toInstant(ZoneOffset.UTC).plus(14 * 60 + logRnd.nextInt(8 * 60), ChronoUnit.MINUTES);
    Task t = task(rep, logTarget(o), c, "Call from mobile", null, 60 + logRnd.nextInt(900), at);
    loggedToday.add(t);
    truth("call", t.id, true, rep.id, o.accountId, o.id, "deal");
  }

  void prospectEmail(int d, int days, LocalDate day, User rep) {
    List<Account> owned = accounts.stream().filter(a -> a.ownerId.equals(rep.id)).toList();
    if (owned.isEmpty()) {
      return;
    }
    Account a = pick(owned);
    boolean hasDeal = opps.stream().anyMatch(o -> o.accountId.equals(a.id)
        && !o.createdAt.isAfter(day.plusDays(15).atStartOfDay().toInstant(ZoneOffset.UTC))
        && (!o.closed || o.closedOn.isAfter(day.minusDays(15))));
    if (hasDeal) {
      return;
    }
    Contact c = pick(contactsByAccount.get(a.id));
    String mid = "<" + id("m") + "@mail." + DOMAIN + ">";
    Instant t = at(day, 13, 23);
    deliver(d, days, "comms/email", email(mid, id("thr"), null, t, rep.email, List.of(display(c.first, c.last, c.email)),
        List.of(), "Introduction: " + a.name, rep.email));
    truth("email", mid, true, rep.id, a.id, null, "account_only");
  }

  void dealEmail(int d, int days, LocalDate day, User rep, User manager, Opp o) {
    Account a = accountById.get(o.accountId);
    Contact c = contactById.get(dealContact(o));
    String thread = id("thr");
    // writing to someone outside the deal's buying group, reps usually say which deal they mean
    String subject = !o.contactIds.contains(c.id) && chance(profile.hard() ? 0.3 : 0.8) ? o.product + " next steps"
        : subjectFor(o, a);
    Instant t = at(day, 12, 21);
    String mid = "<" + id("m") + "@mail." + DOMAIN + ">";
    boolean ccManager = chance(0.1);
    List<String> cc = ccManager ? List.of(manager.email) : List.of();
    List<String> to = new ArrayList<>(List.of(display(c.first, c.last, c.email)));
    if (chance(0.15) && o.contactIds.size() > 1) {
      Contact c2 = contactById.get(pick(o.contactIds));
      if (c2 != c) {
        to.add(c2.email);
      }
    }
    deliver(d, days, "comms/email", email(mid, thread, null, t, rep.email, to, cc, subject, rep.email));
    if (ccManager) {
      deliver(d, days, "comms/email", email(mid, thread, null, t, rep.email, to, cc, subject, manager.email));
    }
    truth("email", mid, true, rep.id, a.id, o.id, "deal");
    logEmail(mid, rep.email, to, subject, t, o);
    if (chance(0.35)) {
      String rid = "<" + id("m") + "@mail." + c.email.substring(c.email.indexOf('@') + 1) + ">";
      Instant rt = t.plus(20 + rnd.nextInt(150), ChronoUnit.MINUTES);
      // replies usually keep the thread but often drop the deal words from the subject
      String rsubject = chance(0.5) ? "Re: " + subject : "Re: Quick question";
      deliver(d, days, "comms/email", email(rid, thread, mid, rt, display(c.first, c.last, c.email), List.of(rep.email),
          cc, rsubject, rep.email));
      if (ccManager) {
        deliver(d, days, "comms/email", email(rid, thread, mid, rt, display(c.first, c.last, c.email), List.of(rep.email),
            cc, rsubject, manager.email));
      }
      truth("email", rid, true, rep.id, a.id, o.id, "deal");
      logEmail(rid, c.email, List.of(rep.email), rsubject, rt, o);
    }
  }

  /** Who a rep talks to about a deal: mostly its primary contact, else its other roles, sometimes anyone at the account. */
  String dealContact(Opp o) {
    double r = rnd.nextDouble();
    if (r < 0.55 || o.contactIds.size() == 1 && r < 0.85) {
      return o.contactIds.get(0);
    }
    if (r < 0.85) {
      return o.contactIds.get(1 + rnd.nextInt(o.contactIds.size() - 1));
    }
    return pick(contactsByAccount.get(o.accountId)).id;
  }

  void dealCall(int d, int days, LocalDate day, User rep, Opp o) {
    Contact c = contactById.get(dealContact(o));
    String cid = id("call");
    String disposition = pick(new String[] {"connected", "connected", "connected", "no_answer", "voicemail", "busy"});
    int duration = disposition.equals("connected") ? 60 + rnd.nextInt(1800) : disposition.equals("voicemail") ? 20 + rnd.nextInt(40) : 0;
    boolean inbound = chance(0.2);
    Instant at = at(day, 13, 22);
    List<Object> row = List.of(cid, ts(at), duration, inbound ? "inbound" : "outbound", rep.email,
        dialerPhone(digitsOf(c.phone)), disposition);
    deliver(d, days, "comms/call", row);
    truth("call", cid, true, rep.id, o.accountId, o.id, "deal");
    logCall(cid, rep, o, c, duration, at);
  }

  void dealMeeting(int d, int days, LocalDate day, User rep, User manager, Opp o) {
    Account a = accountById.get(o.accountId);
    String eid = id("evt") + "@" + DOMAIN;
    Instant start = at(day, 13, 21);
    Instant end = start.plus(30 + 15 * rnd.nextInt(4), ChronoUnit.MINUTES);
    boolean cancelled = chance(0.06);
    boolean allDeclined = !cancelled && chance(0.04);
    List<Map<String, Object>> attendees = new ArrayList<>();
    int k = Math.min(o.contactIds.size(), 1 + rnd.nextInt(2));
    for (int i = 0; i < k; i++) {
      Contact c = contactById.get(o.contactIds.get(i));
      String response = allDeclined ? "declined" : pick(new String[] {"accepted", "accepted", "tentative", "none"});
      attendees.add(attendee(c.email, response));
    }
    attendees.add(attendee(rep.email, "accepted"));
    boolean withManager = chance(0.3);
    if (withManager) {
      attendees.add(attendee(manager.email, "accepted"));
    }
    String subject = chance(profile.hard() ? 0.3 : 0.6) ? a.name + " / " + o.product + " review" : "Catch-up";
    for (User holder : withManager ? List.of(rep, manager) : List.of(rep)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("event_id", eid);
      m.put("start_at", ts(start));
      m.put("end_at", ts(end));
      m.put("organizer", rep.email);
      m.put("attendees", attendees);
      m.put("subject", subject);
      m.put("status", cancelled ? "cancelled" : "confirmed");
      m.put("mailbox", holder.email);
      deliver(d, days, "comms/meeting", m);
    }
    if (cancelled || allDeclined) {
      truth("meeting", eid, false, null, null, null, cancelled ? "cancelled" : "declined");
    } else {
      truth("meeting", eid, true, rep.id, a.id, o.id, "deal");
      if (logRnd.nextDouble() < profile.loggedMeetingShare()) {
        Event e = new Event();
        e.id = id("00U");
        e.ownerId = rep.id;
        e.whatId = logTarget(o);
        e.whoId = o.contactIds.get(0);
        e.subject = subject;
        e.start = start;
        e.end = end;
        loggedToday.add(e);
      }
    }
  }

  static Map<String, Object> attendee(String email, String response) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("email", email);
    m.put("response", response);
    return m;
  }

  void noise(int d, int days, LocalDate day, User rep, User manager, double f) {
    if (chance(0.5 * f)) {
      String mid = "<" + id("m") + "@mail." + DOMAIN + ">";
      Map<String, Object> m = email(mid, id("thr"), null, at(day, 12, 20), rep.email, List.of(manager.email), List.of(),
          "Pipeline review", rep.email);
      deliver(d, days, "comms/email", m);
      Map<String, Object> copy = new LinkedHashMap<>(m);
      copy.put("mailbox", manager.email);
      deliver(d, days, "comms/email", copy);
      truth("email", mid, true, rep.id, null, null, "internal");
    }
    if (chance(0.3 * f)) {
      String vendor = pick(VENDORS);
      String mid = "<" + id("m") + "@" + vendor + ">";
      deliver(d, days, "comms/email", email(mid, null, null, at(day, 6, 9), "news@" + vendor, List.of(rep.email), List.of(),
          "Weekly digest", rep.email));
      truth("email", mid, true, rep.id, null, null, "newsletter");
    }
    if (chance(0.15 * f)) {
      String mid = "<" + id("m") + "@mail." + DOMAIN + ">";
      String stranger = pick(FIRST).toLowerCase() + rnd.nextInt(1000) + "@" + pick(FREEMAIL);
      deliver(d, days, "comms/email", email(mid, id("thr"), null, at(day, 12, 20), rep.email, List.of(stranger), List.of(),
          "Quick question", rep.email));
      truth("email", mid, true, rep.id, null, null, "freemail_unknown");
    }
    if (chance(0.1 * f)) {
      String cid = id("call");
      deliver(d, days, "comms/call", List.of(cid, ts(at(day, 14, 22)), 0, "inbound", rep.email,
          "+1800555" + String.format("%04d", rnd.nextInt(10000)), "no_answer"));
      truth("call", cid, true, rep.id, null, null, "unknown_number");
    }
  }

  // ------------------------------------------------------------------ writing

  Summary generate(LocalDate start, int days, String truthPath) throws IOException {
    Instant origin = start.minusDays(120).atStartOfDay().toInstant(ZoneOffset.UTC).plus(9, ChronoUnit.HOURS);
    buildOrg(origin);
    buildAccounts(origin);
    lastDate = start.plusDays(days - 1);
    if (payoutAnomalies) {
      // someone who left before the first drop, still on the payroll
      formerRep = user("Former", "Payee", reps.get(0).roleId, reps.get(0).managerId, "Account Executive", false, origin);
      formerRep.inactive = true;
    }
    changed.clear();
    // pre-history: 110 days of deals before the first drop, exported in it as a full snapshot
    for (LocalDate day = start.minusDays(110); day.isBefore(start); day = day.plusDays(1)) {
      crmDay(day);
    }
    for (User u : users) {
      LocalDate q = start.withDayOfMonth(1).withMonth(((start.getMonthValue() - 1) / 3) * 3 + 1);
      if (u.isRep) {
        for (LocalDate p = q.minusMonths(3); p.isBefore(start.plusDays(days)); p = p.plusMonths(3)) {
          Quota qu = new Quota();
          qu.id = id("0J9");
          qu.ownerId = u.id;
          qu.start = p;
          qu.amount = BigDecimal.valueOf(150_000 + 10_000L * rnd.nextInt(10)).setScale(2, RoundingMode.UNNECESSARY);
          qu.modifiedAt = origin;
          quotas.add(qu);
        }
      }
    }
    int moveDay = days / 2;
    for (int d = 0; d < days; d++) {
      LocalDate day = start.plusDays(d);
      if (d == 0) {
        changed.clear();
        changed.addAll(roles);
        changed.addAll(users);
        changed.addAll(accounts);
        changed.addAll(contacts);
        changed.addAll(opps);
        changed.addAll(history);
        changed.addAll(contactRoles);
        changed.addAll(quotas);
        changed.addAll(splits);
      }
      if (d > 0) {
        crmDay(day);
      }
      if (d == moveDay && days > 2) {
        moveRep(day);
      }
      if (day.getDayOfWeek() == DayOfWeek.MONDAY || d == 0) {
        payouts(day, d == 0);
      }
      commsDay(d, days, day);
      writeCrm(day);
      writeComms(d, day);
      writePayouts(day);
      writeLogged(day);
      changed.clear();
      payoutsToday.clear();
    }
    writeTruth(truthPath);
    writePayoutTruth(truthPath);
    return new Summary(out.files(), rows, truth.size());
  }

  void writeCrm(LocalDate day) throws IOException {
    List<List<Object>> u = new ArrayList<>(), r = new ArrayList<>(), a = new ArrayList<>(), c = new ArrayList<>(),
        o = new ArrayList<>(), h = new ArrayList<>(), cr = new ArrayList<>(), q = new ArrayList<>(), s = new ArrayList<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object x : changed) {
      if (!seen.add(x)) {
        continue;
      }
      if (x instanceof User v) {
        u.add(row(v.id, v.first, v.last, v.first + " " + v.last, v.email, v.inactive ? "false" : "true", nz(v.managerId), v.roleId, v.title,
            "Sales", "E" + v.id.substring(10, 15), v.phone, crmTs(v.modifiedAt), crmTs(v.modifiedAt)));
      } else if (x instanceof Role v) {
        r.add(row(v.id, v.name, nz(v.parentId), crmTs(v.modifiedAt)));
      } else if (x instanceof Account v) {
        a.add(row(v.id, v.name, v.website, v.industry, "Customer", v.ownerId, "false", crmTs(v.modifiedAt), crmTs(v.modifiedAt)));
      } else if (x instanceof Contact v) {
        c.add(row(v.id, v.accountId, v.first, v.last, v.email, v.phone, v.title, "false", crmTs(v.modifiedAt), crmTs(v.modifiedAt)));
      } else if (x instanceof Opp v) {
        o.add(row(v.id, v.accountId, v.ownerId, v.name, stageName(v), v.amount.toPlainString(), "USD", v.closeDate.toString(),
            v.closed, v.won, v.closed ? (v.won ? 100 : 0) : PROBABILITY[v.stage], crmTs(v.createdAt), "false",
            crmTs(v.modifiedAt), crmTs(v.modifiedAt)));
      } else if (x instanceof History v) {
        h.add(row(v.id, v.oppId, v.stage, v.amount.toPlainString(), v.closeDate.toString(), v.probability, crmTs(v.at), "false"));
      } else if (x instanceof ContactRole v) {
        cr.add(row(v.id, v.oppId, v.contactId, v.role, v.primary, "false", crmTs(v.modifiedAt)));
      } else if (x instanceof Quota v) {
        q.add(row(v.id, v.ownerId, v.start.toString(), v.amount.toPlainString(), crmTs(v.modifiedAt)));
      } else if (x instanceof Split v) {
        s.add(row(v.id, v.oppId, v.ownerId, v.pct.toPlainString(), v.amount.toPlainString(), "false", crmTs(v.modifiedAt)));
      }
    }
    crm(day, "User", "User.csv", List.of("Id", "FirstName", "LastName", "Name", "Email", "IsActive", "ManagerId",
        "UserRoleId", "Title", "Department", "EmployeeNumber", "Phone", "LastModifiedDate", "SystemModstamp"), u);
    crm(day, "UserRole", "UserRole.csv", List.of("Id", "Name", "ParentRoleId", "LastModifiedDate"), r);
    crm(day, "Account", "Account.csv", List.of("Id", "Name", "Website", "Industry", "Type", "OwnerId", "IsDeleted",
        "LastModifiedDate", "SystemModstamp"), a);
    crm(day, "Contact", "Contact.csv", List.of("Id", "AccountId", "FirstName", "LastName", "Email", "Phone", "Title",
        "IsDeleted", "LastModifiedDate", "SystemModstamp"), c);
    crm(day, "Opportunity", "Opportunity.csv.gz", List.of("Id", "AccountId", "OwnerId", "Name", "StageName", "Amount",
        "CurrencyIsoCode", "CloseDate", "IsClosed", "IsWon", "Probability", "CreatedDate", "IsDeleted", "LastModifiedDate",
        "SystemModstamp"), o);
    crm(day, "OpportunityHistory", "OpportunityHistory.csv", List.of("Id", "OpportunityId", "StageName", "Amount",
        "CloseDate", "Probability", "CreatedDate", "IsDeleted"), h);
    crm(day, "OpportunityContactRole", "OpportunityContactRole.csv", List.of("Id", "OpportunityId", "ContactId", "Role",
        "IsPrimary", "IsDeleted", "LastModifiedDate"), cr);
    crm(day, "ForecastingQuota", "ForecastingQuota.csv", List.of("Id", "QuotaOwnerId", "StartDate", "QuotaAmount",
        "LastModifiedDate"), q);
    crm(day, "OpportunitySplit", "OpportunitySplit.csv", List.of("Id", "OpportunityId", "SplitOwnerId", "SplitPercentage",
        "SplitAmount", "IsDeleted", "LastModifiedDate"), s);
  }

  static List<Object> row(Object... values) {
    List<Object> out = new ArrayList<>();
    for (Object v : values) {
      out.add(v instanceof Boolean b ? b.toString() : v);
    }
    return out;
  }

  void crm(LocalDate day, String object, String file, List<String> header, List<List<Object>> data) throws IOException {
    out.csv("crm/" + object, day, file, header, data, List.of());
    out.success("crm/" + object, day);
    rows += data.size();
  }

  void writeComms(int d, LocalDate day) throws IOException {
    List<Line> lines = pending.getOrDefault(d, List.of());
    pending.remove(d);
    List<Object> emails = new ArrayList<>();
    List<Object> meetings = new ArrayList<>();
    List<List<Object>> calls = new ArrayList<>();
    for (Line l : lines) {
      switch (l.dataset()) {
        case "comms/email" -> emails.add(l.content());
        case "comms/meeting" -> meetings.add(l.content());
        default -> {
          @SuppressWarnings("unchecked")
          List<Object> row = (List<Object>) l.content();
          calls.add(row);
        }
      }
    }
    // malformed rows on purpose, well under the 1% reject threshold: one per 150 good rows
    for (int i = 0; i < emails.size() / 150; i++) {
      emails.add(1 + rnd.nextInt(emails.size() - 1), chance(0.5)
          ? "{\"message_id\": \"<" + id("m") + "@mail." + DOMAIN + ">\", \"sent_at\": \"2026-02-30T10:00:00Z\", \"from\": \"x@"
            + DOMAIN + "\", \"to\": [\"y@example.com\"]}"
          : "{\"message_id\": \"<" + id("m") + "@mail." + DOMAIN + ">\", \"sent_at\": ");
    }
    List<String> badCalls = new ArrayList<>();
    for (int i = 0; i < calls.size() / 150; i++) {
      badCalls.add(id("call") + "," + day + "T10:00:00Z,12,sideways,rep@" + DOMAIN + ",+14155550100,connected");
    }
    int half = emails.size() / 2;
    out.jsonLines(out.file("comms/email", day, "part-0000.jsonl.gz"), emails.subList(0, half));
    out.jsonLines(out.file("comms/email", day, "part-0001.jsonl"), emails.subList(half, emails.size()));
    out.success("comms/email", day);
    out.jsonLines(out.file("comms/meeting", day, "meetings.jsonl"), meetings);
    out.success("comms/meeting", day);
    out.csv("comms/call", day, "calls.csv", List.of("call_id", "started_at", "duration_seconds", "direction", "user_email",
        "counterpart_number", "disposition"), calls, badCalls);
    out.success("comms/call", day);
    rows += emails.size() + meetings.size() + calls.size() + badCalls.size();
  }

  /** The activities reps logged in the CRM today: Task, Event and EmailMessage drops (contract v1.1). */
  void writeLogged(LocalDate day) throws IOException {
    List<List<Object>> tasks = new ArrayList<>(), events = new ArrayList<>(), messages = new ArrayList<>();
    for (Object x : loggedToday) {
      if (x instanceof Task t) {
        String stamp = crmTs(t.at.plus(5, ChronoUnit.MINUTES));
        tasks.add(row(t.id, t.ownerId, t.whatId, nz(t.whoId), t.subject, t.day.toString(), t.subtype, nz(t.callObject),
            t.duration, "Completed", stamp, "false", stamp, stamp));
      } else if (x instanceof Event e) {
        String stamp = crmTs(e.end.plus(5, ChronoUnit.MINUTES));
        events.add(row(e.id, e.ownerId, e.whatId, nz(e.whoId), e.subject, crmTs(e.start), crmTs(e.end), stamp, "false",
            stamp, stamp));
      } else if (x instanceof EmailMessage m) {
        String stamp = crmTs(m.at.plus(2, ChronoUnit.MINUTES));
        messages.add(row(m.id, m.messageId, m.relatedToId, m.from, m.to, m.subject, crmTs(m.at), stamp, "false", stamp, stamp));
      }
    }
    crm(day, "Task", "Task.csv", List.of("Id", "OwnerId", "WhatId", "WhoId", "Subject", "ActivityDate", "TaskSubtype",
        "CallObject", "CallDurationInSeconds", "Status", "CreatedDate", "IsDeleted", "LastModifiedDate", "SystemModstamp"), tasks);
    crm(day, "Event", "Event.csv", List.of("Id", "OwnerId", "WhatId", "WhoId", "Subject", "StartDateTime", "EndDateTime",
        "CreatedDate", "IsDeleted", "LastModifiedDate", "SystemModstamp"), events);
    crm(day, "EmailMessage", "EmailMessage.csv", List.of("Id", "MessageIdentifier", "RelatedToId", "FromAddress",
        "ToAddress", "Subject", "MessageDate", "CreatedDate", "IsDeleted", "LastModifiedDate", "SystemModstamp"), messages);
    loggedToday.clear();
  }

  void writePayouts(LocalDate day) throws IOException {
    List<List<Object>> data = new ArrayList<>();
    for (Payout p : payoutsToday) {
      data.add(row(p.id, shortened(p.payeeId, p.shortIds), p.periodStart.toString(), p.periodEnd.toString(), p.component,
          shortened(nz(p.oppId), p.shortIds),
          p.amount.toPlainString(), p.currency, p.paidDate.toString()));
    }
    out.csv("comp/payout", day, "payouts.csv", List.of("payout_id", "payee_user_id", "period_start", "period_end",
        "component", "opportunity_id", "amount", "currency", "paid_date"), data, List.of());
    out.success("comp/payout", day);
    rows += data.size();
  }

  static String shortened(String id, boolean shortIds) {
    return shortIds && id.length() == 18 ? id.substring(0, 15) : id;
  }

  void writeTruth(String path) throws IOException {
    StringBuilder sb = new StringBuilder("activity_type,source_id,is_activity,user_id,account_id,opportunity_id,category\n");
    for (List<Object> t : truth) {
      for (int i = 0; i < t.size(); i++) {
        sb.append(i == 0 ? "" : ",").append(t.get(i));
      }
      sb.append('\n');
    }
    out.write(path, sb.toString());
  }
}
