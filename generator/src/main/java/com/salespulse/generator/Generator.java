package com.salespulse.generator;

import static com.salespulse.generator.OrgModel.User;

import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Simulates a sales org day by day and writes one contract-format drop per date. The parts, one
 * concern each: {@link OrgModel} (the org and its random stream), {@link CrmSimulation} (deals
 * moving through stages), {@link Communications} (emails, calls and meetings, and what reps log of
 * them), {@link Compensation} (pay runs and injected payout exceptions), {@link DeliveryNoise}
 * (late and repeated deliveries, varying formats, malformed rows), {@link GroundTruth} (what really
 * happened, written outside the drop) and {@link ContractWriter} (the files, in the contract's format).
 *
 * <p>Ambiguity is there on purpose: accounts with several open deals at once, contacts on several
 * deals, generic subjects, internal-only mail, newsletters, unknown numbers and free-mail strangers.
 * Same seed, same bytes.
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

  private final DropWriter files;
  private final OrgModel org;
  private final CrmSimulation crm;
  private final DeliveryNoise delivery;
  private final GroundTruth truth = new GroundTruth();
  private final Communications comms;
  private final Compensation compensation;
  private final ContractWriter writer;
  private final boolean payoutAnomalies;

  Generator(DropWriter files, long seed, int repCount, double scale, Profile profile, boolean payoutAnomalies) {
    this.files = files;
    this.org = new OrgModel(seed, repCount, scale, profile);
    this.crm = new CrmSimulation(org);
    this.delivery = new DeliveryNoise(org);
    this.comms = new Communications(org, delivery, truth, seed);
    this.compensation = new Compensation(org, seed, payoutAnomalies);
    this.writer = new ContractWriter(files);
    this.payoutAnomalies = payoutAnomalies;
  }

  Summary generate(LocalDate start, int days, String truthPath) throws IOException {
    Instant origin = start.minusDays(120).atStartOfDay().toInstant(ZoneOffset.UTC).plus(9, ChronoUnit.HOURS);
    org.buildOrg(origin);
    org.buildAccounts(origin);
    compensation.lastDate = start.plusDays(days - 1);
    if (payoutAnomalies) {
      // someone who left before the first drop, still on the payroll
      User former = org.user("Former", "Payee", org.reps.get(0).roleId, org.reps.get(0).managerId, "Account Executive",
          false, origin);
      former.inactive = true;
      compensation.formerRep = former;
    }
    org.changed.clear();
    // pre-history: 110 days of deals before the first drop, exported in it as a full snapshot
    for (LocalDate day = start.minusDays(110); day.isBefore(start); day = day.plusDays(1)) {
      crm.crmDay(day);
    }
    crm.quotas(start, days, origin);
    int moveDay = days / 2;
    for (int d = 0; d < days; d++) {
      LocalDate day = start.plusDays(d);
      if (d == 0) {
        org.changed.clear();
        org.changed.addAll(org.roles);
        org.changed.addAll(org.users);
        org.changed.addAll(org.accounts);
        org.changed.addAll(org.contacts);
        org.changed.addAll(org.opps);
        org.changed.addAll(org.history);
        org.changed.addAll(org.contactRoles);
        org.changed.addAll(org.quotas);
        org.changed.addAll(org.splits);
      }
      if (d > 0) {
        crm.crmDay(day);
      }
      if (d == moveDay && days > 2) {
        crm.moveRep(day);
      }
      if (day.getDayOfWeek() == DayOfWeek.MONDAY || d == 0) {
        compensation.payouts(day, d == 0);
      }
      comms.commsDay(d, days, day);
      writer.crm(day, org.changed);
      writer.comms(day, delivery.arriving(d), delivery);
      writer.payouts(day, compensation.payoutsToday);
      writer.logged(day, comms.loggedToday);
      org.changed.clear();
      compensation.payoutsToday.clear();
      comms.loggedToday.clear();
    }
    truth.writeActivities(files, truthPath);
    truth.writePayouts(files, truthPath, compensation.payoutTruth, compensation.allPayouts.values(),
        id -> org.opp(id) != null);
    return new Summary(files.files(), writer.rows(), truth.size());
  }
}
