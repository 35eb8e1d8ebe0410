package io.adapler.udf.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FixedSizeBatcherTest {

  @Test
  void cutsInInputOrderAndPadsEachBatchToItsLongestRow() {
    List<Batch> plan = new FixedSizeBatcher(2).plan(new int[] {5, 3, 8, 3, 4});
    assertEquals(3, plan.size());
    assertArrayEquals(new int[] {0, 1}, plan.get(0).rows());
    assertEquals(5, plan.get(0).paddedLength());
    assertArrayEquals(new int[] {2, 3}, plan.get(1).rows());
    assertEquals(8, plan.get(1).paddedLength());
    assertArrayEquals(new int[] {4}, plan.get(2).rows());
    assertEquals(4, plan.get(2).paddedLength());
    // 2*5 + 2*8 + 1*4 padded tokens for 23 real ones.
    assertEquals(30, plan.stream().mapToLong(Batch::paddedTokens).sum());
  }

  @Test
  void runReturnsResultsInInputOrder() {
    int[] lengths = {4, 1, 9, 2, 7, 7, 3};
    List<Integer> out = new FixedSizeBatcher(3).run(lengths,
        b -> java.util.Arrays.stream(b.rows()).map(r -> lengths[r] * 10).boxed().toList());
    assertEquals(List.of(40, 10, 90, 20, 70, 70, 30), out);
  }

  @Test
  void emptyInputAndBadArguments() {
    assertTrue(new FixedSizeBatcher(10).plan(new int[0]).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new FixedSizeBatcher(0));
    assertThrows(IllegalArgumentException.class,
        () -> new FixedSizeBatcher(2).plan(new int[] {1, -1}));
  }

  @Test
  void strategiesAreChosenByName() {
    assertInstanceOf(FixedSizeBatcher.class, BatchingStrategy.parse("fixed").create(100, 10));
    assertInstanceOf(TokenBudgetBatcher.class,
        BatchingStrategy.parse("token-budget").create(100, 10));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BatchingStrategy.parse("sorted"));
    assertEquals("unknown batching strategy 'sorted': expected one of token-budget, fixed",
        e.getMessage());
  }
}
