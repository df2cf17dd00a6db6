package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The reporting calendar: {@code day}, {@code week} (ISO, Monday to Sunday), {@code month} and
 * fiscal {@code quarter} (quarters counted from the fiscal year's first month), all cut on dates
 * in the org timezone.
 */
public final class Periods {

  public static final List<String> TYPES = List.of("day", "week", "month", "quarter");

  private Periods() {}

  /** First day of the period of the given type that holds {@code date}. */
  public static Column start(String type, Column date, int fiscalYearStartMonth) {
    return switch (type) {
      case "day" -> date;
      case "week" -> date_sub(date, pmod(dayofweek(date).plus(5), lit(7)));
      case "month" -> trunc(date, "month");
      case "quarter" -> add_months(trunc(date, "month"),
          pmod(month(date).minus(fiscalYearStartMonth), lit(3)).multiply(-1));
      default -> throw new IllegalArgumentException("Cannot cut periods of type " + type + ": unknown");
    };
  }

  /** Last day (inclusive) of the period of the given type starting on {@code start}; an unknown type fails. */
  public static Column end(Column type, Column start) {
    return when(type.equalTo("day"), start)
        .when(type.equalTo("week"), date_add(start, 6))
        .when(type.equalTo("month"), last_day(start))
        .when(type.equalTo("quarter"), date_sub(add_months(start, 3), 1))
        .otherwise(raise_error(concat(lit("Cannot end a period of type "), coalesce(type, lit("null")),
            lit(": unknown (day, week, month or quarter)"))));
  }

  /** Last day (inclusive) of the period of the given type starting on {@code start}. */
  public static java.time.LocalDate endDate(String type, java.time.LocalDate start) {
    return switch (type) {
      case "day" -> start;
      case "week" -> start.plusDays(6);
      case "month" -> start.plusMonths(1).minusDays(1);
      case "quarter" -> start.plusMonths(3).minusDays(1);
      default -> throw new IllegalArgumentException("Cannot end a period of type " + type
          + ": unknown (day, week, month or quarter)");
    };
  }

  /**
   * An array of {@code struct(period_type, period_start)}, one per period type, for exploding a
   * dated row into the four periods it belongs to.
   */
  public static Column all(Column date, int fiscalYearStartMonth) {
    return array(TYPES.stream()
        .map(t -> struct(lit(t).as("period_type"), start(t, date, fiscalYearStartMonth).as("period_start")))
        .toArray(Column[]::new));
  }

  /** Fiscal year a date falls in, named after the calendar year in which it ends. */
  public static Column fiscalYear(Column date, int fiscalYearStartMonth) {
    return fiscalYearStartMonth == 1 ? year(date)
        : year(date).plus(when(month(date).geq(fiscalYearStartMonth), 1).otherwise(0));
  }

  /** The UTC instant at which a date (in the org timezone) ends. */
  public static Column endOfDay(Column date, String timezone) {
    return to_utc_timestamp(date_add(date, 1).cast("timestamp"), timezone);
  }

  /** The date of a UTC instant in the org timezone. */
  public static Column localDate(Column utc, String timezone) {
    return to_date(from_utc_timestamp(utc, timezone));
  }
}
