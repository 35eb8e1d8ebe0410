package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.input.CorpusReader;
import io.adapler.job.input.JsonHead;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON Lines input without pass-through columns is read with the schema the options name,
 * checked on the first records on the driver, instead of inferring one from a whole extra read
 * of the input.
 * Counted by Spark itself: the records its tasks read over a run.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JsonSchemaReadTest {
  @TempDir static Path dir;

  static final int ROWS = 4 * CorpusReader.SAMPLE_RECORDS;

  /** Records read by the tasks of one run, as Spark's task metrics count them. */
  static final class RecordsRead extends SparkListener {
    final AtomicLong records = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.taskMetrics() != null) {
        records.addAndGet(end.taskMetrics().inputMetrics().recordsRead());
      }
    }
  }

  /** A JSON Lines file of {@link #ROWS} records; the text field only from record {@code from}. */
  static Path corpus(String name, int from) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      lines.add("{\"key\": \"k" + i + "\", \"n\": " + i
          + (i >= from ? ", \"body\": \"mail number " + i + " about a prize\"" : "") + "}");
    }
    Path p = dir.resolve(name);
    Files.write(p, lines);
    return p;
  }

  /** Runs the job and returns the records its tasks read. */
  static long recordsRead(Path input, Path out, String... extra) throws Exception {
    RecordsRead listener = new RecordsRead();
    var sc = JobTestSupport.spark().sparkContext();
    sc.addSparkListener(listener);
    try {
      List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--id-column",
          "key", "--text-column", "body", "--bundle", JobTestSupport.tinyBundle(), "--output",
          out.toString(), "--progress-seconds", "0", "--summary-examples", "false"));
      args.addAll(List.of(extra));
      JobTestSupport.runOk(args.toArray(String[]::new));
      sc.listenerBus().waitUntilEmpty();
      return listener.records.get();
    } finally {
      sc.removeSparkListener(listener);
    }
  }

  @Test
  void namedColumnsFoundInTheFirstRecordsSkipTheInferencePass() throws Exception {
    Path out = dir.resolve("out-named");
    long read = recordsRead(corpus("named.jsonl", 0), out);
    // One read of the input, the scoring's: the driver checks the first records itself
    // (JsonHead), and inferring the whole input would read it all twice. The other ROWS are the
    // written output, counted back by the run's reconciliation.
    assertEquals(2 * ROWS, read, "records read by Spark's tasks");
    Dataset<Row> written = JobTestSupport.spark().read().parquet(out.toString());
    assertEquals(ROWS, written.count());
    assertEquals(ROWS, written.where("status = 'OK'").count());
    assertEquals(DataTypes.StringType, written.schema().apply("id").dataType());
  }

  @Test
  void aTextColumnMissingFromTheFirstRecordsIsStillFound() throws Exception {
    Path out = dir.resolve("out-late");
    int from = CorpusReader.SAMPLE_RECORDS + 10;
    long read = recordsRead(corpus("late.jsonl", from), out);
    // the input twice (inference, scoring) and the written output once (the reconciliation)
    assertTrue(read >= 3L * ROWS, "the whole input is inferred: records read " + read);
    Dataset<Row> written = JobTestSupport.spark().read().parquet(out.toString());
    assertEquals(ROWS, written.count());
    assertEquals(ROWS - from, written.where("status = 'OK'").count());
    assertEquals(from, written.where("status = 'NULL'").count());
  }

  @Test
  void passThroughColumnsKeepTheirInferredTypes() throws Exception {
    Path out = dir.resolve("out-typed");
    long read = recordsRead(corpus("typed.jsonl", 0), out, "--pass-through", "n");
    // the input twice (inference, scoring) and the written output once (the reconciliation)
    assertTrue(read >= 3L * ROWS, "the whole input is inferred: records read " + read);
    Dataset<Row> written = JobTestSupport.spark().read().parquet(out.toString());
    assertEquals(DataTypes.LongType, written.schema().apply("n").dataType());
    assertEquals((long) ROWS * (ROWS - 1) / 2,
        written.agg(org.apache.spark.sql.functions.sum("n")).first().getLong(0));
  }
}
