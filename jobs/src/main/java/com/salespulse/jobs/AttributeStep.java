package com.salespulse.jobs;

import static org.apache.spark.sql.functions.*;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.attribution.ActivityAttribution;
import com.salespulse.transforms.attribution.AttributionModel;
import com.salespulse.transforms.attribution.AttributionRules;
import com.salespulse.transforms.attribution.AttributionStages;
import com.salespulse.transforms.attribution.AttributionTraining;
import com.salespulse.transforms.attribution.FctActivities;
import com.salespulse.transforms.attribution.FctActivityOpportunityCredits;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code attribute} step (staged communications and CRM-logged activity -> {@code fct_activities}
 * and {@code fct_activity_opportunity_credits}) and {@code train-attribution} (the org's model).
 *
 * <p>A run for date R recomputes every activity dated from R minus the re-attribution window
 * (default 14 days; earlier still when the night brought late records or late CRM logs) up to
 * R + 2, from the current staging tables, and replaces exactly those dates in both tables; a night
 * that staged nothing and brought no new model re-attributes nothing (its inputs are as the
 * previous night left them, see {@code RecomputeScope.reattributes}). It
 * scores with the newest model trained for a date on or before R; when
 * {@code attribution.retrain-every-days} is set and that model is missing or older, it trains one
 * first (falling back to the configured weights while the org has too few logged activities).
 */
public final class AttributeStep implements Step {

  private static final Logger LOG = LoggerFactory.getLogger(AttributeStep.class);

  /** The step's detail on a night that re-attributes nothing. */
  static final String KEPT = "nothing staged, no new model: activities kept";

  /** How the step's detail begins when it re-attributed: "activity dates FROM..TO model M" ({@link AuditRuns#attributedFrom}). */
  static final String DATES = "activity dates ";

  /**
   * Spark's settings that compile queries: whole-stage code generation, generated expressions, and
   * common subexpressions eliminated in the generated code (the embedded settings, which interpret,
   * turn that off: interpreted, its per-row cache costs more than it saves).
   */
  private static final Map<String, String> COMPILED = Map.of(
      "spark.sql.codegen.wholeStage", "true", "spark.sql.codegen.factoryMode", "FALLBACK",
      "spark.sql.subexpressionElimination.enabled", "true");

  /** How the org's model is kept: training horizon, labels needed, retraining schedule. */
  record Learning(boolean enabled, int trainingDays, long minLabels, int retrainEveryDays) {}

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final AttributionRules rules;
  private final int reattributionDays;
  private final Learning learning;
  private final int parallelism;
  private final long compileFromCandidates;
  private final AttributionModels models;
  /** The session's settings before {@link #compileWhenLarge} switched them; null while it has not. */
  private Map<String, String> interpreted;

  /**
   * @param compileFromCandidates the candidate deals from which a run's queries are compiled
   *     ({@link #compileWhenLarge})
   */
  public AttributeStep(SparkSession spark, Warehouse warehouse, AttributionRules rules, int reattributionDays,
                       Learning learning, int parallelism, long compileFromCandidates) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.rules = rules;
    this.reattributionDays = reattributionDays;
    this.learning = learning;
    this.parallelism = parallelism;
    this.compileFromCandidates = compileFromCandidates;
    this.models = new AttributionModels(warehouse);
  }

  /**
   * The attribution stages for activities dated from..to, each stage read more than once
   * checkpointed locally (eagerly: it cuts the plan, and the blocks go when the datasets do). When
   * they hold many candidates, the step's queries are compiled from their scoring on
   * ({@link #compileWhenLarge}).
   * The activities stored before {@code from} give the window what the whole history's stages
   * would: the parents its replies inherit from and the confident picks continuity counts.
   */
  private AttributionStages stages(LocalDate from, LocalDate to) {
    AttributionStages s = new AttributionStages(new AttributionStages.Inputs(warehouse.read("stg_comms__emails"),
        warehouse.read("stg_comms__meetings"), warehouse.read("stg_comms__calls"), warehouse.read("stg_crm__users"),
        warehouse.read("stg_crm__contacts"), warehouse.read("stg_crm__accounts"),
        warehouse.read("stg_crm__opportunities"), warehouse.read("stg_crm__opportunity_contact_roles"),
        warehouse.read("stg_crm__tasks"), warehouse.read("stg_crm__events"), warehouse.read("stg_crm__email_messages")),
        from, to, rules, Dataset::localCheckpoint, stored(), this::compileWhenLarge);
    return s;
  }

  /**
   * {@code fct_activities} as {@link AttributionStages} reads it for the activities before a window;
   * null when there is no table yet, or when an older release wrote it and the attribute step has not
   * added this release's columns ({@code train-attribution} run alone on it): the window then goes
   * without them, as it did on that release.
   */
  private Dataset<Row> stored() {
    if (!warehouse.exists(FctActivities.NAME) || !warehouse.missingColumns(FctActivities.NAME).isEmpty()) {
      return null;
    }
    return warehouse.read(FctActivities.NAME);
  }

  /**
   * Recomputes the activities of a run date's re-attribution window and replaces those dates;
   * {@code full} recomputes every staged activity.
   */
  @Override
  public String name() {
    return "attribute";
  }

  @Override
  public String run(Run run) {
    String detail = null;
    try {
      detail = run(run.runDate(), run.runId(), run.full(), run.scope());
    } finally {
      // the session back as the step found it; the audit says when the step compiled its queries
      if (interpretAgain() && detail != null && !detail.equals(KEPT)) {
        detail += " compiled";
      }
    }
    return detail;
  }

  /** Returns the dates recomputed and the model that scored them. */
  String run(LocalDate runDate, String runId, boolean full, NightScope scope) {
    List.of(FctActivities.NAME, FctActivityOpportunityCredits.NAME).forEach(warehouse::addMissingColumns);
    // A quiet night with no retraining due loads no model. When retraining is due, the scope is asked
    // only after training (it remembers its answer, and a model trained for tonight rescores the window).
    boolean due = retrainDue(runDate);
    if (!full && !due && !scope.reattributes()) {
      return KEPT;
    }
    // the window to score does not depend on the model (a model trained tonight decides whether it is
    // scored, not where it starts)
    LocalDate from = scope.attributionStart(reattributionDays, rules.timezone());
    LocalDate oldest = full ? scope.oldest(lit(true), rules.timezone()) : null;
    if (full) {
      from = oldest != null && oldest.isBefore(from) ? oldest : from;
    }
    LocalDate to = com.salespulse.transforms.scope.RecomputeScope.attributionEnd(runDate);
    // a window that holds every activity of the training horizon (a first load, --full) is staged once,
    // for training and scoring both, instead of the horizon first and the window again after
    boolean shareStages = due && (!from.isAfter(trainingStart(runDate))
        || from.equals(full ? oldest : scope.oldest(lit(true), rules.timezone())));
    if (shareStages) {
      LOG.info("Training and scoring on one staging of the activities dated {} to {} (it holds the training horizon)",
          from, to);
    }
    AttributionStages shared = shareStages ? stages(from, to) : null;
    AttributionModel model = modelFor(runDate, shared);
    if (!full && due && !scope.reattributes()) {
      return KEPT; // too few labels to train: the old model, nothing new to score
    }
    AttributionStages s = shared != null ? shared : stages(from, to);
    Dataset<Row> scored = s.scored(model);
    String predicate = "activity_date >= DATE'" + from + "' AND activity_date <= DATE'" + to + "'";
    // the two tables are written side by side: each write's planning and Delta commit runs on the
    // driver while the other's tasks run (the scored stage is materialised once, above)
    Dataset<Row> activities = FctActivities.apply(s.acts, s.actors, s.evidence, scored,
        warehouse.read("stg_crm__user_versions"), s.links, s.picks(model), rules, model, runId);
    Dataset<Row> credits = FctActivityOpportunityCredits.apply(s.acts, scored, rules, model, runId);
    // --full writes the whole history: in ranges of dates, as a first load's
    Parallel.run(parallelism,
        () -> warehouse.replaceWhere(FctActivities.NAME, activities, predicate, full),
        () -> warehouse.replaceWhere(FctActivityOpportunityCredits.NAME, credits, predicate, full));
    LOG.info("Attributed the activities dated {} to {} with model {} (rule version {})", from, to, model.version(),
        ActivityAttribution.ruleVersion(rules));
    return DATES + from + ".." + to + " model " + model.version();
  }

  /**
   * Switches the session to compiling its queries, for the rest of the step, when the stages being
   * built hold at least {@code attribution.compile-from-candidates} candidate deals (counted from
   * their unscored pairs, before the candidates are scored) and the session interprets them (the
   * embedded default; a session that compiles already, a cluster's, is left as it is).
   * Scoring, continuity and training read every candidate several times: interpreting two million of
   * them (an org of 20 concurrent deals per account, about 30 candidates per activity) cost more than
   * compiling the queries (a first load's step 196 s interpreted, 139 s compiled; since the
   * candidates' scoring reads only the columns it needs, 111 s against 104 s), while compiling the
   * queries of a few hundred thousand (a first load of a few deals per account) took longer than
   * interpreting them (74 s against 66 s). Deciding before the rule scoring rather than after it
   * compiles that stage too: the hard org's first attribute step took 95 s instead of 101 (CPU 168
   * instead of 182 s); the default org's, 63-66 s either way.
   * {@link #interpretAgain} sets the session back.
   */
  private void compileWhenLarge(Dataset<Row> candidatePairs) {
    if (interpreted != null || Boolean.parseBoolean(spark.conf().get("spark.sql.codegen.wholeStage"))) {
      return;
    }
    long candidates = compileFromCandidates <= 0 ? 0 : candidatePairs.count();
    if (candidates < compileFromCandidates) {
      LOG.info("Interpreting the attribution's queries: {} candidate deals (attribution.compile-from-candidates = {})",
          candidates, compileFromCandidates);
      return;
    }
    LOG.info("Compiling the attribution's queries from here on: {} candidate deals (attribution.compile-from-candidates"
        + " = {})", compileFromCandidates <= 0 ? "any number of" : candidates, compileFromCandidates);
    Map<String, String> before = new HashMap<>();
    COMPILED.forEach((k, v) -> {
      before.put(k, spark.conf().get(k));
      spark.conf().set(k, v);
    });
    interpreted = before;
  }

  /** Sets the session back as {@link #compileWhenLarge} found it; whether it had switched. */
  private boolean interpretAgain() {
    if (interpreted == null) {
      return false;
    }
    interpreted.forEach((k, v) -> spark.conf().set(k, v));
    interpreted = null;
    return true;
  }

  /** Whether the model for a run date is trained first ({@link #modelFor}). */
  private boolean retrainDue(LocalDate runDate) {
    return learning.enabled()
        && AttributionTraining.isRetrainDue(models.latest(runDate), runDate, learning.retrainEveryDays());
  }

  /** The model for a run date: the newest trained on or before it, training one first when due. */
  AttributionModel modelFor(LocalDate runDate) {
    return modelFor(runDate, null);
  }

  /** {@link #modelFor(LocalDate)}, training (when due) on these stages if given (they cover the horizon). */
  private AttributionModel modelFor(LocalDate runDate, AttributionStages shared) {
    if (!learning.enabled()) {
      return AttributionModel.rules(rules);
    }
    Optional<LocalDate> latest = models.latest(runDate);
    boolean due = AttributionTraining.isRetrainDue(latest, runDate, learning.retrainEveryDays());
    if (due && train(runDate, shared)) {
      return models.load(runDate, rules);
    }
    if (latest.isPresent()) {
      return models.load(latest.get(), rules);
    }
    LOG.info("No attribution model trained on or before {}: scoring with the configured weights", runDate);
    return AttributionModel.rules(rules);
  }

  /**
   * Trains the org's model on the activities of the training horizon up to the run date whose
   * CRM-logged deal is one of their candidates, and saves it as {@code attr-<run date>}; false
   * (and nothing saved) when there are too few of them. The model is adopted only when its picks,
   * each made by a model fitted on the other folds, match the logged deals more often than the
   * configured weights' picks; otherwise the configured weights, calibrated on the same activities,
   * are saved for that date instead ({@link AttributionModels#saveConfiguredWeights}).
   */
  public boolean train(LocalDate runDate) {
    try {
      return train(runDate, null);
    } finally {
      interpretAgain();
    }
  }

  /** The first day of the training horizon of a run date. */
  private LocalDate trainingStart(LocalDate runDate) {
    return runDate.minusDays(learning.trainingDays());
  }

  /**
   * {@link #train(LocalDate)} on these stages when given (built for a wider window that covers the
   * horizon: the candidates of the horizon's activities are taken from them), else on the horizon's own.
   */
  private boolean train(LocalDate runDate, AttributionStages shared) {
    long t0 = System.nanoTime();
    long logged = loggedRecords(trainingStart(runDate), runDate);
    if (logged < learning.minLabels()) {
      LOG.info("Cannot train an attribution model for {}: {} records logged in the CRM against a deal or account, "
          + "fewer than attribution.min-training-labels = {}; the configured weights stay in use", runDate, logged,
          learning.minLabels());
      return false;
    }
    AttributionStages s = shared != null ? shared : stages(trainingStart(runDate), runDate);
    java.util.function.UnaryOperator<Dataset<Row>> horizon = shared == null ? c -> c
        : c -> AttributionTraining.inHorizon(c, s.acts, trainingStart(runDate), runDate);
    Dataset<Row> examples = AttributionTraining.examples(horizon.apply(s.candidates), AttributionModel.FIRST_PASS_FEATURES)
        .localCheckpoint();
    Row counts = examples.agg(count_distinct(col("activity_id")), count(lit(1))).first();
    long labelled = counts.getLong(0);
    if (labelled < learning.minLabels()) {
      LOG.info("Cannot train an attribution model for {}: {} activities logged against one of their candidate deals, "
          + "fewer than attribution.min-training-labels = {}; the configured weights stay in use", runDate, labelled,
          learning.minLabels());
      return false;
    }
    // first pass: the logged and the evidence features; its confident picks feed continuity
    LogisticRegressionModel firstLr = fit(examples, AttributionModel.FIRST_PASS_FEATURES);
    AttributionModel first = AttributionModel.learned("first-pass", AttributionModel.FIRST_PASS_FEATURES,
        firstLr.coefficients().toArray(), firstLr.intercept(), null, null);
    Dataset<Row> examples2 = AttributionTraining.examples(horizon.apply(s.secondPass(first)), AttributionModel.FEATURES)
        .localCheckpoint();
    // the model and each fold's (cross-fitted calibration: each fold's picks scored by a model fitted on
    // the other folds) are fitted side by side: a fit is one small Spark job per iteration, 25-40 of
    // them, and its time goes to scheduling them more than to the cores
    List<LogisticRegressionModel> fitted = Parallel.map(
        java.util.stream.IntStream.rangeClosed(-1, AttributionTraining.FOLDS - 1).boxed().toList(), parallelism,
        f -> fit(f < 0 ? examples2 : examples2.where(col("fold").notEqual(f)), AttributionModel.FEATURES));
    LogisticRegressionModel lr = fitted.get(0);
    Dataset<Row> outOfFold = null;
    for (int f = 0; f < AttributionTraining.FOLDS; f++) {
      LogisticRegressionModel m = fitted.get(f + 1);
      Dataset<Row> scoredFold = AttributionModel.learned("fold-" + f, AttributionModel.FEATURES,
          m.coefficients().toArray(), m.intercept(), null, null)
          .calibrationExamples(examples2.where(col("fold").equalTo(f)));
      outOfFold = outOfFold == null ? scoredFold : outOfFold.unionByName(scoredFold);
    }
    // read twice (the comparison below, then the calibration's fit): computed once
    outOfFold = outOfFold.localCheckpoint();
    // adopted only if it picks the logged deals better than the configured weights do: each labelled
    // activity's pick by a model fitted on the other folds, against the configured weights' pick (an
    // org whose reps log carelessly teaches a model its carelessness)
    double learnedHits = outOfFold.agg(avg(col("label"))).first().getDouble(0);
    Dataset<Row> rulesPicks = AttributionModel.rules(rules).calibrationExamples(examples2).localCheckpoint();
    double rulesHits = rulesPicks.agg(avg(col("label"))).first().getDouble(0);
    if (learnedHits <= rulesHits) {
      // the configured weights score instead, calibrated on the same labels (they were not fitted on them)
      String why = String.format(Locale.ROOT, "on %d labelled activities, a learned model's out-of-fold picks "
          + "matched the logged deal on %.4f of them, the configured weights' on %.4f", labelled, learnedHits, rulesHits);
      models.saveConfiguredWeights(runDate, why, new IsotonicRegression()
          .setFeaturesCol("top_model_probability").setLabelCol("label").fit(rulesPicks));
      LOG.info("Not adopting the attribution model trained for {}: {}; the configured weights, calibrated on those "
          + "activities, score from {} on (in {} ms)", runDate, why, runDate, (System.nanoTime() - t0) / 1_000_000);
      return true;
    }
    IsotonicRegressionModel calibration = new IsotonicRegression()
        .setFeaturesCol("top_model_probability").setLabelCol("label").fit(outOfFold);
    models.save(runDate, firstLr, lr, calibration);
    StringBuilder weights = new StringBuilder();
    for (int i = 0; i < AttributionModel.FEATURES.size(); i++) {
      weights.append(String.format(Locale.ROOT, " %s=%.3f", AttributionModel.FEATURES.get(i), lr.coefficients().apply(i)));
    }
    LOG.info("Trained attribution model {} on {} labelled activities ({} candidate pairs; calibration cross-fitted "
            + "over {} folds; its out-of-fold picks matched the logged deal on {} of them, the configured weights' on "
            + "{}) in {} ms: intercept={}{}", AttributionModels.version(runDate), labelled, counts.getLong(1),
        AttributionTraining.FOLDS, String.format(Locale.ROOT, "%.4f", learnedHits),
        String.format(Locale.ROOT, "%.4f", rulesHits), (System.nanoTime() - t0) / 1_000_000,
        String.format(Locale.ROOT, "%.3f", lr.intercept()), weights);
    return true;
  }

  /**
   * Live CRM-logged records naming a deal or an account, dated in the training horizon: an upper
   * bound on the labels, cheap enough to skip training without building the attribution stages.
   */
  private long loggedRecords(LocalDate from, LocalDate to) {
    Column live = not(col("is_deleted"));
    Dataset<Row> at = warehouse.read("stg_crm__tasks").where(live.and(col("what_id").isNotNull()))
        .select(col("activity_date").as("d"))
        .union(warehouse.read("stg_crm__events").where(live.and(col("what_id").isNotNull()))
            .select(to_date(col("start_at")).as("d")))
        .union(warehouse.read("stg_crm__email_messages").where(live.and(col("related_to_id").isNotNull()))
            .select(to_date(coalesce(col("message_at"), col("created_at"))).as("d")));
    // a day of slack either side for the org timezone
    return at.where(col("d").between(Date.valueOf(from.minusDays(1)), Date.valueOf(to.plusDays(1)))).count();
  }

  /**
   * A logistic regression over these features, fitted on the examples as one partition: each of its
   * 25-40 iterations is a Spark job over them, whose cost is the job's scheduling more than the rows
   * (tens of thousands of labelled candidates; a million is a few seconds of one core).
   */
  private static LogisticRegressionModel fit(Dataset<Row> examples, List<String> features) {
    VectorAssembler assembler = new VectorAssembler().setInputCols(features.toArray(String[]::new)).setOutputCol("features");
    LogisticRegressionModel m = new LogisticRegression().setMaxIter(200).setRegParam(0.001).setLabelCol("label")
        .setFeaturesCol("features").fit(assembler.transform(examples.coalesce(1)));
    LOG.info("Fitted a logistic regression over {} features in {} iterations", features.size(),
        m.summary().totalIterations());
    return m;
  }
}
