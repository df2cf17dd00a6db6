package com.salespulse.generator;

import static com.salespulse.generator.OrgModel.*;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Incentive payouts: a pay run on Mondays and on the first drop, commission on deals won the week
 * before (by split share), spiffs and draws; with anomalies on, one payout exception of each kind
 * per pay run, recorded as known exceptions for {@code evaluate-reconciliation}.
 */
final class Compensation {

  static final class Payout { String id; String payeeId; LocalDate periodStart; LocalDate periodEnd; String component;
    String oppId; BigDecimal amount; LocalDate paidDate; String currency = "USD";
    /** Exported with 15-character Salesforce ids, as many compensation systems do. */
    boolean shortIds; }

  private final OrgModel org;
  /** Payouts draw from their own stream: they never change the simulated world's randomness. */
  private final Random payRnd;
  private final boolean payoutAnomalies;
  /** Today's payout lines, to export in today's drop. */
  final List<Payout> payoutsToday = new ArrayList<>();
  /** Someone who left before the first drop, still on the payroll (with anomalies on). */
  User formerRep;
  /** The last drop date: reopened deals need a week of drops after them. */
  LocalDate lastDate;
  private int payRuns;

  Compensation(OrgModel org, long seed, boolean payoutAnomalies) {
    this.org = org;
    this.payRnd = new Random(seed * 37 + 11);
    this.payoutAnomalies = payoutAnomalies;
  }

  /** Every payout line ever delivered, by id (a re-delivery replaces the content). */
  final Map<String, Payout> allPayouts = new LinkedHashMap<>();
  /** Known exceptions: code, payout_id, opportunity_id, payee_user_id. */
  final List<String[]> payoutTruth = new ArrayList<>();
  private final Set<String> overCredited = new HashSet<>();
  private final Set<String> wrongPeriod = new HashSet<>();
  private final Set<String> foreignCurrency = new HashSet<>();

  void knownException(String code, String payoutId, String oppId, String payeeId) {
    payoutTruth.add(new String[] {code, nz(payoutId), nz(oppId), nz(payeeId)});
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
    for (Opp o : org.opps) {
      if (o.won && o.closedOn != null && !o.closedOn.isBefore(day.minusDays(7)) && o.closedOn.isBefore(day)) {
        spiffs.put(o, org.chance(0.2));
      }
    }
    User drawn = null;
    int drawAmount = 0;
    if (org.chance(0.3)) {
      drawn = org.pick(org.reps);
      drawAmount = 150 + org.rnd.nextInt(500);
    }
    LocalDate from = first ? day.minusDays(7).withDayOfMonth(1) : day.minusDays(7);
    if (payoutAnomalies && !first) {
      phantomDeal(day);
    }
    List<Opp> due = org.opps.stream()
        .filter(o -> o.won && o.closedOn != null && !o.closedOn.isBefore(from) && o.closedOn.isBefore(day)).toList();
    Opp skipped = null;
    List<Opp> plain = new ArrayList<>(due.stream().filter(o -> org.splitsOf(o).isEmpty() && !o.contactIds.isEmpty()).toList());
    Collections.shuffle(plain, payRnd);
    if (payoutAnomalies && first) {
      // won_not_paid: the earliest deal won at least 8 days before the first drop is never paid
      skipped = due.stream().filter(o -> o.closedOn.isBefore(day.minusDays(8)))
          .min(Comparator.comparing((Opp o) -> o.closedOn).thenComparing(o -> o.id)).orElse(null);
    } else if (payoutAnomalies) {
      // anomalies on this run's deals, each kind first in turn (small orgs win few deals a week)
      for (int k = 0; k < 3 && !plain.isEmpty(); k++) {
        Opp o = plain.remove(0);
        switch ((payRuns + k) % 3) {
          case 0 -> {
            User other = payPick(org.reps.stream().filter(u -> !u.id.equals(o.ownerId)).toList());
            org.split(o, o.ownerId, 60, o.modifiedAt);
            org.split(o, other.id, 60, o.modifiedAt);
            overCredited.add(o.id);
          }
          case 1 -> wrongPeriod.add(o.id);
          default -> foreignCurrency.add(o.id);
        }
      }
      payRuns++;
    }
    for (Opp o : due) {
      List<Split> ss = org.splitsOf(o);
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
    a.id = org.id("001");
    a.name = "Quiet Holdings " + a.id.substring(10, 15);
    a.domain = "quietholdings" + a.id.substring(10, 15) + ".com";
    a.website = a.domain;
    a.industry = "finance";
    a.ownerId = payPick(org.reps).id;
    a.modifiedAt = day.minusDays(20).atStartOfDay().toInstant(ZoneOffset.UTC).plus(10, ChronoUnit.HOURS);
    org.accountById.put(a.id, a);
    org.contactsByAccount.put(a.id, new ArrayList<>());
    org.changed.add(a);
    Opp o = new Opp();
    o.id = org.id("006");
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
    org.opps.add(o);
    org.addHistory(o, o.modifiedAt);
    org.changed.add(o);
  }

  /** The injected anomalies that need earlier lines or other deals. */
  void anomalies(LocalDate day, List<Opp> plain) {
    String month = day.withDayOfMonth(1).toString();
    // paid_not_won: an open deal paid (and left alone, so its close date stays in the period)
    List<Opp> open = org.opps.stream().filter(o -> !o.closed && !o.frozen && !o.createdAt.isAfter(day.atStartOfDay()
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
        .map(Map.Entry::getKey).map(org::opp)
        .filter(o -> o != null && o.won && !o.frozen && org.splitsOf(o).isEmpty() && !overCredited.contains(o.id)
            && !wrongPeriod.contains(o.id) && !foreignCurrency.contains(o.id))
        .sorted(Comparator.comparing(o -> o.id)).collect(Collectors.toCollection(ArrayList::new));
    Collections.shuffle(paidWon, payRnd);
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
      User other = payPick(org.reps.stream().filter(u -> !u.id.equals(o.ownerId)).toList());
      Payout p = payout(other.id, o.closedOn.withDayOfMonth(1), monthEnd(o.closedOn), "commission", o.id,
          commission(o.amount), day);
      knownException("payee_not_credited", p.id, o.id, p.payeeId);
    }
    if (!paidWon.isEmpty()) {
      // clawback_without_payout: money taken back from someone never paid on the deal
      Opp o = paidWon.remove(0);
      User other = payPick(org.reps.stream().filter(u -> !u.id.equals(o.ownerId)).toList());
      Payout p = payout(other.id, day.withDayOfMonth(1), monthEnd(day), "clawback", o.id,
          BigDecimal.valueOf(-200).setScale(2, RoundingMode.UNNECESSARY), day);
      knownException("clawback_without_payout", p.id, o.id, p.payeeId);
    }
    Payout ghostDeal = payout(payPick(org.reps).id, LocalDate.parse(month), monthEnd(day), "commission",
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
    org.addHistory(o, o.modifiedAt);
    org.changed.add(o);
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
    p.id = org.id("PAY");
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
}
