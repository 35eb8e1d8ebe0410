package io.adapler.udf.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBudgetBatcherTest {

  @Test
  void sortsByLengthAndCutsByBudget() {
    // lengths 5, 3, 8, 3 -> sorted 3(1), 3(3), 5(0), 8(2); budget 10: [1,3] (2*3=6; 3*5=15>10),
    // [0] (5; 2*8=16>10), [2]
    List<Batch> plan = new TokenBudgetBatcher(10, 100).plan(new int[] {5, 3, 8, 3});
    assertEquals(3, plan.size());
    assertArrayEquals(new int[] {1, 3}, plan.get(0).rows());
    assertEquals(3, plan.get(0).paddedLength());
    assertArrayEquals(new int[] {0}, plan.get(1).rows());
    assertEquals(5, plan.get(1).paddedLength());
    assertArrayEquals(new int[] {2}, plan.get(2).rows());
    assertEquals(8, plan.get(2).paddedLength());
  }

  @Test
  void budgetIsInclusive() {
    List<Batch> plan = new TokenBudgetBatcher(12, 100).plan(new int[] {4, 4, 4, 4});
    assertEquals(2, plan.size());
    assertEquals(3, plan.get(0).size()); // 3 * 4 = 12 fits exactly
    assertEquals(12, plan.get(0).paddedTokens());
  }

  @Test
  void oneHugeRowSitsAloneAfterTheShortOnes() {
    List<Batch> plan = new TokenBudgetBatcher(64, 32).plan(new int[] {2, 512, 3, 2});
    assertEquals(2, plan.size());
    assertArrayEquals(new int[] {0, 3, 2}, plan.get(0).rows());
    assertArrayEquals(new int[] {1}, plan.get(1).rows());
    assertEquals(512, plan.get(1).paddedLength());
  }

  @Test
  void budgetSmallerThanEveryRowGivesOneRowPerBatch() {
    List<Batch> plan = new TokenBudgetBatcher(1, 32).plan(new int[] {7, 9, 8});
    assertEquals(3, plan.size());
    assertArrayEquals(new int[] {0}, plan.get(0).rows());
    assertArrayEquals(new int[] {2}, plan.get(1).rows());
    assertArrayEquals(new int[] {1}, plan.get(2).rows());
  }

  @Test
  void allEmptyRowsAreCutByTheRowCapOnly() {
    List<Batch> plan = new TokenBudgetBatcher(1, 4).plan(new int[10]);
    assertEquals(List.of(4, 4, 2), plan.stream().map(Batch::size).toList());
    assertArrayEquals(new int[] {0, 1, 2, 3}, plan.get(0).rows());
    assertEquals(0, plan.get(2).paddedLength());
  }

  @Test
  void noRowsNoBatches() {
    assertTrue(new TokenBudgetBatcher(10, 10).plan(new int[0]).isEmpty());
  }

  @Test
  void tiesKeepInputOrder() {
    List<Batch> plan = new TokenBudgetBatcher(1000, 3).plan(new int[] {6, 5, 6, 5, 6, 5});
    assertArrayEquals(new int[] {1, 3, 5}, plan.get(0).rows());
    assertArrayEquals(new int[] {0, 2, 4}, plan.get(1).rows());
  }

  @Test
  void rowCapBinds() {
    List<Batch> plan = new TokenBudgetBatcher(1_000_000, 2).plan(new int[] {1, 1, 1, 1, 1});
    assertEquals(List.of(2, 2, 1), plan.stream().map(Batch::size).toList());
  }

  @Test
  void everyRowOnceWithinBudgetAndPaddedToItsBatchMaximum() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int[] lengths = random.ints(random.nextInt(60), 0, 130).toArray();
      int budget = 1 + random.nextInt(600);
      int cap = 1 + random.nextInt(40);
      boolean[] seen = new boolean[lengths.length];
      int previousMax = -1;
      for (Batch b : new TokenBudgetBatcher(budget, cap).plan(lengths)) {
        assertTrue(b.size() >= 1 && b.size() <= cap);
        assertTrue(b.size() == 1 || b.paddedTokens() <= budget, "budget exceeded");
        int max = Arrays.stream(b.rows()).map(i -> lengths[i]).max().orElseThrow();
        assertEquals(max, b.paddedLength());
        assertTrue(max >= previousMax, "batches ascend in length");
        previousMax = max;
        for (int r : b.rows()) {
          assertTrue(!seen[r], "row twice");
          seen[r] = true;
        }
      }
      for (boolean s : seen) {
        assertTrue(s, "row missing");
      }
    }
  }

  @Test
  void runReturnsResultsInInputOrder() {
    int[] lengths = {9, 1, 5, 1, 7, 3};
    List<int[]> seenBatches = new ArrayList<>();
    List<String> out =
        new TokenBudgetBatcher(10, 3)
            .run(lengths, b -> {
              seenBatches.add(b.rows());
              return Arrays.stream(b.rows()).mapToObj(i -> "row" + i + ":" + lengths[i]).toList();
            });
    assertEquals(List.of("row0:9", "row1:1", "row2:5", "row3:1", "row4:7", "row5:3"), out);
    assertTrue(seenBatches.size() > 1);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBudgetBatcher(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TokenBudgetBatcher(1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new TokenBudgetBatcher(1, 1).plan(new int[] {-1}));
    assertThrows(IllegalStateException.class,
        () -> new TokenBudgetBatcher(10, 10).run(new int[] {1, 2}, b -> List.of("x")));
  }
}
