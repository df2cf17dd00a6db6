package com.salespulse.transforms.staging;

import static org.apache.spark.sql.functions.*;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One input field of a dataset: its name in the export, its staging column, its type and whether
 * the contract marks it required. {@link #parse} turns the raw text into a typed value and an error
 * (null when the value is acceptable) naming the field, using built-in Spark functions only.
 */
public record Field(String source, String target, Kind kind, boolean required, List<String> allowed, Object whenMissing) {

  /** How a field's raw text is parsed and validated. */
  public enum Kind { STRING, TIMESTAMP, DATE, BOOLEAN, MONEY, PERCENT, INTEGER, ENUM, EMAIL, PHONE, EMAIL_ARRAY, ATTENDEES }

  public static final DataType MONEY_TYPE = DataTypes.createDecimalType(18, 2);
  public static final DataType PERCENT_TYPE = DataTypes.createDecimalType(7, 4);
  static final String ISO_TIMESTAMP = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})$";
  private static final String ISO_TIMESTAMP_WITHOUT_SECONDS = "^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2})(Z|[+-]\\d{2}:?\\d{2})$";
  static final String ISO_DATE = "^\\d{4}-\\d{2}-\\d{2}$";
  static final String DECIMAL = "^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$";
  static final String EMAIL_SHAPE = "^[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+$";

  public static Field string(String source, String target, boolean required) {
    return new Field(source, target, Kind.STRING, required, List.of(), null);
  }

  public static Field of(String source, String target, Kind kind, boolean required) {
    return new Field(source, target, kind, required, List.of(), null);
  }

  /** An optional boolean that reads as false when absent (IsDeleted, IsPrimary). */
  public static Field flag(String source, String target) {
    return new Field(source, target, Kind.BOOLEAN, false, List.of(), false);
  }

  public static Field oneOf(String source, String target, boolean required, String... values) {
    return new Field(source, target, Kind.ENUM, required, Arrays.asList(values), null);
  }

  /** The Spark type of the staging column. */
  public DataType dataType() {
    return switch (kind) {
      case STRING, ENUM, EMAIL, PHONE -> DataTypes.StringType;
      case TIMESTAMP -> DataTypes.TimestampType;
      case DATE -> DataTypes.DateType;
      case BOOLEAN -> DataTypes.BooleanType;
      case MONEY -> MONEY_TYPE;
      case PERCENT -> PERCENT_TYPE;
      case INTEGER -> DataTypes.IntegerType;
      case EMAIL_ARRAY -> DataTypes.createArrayType(DataTypes.StringType);
      case ATTENDEES -> Attendees.TYPE;
    };
  }

  /** Parsed value and error message for this field, given the run's parsing rules. */
  public Parsed parse(ParseRules rules) {
    Column text = nullif(trim(col(source)), lit(""));
    Column value;
    Column invalid;
    switch (kind) {
      case STRING -> {
        value = text;
        invalid = lit(false);
      }
      case TIMESTAMP -> {
        // ISO-8601 lets the seconds be left out (14:03Z); Spark's cast needs them
        Column withSeconds = regexp_replace(text, ISO_TIMESTAMP_WITHOUT_SECONDS, "$1:00$2");
        Column ts = when(text.rlike(ISO_TIMESTAMP), withSeconds.try_cast(DataTypes.TimestampType));
        value = when(ts.between(rules.earliestTimestamp(), rules.latestTimestamp()), ts);
        invalid = text.isNotNull().and(value.isNull());
      }
      case DATE -> {
        Column d = when(text.rlike(ISO_DATE), text.try_cast(DataTypes.DateType));
        value = when(d.between(lit("1900-01-01").cast("date"), lit("2199-12-31").cast("date")), d);
        invalid = text.isNotNull().and(value.isNull());
      }
      case BOOLEAN -> {
        Column lower = lower(text);
        value = when(lower.isin("true", "1"), lit(true)).when(lower.isin("false", "0"), lit(false));
        invalid = text.isNotNull().and(value.isNull());
      }
      case MONEY, PERCENT, INTEGER -> {
        String shape = kind == Kind.INTEGER ? "^[+-]?\\d+$" : DECIMAL;
        value = when(text.rlike(shape), text.try_cast(dataType()));
        invalid = text.isNotNull().and(value.isNull());
      }
      case ENUM -> {
        Column lower = lower(text);
        value = when(lower.isin(allowed.toArray()), lower);
        invalid = text.isNotNull().and(value.isNull());
      }
      case EMAIL -> {
        value = normaliseEmail(text);
        invalid = text.isNotNull().and(value.isNull());
      }
      case PHONE -> {
        value = normalisePhone(text, rules.defaultCountryCode());
        invalid = text.isNotNull().and(value.isNull());
      }
      case EMAIL_ARRAY -> {
        Column parsed = from_json(text, DataTypes.createArrayType(DataTypes.StringType), java.util.Map.of());
        Column normalised = transform(parsed, Field::normaliseEmail);
        value = normalised;
        invalid = text.isNotNull().and(parsed.isNull().or(exists(normalised, Column::isNull)));
      }
      case ATTENDEES -> {
        Column parsed = from_json(text, Attendees.RAW_TYPE, java.util.Map.of());
        Column normalised = transform(parsed, a -> struct(
            normaliseEmail(a.getField("email")).as("email"),
            lower(trim(a.getField("response"))).as("response")));
        value = normalised;
        invalid = text.isNotNull().and(parsed.isNull().or(exists(normalised,
            a -> a.getField("email").isNull().or(not(coalesce(a.getField("response"), lit("none"))
                .isin(Attendees.RESPONSES.toArray()))))));
      }
      default -> throw new IllegalStateException("Cannot parse field " + source + ": unknown kind " + kind);
    }
    Column error = when(text.isNull(), required ? lit(message("missing required value")) : lit(null))
        .when(invalid, concat(lit(message(expectation() + ", got '")), substring(text, 1, 120), lit("'")));
    Column typed = whenMissing == null ? value : coalesce(value, lit(whenMissing));
    return new Parsed(typed.cast(dataType()).as(target), error);
  }

  private String message(String what) {
    return "field '" + source + "': " + what;
  }

  private String expectation() {
    return switch (kind) {
      case TIMESTAMP -> "expected an ISO-8601 timestamp with offset or Z, in a plausible range";
      case DATE -> "expected a date YYYY-MM-DD";
      case BOOLEAN -> "expected true/false/1/0";
      case MONEY, PERCENT -> "expected a decimal number";
      case INTEGER -> "expected an integer";
      case ENUM -> "expected one of " + String.join("|", allowed);
      case EMAIL -> "expected an email address";
      case PHONE -> "expected a phone number with 8 to 15 digits";
      case EMAIL_ARRAY -> "expected a JSON array of email addresses";
      case ATTENDEES -> "expected a JSON array of {email, response in " + String.join("|", Attendees.RESPONSES) + "}";
      case STRING -> "expected text";
    };
  }

  /** Bare lower-case address from `Display Name <addr>` or `addr`; null when it is no address. */
  public static Column normaliseEmail(Column raw) {
    Column trimmed = trim(raw);
    Column bracketed = regexp_extract(trimmed, "<\\s*([^<>\\s]+)\\s*>\\s*$", 1);
    Column bare = lower(when(bracketed.notEqual(lit("")), bracketed).otherwise(trimmed));
    return when(bare.rlike(EMAIL_SHAPE), bare);
  }

  /** The email domain of a normalised address. */
  public static Column emailDomain(Column email) {
    return substring_index(email, "@", -1);
  }

  /**
   * E.164 form (+ and digits) of a phone number as people write it: `+44 20 7946 0958`,
   * `0044…`, `(415) 555-0101`, `415.555.0101 x12`. National numbers get the configured country
   * code, after dropping a trunk 0; null when fewer than 8 or more than 15 digits remain.
   */
  public static Column normalisePhone(Column raw, String defaultCountryCode) {
    Column noExtension = regexp_replace(trim(raw), "(?i)\\s*(ext\\.?|x|#)\\s*\\d+$", "");
    Column digits = regexp_replace(noExtension, "[^0-9]", "");
    String cc = defaultCountryCode.replaceAll("[^0-9]", "");
    Column national = regexp_replace(digits, "^0+", "");
    Column international = when(noExtension.startsWith("+"), digits)
        .when(digits.startsWith("00"), substring(digits, 3, 20))
        .when(lit(cc.equals("1")).and(length(digits).equalTo(11)).and(digits.startsWith("1")), digits)
        .otherwise(concat(lit(cc), national));
    return when(length(international).between(8, 15).and(not(international.startsWith("0"))),
        concat(lit("+"), international));
  }

  /** Meeting attendee arrays. */
  public static final class Attendees {
    public static final List<String> RESPONSES = List.of("accepted", "declined", "tentative", "none");
    static final DataType RAW_TYPE = DataTypes.createArrayType(DataTypes.createStructType(List.of(
        DataTypes.createStructField("email", DataTypes.StringType, true),
        DataTypes.createStructField("response", DataTypes.StringType, true))));
    public static final DataType TYPE = RAW_TYPE;

    private Attendees() {}
  }
}
