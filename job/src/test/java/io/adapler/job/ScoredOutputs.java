package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;

/** Reads a job's Parquet output by id and compares two outputs row by row. */
public final class ScoredOutputs {
  private ScoredOutputs() {}

  /** The output's rows by id; fails on a duplicate id. */
  public static Map<String, Row> byId(String dir) {
    Map<String, Row> rows = new HashMap<>();
    for (Row r : JobTestSupport.spark().read().parquet(dir).collectAsList()) {
      Row before = rows.put(String.valueOf(r.<Object>getAs("id")), r);
      if (before != null) {
        fail("id " + r.getAs("id") + " twice in " + dir);
      }
    }
    return rows;
  }

  /**
   * Asserts that both outputs hold the same ids with the same values in every column
   * (probabilities within 1e-6, the FLOPs speedup within 1e-9).
   */
  public static void assertSameRows(Map<String, Row> expected, Map<String, Row> actual) {
    assertEquals(expected.keySet(), actual.keySet(), "the ids differ");
    for (Map.Entry<String, Row> e : expected.entrySet()) {
      Row x = e.getValue();
      Row y = actual.get(e.getKey());
      assertEquals(List.of(x.schema().fieldNames()), List.of(y.schema().fieldNames()));
      for (String c : x.schema().fieldNames()) {
        Object a = x.getAs(c);
        Object b = y.getAs(c);
        String where = "id " + e.getKey() + ", column " + c;
        if (c.equals("probabilities") && a != null) {
          List<Float> p = x.getList(x.fieldIndex(c));
          List<Float> q = y.getList(y.fieldIndex(c));
          assertEquals(p.size(), q.size(), where);
          for (int i = 0; i < p.size(); i++) {
            assertEquals(p.get(i), q.get(i), 1e-6, where);
          }
        } else if (c.equals("flops_speedup") && a != null) {
          assertEquals((Double) a, (Double) b, 1e-9, where);
        } else if (a == null) {
          assertNull(b, where);
        } else if (a instanceof scala.collection.Seq<?>) {
          assertEquals(x.getList(x.fieldIndex(c)), y.getList(y.fieldIndex(c)), where);
        } else if (!Objects.equals(a, b)) {
          fail(where + ": expected " + a + ", found " + b);
        }
      }
    }
  }
}
