package io.adapler.job.progress;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Passes a partition's rows through unchanged, adding one to an accumulator per row: counts the
 * rows to score inside the stage that reads and shuffles them, instead of a job of its own
 * that would read the whole input again next to it.
 */
final class CountingRows implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private final LongAccumulator rows;

  CountingRows(LongAccumulator rows) {
    this.rows = rows;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public Row next() {
        Row r = input.next();
        rows.add(1);
        return r;
      }
    };
  }
}
