package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * {@code dim_teams}: the closure of both team hierarchies over time, so that a team's figures
 * include everyone beneath it, at any depth. Grain: one row per {@code hierarchy}, team node,
 * member and validity interval:
 * <ul>
 *   <li>{@code role}: node = a UserRole; members = users holding it or any role beneath it
 *       ({@code UserRole.ParentRoleId}). Roles are current state; users' roles change over time.</li>
 *   <li>{@code manager}: node = a user; members = the user (distance 0) and everyone reporting to
 *       them directly or indirectly ({@code User.ManagerId}), each link as of its own version.</li>
 * </ul>
 * A user's first version also holds before it ({@code valid_from} null = since the beginning).
 * At any instant a member belongs to a node at most once, so sums over a node never double count.
 */
public final class DimTeams {

  public static final String NAME = "dim_teams";
  /** Loop guard: deeper chains than this mean a cycle in the exported hierarchy. */
  static final int MAX_DEPTH = 64;
  static final Column FOREVER = lit("9999-12-31 00:00:00").cast("timestamp");
  static final Column BEGINNING = lit("1900-01-01 00:00:00").cast("timestamp");

  private DimTeams() {}

  /**
   * @param userVersions {@code stg_crm__user_versions}
   * @param userRoles {@code stg_crm__user_roles}
   */
  public static Dataset<Row> apply(Dataset<Row> userVersions, Dataset<Row> userRoles) {
    Dataset<Row> versions = userVersions.select(
        col("user_id"), col("manager_user_id"), col("user_role_id"),
        when(Versions.isFirst("user_id"), BEGINNING)
            .otherwise(col("valid_from")).as("v_from"),
        coalesce(col("valid_to"), FOREVER).as("v_to"));
    Dataset<Row> roles = userRoles.select(col("user_role_id"), col("role_name"), col("parent_role_id"));

    // role closure: (role, ancestor role, distance), iterated to the top
    Dataset<Row> roleClosure = roles.select(col("user_role_id").as("role_id"), col("user_role_id").as("node_id"),
        lit(0).as("distance"));
    Dataset<Row> frontier = roleClosure;
    for (int d = 1; d <= MAX_DEPTH; d++) {
      frontier = frontier.join(roles, frontier.col("node_id").equalTo(roles.col("user_role_id")))
          .where(col("parent_role_id").isNotNull())
          .select(col("role_id"), col("parent_role_id").as("node_id"), lit(d).as("distance"));
      if (frontier.isEmpty()) {
        break;
      }
      check(d, "UserRole.ParentRoleId");
      roleClosure = roleClosure.union(frontier);
    }
    Dataset<Row> byRole = versions.where(col("user_role_id").isNotNull())
        .join(roleClosure, col("user_role_id").equalTo(col("role_id")))
        .select(lit("role").as("hierarchy"), col("node_id"), col("user_id").as("member_user_id"), col("distance"),
            col("v_from"), col("v_to"));

    // manager closure over time: each step follows the current top's manager during the overlap
    Dataset<Row> links = versions.where(col("manager_user_id").isNotNull()).select(
        col("user_id").as("l_user_id"), col("manager_user_id").as("l_manager_id"), col("v_from").as("l_from"),
        col("v_to").as("l_to"));
    Dataset<Row> selfRows = versions.groupBy("user_id").agg(min("v_from").as("v_from"), max("v_to").as("v_to"))
        .select(col("user_id").as("member_user_id"), col("user_id").as("node_id"), lit(0).as("distance"),
            col("v_from"), col("v_to"));
    Dataset<Row> byManager = selfRows;
    Dataset<Row> mFrontier = selfRows;
    for (int d = 1; d <= MAX_DEPTH; d++) {
      mFrontier = mFrontier.join(links, col("node_id").equalTo(col("l_user_id"))
              .and(col("l_from").lt(col("v_to"))).and(col("l_to").gt(col("v_from"))))
          .select(col("member_user_id"), col("l_manager_id").as("node_id"), lit(d).as("distance"),
              greatest(col("v_from"), col("l_from")).as("v_from"), least(col("v_to"), col("l_to")).as("v_to"));
      if (mFrontier.isEmpty()) {
        break;
      }
      check(d, "User.ManagerId");
      byManager = byManager.union(mFrontier);
    }
    Dataset<Row> managerRows = byManager.select(lit("manager").as("hierarchy"), col("node_id"), col("member_user_id"),
        col("distance"), col("v_from"), col("v_to"));

    Dataset<Row> names = roles.select(lit("role").as("n_hierarchy"), col("user_role_id").as("n_node_id"),
            col("role_name").as("node_name"))
        .union(userVersions.where(col("is_current")).select(lit("manager"), col("user_id"), col("full_name")));
    Dataset<Row> closure = byRole.union(managerRows);
    // a node's depth: its distance from the top of its hierarchy, now
    Column now = col("v_to").equalTo(FOREVER);
    Dataset<Row> depths = closure.where(now)
        .groupBy(col("hierarchy").as("d_hierarchy"), col("member_user_id").as("d_member"))
        .agg(max("distance").as("member_depth"));
    Dataset<Row> roleDepths = roleClosure.groupBy(col("role_id").as("rd_role")).agg(max("distance").as("role_depth"));
    return closure
        .join(broadcast(names), col("hierarchy").equalTo(col("n_hierarchy")).and(col("node_id").equalTo(col("n_node_id"))),
            "left")
        .join(depths, col("hierarchy").equalTo(col("d_hierarchy")).and(col("node_id").equalTo(col("d_member"))), "left")
        .join(broadcast(roleDepths), col("hierarchy").equalTo("role").and(col("node_id").equalTo(col("rd_role"))), "left")
        .select(
            col("hierarchy"), col("node_id"), col("node_name"),
            coalesce(col("role_depth"), col("member_depth"), lit(0)).as("node_depth"),
            col("member_user_id"), col("distance"),
            when(col("v_from").equalTo(BEGINNING), lit(null)).otherwise(col("v_from")).cast("timestamp").as("valid_from"),
            when(now, lit(null)).otherwise(col("v_to")).cast("timestamp").as("valid_to"),
            now.as("is_current"));
  }

  private static void check(int depth, String field) {
    if (depth == MAX_DEPTH) {
      throw new IllegalArgumentException("Cannot build team hierarchy: " + field + " chains are deeper than "
          + MAX_DEPTH + " levels (a cycle in the exported data?)");
    }
  }

  /** As-of condition on dim_teams rows for an instant. */
  public static Column validAt(Column at) {
    return col("valid_from").isNull().or(col("valid_from").leq(at))
        .and(col("valid_to").isNull().or(col("valid_to").gt(at)));
  }
}
