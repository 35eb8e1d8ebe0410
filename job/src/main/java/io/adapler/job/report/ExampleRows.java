package io.adapler.job.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.adapler.job.input.CorpusReader;
import io.adapler.job.options.JobOptions;
import io.adapler.udf.spark.RowStatus;
import io.adapler.udf.spark.ScoredColumns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Picks the summary page's example rows during the write, with no second pass over the data:
 * a Spark {@link Observation} of three aggregates per predicted label (up to {@link
 * #MAX_LABELS} labels) over the OK rows: the most compressed row (largest FLOPs speedup), the
 * least compressed, and one picked by a hash of its id (a stable stand-in for a random row).
 * Ties go to the larger id (most) or the smaller (least, picked), so the choice does not
 * depend on partitioning. Only the chosen rows' id and text reach the driver.
 */
public final class ExampleRows {
  /** Labels beyond this many (in the bundle's order) get no examples. */
  static final int MAX_LABELS = 6;

  /** Why a row was chosen. */
  enum Kind {
    MOST("most compressed"), LEAST("least compressed"), PICKED("picked by id hash");

    private final String title;

    Kind(String title) {
      this.title = title;
    }

    /** Returns the words the page shows. */
    String title() {
      return title;
    }
  }

  /**
   * A chosen row as the write saw it.
   *
   * @param kind why it was chosen
   * @param labelIndex its predicted label
   * @param id its id, as a string
   * @param text its text
   * @param pair its pair text, or null
   * @param flopsSpeedup its FLOPs speedup in the output
   * @param pick the hash that orders {@link Kind#PICKED}
   */
  public record Candidate(Kind kind, int labelIndex, String id, String text, String pair,
      double flopsSpeedup, long pick) {}

  private ExampleRows() {}

  /**
   * Returns the scored rows with the example aggregates attached to {@code observation}.
   *
   * @param scored the scored rows, with the text (and pair) column
   * @param labels the bundle's number of labels
   */
  public static Dataset<Row> observe(Dataset<Row> scored, Observation observation, JobOptions o,
      int labels) {
    Column id = col(CorpusReader.ID).cast(DataTypes.StringType);
    Column pick = xxhash64(id);
    Column pair = o.pairs() ? col(o.pairColumn()) : lit(null).cast(DataTypes.StringType);
    Column value = struct(id.as("id"), col(o.textColumn()).as("text"), pair.as("pair"),
        col(ScoredColumns.FLOPS_SPEEDUP).as("speedup"), pick.as("pick"));
    Column ok = col(ScoredColumns.STATUS).equalTo(RowStatus.OK.name());
    List<Column> metrics = new ArrayList<>();
    for (int k = 0; k < Math.min(labels, MAX_LABELS); k++) {
      Column mine = ok.and(col(ScoredColumns.LABEL_INDEX).equalTo(k));
      Column bySpeedup = when(mine, struct(col(ScoredColumns.FLOPS_SPEEDUP), id));
      Column byPick = when(mine, struct(pick, id));
      metrics.add(max_by(value, bySpeedup).as(key(Kind.MOST, k)));
      metrics.add(min_by(value, bySpeedup).as(key(Kind.LEAST, k)));
      metrics.add(min_by(value, byPick).as(key(Kind.PICKED, k)));
    }
    Column first = metrics.remove(0);
    return scored.observe(observation, first, metrics.toArray(Column[]::new));
  }

  /**
   * The chosen rows once the write finished, or none when Spark did not report them in time.
   *
   * @param labels the bundle's number of labels
   */
  public static List<Candidate> await(Observation observation, int labels, Duration timeout)
      throws InterruptedException {
    Optional<Map<String, Object>> m = RunMetrics.await(observation, timeout);
    return m.map(values -> of(values, labels)).orElse(List.of());
  }

  /** Reads the observed values: a struct per label and kind, null where no row qualified. */
  static List<Candidate> of(Map<String, Object> values, int labels) {
    List<Candidate> out = new ArrayList<>();
    for (int k = 0; k < Math.min(labels, MAX_LABELS); k++) {
      for (Kind kind : Kind.values()) {
        if (values.get(key(kind, k)) instanceof Row r) {
          out.add(new Candidate(kind, k, r.getAs("id"), r.getAs("text"), r.getAs("pair"),
              r.<Double>getAs("speedup"), r.<Long>getAs("pick")));
        }
      }
    }
    return out;
  }

  /**
   * Merges the choices of several writes (the parts of a {@code --parts} run) by the same
   * rules the aggregates follow, so the result is what one write over all of them picks.
   */
  public static List<Candidate> merge(List<Candidate> all) {
    Map<String, Candidate> best = new LinkedHashMap<>();
    for (Candidate c : all) {
      best.merge(c.kind() + "/" + c.labelIndex(), c, ExampleRows::better);
    }
    List<Candidate> out = new ArrayList<>(best.values());
    out.sort(Comparator.comparingInt(Candidate::labelIndex).thenComparing(Candidate::kind));
    return out;
  }

  private static Candidate better(Candidate a, Candidate b) {
    Comparator<Candidate> bySpeedup = Comparator.comparingDouble(Candidate::flopsSpeedup)
        .thenComparing(Candidate::id);
    return switch (a.kind()) {
      case MOST -> bySpeedup.compare(a, b) >= 0 ? a : b;
      case LEAST -> bySpeedup.compare(a, b) <= 0 ? a : b;
      case PICKED -> Comparator.comparingLong(Candidate::pick).thenComparing(Candidate::id)
          .compare(a, b) <= 0 ? a : b;
    };
  }

  private static String key(Kind kind, int label) {
    return "example_" + kind.name().toLowerCase(Locale.ROOT) + "_" + label;
  }
}
