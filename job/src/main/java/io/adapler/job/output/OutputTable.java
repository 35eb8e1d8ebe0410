package io.adapler.job.output;

import io.adapler.job.input.CorpusReader;
import io.adapler.job.options.JobOptions;
import io.adapler.job.options.TableOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Where the scores go: a Parquet directory, a Delta table (by path or by name) or an Iceberg
 * table (by name), written in the run's save mode and partitioned as asked. It also answers
 * what pipelines ask of it before and after a write: does it exist, how many rows it holds,
 * which ids it has (for incremental runs). A Delta append carries an application id and
 * version derived from the run's options ({@link #deltaAppId}), so that a scheduler's retry of
 * a run that committed is skipped by Delta itself rather than written twice.
 */
public final class OutputTable {
  private final SparkSession spark;
  private final JobOptions o;
  private final TableOptions t;

  /** The output the options name. */
  public OutputTable(SparkSession spark, JobOptions o) {
    this.spark = spark;
    this.o = o;
    this.t = o.tables();
  }

  /** Whether the output holds a table or a non-empty directory already. */
  public boolean exists() throws IOException {
    if (byName()) {
      return spark.catalog().tableExists(o.output());
    }
    Path dir = new Path(o.output());
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (t.outputFormat().equals("delta")) { // a killed first append leaves a log, no commit
      Path log = new Path(dir, "_delta_log");
      return fs.exists(log) && Arrays.stream(fs.listStatus(log)).anyMatch(f -> f.getPath()
          .getName().matches("\\d{20}\\.(json|checkpoint.*\\.parquet)"));
    }
    return fs.exists(dir) && fs.listStatus(dir).length > 0;
  }

  /** The rows the output holds now; 0 when it does not exist. */
  public long count() throws IOException {
    return exists() ? read().count() : 0;
  }

  /** The ids the output holds (one column, {@link CorpusReader#ID}); empty when none. */
  public Optional<Dataset<Row>> ids() throws IOException {
    return exists() ? Optional.of(read().select(CorpusReader.ID)) : Optional.empty();
  }

  /**
   * Writes the rows in {@code mode} (Spark's save mode names).
   *
   * @return the table's version before the write for Delta (to tell a skipped retry from a
   *     commit), else -1
   */
  public long write(Dataset<Row> rows, String mode) throws IOException {
    DataFrameWriter<Row> w = rows.write().mode(mode);
    if (!t.partitionBy().isEmpty()) {
      w = w.partitionBy(t.partitionBy().toArray(String[]::new));
    }
    switch (t.outputFormat()) {
      case "parquet" -> {
        w.parquet(o.output());
        return -1;
      }
      case "delta" -> {
        long before = deltaVersion();
        w = w.format("delta");
        if (!t.incremental()) { // an incremental run's retry finds its rows by id instead
          w = w.option("txnAppId", deltaAppId()).option("txnVersion", 1L)
              .option("userMetadata", deltaAppId());
        }
        if (byName()) {
          w.saveAsTable(o.output());
        } else {
          w.save(o.output());
        }
        return before;
      }
      default -> {
        w.format(t.outputFormat()).saveAsTable(o.output());
        return -1;
      }
    }
  }

  /**
   * Whether the Delta table holds a commit of this run (its history's user metadata names this
   * run's application id): then a retry must write nothing.
   */
  public boolean holdsThisRun() throws IOException {
    if (!t.outputFormat().equals("delta") || !exists()) {
      return false;
    }
    return !spark.sql("DESCRIBE HISTORY " + deltaName()).where(functions.col("userMetadata")
        .equalTo(deltaAppId())).isEmpty();
  }

  /** The Delta table's latest version, -1 when it does not exist yet. */
  public long deltaVersion() throws IOException {
    if (!exists()) {
      return -1;
    }
    List<Row> last = spark.sql("DESCRIBE HISTORY " + deltaName() + " LIMIT 1").select("version")
        .collectAsList();
    return last.isEmpty() ? -1 : last.get(0).getLong(0);
  }

  /**
   * The application id of this run's Delta append: a digest of the options that decide which
   * rows it writes and how, so that the same command retried is the same application and any
   * other run is another.
   */
  public String deltaAppId() {
    String key = String.join("\u0000", o.input(), o.inputFormat(), t.inputFilter(),
        o.textColumn(), o.pairColumn(), o.idColumn(), String.join(",", o.passThrough()),
        o.bundle(), String.valueOf(o.etaScale()), String.valueOf(o.maxTextChars()),
        o.output(), String.join(",", t.partitionBy()), String.valueOf(o.rationales()));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "adapler-" + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** Whether the output is named in a catalog rather than given by its path. */
  public boolean byName() {
    return t.tableOutput() && (t.outputFormat().equals("iceberg") || !TableOptions.isPath(
        o.output()));
  }

  /** The table as Delta's SQL commands name it: a path must be absolute there. */
  private String deltaName() throws IOException {
    if (byName()) {
      return o.output();
    }
    Path dir = new Path(o.output());
    String qualified = dir.getFileSystem(spark.sparkContext().hadoopConfiguration())
        .makeQualified(dir).toString();
    return "delta.`" + qualified.replace("`", "``") + "`";
  }

  private Dataset<Row> read() {
    if (byName()) {
      return spark.table(o.output());
    }
    return t.outputFormat().equals("delta") ? spark.read().format("delta").load(o.output())
        : spark.read().parquet(o.output());
  }
}
