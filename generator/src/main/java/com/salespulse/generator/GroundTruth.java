package com.salespulse.generator;

import static com.salespulse.generator.OrgModel.nz;

import com.salespulse.generator.Compensation.Payout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What really happened, kept outside the drop: every communication's rep, account and deal (or why
 * it is not an activity), and the incentive exceptions a reconciliation should find.
 */
final class GroundTruth {

  private final List<List<Object>> activities = new ArrayList<>();

  /** One communication (or hand-logged call): its rep, account and deal, and its category. */
  void activity(String type, String sourceId, boolean isActivity, String userId, String accountId, String oppId,
                String category) {
    activities.add(List.of(type, sourceId, isActivity, nz(userId), nz(accountId), nz(oppId), category));
  }

  int size() {
    return activities.size();
  }

  void writeActivities(DropWriter out, String path) throws IOException {
    StringBuilder sb = new StringBuilder("activity_type,source_id,is_activity,user_id,account_id,opportunity_id,category\n");
    for (List<Object> t : activities) {
      for (int i = 0; i < t.size(); i++) {
        sb.append(i == 0 ? "" : ",").append(t.get(i));
      }
      sb.append('\n');
    }
    out.write(path, sb.toString());
  }

  /**
   * The known exceptions, with the activity codes read from the activity truth: a payment on a deal
   * nobody worked is deal_without_activity; on a deal others worked, payee_without_activity.
   * Written as {@code payout_truth.csv} beside the activity truth.
   */
  void writePayouts(DropWriter out, String activityTruthPath, List<String[]> known, Collection<Payout> payouts,
                    Predicate<String> dealExists) throws IOException {
    Map<String, Set<String>> workers = new HashMap<>();
    for (List<Object> t : activities) {
      if (Boolean.TRUE.equals(t.get(2)) && !t.get(5).toString().isEmpty()) {
        workers.computeIfAbsent(t.get(5).toString(), k -> new HashSet<>()).add(t.get(3).toString());
      }
    }
    List<String[]> rowsOut = new ArrayList<>(known);
    for (Payout p : payouts) {
      if (p.oppId == null || p.amount.signum() <= 0 || !dealExists.test(p.oppId)) {
        continue;
      }
      Set<String> w = workers.getOrDefault(p.oppId, Set.of());
      if (w.isEmpty()) {
        rowsOut.add(new String[] {"deal_without_activity", p.id, p.oppId, p.payeeId});
      } else if (!w.contains(p.payeeId)) {
        rowsOut.add(new String[] {"payee_without_activity", p.id, p.oppId, p.payeeId});
      }
    }
    StringBuilder sb = new StringBuilder("exception_code,payout_id,opportunity_id,payee_user_id\n");
    for (String[] r : rowsOut) {
      sb.append(String.join(",", r)).append('\n');
    }
    int slash = activityTruthPath.lastIndexOf('/');
    out.write(activityTruthPath.substring(0, slash + 1) + "payout_truth.csv", sb.toString());
  }
}
