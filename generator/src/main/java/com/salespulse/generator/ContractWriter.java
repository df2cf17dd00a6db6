package com.salespulse.generator;

import static com.salespulse.generator.OrgModel.*;

import com.salespulse.generator.Communications.EmailMessage;
import com.salespulse.generator.Communications.Event;
import com.salespulse.generator.Communications.Task;
import com.salespulse.generator.Compensation.Payout;
import com.salespulse.generator.DeliveryNoise.Line;
import com.salespulse.transforms.staging.Field;
import com.salespulse.transforms.staging.StagingTable;
import com.salespulse.transforms.staging.StgCommsCalls;
import com.salespulse.transforms.staging.StgCommsEmails;
import com.salespulse.transforms.staging.StgCommsMeetings;
import com.salespulse.transforms.staging.StgCompPayouts;
import com.salespulse.transforms.staging.StgCrmAccounts;
import com.salespulse.transforms.staging.StgCrmContacts;
import com.salespulse.transforms.staging.StgCrmEmailMessages;
import com.salespulse.transforms.staging.StgCrmEvents;
import com.salespulse.transforms.staging.StgCrmForecastingQuotas;
import com.salespulse.transforms.staging.StgCrmOpportunities;
import com.salespulse.transforms.staging.StgCrmOpportunityContactRoles;
import com.salespulse.transforms.staging.StgCrmOpportunityHistory;
import com.salespulse.transforms.staging.StgCrmOpportunitySplits;
import com.salespulse.transforms.staging.StgCrmTasks;
import com.salespulse.transforms.staging.StgCrmUserRoles;
import com.salespulse.transforms.staging.StgCrmUsers;
import java.io.IOException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a day's drop in the input contract's format. Records are maps keyed by the contract's
 * field names; a CSV's header is the field list of the staging table the dataset feeds (the one
 * the ingest reads it with), so the files cannot drift from the contract. A record with a field
 * the contract does not know, or without a required one, fails the generator.
 */
final class ContractWriter {

  private static final StagingTable USERS = new StgCrmUsers();
  private static final StagingTable USER_ROLES = new StgCrmUserRoles();
  private static final StagingTable ACCOUNTS = new StgCrmAccounts();
  private static final StagingTable CONTACTS = new StgCrmContacts();
  private static final StagingTable OPPORTUNITIES = new StgCrmOpportunities();
  private static final StagingTable HISTORY = new StgCrmOpportunityHistory();
  private static final StagingTable CONTACT_ROLES = new StgCrmOpportunityContactRoles();
  private static final StagingTable QUOTAS = new StgCrmForecastingQuotas();
  private static final StagingTable SPLITS = new StgCrmOpportunitySplits();
  private static final StagingTable TASKS = new StgCrmTasks();
  private static final StagingTable EVENTS = new StgCrmEvents();
  private static final StagingTable EMAIL_MESSAGES = new StgCrmEmailMessages();
  private static final StagingTable EMAILS = new StgCommsEmails();
  private static final StagingTable MEETINGS = new StgCommsMeetings();
  private static final StagingTable CALLS = new StgCommsCalls();
  private static final StagingTable PAYOUTS = new StgCompPayouts();

  private final DropWriter out;
  private long rows;

  ContractWriter(DropWriter out) {
    this.out = out;
  }

  /** Data rows written so far (malformed ones included). */
  long rows() {
    return rows;
  }

