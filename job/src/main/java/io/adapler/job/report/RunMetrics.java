package io.adapler.job.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.adapler.job.input.MalformedRecords;
import io.adapler.job.options.JobOptions;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.spark.RowStatus;
import io.adapler.udf.spark.ScoredColumns;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.FutureConverters;

/**
 * The sums a run summary is made of (rows, rows per status, malformed records, truncated rows,
 * tokens, FLOPs of the full and the adaptive model, tokens per layer), counted during the write
 * by a Spark {@link Observation} (no second pass over the data), and the {@link RunSummary}
 * made of them. Every one is a plain sum, so the sums of parts add up to the sums of the whole:
 * that is what lets a resumed run report on the whole output.
 */
public final class RunMetrics {
  /** How long to wait for the summary's figures after the write, which Spark reports at once. */
  public static final Duration WAIT = Duration.ofSeconds(60);

  private RunMetrics() {}

  /**
   * Returns the scored rows with the metrics attached to {@code observation}; they are there
   * once an action over the returned dataset finished.
   */
  public static Dataset<Row> observe(Dataset<Row> scored, Observation observation, int layers) {
    List<Column> metrics = new ArrayList<>();
    for (RowStatus s : RowStatus.values()) {
      metrics.add(sum(when(col(ScoredColumns.STATUS).equalTo(s.name()), 1).otherwise(0))
          .as(s.name()));
    }
    if (MalformedRecords.present(scored)) {
      metrics.add(sum(when(col(MalformedRecords.COLUMN).isNotNull(), 1).otherwise(0))
          .as("malformed"));
    }
    metrics.add(sum(when(col(ScoredColumns.TRUNCATED), 1).otherwise(0)).as("truncated"));
    metrics.add(sum(col(ScoredColumns.INPUT_LENGTH)).as("tokens"));
    metrics.add(sum(col(ScoredColumns.FLOPS_FULL)).as("flops_full"));
    metrics.add(sum(col(ScoredColumns.FLOPS_ADAPTIVE)).as("flops_adaptive"));
    for (int l = 0; l < layers; l++) {
      metrics.add(sum(element_at(col(ScoredColumns.LAYER_LENGTHS), l + 1)).as("layer_" + l));
    }
    return scored.observe(observation, count(lit(1)).as("rows"), metrics.toArray(Column[]::new));
  }

  /**
   * Adds two sets of sums key by key. Integral values stay exact longs; anything else (the
   * FLOPs) is added as doubles. A missing or null value counts as zero (Spark's sum over no
   * rows is null).
   */
  public static Map<String, Object> plus(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> out = new LinkedHashMap<>(a);
    b.forEach((key, value) -> out.merge(key, value == null ? 0L : value, RunMetrics::add));
    out.replaceAll((key, value) -> value == null ? 0L : value);
    return out;
  }

  /**
   * Waits for the observation's figures, at most {@code timeout}: Spark reports them after the
   * write, but a plan that never runs the observed node would make an unbounded wait hang.
   *
   * @return the figures by name (a sum over no rows is absent or null), or empty on timeout
   * @throws IllegalStateException when the observed query failed
   */
  public static Optional<Map<String, Object>> await(Observation observation, Duration timeout)
      throws InterruptedException {
    try {
      FutureConverters.asJava(observation.future()).toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.of(observation.getAsJava());
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the run summary's observation failed: " + e.getCause(),
          e.getCause());
    }
  }

  /**
   * Turns the sums into the run summary: {@code m} over the whole output, {@code now} over
   * what this run scored (the throughput), at the eta scale the rows were scored at.
   */
  public static RunSummary summarize(Map<String, Object> m, Map<String, Object> now,
      PartsSummary parts,
      JobOptions o, ModelBundle bundle, int layers, float etaScale, double seconds) {
    long rows = num(m, "rows");
    Map<String, Long> counts = new LinkedHashMap<>();
    for (RowStatus s : RowStatus.values()) {
      counts.put(s.name(), num(m, s.name()));
    }
    long ok = counts.get(RowStatus.OK.name());
    double[] meanLayers = new double[layers];
    for (int l = 0; l < layers; l++) {
      meanLayers[l] = ok == 0 ? 0 : num(m, "layer_" + l) / (double) ok;
    }
    double full = dbl(m, "flops_full");
    double adaptive = dbl(m, "flops_adaptive");
    long tokens = num(m, "tokens");
    return new RunSummary(bundle.manifest().name(), o.input(), o.output(), etaScale,
        o.device(), rows, counts, num(m, "malformed"), num(m, "truncated"),
        adaptive > 0 ? full / adaptive : 0, ok == 0 ? 0 : tokens / (double) ok, meanLayers,
        seconds, num(now, "rows") / seconds, num(now, "tokens") / seconds, parts, null);
  }

  private static Object add(Object x, Object y) {
    Number p = x == null ? 0L : (Number) x;
    Number q = y == null ? 0L : (Number) y;
    if (integral(p) && integral(q)) {
      return p.longValue() + q.longValue();
    }
    return p.doubleValue() + q.doubleValue();
  }

  private static boolean integral(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  private static long num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? 0 : ((Number) v).longValue();
  }

  private static double dbl(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? 0 : ((Number) v).doubleValue();
  }

  /**
   * The observed sums once the write of {@code output} finished. Spark reports them at once;
   * the wait is bounded so that a plan that never ran the observed node cannot hang the job:
   * then a write that added no row needs no figures (all zero), and any other is an error.
   *
   * @param wroteNothing whether the write added no row to the output (asked only then)
   */
  public static Map<String, Object> awaitAfterWrite(Observation observation,
      BooleanSupplier wroteNothing, String output, PrintStream out)
      throws InterruptedException {
    Optional<Map<String, Object>> m = await(observation, WAIT);
    if (m.isPresent()) {
      return m.get();
    }
    if (wroteNothing.getAsBoolean()) {
      out.println("[adapler] Spark reported no summary figures for a write of no rows; all zero");
      return Map.of();
    }
    throw new IllegalStateException("Spark did not report the run summary within "
        + WAIT.toSeconds() + " s after the write finished; the output " + output
        + " is written, the summary is not");
  }

  /** The rows of a sum of observed figures. */
  public static long rows(Map<String, Object> m) {
    return num(m, "rows");
  }

  /** The rows of one status in a sum of observed figures. */
  public static long status(Map<String, Object> m, RowStatus s) {
    return num(m, s.name());
  }
}
