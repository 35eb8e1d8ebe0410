package io.adapler.job.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the log lines the cluster tests rely on, written with the pattern of
 * {@code cluster/log4j2-cluster.properties} ({@code %d %p [%t] %c{1}: %m}). A task's lines
 * carry its thread name, "Executor task launch worker for task 1.0 in stage 3.0 (TID 3)".
 */
final class SparkLogLines {
  /** A line logged on a task thread, with the stage and TID of the task. */
  private static final Pattern TASK_THREAD = Pattern.compile(
      "\\[Executor task launch worker for task \\S+ in stage (\\S+) \\(TID (\\d+)\\)\\] (.*)$");
  /** Executor: the task started. */
  private static final Pattern RUNNING = Pattern.compile(
      "Executor: Running task \\S+ in stage (\\S+) \\(TID (\\d+)\\)");
  /** Driver (TaskSetManager at INFO): a task launched on an executor, with its resources. */
  private static final Pattern STARTING = Pattern.compile(
      "TaskSetManager: Starting task \\S+ in stage (\\S+) \\(TID (\\d+)\\) \\([^,]*, ?executor"
          + " (\\S+), partition \\d+,.*taskResourceAssignments (.*)$");
  /** Inside taskResourceAssignments: Map(gpu -> Map(3 -> 10000000000000000)). */
  private static final Pattern GPU_ASSIGNMENT = Pattern.compile("gpu -> Map\\(([^)]*)\\)");
  /** Executor start (ResourceUtils): the line after "Custom resources for spark.executor:". */
  private static final Pattern EXECUTOR_GPUS = Pattern.compile(
      "^gpu -> \\[name: gpu, addresses: ([^\\]]*)\\]");

  /** Driver (TaskSetManager at INFO): any task launch, "(127.0.0.1,executor 1, partition 2,". */
  private static final Pattern LAUNCH = Pattern.compile(
      "TaskSetManager: Starting task (\\S+) in stage (\\S+) \\(TID (\\d+)\\) \\([^,]*, ?executor"
          + " (\\S+), partition (\\d+),");
  /** Driver: "Finished task 3.0 in stage 3.0 (TID 7) in 18014 ms on ...". */
  private static final Pattern FINISHED = Pattern.compile(
      "TaskSetManager: Finished task \\S+ in stage \\S+ \\(TID (\\d+)\\)");
  /** Driver (WARN): "Lost task 0.0 in stage 3.0 (TID 4) (HOST executor 0): REASON ...". */
  private static final Pattern LOST = Pattern.compile(
      "TaskSetManager: Lost task \\S+ in stage \\S+ \\(TID (\\d+)\\) \\([^)]*\\): (\\w+)");

  /** Driver (speculation on): "Marking task 2 in stage 3.1 (on 127.0.0.2) as speculatable". */
  private static final Pattern SPECULATABLE = Pattern.compile(
      "TaskSetManager: Marking task (\\d+) in stage (\\S+) \\(on [^)]*\\) as speculatable");

  /** Exactly what RuntimeRegistry logs when it creates a runtime. */
  static final String RUNTIME_OPENED = "RuntimeRegistry: opened AdaplerRuntime[";

  private SparkLogLines() {}

  /** A line a task thread logged. */
  record TaskLine(String stage, long tid, String message) {}

  /** A task the driver launched: where it ran and which GPU addresses Spark gave it. */
  record LaunchedTask(String stage, long tid, String executorId, List<String> gpus) {}

  /** A task an executor ran. */
  record RanTask(String stage, long tid) {}

  /**
   * A task attempt as the driver logged it: its stage attempt ("3.1"), partition and executor,
   * how it ended ({@code FINISHED}, a failure reason such as {@code ExecutorLostFailure} or
   * {@code FetchFailed}, or null while unknown), whether another attempt of the same
   * partition was running when it started (a speculative copy, or a task of an older attempt
   * of the stage still running), and whether it is a speculative copy.
   */
  record TaskAttempt(long tid, String stage, int partition, String executorId, String end,
      boolean concurrent, boolean speculative) {
    static final String FINISHED = "FINISHED";

    /** The stage id without its attempt number. */
    String stageId() {
      return stage.substring(0, stage.indexOf('.'));
    }
  }

