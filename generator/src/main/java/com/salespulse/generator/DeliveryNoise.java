package com.salespulse.generator;

import static com.salespulse.generator.OrgModel.DOMAIN;
import static com.salespulse.generator.OrgModel.ISO_MILLIS;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How real exports arrive: communication lines delivered a day or two late or twice, timestamps
 * with varying offsets, phone numbers in a dialer's formats rather than the CRM's, and a small
 * share of malformed rows (well under the 1% reject threshold).
 */
final class DeliveryNoise {

  /** A communication line to deliver in a drop (one mailbox's copy). */
  record Line(String dataset, Object content) {}

  private final OrgModel org;
  /** Communication lines by the day offset of the drop they arrive in. */
  private final Map<Integer, List<Line>> pending = new TreeMap<>();

  DeliveryNoise(OrgModel org) {
    this.org = org;
  }

  /** An ISO-8601 rendering of an instant with a varying offset, as different sources write it. */
  String ts(Instant t) {
    return switch (org.rnd.nextInt(4)) {
      case 0 -> ISO_MILLIS.format(t);
      case 1 -> t.atOffset(ZoneOffset.ofHours(-5)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      case 2 -> t.atOffset(ZoneOffset.ofHours(1)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      default -> t.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    };
  }

  /** The same number as a dialer writes it: E.164, dashed with the country code, or dotted. */
  String dialerPhone(String d) {
    return switch (org.rnd.nextInt(3)) {
      case 0 -> "+1" + d;
      case 1 -> "1-" + d.substring(0, 3) + "-" + d.substring(3, 6) + "-" + d.substring(6);
      default -> d.substring(0, 3) + "." + d.substring(3, 6) + "." + d.substring(6);
    };
  }

  /** Delivers a line on its day, a little late, or twice (re-delivery). */
  void deliver(int day, int days, String dataset, Object content) {
    int when = day;
    double r = org.rnd.nextDouble();
    if (r < 0.03 && day + 1 < days) {
      when = day + 1 + (day + 2 < days && org.chance(0.5) ? 1 : 0);
    }
    pending.computeIfAbsent(when, k -> new ArrayList<>()).add(new Line(dataset, content));
    if (r > 0.98 && day + 1 < days) {
      pending.computeIfAbsent(day + 1, k -> new ArrayList<>()).add(new Line(dataset, content));
    }
  }

  /** The lines that arrive in the drop of this day offset (each once). */
  List<Line> arriving(int day) {
    List<Line> lines = pending.getOrDefault(day, List.of());
    pending.remove(day);
    return lines;
  }

  /** Malformed email lines inserted among good ones, one per 150: an impossible date or a cut-off record. */
  void malformEmails(List<Object> emails) {
    for (int i = 0; i < emails.size() / 150; i++) {
      emails.add(1 + org.rnd.nextInt(emails.size() - 1), org.chance(0.5)
          ? "{\"message_id\": \"<" + org.id("m") + "@mail." + DOMAIN + ">\", \"sent_at\": \"2026-02-30T10:00:00Z\", \"from\": \"x@"
            + DOMAIN + "\", \"to\": [\"y@example.com\"]}"
          : "{\"message_id\": \"<" + org.id("m") + "@mail." + DOMAIN + ">\", \"sent_at\": ");
    }
  }

  /** Call records with a direction no dialer writes, one per 150 good ones. */
  List<Map<String, Object>> malformedCalls(int goodCalls, LocalDate day) {
    List<Map<String, Object>> bad = new ArrayList<>();
    for (int i = 0; i < goodCalls / 150; i++) {
      bad.add(Communications.call(org.id("call"), day + "T10:00:00Z", 12, "sideways", "rep@" + DOMAIN, "+14155550100",
          "connected"));
    }
    return bad;
  }
}
