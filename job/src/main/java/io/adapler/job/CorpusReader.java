package io.adapler.job;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
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
final class CorpusReader {
  /** The id column of the output. */
  static final String ID = "id";

  private CorpusReader() {}

  static Dataset<Row> read(SparkSession spark, JobOptions o) {
    var reader = spark.read();
    if (o.inputFormat().equals("csv")) {
      reader = reader.option("header", String.valueOf(o.csvHeader())).option("multiLine", "true")
          .option("escape", "\"");
    }
    if (o.inputFormat().equals("json")) {
      reader = reader.option("mode", "PERMISSIVE");
    }
    Dataset<Row> raw = reader.format(o.inputFormat()).load(o.input());
    checkColumns(raw.schema(), o);
    if (o.generatedId()) {
      raw = withGeneratedId(raw);
    }
    Set<String> keep = new LinkedHashSet<>();
    keep.add(o.generatedId() ? ID : o.idColumn());
    keep.add(o.textColumn());
    if (o.pairs()) {
      keep.add(o.pairColumn());
    }
    keep.addAll(o.passThrough());
    Column[] cols = keep.stream().map(functions::col).toArray(Column[]::new);
    Dataset<Row> selected = raw.select(cols);
    if (!o.generatedId() && !o.idColumn().equals(ID)) {
      selected = selected.withColumn(ID, col(o.idColumn()));
    }
    if (o.partitions() > 0) {
      return selected.repartition(o.partitions());
    }
    // Each task uses one ONNX Runtime thread (no oversubscription when tasks share a session),
    // so a small input read as one partition would leave cores idle: spread it out.
    int current = selected.rdd().getNumPartitions();
    int cores = spark.sparkContext().defaultParallelism();
    return current < cores ? selected.repartition(cores) : selected;
  }

  private static void checkColumns(StructType schema, JobOptions o) {
    List<String> names = Arrays.asList(schema.fieldNames());
    List<String> wanted = new ArrayList<>();
    wanted.add(o.textColumn());
    if (o.pairs()) {
      wanted.add(o.pairColumn());
    }
    if (!o.generatedId()) {
      wanted.add(o.idColumn());
    }
    wanted.addAll(o.passThrough());
    for (String w : wanted) {
      if (!names.contains(w)) {
        throw new IllegalArgumentException("column '" + w + "' is not in the input " + o.input()
            + " (" + o.inputFormat() + "); its columns are " + names);
      }
    }
    if (o.generatedId() && names.contains(ID)) {
      throw new IllegalArgumentException("the input has a column named 'id' but --id-column is "
          + "empty; pass --id-column id to use it, or rename it");
    }
  }

  /**
   * Adds a string id that is stable for the same input files: the file's name, the start of
   * the file split and the row's position in that split.
   */
  static Dataset<Row> withGeneratedId(Dataset<Row> raw) {
    Dataset<Row> located = raw
        .withColumn("__file", functions.input_file_name())
        .withColumn("__block", functions.input_file_block_start());
    StructType schema = raw.schema().add(ID, DataTypes.StringType, false);
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
