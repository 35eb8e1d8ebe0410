package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The breakdown reads Spark's event log as Spark writes it (a rolling log directory). */
class EventLogBreakdownTest {

  @Test
  void findsTheScoringStageAndItsImbalance(@TempDir Path dir) throws Exception {
    Path log = Files.createDirectories(dir.resolve("eventlog_v2_local-1"));
    Files.writeString(log.resolve("appstatus_local-1"), "");
    // Stage 1 reads (1 task, 1 s CPU); stage 2 scores on 2 cores: tasks of 450 and 50 rows,
    // 45 s and 5 s of CPU, from 10 s to 56 s after the application's start.
    Files.write(log.resolve("events_1_local-1"), List.of(
        "{\"Event\":\"SparkListenerApplicationStart\",\"Timestamp\":1000}",
        task(1, 2000, 3000, 1_000_000_000L, 500, 0),
        stage(1, 2000, 3000),
        task(2, 11000, 56000, 45_000_000_000L, 0, 450),
        task(2, 11000, 16000, 5_000_000_000L, 0, 50),
        stage(2, 11000, 57000),
        "{\"Event\":\"SparkListenerApplicationEnd\",\"Timestamp\":58000}"));
    EventLogBreakdown.Figures f = EventLogBreakdown.read(dir, 2);
    assertEquals(47.0, f.untilEndSeconds(), 1e-9); // submitted at 11 s, the end at 58 s
    assertEquals(46.0, f.scoringSeconds(), 1e-9);
    assertEquals(2, f.tasks());
    assertEquals(50, f.minTaskRows());
    assertEquals(450, f.maxTaskRows());
    // On idle cores: 45 s against (45 + 5) / 2 = 25 s balanced.
    assertEquals(1.8, f.imbalance(), 1e-9);
    assertEquals(1.0 / 50, f.otherCpuShare(), 1e-9);
    assertEquals((45.0 + 5.0) / (2 * 46.0), f.busy(), 1e-9);
    assertEquals(0, f.other(), 1e-9);
  }

  @Test
  void schedulesTasksInLaunchOrderOnTheFirstFreeCore() {
    // Four tasks of 3, 1, 1, 1 s on 2 cores: 3 | 1+1+1 -> span 3 s, balanced 3 s.
    List<long[]> tasks = List.of(new long[] {0, 0, 3}, new long[] {1, 0, 1},
        new long[] {2, 0, 1}, new long[] {3, 0, 1});
    assertEquals(1.0, EventLogBreakdown.imbalance(tasks, 2), 1e-9);
    // One task alone on 2 cores: twice the balanced span.
    assertEquals(2.0, EventLogBreakdown.imbalance(List.of(new long[] {0, 0, 5}), 2), 1e-9);
  }

  @Test
  void noLogNoFigures(@TempDir Path dir) throws Exception {
    assertNull(EventLogBreakdown.read(dir, 2));
  }

  private static String task(int stage, long launch, long finish, long cpu, long in,
      long shuffled) {
    return String.format("{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":%d,\"Task Info\":"
        + "{\"Launch Time\":%d,\"Finish Time\":%d},\"Task Metrics\":{\"Executor CPU Time\":%d,"
        + "\"Input Metrics\":{\"Records Read\":%d},\"Shuffle Read Metrics\":"
        + "{\"Total Records Read\":%d}}}", stage, launch, finish, cpu, in, shuffled);
  }

  private static String stage(int id, long submitted, long completed) {
    return String.format("{\"Event\":\"SparkListenerStageCompleted\",\"Stage Info\":{\"Stage ID\""
        + ":%d,\"Stage Name\":\"s\",\"Number of Tasks\":1,\"Submission Time\":%d,"
        + "\"Completion Time\":%d}}", id, submitted, completed);
  }
}