  static Optional<TaskLine> taskLine(String line) {
    Matcher m = TASK_THREAD.matcher(line);
    return m.find() ? Optional.of(new TaskLine(m.group(1), Long.parseLong(m.group(2)),
        m.group(3))) : Optional.empty();
  }

  /** The task lines whose message contains a text, e.g. {@link #RUNTIME_OPENED}. */
  static List<TaskLine> taskLines(List<String> lines, String containing) {
    List<TaskLine> found = new ArrayList<>();
    for (String l : lines) {
      taskLine(l).filter(t -> t.message().contains(containing)).ifPresent(found::add);
    }
    return found;
  }

  static List<RanTask> ranTasks(List<String> executorLines) {
    List<RanTask> tasks = new ArrayList<>();
    for (String l : executorLines) {
      Matcher m = RUNNING.matcher(l);
      if (m.find()) {
        tasks.add(new RanTask(m.group(1), Long.parseLong(m.group(2))));
      }
    }
    return tasks;
  }

  /** The tasks the driver launched, by TID. */
  static Map<Long, LaunchedTask> launchedTasks(List<String> driverLines) {
    Map<Long, LaunchedTask> tasks = new LinkedHashMap<>();
    for (String l : driverLines) {
      Matcher m = STARTING.matcher(l);
      if (m.find()) {
        List<String> gpus = new ArrayList<>();
        Matcher g = GPU_ASSIGNMENT.matcher(m.group(4));
        if (g.find()) {
          for (String entry : g.group(1).split(",")) {
            if (!entry.isBlank()) {
              gpus.add(entry.split("->")[0].trim());
            }
          }
        }
        long tid = Long.parseLong(m.group(2));
        tasks.put(tid, new LaunchedTask(m.group(1), tid, m.group(3), gpus));
      }
    }
    return tasks;
  }

  /** Every task attempt the driver launched, in launch order (TIDs grow with time). */
  static List<TaskAttempt> taskAttempts(List<String> driverLines) {
    Map<Long, TaskAttempt> attempts = new LinkedHashMap<>();
    Map<String, Integer> running = new HashMap<>(); // "stageId/partition" -> attempts running
    Set<String> speculatable = new HashSet<>(); // "index@stageAttempt"
    for (String l : driverLines) {
      Matcher m = LAUNCH.matcher(l);
      Matcher s = SPECULATABLE.matcher(l);
      if (m.find()) {
        String index = m.group(1).substring(0, m.group(1).indexOf('.'));
        boolean speculative = !m.group(1).endsWith(".0")
            && speculatable.contains(index + "@" + m.group(2));
        TaskAttempt t = new TaskAttempt(Long.parseLong(m.group(3)), m.group(2),
            Integer.parseInt(m.group(5)), m.group(4), null, false, speculative);
        boolean concurrent = running.merge(key(t), 1, Integer::sum) > 1;
        attempts.put(t.tid(), new TaskAttempt(t.tid(), t.stage(), t.partition(),
            t.executorId(), null, concurrent, speculative));
        continue;
      }
      if (s.find()) {
        speculatable.add(s.group(1) + "@" + s.group(2));
        continue;
      }
      Matcher f = FINISHED.matcher(l);
      Matcher x = LOST.matcher(l);
      boolean finished = f.find();
      if (finished || x.find()) {
        long tid = Long.parseLong(finished ? f.group(1) : x.group(1));
        TaskAttempt t = attempts.get(tid);
        if (t != null && t.end() == null) {
          running.merge(key(t), -1, Integer::sum);
          attempts.put(tid, new TaskAttempt(tid, t.stage(), t.partition(), t.executorId(),
              finished ? TaskAttempt.FINISHED : x.group(2), t.concurrent(), t.speculative()));
        }
      }
    }
    return new ArrayList<>(attempts.values());
  }

  private static String key(TaskAttempt t) {
    return t.stageId() + "/" + t.partition();
  }

  /** The GPU addresses the executor was started with (empty without GPUs). */
  static List<String> executorGpus(List<String> executorLines) {
    for (String l : executorLines) {
      Matcher m = EXECUTOR_GPUS.matcher(l);
      if (m.find()) {
        List<String> addresses = new ArrayList<>();
        for (String a : m.group(1).split(",")) {
          addresses.add(a.trim());
        }
        return addresses;
      }
    }
    return List.of();
  }
}
