package io.adapler.job.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import io.adapler.job.options.JobOptions;
import io.adapler.job.options.TableOptions;
import io.adapler.job.progress.ProgressReporter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the corpus and keeps only what the job needs: the id, the text column(s) and the
 * pass-through columns. Checks that every named column exists before any task runs.
 */
public final class CorpusReader {
  /** The id column of the output. */
  public static final String ID = "id";

  private CorpusReader() {}

  /**
   * Reads the input and selects the id, the text column(s), the pass-through columns and, for
   * json and csv, {@link MalformedRecords#COLUMN} (a malformed record's text is null), without
   * repartitioning it (the jobs spread it with {@link #spreadCounted} or {@link #spread}).
   * Without {@code withId} the rows get no id column (calibration counts rows, it does not
   * write them), so neither the id column nor a clash with one matters.
   *
   * @throws IllegalArgumentException when a named column is not in the input
   */
  public static Dataset<Row> select(SparkSession spark, JobOptions o, boolean withId) {
    boolean tracked = MalformedRecords.tracked(o.inputFormat());
    Dataset<Row> raw = tracked
        ? reader(spark, o).schema(CorpusSchema.forReading(schemaToRead(spark, o), o))
            .load(o.input())
        : o.tableInput() ? table(spark, o) : reader(spark, o).load(o.input());
    checkColumns(raw.schema(), o, withId);
    raw = filtered(raw, o.tables().inputFilter());
    Map<String, Column> keep = new LinkedHashMap<>();
    keep.put(ID, col(o.generatedId() ? ID : o.idColumn()).as(ID));
    keep.putIfAbsent(o.textColumn(),
        tracked ? MalformedRecords.textOf(o.textColumn()) : col(o.textColumn()));
    if (o.pairs()) {
      keep.putIfAbsent(o.pairColumn(), col(o.pairColumn()));
    }
    o.passThrough().forEach(c -> keep.putIfAbsent(c, col(c)));
    if (tracked) {
      keep.put(MalformedRecords.COLUMN, col(MalformedRecords.READER_COLUMN)
          .as(MalformedRecords.COLUMN));
    }
    Dataset<Row> selected;
    if (!withId) {
      keep.remove(ID);
      selected = raw.select(keep.values().toArray(Column[]::new));
    } else if (o.generatedId()) {
      selected = withGeneratedId(raw, ID).select(keep.values().toArray(Column[]::new));
    } else if (tracked) {
      // A malformed record may have lost its id (json keeps no field of it): give it one from
      // its file and position, so that it can be found and the ids stay unique.
      String fallback = "__adapler_position_id";
      keep.put(ID, when(col(o.idColumn()).isNull().and(col(MalformedRecords.READER_COLUMN)
          .isNotNull()), col(fallback)).otherwise(col(o.idColumn())).as(ID));
      selected = withGeneratedId(raw, fallback).select(keep.values().toArray(Column[]::new));
    } else {
      selected = raw.select(keep.values().toArray(Column[]::new));
    }
    return selected;
  }

  /** A table read by its name in the session's catalog, or by its path. */
  private static Dataset<Row> table(SparkSession spark, JobOptions o) {
    if (o.inputFormat().equals("table") || !TableOptions.isPath(o.input())) {
      return spark.table(o.input());
    }
    return spark.read().format(o.inputFormat()).load(o.input());
  }

