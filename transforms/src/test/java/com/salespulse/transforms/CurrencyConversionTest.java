package com.salespulse.transforms;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CurrencyConversionTest {

  static CurrencyConversion from(String corporate, String rates) {
    return CurrencyConversion.from(TestRules.defaults().with(CurrencyConversion.CORPORATE_CURRENCY, corporate)
        .with(CurrencyConversion.RATES, rates));
  }

  static Dataset<Row> amounts() {
    return TestSpark.get().sql("SELECT id, CAST(amount AS DECIMAL(18,2)) amount, currency FROM VALUES "
        + "(1, 100.00, 'USD'), (2, 100.00, 'EUR'), (3, 19.99, ' gbp '), (4, 250.00, NULL), (5, NULL, 'EUR'), (6, 7.00, '') "
        + "AS t(id, amount, currency)");
  }

  static List<String> converted(CurrencyConversion c, Dataset<Row> rows) {
    return rows.orderBy("id").select(c.convert(col("amount"), col("currency")).cast("string"))
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void theShippedDefaultConvertsNothing() {
    CurrencyConversion none = CurrencyConversion.from(TestRules.defaults());
    assertThat(none.converts()).as("no corporate currency by default").isFalse();
    assertThat(none).as("the default equals NONE").isEqualTo(CurrencyConversion.NONE);
    assertThat(converted(none, amounts())).as("amounts as they are")
        .containsExactly("100.00", "100.00", "19.99", "250.00", null, "7.00");
    assertThat(none.missingRates(List.of("EUR", "USD"))).as("nothing to convert, nothing missing").isEmpty();
  }

  @Test
  void amountsAreConvertedAtTheirCurrencysRateAndRoundedToCents() {
    CurrencyConversion c = from("usd", "EUR:1.0825, gbp : 1.27");
    assertThat(c.corporateCurrency()).as("upper-cased").isEqualTo("USD");
    assertThat(c.rates()).as("rates by code").containsEntry("EUR", new BigDecimal("1.0825"))
        .containsEntry("GBP", new BigDecimal("1.27"));
    // 19.99 x 1.27 = 25.3873; a record without a currency is in the corporate one
    assertThat(converted(c, amounts())).as("USD as is, EUR and GBP at their rates, no currency as USD, null stays null")
        .containsExactly("100.00", "108.25", "25.39", "250.00", null, "7.00");
    assertThat(c.missingRates(List.of("EUR", "USD", "JPY", "CHF"))).as("currencies without a rate")
        .containsExactly("CHF", "JPY");
    assertThat(CurrencyConversion.currencies(amounts(), "currency").collectAsList()).as("distinct codes, no nulls")
        .containsExactlyInAnyOrder("USD", "EUR", "GBP");
  }

  @Test
  void anAmountInACurrencyWithoutARateFailsTheQueryInsteadOfVanishing() {
    CurrencyConversion c = from("USD", "EUR:1.08");
    assertThatThrownBy(() -> converted(c, amounts())).as("GBP has no rate")
        .hasMessageContaining("Cannot convert an amount in GBP to USD: org.currency-rates has no rate for it");
  }

  @Test
  void aWrongSettingSaysWhich() {
    for (String[] c : new String[][] {
        {"", "EUR:1.08", "Cannot set org.currency-rates to EUR:1.08: org.corporate-currency is not set"},
        {"dollars", "", "Cannot set org.corporate-currency to DOLLARS: expected an ISO 4217 code such as USD"},
        {"USD", "EUR=1.08", "Cannot set org.currency-rates to EUR=1.08: 'EUR=1.08' is not CODE:RATE"},
        {"USD", "EUR:-1", "Cannot set org.currency-rates to EUR:-1: 'EUR:-1' is not CODE:RATE"},
        {"USD", "EUR:1.1,EUR:1.2", "Cannot set org.currency-rates to EUR:1.1,EUR:1.2: EUR is given twice"},
        {"USD", "USD:2", "Cannot set org.currency-rates to USD:2: the rate of the corporate currency USD is 1, not 2"}}) {
      assertThatThrownBy(() -> from(c[0], c[1])).as("%s / %s", c[0], c[1]).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(c[2]);
    }
  }
}
