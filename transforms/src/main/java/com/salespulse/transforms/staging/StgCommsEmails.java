package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;

/** Builds {@code stg_comms__emails}: one row per distinct email message (message_id). */
public final class StgCommsEmails extends CommsTable {

  @Override
  public String name() {
    return "stg_comms__emails";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("message_id", "message_id", true),
        Field.string("thread_id", "thread_id", false),
        Field.string("in_reply_to", "in_reply_to_message_id", false),
        Field.of("sent_at", "sent_at", TIMESTAMP, true),
        Field.of("from", "from_email", EMAIL, true),
        Field.of("to", "to_emails", EMAIL_ARRAY, false),
        Field.of("cc", "cc_emails", EMAIL_ARRAY, false),
        Field.string("subject", "subject", false),
        Field.of("mailbox", "mailbox", EMAIL, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("message_id");
  }

  @Override
  protected List<Column> rowRules() {
    Column recipients = coalesce(size(col("to_emails")), lit(0)).plus(coalesce(size(col("cc_emails")), lit(0)));
    return List.of(when(recipients.equalTo(0), lit("fields 'to'/'cc': a message needs at least one recipient")));
  }
}
