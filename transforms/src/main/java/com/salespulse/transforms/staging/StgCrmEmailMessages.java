package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * Builds {@code stg_crm__email_messages}: current state of each CRM EmailMessage (an email logged
 * against a deal or an account), one row per email_message_id. {@code message_key} is the
 * Message-ID without angle brackets, the key that matches it to {@code stg_comms__emails}.
 */
public final class StgCrmEmailMessages extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__email_messages";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "email_message_id", true),
        Field.string("MessageIdentifier", "message_identifier", false),
        Field.string("RelatedToId", "related_to_id", false),
        Field.of("FromAddress", "from_email", EMAIL, false),
        Field.string("ToAddress", "to_address", false),
        Field.string("Subject", "subject", false),
        Field.of("MessageDate", "message_at", TIMESTAMP, false),
        Field.of("CreatedDate", "created_at", TIMESTAMP, true),
        Field.flag("IsDeleted", "is_deleted"),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, true),
        Field.of("SystemModstamp", "system_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("email_message_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    Map<String, Column> derived = new LinkedHashMap<>();
    // ToAddress is Salesforce's semicolon-separated list of addresses
    derived.put("to_emails", filter(transform(split(coalesce(col("to_address"), lit("")), "[;,]"),
        Field::normaliseEmail), x -> x.isNotNull()));
    derived.put("message_key", messageKey(col("message_identifier")));
    derived.putAll(crmVersionAt("system_modified_at", "last_modified_at"));
    return derived;
  }

  @Override
  protected List<String> validatedOnlyColumns() {
    return List.of("to_address");
  }

  /** A Message-ID as a matching key: trimmed, without the angle brackets some sources keep. */
  public static Column messageKey(Column messageId) {
    return nullif(regexp_replace(trim(messageId), "^<|>$", ""), lit(""));
  }
}
