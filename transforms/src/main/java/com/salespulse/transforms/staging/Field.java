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

  /**
   * Parsed value and error message for this field, given the run's parsing rules, each as one
   * expression (a field checked alone; {@link StagingTable#validate} computes the text and the value
   * once each, in projections of their own, and reads them by name).
   */
  public Parsed parse(ParseRules rules) {
    Column text = text();
    Column value = value(text, rules);
    return new Parsed(typed(value).as(target), error(text, value));
  }

  /** The field's raw text, trimmed; null when empty. What {@link #value} and {@link #error} read. */
  public Column text() {
    return nullif(trim(col(source)), lit(""));
  }

  /** The value the text holds, null when it holds none or an invalid one ({@link #typed} types it). */
  public Column value(Column text, ParseRules rules) {
    return switch (kind) {
      case STRING -> text;
      case TIMESTAMP -> {
        // ISO-8601 lets the seconds be left out (14:03Z); Spark's cast needs them
        Column withSeconds = regexp_replace(text, ISO_TIMESTAMP_WITHOUT_SECONDS, "$1:00$2");
        Column ts = when(text.rlike(ISO_TIMESTAMP), withSeconds.try_cast(DataTypes.TimestampType));
        yield when(ts.between(rules.earliestTimestamp(), rules.latestTimestamp()), ts);
      }
      case DATE -> {
        Column d = when(text.rlike(ISO_DATE), text.try_cast(DataTypes.DateType));
        yield when(d.between(lit("1900-01-01").cast("date"), lit("2199-12-31").cast("date")), d);
      }
      case BOOLEAN -> {
        Column lower = lower(text);
        yield when(lower.isin("true", "1"), lit(true)).when(lower.isin("false", "0"), lit(false));
      }
      case MONEY, PERCENT, INTEGER -> when(text.rlike(kind == Kind.INTEGER ? "^[+-]?\\d+$" : DECIMAL),
          text.try_cast(dataType()));
      case ENUM -> {
        Column lower = lower(text);
        yield when(lower.isin(allowed.toArray()), lower);
      }
      case EMAIL -> normaliseEmail(text);
      case PHONE -> normalisePhone(text, rules.defaultCountryCode());
      // an entry that is no address stays, as null: the error names the field
      case EMAIL_ARRAY -> transform(from_json(text, DataTypes.createArrayType(DataTypes.StringType), java.util.Map.of()),
          Field::normaliseEmail);
      case ATTENDEES -> transform(from_json(text, Attendees.RAW_TYPE, java.util.Map.of()), a -> struct(
          normaliseEmail(a.getField("email")).as("email"),
          lower(trim(a.getField("response"))).as("response")));
    };
  }

  /** The staging column's value: the value, or the field's default when absent, as the column's type. */
  public Column typed(Column value) {
    return (whenMissing == null ? value : coalesce(value, lit(whenMissing))).cast(dataType());
  }

  /**
   * The field's error, naming it (null when the value is acceptable), from its text and its value as
   * {@link #value} gives them: a required field without text, or text without a (wholly) valid value.
   */
  public Column error(Column text, Column value) {
    Column invalid = switch (kind) {
      case STRING -> lit(false);
      case EMAIL_ARRAY -> text.isNotNull().and(value.isNull().or(exists(value, Column::isNull)));
      case ATTENDEES -> text.isNotNull().and(value.isNull().or(exists(value,
          a -> a.getField("email").isNull().or(not(coalesce(a.getField("response"), lit("none"))
              .isin(Attendees.RESPONSES.toArray()))))));
      default -> text.isNotNull().and(value.isNull());
    };
    return when(text.isNull(), required ? lit(message("missing required value")) : lit(null))
        .when(invalid, concat(lit(message(expectation() + ", got '")), substring(text, 1, 120), lit("'")));
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
