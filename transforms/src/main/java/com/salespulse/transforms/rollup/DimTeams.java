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

  /** A manager link over time: {@code managerId} manages {@code userId} from {@code from} (inclusive) to {@code to}. */
  public record ManagerLink(String userId, String managerId, java.time.Instant from, java.time.Instant to) {}

  /** How many levels each hierarchy's closure needs: the longest chain, over time for managers. */
  public record Levels(int roles, int managers) {}

  /**
   * The levels of the two hierarchies, computed on the driver from their (small) edge lists so that
   * {@link #apply} is a plain plan with no Spark action in it: the longest ParentRoleId chain, and the
   * longest ManagerId chain at any instant (chains only change where a version starts). A cycle, or
   * a chain deeper than {@value #MAX_DEPTH}, fails with the field named (and a cycle's records).
   *
   * @param roleParents role id to parent role id (null parent: a top role)
   * @param managerLinks every user version with a manager, with its validity (null to: still valid)
   */
  public static Levels levels(java.util.Map<String, String> roleParents, java.util.List<ManagerLink> managerLinks) {
    int roles = longestChain(roleParents, "UserRole.ParentRoleId");
    java.util.TreeSet<java.time.Instant> instants = new java.util.TreeSet<>();
    managerLinks.forEach(l -> instants.add(l.from() == null ? java.time.Instant.MIN : l.from()));
    int managers = 0;
    for (java.time.Instant t : instants) {
      java.util.Map<String, String> at = new java.util.HashMap<>();
      for (ManagerLink l : managerLinks) {
        boolean started = l.from() == null || !l.from().isAfter(t);
        boolean ended = l.to() != null && !l.to().isAfter(t);
        if (started && !ended) {
          at.put(l.userId(), l.managerId());
        }
      }
      managers = Math.max(managers, longestChain(at, "User.ManagerId"));
    }
    return new Levels(roles, managers);
  }

  /** The role tree's edges, for {@link #levels}: user_role_id, parent_role_id. */
  public static Dataset<Row> roleEdges(Dataset<Row> userRoles) {
    return userRoles.select(col("user_role_id"), col("parent_role_id"));
  }

  /**
   * The manager links over time, for {@link #levels}: user_id, manager_user_id, valid_from (null for
   * a user's first version: since the beginning) and valid_to.
   */
  public static Dataset<Row> managerEdges(Dataset<Row> userVersions) {
    return userVersions.withColumn("is_first", Versions.isFirst("user_id"))
        .where(col("manager_user_id").isNotNull())
        .select(col("user_id"), col("manager_user_id"),
            when(col("is_first"), lit(null)).otherwise(col("valid_from")).cast("timestamp").as("valid_from"),
            col("valid_to"));
  }

  /** {@link #levels} from the collected rows of {@link #roleEdges} and {@link #managerEdges}. */
  public static Levels levels(java.util.List<Row> roleEdges, java.util.List<Row> managerEdges) {
    java.util.Map<String, String> parents = new java.util.HashMap<>();
    roleEdges.forEach(r -> parents.put(r.getString(0), r.getString(1)));
    java.util.List<ManagerLink> links = managerEdges.stream().map(r -> new ManagerLink(r.getString(0), r.getString(1),
        r.isNullAt(2) ? null : r.getTimestamp(2).toInstant(), r.isNullAt(3) ? null : r.getTimestamp(3).toInstant()))
        .toList();
    return levels(parents, links);
  }

  /** The number of parent steps of the longest chain in a child -> parent map. */
  static int longestChain(java.util.Map<String, String> parents, String field) {
    java.util.Map<String, Integer> depth = new java.util.HashMap<>();
    int longest = 0;
    for (String start : parents.keySet()) {
      java.util.List<String> path = new java.util.ArrayList<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      String cur = start;
      int base = 0;
      while (cur != null) {
        if (depth.containsKey(cur)) {
          base = depth.get(cur);
          break;
        }
        if (!seen.add(cur)) {
          java.util.List<String> cycle = new java.util.ArrayList<>(path.subList(path.indexOf(cur), path.size()));
          cycle.add(cur);
          throw new IllegalArgumentException("Cannot build team hierarchy: " + field + " forms a cycle: "
              + String.join(" -> ", cycle) + " (each record names the next as its parent; fix one of them in the export)");
        }
        if (path.size() > MAX_DEPTH) {
          check(MAX_DEPTH, field);
        }
        path.add(cur);
        cur = parents.get(cur);
      }
      for (int i = path.size() - 1; i >= 0; i--) {
        String node = path.get(i);
        boolean top = parents.get(node) == null;
        base = top ? 0 : base + 1;
        depth.put(node, base);
      }
      longest = Math.max(longest, depth.get(start));
    }
    if (longest >= MAX_DEPTH) {
      check(MAX_DEPTH, field);
    }
    return longest;
  }

  /**
   * @param userVersions {@code stg_crm__user_versions}
   * @param userRoles {@code stg_crm__user_roles}
   * @param levels the levels of the two hierarchies ({@link #levels}, computed by the caller)
   */
  public static Dataset<Row> apply(Dataset<Row> userVersions, Dataset<Row> userRoles, Levels levels) {
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
    for (int d = 1; d <= levels.roles(); d++) {
      frontier = frontier.join(roles, frontier.col("node_id").equalTo(roles.col("user_role_id")))
          .where(col("parent_role_id").isNotNull())
          .select(col("role_id"), col("parent_role_id").as("node_id"), lit(d).as("distance"));
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
    for (int d = 1; d <= levels.managers(); d++) {
      mFrontier = mFrontier.join(links, col("node_id").equalTo(col("l_user_id"))
              .and(col("l_from").lt(col("v_to"))).and(col("l_to").gt(col("v_from"))))
          .select(col("member_user_id"), col("l_manager_id").as("node_id"), lit(d).as("distance"),
              greatest(col("v_from"), col("l_from")).as("v_from"), least(col("v_to"), col("l_to")).as("v_to"));
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
    Dataset<Row> firstLine = firstLineNodes(closure.where(now), roles);
    return closure
        .join(broadcast(names), col("hierarchy").equalTo(col("n_hierarchy")).and(col("node_id").equalTo(col("n_node_id"))),
            "left")
        .join(depths, col("hierarchy").equalTo(col("d_hierarchy")).and(col("node_id").equalTo(col("d_member"))), "left")
        .join(broadcast(roleDepths), col("hierarchy").equalTo("role").and(col("node_id").equalTo(col("rd_role"))), "left")
        .join(firstLine, col("hierarchy").equalTo(col("f_hierarchy")).and(col("node_id").equalTo(col("f_node_id"))),
            "left")
        .select(
            col("hierarchy"), col("node_id"), col("node_name"),
            coalesce(col("role_depth"), col("member_depth"), lit(0)).as("node_depth"),
            col("member_user_id"), col("distance"),
            when(col("v_from").equalTo(BEGINNING), lit(null)).otherwise(col("v_from")).cast("timestamp").as("valid_from"),
            when(now, lit(null)).otherwise(col("v_to")).cast("timestamp").as("valid_to"),
            now.as("is_current"),
            col("f_node_id").isNotNull().as("is_first_line"));
  }

  /**
   * The first-line teams today (f_hierarchy, f_node_id): in the manager hierarchy, a manager with a
   * direct report who manages no one; in the role hierarchy, a role with a sub-role that has none of
   * its own. Teams of teams above them are not first-line, so charts of "the teams" can take these
   * and never count a person twice.
   *
   * @param current the closure's current rows (hierarchy, node_id, member_user_id, distance)
   * @param roles user_role_id, parent_role_id
   */
  static Dataset<Row> firstLineNodes(Dataset<Row> current, Dataset<Row> roles) {
    Dataset<Row> reports = current.where(col("hierarchy").equalTo("manager").and(col("distance").equalTo(1)))
        .select(col("node_id").as("manager_id"), col("member_user_id").as("report_id"));
    Dataset<Row> managers = reports.select(col("manager_id").as("m_id")).distinct();
    Dataset<Row> byManager = reports.join(managers, col("report_id").equalTo(col("m_id")), "left_anti")
        .select(lit("manager").as("f_hierarchy"), col("manager_id").as("f_node_id"));
    Dataset<Row> parents = roles.where(col("parent_role_id").isNotNull())
        .select(col("parent_role_id").as("p_id")).distinct();
    Dataset<Row> byRole = roles.where(col("parent_role_id").isNotNull())
        .join(parents, col("user_role_id").equalTo(col("p_id")), "left_anti")
        .select(lit("role").as("f_hierarchy"), col("parent_role_id").as("f_node_id"));
    return byManager.union(byRole).distinct();
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
