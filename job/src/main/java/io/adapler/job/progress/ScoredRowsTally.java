package io.adapler.job.progress;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.Tuple4;

/**
 * Counts rows scored from the updates of one named accumulator that the scoring tasks add to,
 * read per task from the listener bus, never from the accumulator's driver value: that value
 * counts a partition again whenever its task is rerun (a lost executor, a resubmitted stage).
 *
 * <p>A successful task's update is kept per (stage, partition), replacing any earlier one, so a
 * rerun or a speculative copy of the same partition never adds its rows twice; failed tasks
 * add nothing. A running task's count comes from the executor heartbeats (every
 * {@code spark.executor.heartbeatInterval}), so progress moves within long tasks too; it is
 * dropped when the task ends, and per partition only the furthest running attempt counts.
 */
final class ScoredRowsTally extends SparkListener {
  private final long accumulatorId;
  /** Task id to (stage, partition) key, for the tasks running now. */
  private final Map<Long, Long> running = new HashMap<>();
  /** Task id to its rows at the last heartbeat. */
  private final Map<Long, Long> inFlight = new HashMap<>();
  /** (stage, partition) key to the rows of its successful task. */
  private final Map<Long, Long> committed = new HashMap<>();
  private final Map<Integer, Integer> stageTasks = new HashMap<>();
  private final Set<Integer> activeJobs = new HashSet<>();
  private int scoringStage = -1;

  /** @param accumulatorId the id of the named accumulator the scoring tasks add rows to */
  ScoredRowsTally(long accumulatorId) {
    this.accumulatorId = accumulatorId;
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart job) {
    activeJobs.add(job.jobId());
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd job) {
    activeJobs.remove(job.jobId());
  }

  @Override
  public synchronized void onStageSubmitted(SparkListenerStageSubmitted stage) {
    // A resubmitted attempt runs only the missing partitions: keep the stage's full size.
    stageTasks.merge(stage.stageInfo().stageId(), stage.stageInfo().numTasks(), Math::max);
  }

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart task) {
    running.put(task.taskInfo().taskId(), key(task.stageId(), task.taskInfo().partitionId()));
  }

  @Override
  public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    var it = update.accumUpdates().iterator();
    while (it.hasNext()) {
      Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t =
          it.next();
      long taskId = (Long) t._1();
      // A heartbeat taken before its task ended may arrive after the end: ignore it then.
      Long rows = running.containsKey(taskId) ? ours(t._4()) : null;
      if (rows != null) {
        inFlight.put(taskId, rows);
        noteScoringStage((Integer) t._2());
      }
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
    long taskId = task.taskInfo().taskId();
    running.remove(taskId);
    inFlight.remove(taskId);
    if (!task.taskInfo().successful()) {
      return;
    }
    // Spark leaves the update out when it did not apply it (a result task whose partition an
    // earlier copy already finished), so a missing update is not a zero.
    Long rows = ours(task.taskInfo().accumulables());
    if (rows != null) {
      committed.put(key(task.stageId(), task.taskInfo().partitionId()), rows);
      noteScoringStage(task.stageId());
    }
  }

  /** Rows scored: successful tasks, plus the furthest running attempt of other partitions. */
  synchronized long scored() {
    long sum = committed.values().stream().mapToLong(Long::longValue).sum();
    Map<Long, Long> furthest = new HashMap<>();
    inFlight.forEach((taskId, rows) -> {
      Long key = running.get(taskId);
      if (key != null && !committed.containsKey(key)) {
        furthest.merge(key, rows, Math::max);
      }
    });
    return sum + furthest.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Finished partitions of the latest scoring stage, 0 while none is known. */
  synchronized int tasksDone() {
    return (int) committed.keySet().stream().filter(k -> (int) (k >>> 32) == scoringStage)
        .count();
  }

  /** Tasks of the latest stage seen scoring, 0 while no scoring task has reported. */
  synchronized int tasksTotal() {
    return scoringStage < 0 ? 0 : stageTasks.getOrDefault(scoringStage, 0);
  }

  /**
   * Rows counted once per partition across every stage that added to the accumulator: when an
   * executor is lost, Spark recomputes its map outputs in a stage of another id that runs only
   * the missing partitions, so no one stage holds every partition. The latest successful count
   * of each partition wins; empty until every partition of the widest such stage has one.
   */
  synchronized OptionalLong rowsOfEveryPartition() {
    Map<Integer, Long> byPartition = new HashMap<>();
    int partitions = 0;
    for (Map.Entry<Long, Long> e : new TreeMap<>(committed).entrySet()) { // by stage
      byPartition.put((int) (long) e.getKey(), e.getValue());
    }
    for (Long k : committed.keySet()) {
      partitions = Math.max(partitions, stageTasks.getOrDefault((int) (k >>> 32), 0));
    }
    if (partitions == 0 || byPartition.size() < partitions) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(byPartition.values().stream().mapToLong(Long::longValue)
        .sum());
  }

  /** Whether every job this listener saw start has ended (its task ends are all counted). */
  synchronized boolean idle() {
    return activeJobs.isEmpty();
  }

  private void noteScoringStage(int stageId) {
    scoringStage = Math.max(scoringStage, stageId);
  }

  private Long ours(scala.collection.immutable.Seq<AccumulableInfo> infos) {
    var it = infos.iterator();
    while (it.hasNext()) {
      AccumulableInfo info = it.next();
      if (info.id() == accumulatorId && info.update().isDefined()) {
        return ((Number) info.update().get()).longValue();
      }
    }
    return null;
  }

  private static long key(int stageId, int partition) {
    return ((long) stageId << 32) | (partition & 0xffffffffL);
  }
}
