package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * {@code dim_users}: every user (reps and managers) with their role and manager over time. Grain:
 * one row per user version ({@code stg_crm__user_versions}); the first version of a user is also
 * taken to hold before it was first seen ({@code is_first_version}), as attribution does.
 */
public final class DimUsers {

  public static final String NAME = "dim_users";

  private DimUsers() {}

  /**
   * @param userVersions {@code stg_crm__user_versions}
   * @param users {@code stg_crm__users} (current names of managers)
   * @param userRoles {@code stg_crm__user_roles}
   */
  public static Dataset<Row> apply(Dataset<Row> userVersions, Dataset<Row> users, Dataset<Row> userRoles) {
    Dataset<Row> roles = userRoles.select(col("user_role_id").as("r_role_id"), col("role_name"), col("parent_role_id"));
    Dataset<Row> managers = users.select(col("user_id").as("m_user_id"), col("full_name").as("manager_name"));
    Dataset<Row> reportsTo = userVersions.where(col("manager_user_id").isNotNull())
        .select(col("manager_user_id").as("d_user_id")).distinct();
    return userVersions
        .join(broadcast(roles), col("user_role_id").equalTo(col("r_role_id")), "left")
        .join(broadcast(managers), col("manager_user_id").equalTo(col("m_user_id")), "left")
        .join(broadcast(reportsTo), col("user_id").equalTo(col("d_user_id")), "left")
        .select(
            col("user_id"), col("full_name"), col("email"), col("title"), col("department"), col("is_active"),
            col("user_role_id"), col("role_name"), col("parent_role_id"),
            col("manager_user_id"), col("manager_name"),
            col("d_user_id").isNotNull().as("has_direct_reports"),
            col("valid_from"), col("valid_to"), col("is_current"),
            Versions.isFirst("user_id").as("is_first_version"));
  }
}
