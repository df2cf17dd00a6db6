package com.salespulse.transforms.staging;

import static org.apache.spark.sql.functions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Replaces the email addresses and phone numbers of people outside the company by keyed hashes
 * (HMAC-SHA-256) in staged rows, so the warehouse never holds them while matching keeps working:
 * the same address always gives the same pseudonym, on every side of a match (communications,
 * CRM-logged emails, contacts, users).
 *
 * <p>An address whose domain is one of the internal domains is kept as it is (the company's own
 * people); any other becomes {@code p.<first 24 hex digits of the HMAC>@<domain>}: the domain stays,
 * since accounts are recognised by their domain and a company's domain is not personal data. A
 * phone number becomes {@code p.<24 hex digits>}. Columns are found by the staging naming
 * conventions: a string column named {@code email} or ending in {@code _email}, an array of strings
 * ending in {@code _emails} or named {@code mailboxes}, the {@code email} field of an array of
 * structs ({@code attendees}), and a string column named {@code phone} or ending in {@code _phone}.
 * Built-in functions only: HMAC is computed as its definition, SHA-256 of the outer padded key and
 * SHA-256 of the inner padded key and the UTF-8 value.
 */
public final class Pseudonymise {

  /** The prefix of a pseudonym (staged once, at ingest; never hashed twice). */
  public static final String PREFIX = "p.";
  private static final int BLOCK = 64;

  private Pseudonymise() {}

  /** The rows with every outside address and phone number replaced (see the class comment). */
  public static Dataset<Row> apply(Dataset<Row> rows, List<String> internalDomains, byte[] key) {
    List<Column> out = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      Column c = col("`" + f.name() + "`");
      String n = f.name();
      if (f.dataType().equals(DataTypes.StringType) && (n.equals("email") || n.endsWith("_email"))) {
        c = address(c, internalDomains, key);
      } else if (f.dataType().equals(DataTypes.StringType) && (n.equals("phone") || n.endsWith("_phone"))) {
        c = phone(c, key);
      } else if (f.dataType() instanceof ArrayType a && a.elementType().equals(DataTypes.StringType)
          && (n.endsWith("_emails") || n.equals("mailboxes"))) {
        c = transform(c, e -> address(e, internalDomains, key));
      } else if (f.dataType() instanceof ArrayType a && a.elementType() instanceof StructType s
          && List.of(s.fieldNames()).contains("email")) {
        c = transform(c, e -> e.withField("email", address(e.getField("email"), internalDomains, key)));
      }
      out.add(c.as(n));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  /** An address outside the internal domains as {@code p.<hmac>@<domain>}; internal ones and nulls as they are. */
  public static Column address(Column email, List<String> internalDomains, byte[] key) {
    Column domain = substring_index(email, "@", -1);
    Column internal = coalesce(domain.isin(internalDomains.toArray()), lit(false));
    return when(email.isNull().or(internal), email)
        .otherwise(concat(lit(PREFIX), substring(hmacSha256Hex(email, key), 1, 24), lit("@"), domain));
  }

  /** A phone number as {@code p.<hmac>}; nulls as they are. */
  public static Column phone(Column phone, byte[] key) {
    return when(phone.isNull(), phone)
        .otherwise(concat(lit(PREFIX), substring(hmacSha256Hex(phone, key), 1, 24)));
  }

  /** HMAC-SHA-256 of a string's UTF-8 bytes, as 64 lower-case hex digits (RFC 2104, built-in functions). */
  public static Column hmacSha256Hex(Column value, byte[] key) {
    byte[] k = key.length > BLOCK ? sha256(key) : key;
    byte[] inner = new byte[BLOCK];
    byte[] outer = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      byte b = i < k.length ? k[i] : 0;
      inner[i] = (byte) (b ^ 0x36);
      outer[i] = (byte) (b ^ 0x5c);
    }
    Column innerHash = unhex(sha2(concat(lit(inner), encode(value, "UTF-8")), 256));
    return sha2(concat(lit(outer), innerHash), 256);
  }

  /** The key's bytes: the environment value as UTF-8. */
  public static byte[] key(String secret) {
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash the pseudonymisation key: " + e.getMessage(), e);
    }
  }
}