  /** A record: alternating contract field names and values (booleans as text, null as empty). */
  static Map<String, Object> record(Object... namesAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      m.put((String) namesAndValues[i], v instanceof Boolean b ? b.toString() : v);
    }
    return m;
  }

  /** Today's CRM changes: each changed record once, in the CRM object it belongs to. */
  void crm(LocalDate day, List<Object> changed) throws IOException {
    List<Map<String, Object>> u = new ArrayList<>(), r = new ArrayList<>(), a = new ArrayList<>(), c = new ArrayList<>(),
        o = new ArrayList<>(), h = new ArrayList<>(), cr = new ArrayList<>(), q = new ArrayList<>(), s = new ArrayList<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object x : changed) {
      if (!seen.add(x)) {
        continue;
      }
      if (x instanceof User v) {
        u.add(record("Id", v.id, "FirstName", v.first, "LastName", v.last, "Name", v.first + " " + v.last,
            "Email", v.email, "IsActive", !v.inactive, "ManagerId", v.managerId, "UserRoleId", v.roleId,
            "Title", v.title, "Department", "Sales", "EmployeeNumber", "E" + v.id.substring(10, 15), "Phone", v.phone,
            "LastModifiedDate", crmTs(v.modifiedAt), "SystemModstamp", crmTs(v.modifiedAt)));
      } else if (x instanceof Role v) {
        r.add(record("Id", v.id, "Name", v.name, "ParentRoleId", v.parentId, "LastModifiedDate", crmTs(v.modifiedAt)));
      } else if (x instanceof Account v) {
        a.add(record("Id", v.id, "Name", v.name, "Website", v.website, "Industry", v.industry, "Type", "Customer",
            "OwnerId", v.ownerId, "IsDeleted", false, "LastModifiedDate", crmTs(v.modifiedAt),
            "SystemModstamp", crmTs(v.modifiedAt)));
      } else if (x instanceof Contact v) {
        c.add(record("Id", v.id, "AccountId", v.accountId, "FirstName", v.first, "LastName", v.last, "Email", v.email,
            "Phone", v.phone, "Title", v.title, "IsDeleted", false, "LastModifiedDate", crmTs(v.modifiedAt),
            "SystemModstamp", crmTs(v.modifiedAt)));
      } else if (x instanceof Opp v) {
        o.add(record("Id", v.id, "AccountId", v.accountId, "OwnerId", v.ownerId, "Name", v.name,
            "StageName", stageName(v), "Amount", v.amount.toPlainString(), "CurrencyIsoCode", "USD",
            "CloseDate", v.closeDate.toString(), "IsClosed", v.closed, "IsWon", v.won,
            "Probability", v.closed ? (v.won ? 100 : 0) : PROBABILITY[v.stage], "CreatedDate", crmTs(v.createdAt),
            "IsDeleted", false, "LastModifiedDate", crmTs(v.modifiedAt), "SystemModstamp", crmTs(v.modifiedAt)));
      } else if (x instanceof History v) {
        h.add(record("Id", v.id, "OpportunityId", v.oppId, "StageName", v.stage, "Amount", v.amount.toPlainString(),
            "CloseDate", v.closeDate.toString(), "Probability", v.probability, "CreatedDate", crmTs(v.at),
            "IsDeleted", false));
      } else if (x instanceof ContactRole v) {
        cr.add(record("Id", v.id, "OpportunityId", v.oppId, "ContactId", v.contactId, "Role", v.role,
            "IsPrimary", v.primary, "IsDeleted", false, "LastModifiedDate", crmTs(v.modifiedAt)));
      } else if (x instanceof Quota v) {
        q.add(record("Id", v.id, "QuotaOwnerId", v.ownerId, "StartDate", v.start.toString(),
            "QuotaAmount", v.amount.toPlainString(), "LastModifiedDate", crmTs(v.modifiedAt)));
      } else if (x instanceof Split v) {
        s.add(record("Id", v.id, "OpportunityId", v.oppId, "SplitOwnerId", v.ownerId,
            "SplitPercentage", v.pct.toPlainString(), "SplitAmount", v.amount.toPlainString(), "IsDeleted", false,
            "LastModifiedDate", crmTs(v.modifiedAt)));
      }
    }
    csv(day, "crm/User", "User.csv", USERS, u);
    csv(day, "crm/UserRole", "UserRole.csv", USER_ROLES, r);
    csv(day, "crm/Account", "Account.csv", ACCOUNTS, a);
    csv(day, "crm/Contact", "Contact.csv", CONTACTS, c);
    csv(day, "crm/Opportunity", "Opportunity.csv.gz", OPPORTUNITIES, o);
    csv(day, "crm/OpportunityHistory", "OpportunityHistory.csv", HISTORY, h);
    csv(day, "crm/OpportunityContactRole", "OpportunityContactRole.csv", CONTACT_ROLES, cr);
    csv(day, "crm/ForecastingQuota", "ForecastingQuota.csv", QUOTAS, q);
    csv(day, "crm/OpportunitySplit", "OpportunitySplit.csv", SPLITS, s);
  }

  /** The communication lines arriving today, with the malformed lines the delivery adds. */
  @SuppressWarnings("unchecked")
  void comms(LocalDate day, List<Line> lines, DeliveryNoise delivery) throws IOException {
    List<Object> emails = new ArrayList<>();
    List<Object> meetings = new ArrayList<>();
    List<Map<String, Object>> calls = new ArrayList<>();
    for (Line l : lines) {
      switch (l.dataset()) {
        case "comms/email" -> emails.add(checked(EMAILS, "comms/email", (Map<String, Object>) l.content()));
        case "comms/meeting" -> meetings.add(checked(MEETINGS, "comms/meeting", (Map<String, Object>) l.content()));
        default -> calls.add((Map<String, Object>) l.content());
      }
    }
    delivery.malformEmails(emails);
    calls.addAll(delivery.malformedCalls(calls.size(), day));
    int half = emails.size() / 2;
    out.jsonLines(out.file("comms/email", day, "part-0000.jsonl.gz"), emails.subList(0, half));
    out.jsonLines(out.file("comms/email", day, "part-0001.jsonl"), emails.subList(half, emails.size()));
    out.success("comms/email", day);
    out.jsonLines(out.file("comms/meeting", day, "meetings.jsonl"), meetings);
    out.success("comms/meeting", day);
    rows += emails.size() + meetings.size();
    csv(day, "comms/call", "calls.csv", CALLS, calls);
  }

  /** The activities reps logged in the CRM today: Task, Event and EmailMessage drops (contract v1.1). */
  void logged(LocalDate day, List<Object> loggedToday) throws IOException {
    List<Map<String, Object>> tasks = new ArrayList<>(), events = new ArrayList<>(), messages = new ArrayList<>();
    for (Object x : loggedToday) {
      if (x instanceof Task t) {
        String stamp = crmTs(t.at.plus(5, ChronoUnit.MINUTES));
        tasks.add(record("Id", t.id, "OwnerId", t.ownerId, "WhatId", t.whatId, "WhoId", t.whoId, "Subject", t.subject,
            "ActivityDate", t.day.toString(), "TaskSubtype", t.subtype, "CallObject", t.callObject,
            "CallDurationInSeconds", t.duration, "Status", "Completed", "CreatedDate", stamp, "IsDeleted", false,
            "LastModifiedDate", stamp, "SystemModstamp", stamp));
      } else if (x instanceof Event e) {
        String stamp = crmTs(e.end.plus(5, ChronoUnit.MINUTES));
        events.add(record("Id", e.id, "OwnerId", e.ownerId, "WhatId", e.whatId, "WhoId", e.whoId, "Subject", e.subject,
            "StartDateTime", crmTs(e.start), "EndDateTime", crmTs(e.end), "CreatedDate", stamp, "IsDeleted", false,
            "LastModifiedDate", stamp, "SystemModstamp", stamp));
      } else if (x instanceof EmailMessage m) {
        String stamp = crmTs(m.at.plus(2, ChronoUnit.MINUTES));
        messages.add(record("Id", m.id, "MessageIdentifier", m.messageId, "RelatedToId", m.relatedToId,
            "FromAddress", m.from, "ToAddress", m.to, "Subject", m.subject, "MessageDate", crmTs(m.at),
            "CreatedDate", stamp, "IsDeleted", false, "LastModifiedDate", stamp, "SystemModstamp", stamp));
      }
    }
    csv(day, "crm/Task", "Task.csv", TASKS, tasks);
    csv(day, "crm/Event", "Event.csv", EVENTS, events);
    csv(day, "crm/EmailMessage", "EmailMessage.csv", EMAIL_MESSAGES, messages);
  }

  /** Today's payout lines, some with 15-character ids as compensation systems export them. */
  void payouts(LocalDate day, List<Payout> payoutsToday) throws IOException {
    List<Map<String, Object>> data = new ArrayList<>();
    for (Payout p : payoutsToday) {
      data.add(record("payout_id", p.id, "payee_user_id", shortened(p.payeeId, p.shortIds),
          "period_start", p.periodStart.toString(), "period_end", p.periodEnd.toString(), "component", p.component,
          "opportunity_id", p.oppId == null ? null : shortened(p.oppId, p.shortIds), "amount", p.amount.toPlainString(),
          "currency", p.currency, "paid_date", p.paidDate.toString()));
    }
    csv(day, "comp/payout", "payouts.csv", PAYOUTS, data);
  }

  static String shortened(String id, boolean shortIds) {
    return shortIds && id.length() == 18 ? id.substring(0, 15) : id;
  }

  /** One CSV of a dataset (header: the staging table's source fields, in its order) and its _SUCCESS marker. */
  private void csv(LocalDate day, String dataset, String file, StagingTable table, List<Map<String, Object>> records)
      throws IOException {
    List<String> header = table.fields().stream().map(Field::source).toList();
    List<List<Object>> data = new ArrayList<>();
    for (Map<String, Object> r : records) {
      checked(table, dataset, r);
      List<Object> row = new ArrayList<>();
      header.forEach(f -> row.add(r.get(f)));
      data.add(row);
    }
    out.csv(dataset, day, file, header, data, List.of());
    out.success(dataset, day);
    rows += data.size();
  }

  /** The record itself, once every field is one of the contract's and every required field is there. */
  private static Map<String, Object> checked(StagingTable table, String dataset, Map<String, Object> record) {
    List<String> known = table.fields().stream().map(Field::source).toList();
    for (String f : record.keySet()) {
      if (!known.contains(f)) {
        throw new IllegalStateException("Cannot write " + dataset + ": '" + f + "' is not a field of the contract "
            + "(known: " + known + ")");
      }
    }
    for (Field f : table.fields()) {
      if (f.required() && record.get(f.source()) == null) {
        throw new IllegalStateException("Cannot write " + dataset + ": required field '" + f.source() + "' is missing");
      }
    }
    return record;
  }
}
