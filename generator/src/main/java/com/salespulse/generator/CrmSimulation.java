package com.salespulse.generator;

import static com.salespulse.generator.OrgModel.*;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The CRM's day: new deals, stage moves, slipping close dates, amount changes, new contacts, a rep changing teams. */
final class CrmSimulation {

  private final OrgModel org;

  CrmSimulation(OrgModel org) {
    this.org = org;
  }

  /** One quota per rep and quarter, from the quarter before the first drop to the last. */
  void quotas(LocalDate start, int days, Instant at) {
    for (User u : org.users) {
      LocalDate q = start.withDayOfMonth(1).withMonth(((start.getMonthValue() - 1) / 3) * 3 + 1);
      if (u.isRep) {
        for (LocalDate p = q.minusMonths(3); p.isBefore(start.plusDays(days)); p = p.plusMonths(3)) {
          Quota qu = new Quota();
          qu.id = org.id("0J9");
          qu.ownerId = u.id;
          qu.start = p;
          qu.amount = BigDecimal.valueOf(150_000 + 10_000L * org.rnd.nextInt(10)).setScale(2, RoundingMode.UNNECESSARY);
          qu.modifiedAt = at;
          org.quotas.add(qu);
        }
      }
    }
  }

  /** One simulated day of CRM changes. */
  void crmDay(LocalDate day) {
    // new deals
    int newDeals = org.poisson(org.repCount * (org.profile.hard() ? 0.3 : 0.05));
    for (int i = 0; i < newDeals; i++) {
      org.newOpp(org.pick(org.accounts), org.at(day, 13, 22), day);
    }
    for (Opp o : List.copyOf(org.opps)) {
      if (o.closed || o.frozen) {
        continue;
      }
      boolean touched = false;
      Instant t = org.at(day, 13, 23);
      if (!o.createdAt.isBefore(day.atStartOfDay().toInstant(ZoneOffset.UTC))) {
        continue;
      }
      if (org.chance(0.06)) {
        if (o.stage == STAGES.length - 1 || (o.stage >= 2 && org.chance(0.1))) {
          o.closed = true;
          o.won = o.stage == STAGES.length - 1 && org.chance(0.6);
          o.closeDate = day;
          o.closedOn = day;
        } else {
          o.stage++;
        }
        touched = true;
      }
      if (!o.closed && org.chance(0.015)) {
        o.closeDate = o.closeDate.plusDays(14 + org.rnd.nextInt(30));
        touched = true;
      }
      if (!o.closed && org.chance(0.01)) {
        o.amount = o.amount.multiply(BigDecimal.valueOf(80 + org.rnd.nextInt(50))).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
        touched = true;
      }
      if (!o.closed && org.chance(0.01)) {
        List<Contact> pool = new ArrayList<>(org.contactsByAccount.get(o.accountId));
        pool.removeIf(c -> o.contactIds.contains(c.id));
        if (!pool.isEmpty()) {
          org.addContactRole(o, org.pick(pool), false, t);
        }
      }
      if (touched) {
        o.modifiedAt = t;
        org.addHistory(o, t);
        org.changed.add(o);
        if (o.won && org.chance(0.15)) {
          User other = org.pick(org.reps);
          if (!other.id.equals(o.ownerId)) {
            org.split(o, o.ownerId, 60, t);
            org.split(o, other.id, 40, t);
          }
        }
      }
    }
    if (org.chance(0.2)) {
      org.contact(org.pick(org.accounts), org.at(day, 14, 20));
    }
  }

  /** A rep moves to another team: new manager and role from this instant. */
  void moveRep(LocalDate day) {
    User rep = org.reps.get(org.rnd.nextInt(org.reps.size()));
    List<User> managers = org.users.stream().filter(u -> u.title.equals("Sales Manager") && !u.id.equals(rep.managerId)).toList();
    if (managers.isEmpty()) {
      return;
    }
    User m = org.pick(managers);
    rep.managerId = m.id;
    rep.roleId = m.roleId;
    rep.modifiedAt = org.at(day, 8, 10);
    org.changed.add(rep);
  }
}
