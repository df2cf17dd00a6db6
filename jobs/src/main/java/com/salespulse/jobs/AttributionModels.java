package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.attribution.AttributionModel;
import com.salespulse.transforms.attribution.AttributionRules;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.regression.IsotonicRegressionModel;

/**
 * The attribution models of a warehouse, versioned by the run date that trained them:
 * {@code <warehouse>/_models/attribution/attr-YYYY-MM-DD/} holds the MLlib logistic regressions of
 * the first pass ({@code lr-first-pass/}) and the final model ({@code lr/}) and the final model's
 * isotonic calibration ({@code calibration/}); or, when the model trained for that date did not pick
 * the logged deals better than the configured weights, the file {@code configured-weights} (why, in a
 * line of text) and the configured weights' own calibration ({@code calibration/}): the configured
 * weights, calibrated, score from that date on. A run for date R scores
 * with the newest model trained for a date on or before R, so a backfill of an earlier date uses the
 * model that date had.
 */
final class AttributionModels {

  static final String PREFIX = "attr-";

  /** The file of a training date whose learned model was not adopted. */
  static final String CONFIGURED_WEIGHTS = "configured-weights";

  private final Warehouse warehouse;
  private final String root;

  AttributionModels(Warehouse warehouse) {
    this.warehouse = warehouse;
    this.root = Locations.child(warehouse.root(), "_models", "attribution");
  }

  static String version(LocalDate trainedFor) {
    return PREFIX + trainedFor;
  }

  /** Training dates of the stored (complete) models, oldest first. */
  List<LocalDate> trainedDates() {
    return warehouse.folders(root, "calibration").stream().filter(n -> n.startsWith(PREFIX))
        .map(n -> LocalDate.parse(n.substring(PREFIX.length()))).sorted().toList();
  }

  /** The newest model trained for a date on or before this one. */
  Optional<LocalDate> latest(LocalDate onOrBefore) {
    return trainedDates().stream().filter(d -> !d.isAfter(onOrBefore)).reduce((a, b) -> b);
  }

  /**
   * The model trained for that date: the learned one, or the configured weights, calibrated, when it
   * was not adopted.
   */
  AttributionModel load(LocalDate trainedFor, AttributionRules rules) {
    String dir = Locations.child(root, version(trainedFor));
    if (exists(Locations.child(dir, CONFIGURED_WEIGHTS))) {
      return AttributionModel.calibratedRules(rules, version(trainedFor),
          IsotonicRegressionModel.load(Locations.child(dir, "calibration")));
    }
    LogisticRegressionModel first = LogisticRegressionModel.load(Locations.child(dir, "lr-first-pass"));
    LogisticRegressionModel lr = LogisticRegressionModel.load(Locations.child(dir, "lr"));
    IsotonicRegressionModel calibration = IsotonicRegressionModel.load(Locations.child(dir, "calibration"));
    return AttributionModel.learned(version(trainedFor), AttributionModel.FEATURES, lr.coefficients().toArray(),
        lr.intercept(), calibration, AttributionModel.learned(version(trainedFor) + "-first-pass",
            AttributionModel.FIRST_PASS_FEATURES, first.coefficients().toArray(), first.intercept(), null, null));
  }

  void save(LocalDate trainedFor, LogisticRegressionModel firstPass, LogisticRegressionModel lr,
            IsotonicRegressionModel calibration) {
    String dir = Locations.child(root, version(trainedFor));
    try {
      delete(dir); // a rerun's model replaces the earlier one, whichever it was
      firstPass.write().overwrite().save(Locations.child(dir, "lr-first-pass"));
      lr.write().overwrite().save(Locations.child(dir, "lr"));
      // the calibration is written last: a model folder without it is incomplete and ignored
      calibration.write().overwrite().save(Locations.child(dir, "calibration"));
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot save attribution model " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Records that the configured weights, with this calibration, score from this date on (the model
   * trained for it was not adopted), and why.
   */
  void saveConfiguredWeights(LocalDate trainedFor, String why, IsotonicRegressionModel calibration) {
    String dir = Locations.child(root, version(trainedFor));
    try {
      delete(dir); // a rerun's model replaces the earlier one, whichever it was
      Path file = new Path(Locations.child(dir, CONFIGURED_WEIGHTS));
      try (var out = file.getFileSystem(warehouse.hadoopConf()).create(file, true)) {
        out.write((why + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      // the calibration is written last: a model folder without it is incomplete and ignored
      calibration.write().overwrite().save(Locations.child(dir, "calibration"));
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot save attribution model " + dir + ": " + e.getMessage(), e);
    }
  }

  private boolean exists(String location) {
    try {
      Path p = new Path(location);
      return p.getFileSystem(warehouse.hadoopConf()).exists(p);
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot read attribution model " + location + ": " + e.getMessage(), e);
    }
  }

  private void delete(String location) throws IOException {
    Path p = new Path(location);
    p.getFileSystem(warehouse.hadoopConf()).delete(p, true);
  }
}
