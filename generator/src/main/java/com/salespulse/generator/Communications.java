package com.salespulse.generator;

import static com.salespulse.generator.OrgModel.*;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A day of communication per rep: emails (threads, replies, one copy per internal mailbox), calls,
 * meetings (one copy per internal attendee, some cancelled or declined) and the noise around them
 * (internal mail, newsletters, free-mail strangers, unknown numbers); and what reps log of it in
 * the CRM (Task, Event, EmailMessage), sometimes on a sibling deal or only on the account.
 */
final class Communications {

  static final class Task { String id; String ownerId; String whatId; String whoId; String subject; LocalDate day;
    String subtype; String callObject; Integer duration; Instant at; }
  static final class Event { String id; String ownerId; String whatId; String whoId; String subject; Instant start; Instant end; }
  static final class EmailMessage { String id; String messageId; String relatedToId; String from; String to;
    String subject; Instant at; }

  private final OrgModel org;
  private final DeliveryNoise delivery;
  private final GroundTruth truth;
  /** Logging decisions draw from their own stream, so the simulated world does not depend on them. */
  private final Random logRnd;
  private final Map<String, List<Opp>> focus = new LinkedHashMap<>();
  /** The records reps logged in the CRM today, to export in today's drop. */
  final List<Object> loggedToday = new ArrayList<>();

  Communications(OrgModel org, DeliveryNoise delivery, GroundTruth truth, long seed) {
    this.org = org;
    this.delivery = delivery;
    this.truth = truth;
    this.logRnd = new Random(seed * 31 + 7);
  }