  /** The rows that meet {@code --input-filter}; a condition Spark cannot read is an option error. */
  private static Dataset<Row> filtered(Dataset<Row> raw, String condition) {
    if (condition.isEmpty()) {
      return raw;
    }
    try {
      return raw.where(condition);
    } catch (Exception e) { // AnalysisException (checked to javac, thrown unchecked), ParseException
      throw new IllegalArgumentException("--input-filter \"" + condition + "\" is not a "
          + "condition on the input's columns (" + String.join(", ", raw.columns()) + "): "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /**
   * Repartitions the rows for scoring: into {@code --partitions} when given; else, when the
   * input has fewer than {@value #TASKS_PER_CORE} partitions per core, into exactly that many
   * (round-robin, so the tasks get as many rows each); else as read.
   */
  public static Dataset<Row> spread(SparkSession spark, JobOptions o, Dataset<Row> selected) {
    return spreads(spark, o, selected) ? repartition(spark, o, selected) : selected;
  }

  /**
   * {@link #spread}, with the rows counted as they are read (for the progress report and the
   * summary's reconciliation): by the stage that reads and shuffles them when there is a
   * shuffle, else by the scoring stage as it reads them, and for the progress report's ETA
   * sooner by a count job of its own.
   */
  public static Dataset<Row> spreadCounted(SparkSession spark, JobOptions o, Dataset<Row> selected,
      ProgressReporter progress) {
    if (spreads(spark, o, selected)) {
      return repartition(spark, o, progress.countAsRead(selected));
    }
    progress.expect(selected);
    return progress.countAsRead(selected);
  }

  /** The rows repartitioned as {@link #spread} does when it does. */
  private static Dataset<Row> repartition(SparkSession spark, JobOptions o, Dataset<Row> rows) {
    return rows.repartition(o.partitions() > 0 ? o.partitions()
        : defaultPartitions(spark.sparkContext().defaultParallelism()));
  }

  /** Whether {@link #spread} repartitions these rows (a shuffle before the scoring). */
  private static boolean spreads(SparkSession spark, JobOptions o, Dataset<Row> selected) {
    return o.partitions() > 0 || selected.rdd().getNumPartitions()
        < defaultPartitions(spark.sparkContext().defaultParallelism());
  }

  /**
   * Each task uses one ONNX Runtime thread (no oversubscription when tasks share a session), so
   * a core whose tasks are done sits idle until the stage ends. Spark's file splits follow
   * bytes, not rows or tokens, and a small corpus gets few of them: the SpamAssassin mails
   * (three JSON Lines files, 11.6 MB) come as 2 splits on 2 cores, one with 4,824 rows and one
   * with 1,222, so one core scored alone for most of the run. Several equal tasks per core end
   * within a task of each other.
   */
  static final int TASKS_PER_CORE = 4;

  /** The partitions an input with fewer is spread into, for {@code cores} task slots. */
  static int defaultPartitions(int cores) {
    return Math.max(1, cores) * TASKS_PER_CORE;
  }

  /**
   * The schema to read json or csv with. Inferring a json schema reads the whole input once
   * before the scoring reads it again; when the job keeps no pass-through column, every column
   * it keeps is read as a string anyway, so the options name the schema, provided the first
   * {@value #SAMPLE_RECORDS} records of the input show every named column (else the whole input
   * is inferred, and a missing column fails as before).
   */
  private static StructType schemaToRead(SparkSession spark, JobOptions o) {
    if (o.inputFormat().equals("json") && o.passThrough().isEmpty()) {
      try {
        Set<String> names = JsonHead.fieldNames(new org.apache.hadoop.fs.Path(o.input()),
            spark.sparkContext().hadoopConfiguration(), SAMPLE_RECORDS);
        if (names.containsAll(CorpusSchema.namedColumns(o))) {
          return CorpusSchema.fromOptions(o);
        }
      } catch (FileNotFoundException | IllegalArgumentException e) {
        // Spark's inference below reads the input its own way, and says what is wrong with it
      } catch (IOException e) { // a store that does not answer: say so once, not after Spark too
        throw new UncheckedIOException(e);
      }
    }
    return reader(spark, o).load(o.input()).schema();
  }

  /** Records read to check the named columns before reading json with the options' schema. */
  public static final int SAMPLE_RECORDS = 1000;

  private static DataFrameReader reader(SparkSession spark, JobOptions o) {
    DataFrameReader reader = spark.read().format(o.inputFormat());
    if (o.inputFormat().equals("csv")) {
      reader = reader.option("header", String.valueOf(o.csvHeader())).option("multiLine", "true")
          .option("escape", "\"");
    }
    if (MalformedRecords.tracked(o.inputFormat())) {
      reader = reader.option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", MalformedRecords.READER_COLUMN);
    }
    return reader;
  }

  private static void checkColumns(StructType schema, JobOptions o, boolean withId) {
    List<String> names = Arrays.stream(schema.fieldNames())
        .filter(n -> !n.equals(MalformedRecords.READER_COLUMN)).toList();
    List<String> wanted = new ArrayList<>();
    wanted.add(o.textColumn());
    if (o.pairs()) {
      wanted.add(o.pairColumn());
    }
    if (withId && !o.generatedId()) {
      wanted.add(o.idColumn());
    }
    wanted.addAll(o.passThrough());
    for (String w : wanted) {
      if (!names.contains(w)) {
        throw new IllegalArgumentException("column '" + w + "' is not in the input " + o.input()
            + " (" + o.inputFormat() + "); its columns are " + names);
      }
    }
    if (withId && o.generatedId() && names.contains(ID)) {
      throw new IllegalArgumentException("the input has a column named 'id' but --id-column is "
          + "empty; pass --id-column id to use it, or rename it");
    }
    if (MalformedRecords.tracked(o.inputFormat())
        && o.passThrough().contains(MalformedRecords.COLUMN)) {
      throw new IllegalArgumentException("--pass-through names '" + MalformedRecords.COLUMN
          + "', but for " + o.inputFormat() + " input the job writes its own column of that "
          + "name (the raw text of malformed records); rename the input column");
    }
  }

  /**
   * Adds a string id column that is stable for the same input files: the file's name, the
   * start of the file split and the row's position among the split's records.
   *
   * @param raw rows straight from the files (the file name is read per row)
   * @param name the new column's name
   */
  static Dataset<Row> withGeneratedId(Dataset<Row> raw, String name) {
    Dataset<Row> located = raw
        .withColumn("__file", functions.input_file_name())
        .withColumn("__block", functions.input_file_block_start());
    StructType schema = raw.schema().add(name, DataTypes.StringType, false);
    int n = raw.schema().size();
    return located.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new Iterator<>() {
      private String split = null;
      private long position = 0;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        String file = r.getString(n);
        String here = file + "@" + r.getLong(n + 1);
        if (!here.equals(split)) {
          split = here;
          position = 0;
        }
        String name = file.substring(file.lastIndexOf('/') + 1);
        String id = r.getLong(n + 1) == 0 ? name + ":" + position
            : name + "@" + r.getLong(n + 1) + ":" + position;
        position++;
        Object[] values = new Object[n + 1];
        for (int i = 0; i < n; i++) {
          values[i] = r.get(i);
        }
        values[n] = id;
        return RowFactory.create(values);
      }
    }, Encoders.row(schema));
  }
}
