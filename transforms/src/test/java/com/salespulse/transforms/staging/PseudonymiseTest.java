package com.salespulse.transforms.staging;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.transforms.TestSpark;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Outside addresses and numbers replaced by keyed hashes, internal ones kept, matching preserved. */
class PseudonymiseTest {

  static final byte[] KEY = Pseudonymise.key("a test key, not a secret: 32+ characters long");
  static final List<String> INTERNAL = List.of("acme.com");

  static String hmac(String value, byte[] key) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theHashIsHmacSha256AsTheJdkComputesIt() throws Exception {
    byte[] longKey = Pseudonymise.key("k".repeat(100));
    Row r = TestSpark.get().sql("SELECT 'dana.reyes@globex.com' AS v, '+14155550123' AS w")
        .select(Pseudonymise.hmacSha256Hex(org.apache.spark.sql.functions.col("v"), KEY),
            Pseudonymise.hmacSha256Hex(org.apache.spark.sql.functions.col("w"), longKey))
        .first();
    assertThat(r.getString(0)).as("HMAC-SHA-256, a key shorter than a block").isEqualTo(hmac("dana.reyes@globex.com", KEY));
    assertThat(r.getString(1)).as("a key longer than a block is hashed first").isEqualTo(hmac("+14155550123", longKey));
  }

  @Test
  void outsideAddressesAndNumbersBecomePseudonymsEverywhereAndInternalOnesStay() throws Exception {
    Dataset<Row> rows = TestSpark.get().sql("SELECT 'rep@acme.com' AS from_email, "
        + "array('dana.reyes@globex.com', 'li@acme.com') AS to_emails, array('rep@acme.com') AS mailboxes, "
        + "array(named_struct('email', 'dana.reyes@globex.com', 'response', 'accepted')) AS attendees, "
        + "'+14155550123' AS counterpart_phone, CAST(NULL AS STRING) AS mobile_phone, 'Pricing' AS subject, "
        + "'dana.reyes@globex.com' AS email");
    Row r = Pseudonymise.apply(rows, INTERNAL, KEY).first();
    String dana = "p." + hmac("dana.reyes@globex.com", KEY).substring(0, 24) + "@globex.com";
    assertThat(r.<String>getAs("from_email")).as("an internal sender").isEqualTo("rep@acme.com");
    assertThat(r.<String>getList(r.fieldIndex("to_emails"))).as("recipients").containsExactly(dana, "li@acme.com");
    assertThat(r.<String>getList(r.fieldIndex("mailboxes"))).as("company mailboxes").containsExactly("rep@acme.com");
    assertThat(r.<Row>getList(r.fieldIndex("attendees")).get(0).<String>getAs("email")).as("an attendee, as everywhere")
        .isEqualTo(dana);
    assertThat(r.<String>getAs("email")).as("a contact's address, so that matching still works").isEqualTo(dana);
    assertThat(r.<String>getAs("counterpart_phone")).as("a number")
        .isEqualTo("p." + hmac("+14155550123", KEY).substring(0, 24));
    assertThat(r.<String>getAs("mobile_phone")).as("null stays null").isNull();
    assertThat(r.<String>getAs("subject")).as("other columns untouched").isEqualTo("Pricing");
    assertThat(Pseudonymise.apply(rows, INTERNAL, Pseudonymise.key("another key of 32 characters or more"))
        .first().<String>getAs("email")).as("another key, another pseudonym").isNotEqualTo(dana);
    assertThat(Pseudonymise.apply(rows, INTERNAL, KEY).columns()).as("same columns, same order")
        .containsExactly(rows.columns());
  }
}