  /** A call record as the dialer exports it (contract fields of comms/call). */
  static Map<String, Object> call(String callId, String startedAt, int duration, String direction, String userEmail,
                                  String number, String disposition) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("call_id", callId);
    m.put("started_at", startedAt);
    m.put("duration_seconds", duration);
    m.put("direction", direction);
    m.put("user_email", userEmail);
    m.put("counterpart_number", number);
    m.put("disposition", disposition);
    return m;
  }

  Map<String, Object> email(String messageId, String threadId, String inReplyTo, Instant sent, String from,
                            List<String> to, List<String> cc, String subject, String mailbox) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message_id", messageId);
    m.put("thread_id", threadId);
    m.put("in_reply_to", inReplyTo);
    m.put("sent_at", delivery.ts(sent));
    m.put("from", from);
    m.put("to", to);
    m.put("cc", cc);
    m.put("subject", subject);
    m.put("mailbox", mailbox);
    return m;
  }

  String display(String first, String last, String email) {
    return org.chance(0.3) ? first + " " + last + " <" + email + ">" : (org.chance(0.1) ? email.toUpperCase() : email);
  }

  String subjectFor(Opp o, Account a) {
    if (org.profile.hard() && org.chance(0.7)) {
      return org.pick(new String[] {"Checking in", "Quick question", "Follow-up", "Next steps", "Following up on our call"});
    }
    return switch (org.rnd.nextInt(8)) {
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
    for (Opp o : org.opps) {
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
    double f = (weekend ? 0.1 : 1.0) * org.scale;
    for (User rep : org.reps) {
      User manager = org.userById.get(rep.managerId);
      List<Opp> deals = workList(rep, eligibleDeals(rep, day), day);
      int emails = org.poisson(4 * f);
      for (int i = 0; i < emails; i++) {
        if (deals.isEmpty() || org.chance(0.08)) {
          prospectEmail(d, days, day, rep);
        } else {
          dealEmail(d, days, day, rep, manager, org.pick(deals));
        }
      }
      int calls = org.poisson(1.6 * f);
      for (int i = 0; i < calls; i++) {
        if (!deals.isEmpty()) {
          dealCall(d, days, day, rep, org.pick(deals));
        }
      }
      if (!deals.isEmpty() && org.chance(0.35 * f)) {
        dealMeeting(d, days, day, rep, manager, org.pick(deals));
      }
      if (!deals.isEmpty() && logRnd.nextDouble() < org.profile.handLoggedCallRate() * f) {
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
    if (!org.profile.hard() || deals.isEmpty()) {
      return deals;
    }
    List<Opp> work = new ArrayList<>();
    for (Opp o : focus.getOrDefault(rep.id, List.of())) {
      if (deals.contains(o) && org.chance(0.75)) {
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
      double r = org.rnd.nextDouble() * total;
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
    if (r < org.profile.misLogSiblingRate()) {
      List<Opp> siblings = org.opps.stream().filter(x -> x.accountId.equals(o.accountId) && x != o && !x.closed).toList();
      return siblings.isEmpty() ? o.id : siblings.get(logRnd.nextInt(siblings.size())).id;
    }
    return r < org.profile.misLogSiblingRate() + org.profile.misLogAccountRate() ? o.accountId : o.id;
  }

  void logEmail(String messageId, String from, List<String> to, String subject, Instant sent, Opp o) {
    if (logRnd.nextDouble() >= org.profile.loggedEmailShare()) {
      return;
    }
    EmailMessage m = new EmailMessage();
    m.id = org.id("02s");
    m.messageId = messageId;
    m.relatedToId = logTarget(o);
    m.from = from;
    m.to = String.join("; ", to);
    m.subject = subject;
    m.at = sent;
    loggedToday.add(m);
  }

  void logCall(String callId, User rep, Opp o, Contact c, int duration, Instant at) {
    if (logRnd.nextDouble() >= org.profile.loggedCallShare()) {
      return;
    }
    loggedToday.add(task(rep, logTarget(o), c, "Call", callId, duration, at));
  }

  Task task(User rep, String whatId, Contact c, String subject, String callObject, int duration, Instant at) {
    Task t = new Task();
    t.id = org.id("00T");
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
    Contact c = org.contactById.get(o.contactIds.get(0));
    Instant at = day.atStartOfDay().toInstant(ZoneOffset.UTC).plus(14 * 60 + logRnd.nextInt(8 * 60), ChronoUnit.MINUTES);
    Task t = task(rep, logTarget(o), c, "Call from mobile", null, 60 + logRnd.nextInt(900), at);
    loggedToday.add(t);
    truth.activity("call", t.id, true, rep.id, o.accountId, o.id, "deal");
  }

  void prospectEmail(int d, int days, LocalDate day, User rep) {
    List<Account> owned = org.accounts.stream().filter(a -> a.ownerId.equals(rep.id)).toList();
    if (owned.isEmpty()) {
      return;
    }
    Account a = org.pick(owned);
    boolean hasDeal = org.opps.stream().anyMatch(o -> o.accountId.equals(a.id)
        && !o.createdAt.isAfter(day.plusDays(15).atStartOfDay().toInstant(ZoneOffset.UTC))
        && (!o.closed || o.closedOn.isAfter(day.minusDays(15))));
    if (hasDeal) {
      return;
    }
    Contact c = org.pick(org.contactsByAccount.get(a.id));
    String mid = "<" + org.id("m") + "@mail." + DOMAIN + ">";
    Instant t = org.at(day, 13, 23);
    delivery.deliver(d, days, "comms/email", email(mid, org.id("thr"), null, t, rep.email, List.of(display(c.first, c.last, c.email)),
        List.of(), "Introduction: " + a.name, rep.email));
    truth.activity("email", mid, true, rep.id, a.id, null, "account_only");
  }

  void dealEmail(int d, int days, LocalDate day, User rep, User manager, Opp o) {
    Account a = org.accountById.get(o.accountId);
    Contact c = org.contactById.get(dealContact(o));
    String thread = org.id("thr");
    // writing to someone outside the deal's buying group, org.reps usually say which deal they mean
    String subject = !o.contactIds.contains(c.id) && org.chance(org.profile.hard() ? 0.3 : 0.8) ? o.product + " next steps"
        : subjectFor(o, a);
    Instant t = org.at(day, 12, 21);
    String mid = "<" + org.id("m") + "@mail." + DOMAIN + ">";
    boolean ccManager = org.chance(0.1);
    List<String> cc = ccManager ? List.of(manager.email) : List.of();
    List<String> to = new ArrayList<>(List.of(display(c.first, c.last, c.email)));
    if (org.chance(0.15) && o.contactIds.size() > 1) {
      Contact c2 = org.contactById.get(org.pick(o.contactIds));
      if (c2 != c) {
        to.add(c2.email);
      }
    }
    delivery.deliver(d, days, "comms/email", email(mid, thread, null, t, rep.email, to, cc, subject, rep.email));
    if (ccManager) {
      delivery.deliver(d, days, "comms/email", email(mid, thread, null, t, rep.email, to, cc, subject, manager.email));
    }
    truth.activity("email", mid, true, rep.id, a.id, o.id, "deal");
    logEmail(mid, rep.email, to, subject, t, o);
    if (org.chance(0.35)) {
      String rid = "<" + org.id("m") + "@mail." + c.email.substring(c.email.indexOf('@') + 1) + ">";
      Instant rt = t.plus(20 + org.rnd.nextInt(150), ChronoUnit.MINUTES);
      // replies usually keep the thread but often drop the deal words from the subject
      String rsubject = org.chance(0.5) ? "Re: " + subject : "Re: Quick question";
      delivery.deliver(d, days, "comms/email", email(rid, thread, mid, rt, display(c.first, c.last, c.email), List.of(rep.email),
          cc, rsubject, rep.email));
      if (ccManager) {
        delivery.deliver(d, days, "comms/email", email(rid, thread, mid, rt, display(c.first, c.last, c.email), List.of(rep.email),
            cc, rsubject, manager.email));
      }
      truth.activity("email", rid, true, rep.id, a.id, o.id, "deal");
      logEmail(rid, c.email, List.of(rep.email), rsubject, rt, o);
    }
  }

  /** Who a rep talks to about a deal: mostly its primary contact, else its other org.roles, sometimes anyone at the account. */
  String dealContact(Opp o) {
    double r = org.rnd.nextDouble();
    if (r < 0.55 || o.contactIds.size() == 1 && r < 0.85) {
      return o.contactIds.get(0);
    }
    if (r < 0.85) {
      return o.contactIds.get(1 + org.rnd.nextInt(o.contactIds.size() - 1));
    }
    return org.pick(org.contactsByAccount.get(o.accountId)).id;
  }

  void dealCall(int d, int days, LocalDate day, User rep, Opp o) {
    Contact c = org.contactById.get(dealContact(o));
    String cid = org.id("call");
    String disposition = org.pick(new String[] {"connected", "connected", "connected", "no_answer", "voicemail", "busy"});
    int duration = disposition.equals("connected") ? 60 + org.rnd.nextInt(1800) : disposition.equals("voicemail") ? 20 + org.rnd.nextInt(40) : 0;
    boolean inbound = org.chance(0.2);
    Instant at = org.at(day, 13, 22);
    Map<String, Object> row = call(cid, delivery.ts(at), duration, inbound ? "inbound" : "outbound", rep.email,
        delivery.dialerPhone(digitsOf(c.phone)), disposition);
    delivery.deliver(d, days, "comms/call", row);
    truth.activity("call", cid, true, rep.id, o.accountId, o.id, "deal");
    logCall(cid, rep, o, c, duration, at);
  }

  void dealMeeting(int d, int days, LocalDate day, User rep, User manager, Opp o) {
    Account a = org.accountById.get(o.accountId);
    String eid = org.id("evt") + "@" + DOMAIN;
    Instant start = org.at(day, 13, 21);
    Instant end = start.plus(30 + 15 * org.rnd.nextInt(4), ChronoUnit.MINUTES);
    boolean cancelled = org.chance(0.06);
    boolean allDeclined = !cancelled && org.chance(0.04);
    List<Map<String, Object>> attendees = new ArrayList<>();
    int k = Math.min(o.contactIds.size(), 1 + org.rnd.nextInt(2));
    for (int i = 0; i < k; i++) {
      Contact c = org.contactById.get(o.contactIds.get(i));
      String response = allDeclined ? "declined" : org.pick(new String[] {"accepted", "accepted", "tentative", "none"});
      attendees.add(attendee(c.email, response));
    }
    attendees.add(attendee(rep.email, "accepted"));
    boolean withManager = org.chance(0.3);
    if (withManager) {
      attendees.add(attendee(manager.email, "accepted"));
    }
    String subject = org.chance(org.profile.hard() ? 0.3 : 0.6) ? a.name + " / " + o.product + " review" : "Catch-up";
    for (User holder : withManager ? List.of(rep, manager) : List.of(rep)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("event_id", eid);
      m.put("start_at", delivery.ts(start));
      m.put("end_at", delivery.ts(end));
      m.put("organizer", rep.email);
      m.put("attendees", attendees);
      m.put("subject", subject);
      m.put("status", cancelled ? "cancelled" : "confirmed");
      m.put("mailbox", holder.email);
      delivery.deliver(d, days, "comms/meeting", m);
    }
    if (cancelled || allDeclined) {
      truth.activity("meeting", eid, false, null, null, null, cancelled ? "cancelled" : "declined");
    } else {
      truth.activity("meeting", eid, true, rep.id, a.id, o.id, "deal");
      if (logRnd.nextDouble() < org.profile.loggedMeetingShare()) {
        Event e = new Event();
        e.id = org.id("00U");
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
    if (org.chance(0.5 * f)) {
      String mid = "<" + org.id("m") + "@mail." + DOMAIN + ">";
      Map<String, Object> m = email(mid, org.id("thr"), null, org.at(day, 12, 20), rep.email, List.of(manager.email), List.of(),
          "Pipeline review", rep.email);
      delivery.deliver(d, days, "comms/email", m);
      Map<String, Object> copy = new LinkedHashMap<>(m);
      copy.put("mailbox", manager.email);
      delivery.deliver(d, days, "comms/email", copy);
      truth.activity("email", mid, true, rep.id, null, null, "internal");
    }
    if (org.chance(0.3 * f)) {
      String vendor = org.pick(VENDORS);
      String mid = "<" + org.id("m") + "@" + vendor + ">";
      delivery.deliver(d, days, "comms/email", email(mid, null, null, org.at(day, 6, 9), "news@" + vendor, List.of(rep.email), List.of(),
          "Weekly digest", rep.email));
      truth.activity("email", mid, true, rep.id, null, null, "newsletter");
    }
    if (org.chance(0.15 * f)) {
      String mid = "<" + org.id("m") + "@mail." + DOMAIN + ">";
      String stranger = org.pick(FIRST).toLowerCase() + org.rnd.nextInt(1000) + "@" + org.pick(FREEMAIL);
      delivery.deliver(d, days, "comms/email", email(mid, org.id("thr"), null, org.at(day, 12, 20), rep.email, List.of(stranger), List.of(),
          "Quick question", rep.email));
      truth.activity("email", mid, true, rep.id, null, null, "freemail_unknown");
    }
    if (org.chance(0.1 * f)) {
      String cid = org.id("call");
      delivery.deliver(d, days, "comms/call", call(cid, delivery.ts(org.at(day, 14, 22)), 0, "inbound", rep.email,
          "+1800555" + String.format("%04d", org.rnd.nextInt(10000)), "no_answer"));
      truth.activity("call", cid, true, rep.id, null, null, "unknown_number");
    }
  }
}
