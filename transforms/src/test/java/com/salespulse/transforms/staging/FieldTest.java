package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.transforms.TestSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class FieldTest {

  static final ParseRules RULES = new ParseRules("run", LocalDate.parse("2026-11-25"), LocalDate.parse("2026-11-25"), "1");

  /** (value, error) for each input of the field, in order. */
  static List<Row> parse(Field f, String... inputs) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      rows.add(RowFactory.create(i, inputs[i]));
    }
    Dataset<Row> df = TestSpark.get().createDataFrame(rows, DataTypes.createStructType(List.of(
        DataTypes.createStructField("i", DataTypes.IntegerType, false),
        DataTypes.createStructField(f.source(), DataTypes.StringType, true))));
    Parsed p = f.parse(RULES);
    return df.select(org.apache.spark.sql.functions.col("i"), p.value(), p.error()).orderBy("i")
        .collectAsList().stream().map(r -> RowFactory.create(r.get(1), r.get(2))).toList();
  }

  @Test
  void timestampsWithOffsetsBecomeUtcInstants() {
    List<Row> r = parse(Field.of("sent_at", "sent_at", TIMESTAMP, true),
        "2026-11-25T14:03:22.000Z", "2026-11-25T09:03:22-05:00", "2026-11-25T19:33:22+05:30");
    for (Row row : r) {
      assertThat(((Timestamp) row.get(0)).toInstant()).as("instant of %s", row).isEqualTo(Instant.parse("2026-11-25T14:03:22Z"));
      assertThat(row.get(1)).as("no error for %s", row).isNull();
    }
  }

  @Test
  void timestampsWithoutSecondsOrWithACompactOffsetAreRead() {
    // ISO-8601 forms the contract's pattern allows beside the examples: seconds left out, and the
    // offset without its colon (Salesforce writes +0000)
    List<Row> r = parse(Field.of("sent_at", "sent_at", TIMESTAMP, true),
        "2026-11-25T14:03Z", "2026-11-25T09:03-05:00", "2026-11-25T19:33+0530", "2026-11-25T14:03:00.000+0000");
    for (Row row : r) {
      assertThat(row.get(1)).as("no error for %s", row).isNull();
      assertThat(((Timestamp) row.get(0)).toInstant()).as("instant of %s", row).isEqualTo(Instant.parse("2026-11-25T14:03:00Z"));
    }
  }

  @Test
  void impossibleOrOffsetlessTimestampsAreRejectedNamingTheField() {
    List<Row> r = parse(Field.of("sent_at", "sent_at", TIMESTAMP, true),
        "2026-02-30T10:00:00Z", "2026-11-25 14:03:22", "yesterday", "2031-01-01T00:00:00Z", "1999-12-31T23:00:00Z", null);
    for (Row row : r.subList(0, 5)) {
      assertThat(row.get(0)).as("value of a rejected timestamp").isNull();
      assertThat(row.getString(1)).as("error").startsWith("field 'sent_at': expected an ISO-8601 timestamp");
    }
    assertThat(r.get(5).getString(1)).as("missing required value").isEqualTo("field 'sent_at': missing required value");
  }

  @Test
  void datesBooleansMoneyAndIntegers() {
    assertThat(parse(Field.of("CloseDate", "close_date", DATE, true), "2026-12-31", "2026-13-01", "31/12/2026"))
        .extracting(r -> r.get(0)).as("dates")
        .containsExactly(java.sql.Date.valueOf("2026-12-31"), null, null);
    assertThat(parse(Field.of("IsWon", "is_won", BOOLEAN, true), "TRUE", "false", "1", "0", "yes"))
        .extracting(r -> r.get(0)).as("booleans").containsExactly(true, false, true, false, null);
    assertThat(parse(Field.flag("IsDeleted", "is_deleted"), (String) null).get(0).get(0))
        .as("absent flag reads false").isEqualTo(false);
    assertThat(parse(Field.of("Amount", "amount", MONEY, false), "12000.00", "-150.5", "12,000", "abc"))
        .extracting(r -> r.get(0)).as("money")
        .containsExactly(new BigDecimal("12000.00"), new BigDecimal("-150.50"), null, null);
    assertThat(parse(Field.of("duration_seconds", "duration_seconds", INTEGER, true), "42", "4.5", "x"))
        .extracting(r -> r.get(0)).as("integers").containsExactly(42, null, null);
  }

  @Test
  void enumsAreCaseInsensitiveAndNameTheAllowedValues() {
    List<Row> r = parse(Field.oneOf("direction", "direction", true, "outbound", "inbound"), "Outbound", "sideways");
    assertThat(r.get(0).get(0)).as("normalised enum").isEqualTo("outbound");
    assertThat(r.get(1).getString(1)).as("error").isEqualTo("field 'direction': expected one of outbound|inbound, got 'sideways'");
  }

  @Test
  void emailsLoseDisplayNamesAndCase() {
    assertThat(parse(Field.of("from", "from_email", EMAIL, true),
        "Dana Reyes <Dana.Reyes@Acme.com>", "  li.park@maventech.com ", "\"Park, Li\" <li.park@maventech.com>", "not an address"))
        .extracting(r -> r.get(0)).as("normalised addresses")
        .containsExactly("dana.reyes@acme.com", "li.park@maventech.com", "li.park@maventech.com", null);
  }

  @Test
  void phonesBecomeE164() {
    assertThat(parse(Field.of("Phone", "phone", PHONE, false),
        "(748) 296-6991", "+1 748 296 6991", "1-748-296-6991", "748.296.6991 x12", "0044 20 7946 0958", "+44 (0)20 7946 0958", "12345"))
        .extracting(r -> r.get(0)).as("E.164 numbers")
        .containsExactly("+17482966991", "+17482966991", "+17482966991", "+17482966991", "+442079460958", "+4402079460958", null);
  }

  @Test
  void addressArraysAndAttendeesAreParsedAndChecked() {
    List<Row> to = parse(Field.of("to", "to_emails", EMAIL_ARRAY, false),
        "[\"Hana Chen <HANA@globex.com>\", \"ben@globex.com\"]", "[]", "not json", "[\"nobody\"]");
    assertThat(to.get(0).getList(0)).as("parsed array").containsExactly("hana@globex.com", "ben@globex.com");
    assertThat(to.get(1).getList(0)).as("empty array").isEmpty();
    assertThat(to.get(2).getString(1)).as("error for bad JSON").startsWith("field 'to': expected a JSON array of email addresses");
    assertThat(to.get(3).getString(1)).as("error for a bad address").startsWith("field 'to':");

    List<Row> att = parse(Field.of("attendees", "attendees", ATTENDEES, true),
        "[{\"email\": \"A@x.com\", \"response\": \"Accepted\"}]", "[{\"email\": \"a@x.com\", \"response\": \"maybe\"}]");
    Row first = att.get(0).<Row>getList(0).get(0);
    assertThat(Arrays.asList(first.getString(0), first.getString(1))).as("attendee").containsExactly("a@x.com", "accepted");
    assertThat(att.get(1).getString(1)).as("bad response").startsWith("field 'attendees': expected a JSON array of {email, response in");
  }
}
