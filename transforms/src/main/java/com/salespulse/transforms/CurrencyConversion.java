package com.salespulse.transforms;

import static org.apache.spark.sql.functions.*;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Amounts of several currencies brought to one before they are added up. A Salesforce org with
 * several currencies keeps each deal's amount in the deal's currency ({@code CurrencyIsoCode}); a
 * rep's or a team's won amount adds deals, so it needs one currency: the org's corporate currency
 * ({@code org.corporate-currency}) with fixed rates to it ({@code org.currency-rates}, e.g.
 * {@code EUR:1.08,GBP:1.27}, corporate units per unit, like Salesforce's conversion rates). Without
 * a corporate currency nothing is converted: amounts are added in the records' own currency, which
 * is right for the usual single-currency org (the jobs warn when they meet more than one).
 *
 * <p>A record without a currency (null or blank) is taken to be in the corporate currency (a single-currency
 * Salesforce org exports no {@code CurrencyIsoCode}); so are quotas, which carry none.
 *
 * @param corporateCurrency ISO 4217 code, or empty for no conversion
 * @param rates corporate-currency units per unit of each other currency
 */
public record CurrencyConversion(String corporateCurrency, SortedMap<String, BigDecimal> rates) {

  public static final String CORPORATE_CURRENCY = "org.corporate-currency";
  public static final String RATES = "org.currency-rates";

  /** No conversion: amounts added in their own currency. */
  public static final CurrencyConversion NONE = new CurrencyConversion("", new TreeMap<>());

  public CurrencyConversion {
    rates = Collections.unmodifiableSortedMap(new TreeMap<>(rates));
    if (corporateCurrency.isEmpty() && !rates.isEmpty()) {
      throw new IllegalArgumentException("Cannot set " + RATES + " to " + format(rates) + ": " + CORPORATE_CURRENCY
          + " is not set (the currency the rates convert to)");
    }
  }

  /** The conversion from configuration ({@link #CORPORATE_CURRENCY}, {@link #RATES}; both may be empty). */
  public static CurrencyConversion from(ConfigValues c) {
    String corporate = c.optionalText(CORPORATE_CURRENCY).toUpperCase(Locale.ROOT);
    if (!corporate.isEmpty() && !corporate.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("Cannot set " + CORPORATE_CURRENCY + " to " + corporate
          + ": expected an ISO 4217 code such as USD");
    }
    SortedMap<String, BigDecimal> rates = new TreeMap<>();
    for (String pair : c.optionalText(RATES).split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.trim().split("\\s*:\\s*");
      String code = kv[0].toUpperCase(Locale.ROOT);
      BigDecimal rate = null;
      try {
        rate = kv.length == 2 ? new BigDecimal(kv[1]) : null;
      } catch (NumberFormatException e) {
        // reported below
      }
      if (!code.matches("[A-Z]{3}") || rate == null || rate.signum() <= 0) {
        throw new IllegalArgumentException("Cannot set " + RATES + " to " + c.optionalText(RATES) + ": '" + pair.trim()
            + "' is not CODE:RATE with an ISO 4217 code and a positive rate (e.g. EUR:1.08)");
      }
      if (code.equals(corporate) && rate.compareTo(BigDecimal.ONE) != 0) {
        throw new IllegalArgumentException("Cannot set " + RATES + " to " + c.optionalText(RATES) + ": the rate of the "
            + "corporate currency " + corporate + " is 1, not " + rate);
      }
      if (rates.put(code, rate) != null) {
        throw new IllegalArgumentException("Cannot set " + RATES + " to " + c.optionalText(RATES) + ": " + code
            + " is given twice");
      }
    }
    return new CurrencyConversion(corporate, rates);
  }

  /** Whether amounts are converted (a corporate currency is set). */
  public boolean converts() {
    return !corporateCurrency.isEmpty();
  }

  /**
   * The amount in the corporate currency, rounded to cents ({@code decimal(18,2)}); the amount as it
   * is when nothing is converted. An amount in a currency without a rate fails the query (the jobs
   * check {@link #missingRates} before any write, so this is a guard, not the message users see).
   */
  public Column convert(Column amount, Column currency) {
    if (!converts()) {
      return amount;
    }
    Column code = upper(trim(currency));
    Column rate = when(currency.isNull().or(code.equalTo("")).or(code.equalTo(corporateCurrency)),
        lit(BigDecimal.ONE).cast("decimal(18,8)"));
    for (Map.Entry<String, BigDecimal> e : rates.entrySet()) {
      rate = rate.when(code.equalTo(e.getKey()), lit(e.getValue()).cast("decimal(18,8)"));
    }
    rate = rate.otherwise(raise_error(concat(lit("Cannot convert an amount in "), code, lit(" to " + corporateCurrency
        + ": " + RATES + " has no rate for it"))));
    return round(amount.cast("decimal(18,2)").multiply(rate), 2).cast("decimal(18,2)");
  }

  /** The distinct currency codes (upper-cased, trimmed) of a column, without nulls: for {@link #missingRates}. */
  public static Dataset<String> currencies(Dataset<Row> rows, String currencyColumn) {
    return rows.select(upper(trim(col(currencyColumn))).as("currency_code")).where(col("currency_code").isNotNull()
        .and(col("currency_code").notEqual(""))).distinct().as(Encoders.STRING());
  }

  /** Of these currencies, those that cannot be converted (none when nothing is converted). */
  public List<String> missingRates(Collection<String> currencies) {
    if (!converts()) {
      return List.of();
    }
    return currencies.stream().filter(c -> !c.equals(corporateCurrency) && !rates.containsKey(c)).sorted().toList();
  }

  private static String format(Map<String, BigDecimal> rates) {
    return String.join(",", rates.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().toPlainString()).toList());
  }

  @Override
  public String toString() {
    return converts() ? "to " + corporateCurrency + " at " + format(rates) : "none";
  }
}
