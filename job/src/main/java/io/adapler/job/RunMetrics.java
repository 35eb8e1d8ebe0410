package io.adapler.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.adapler.udf.spark.RowStatus;
import io.adapler.udf.spark.ScoredColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;

/**
 * The sums a run summary is made of (rows, rows per status, truncated rows, tokens, FLOPs of
 * the full and the adaptive model, tokens per layer), counted during the write by a Spark
 * {@link Observation}. Every one is a plain sum, so the sums of parts add up to the sums of
 * the whole: that is what lets a resumed run report on the whole output.
 */
final class RunMetrics {
  private RunMetrics() {}

  /**
   * Returns the scored rows with the metrics attached to {@code observation}; they are there
   * once an action over the returned dataset finished.
   */
  static Dataset<Row> observe(Dataset<Row> scored, Observation observation, int layers) {
    List<Column> metrics = new ArrayList<>();
    for (RowStatus s : RowStatus.values()) {
      metrics.add(sum(when(col(ScoredColumns.STATUS).equalTo(s.name()), 1).otherwise(0))
          .as(s.name()));
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
  static Map<String, Object> plus(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> out = new LinkedHashMap<>(a);
    b.forEach((key, value) -> out.merge(key, value == null ? 0L : value, RunMetrics::add));
    out.replaceAll((key, value) -> value == null ? 0L : value);
    return out;
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
}
