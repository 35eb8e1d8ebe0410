package io.adapler.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The processes a test cluster started, in start order, with their pids written to a file so
 * that a later run can end what a killed run left behind. Stopping a process stops its
 * descendants too (a worker's executors, a driver's children).
 */
final class ChildProcesses {
  private final Path dir;
  private final Path pids;
  private final List<Process> processes = new ArrayList<>();
  private boolean closed;

  /**
   * @param dir the cluster's directory: only processes whose command line names it are ever
   *     ended as leftovers
   */
  ChildProcesses(Path dir) {
    this.dir = dir;
    this.pids = dir.resolve("pids");
  }

  /** Starts a process this group owns: {@link #close} ends it. */
  synchronized Process start(ProcessBuilder pb) throws IOException {
    if (closed) {
      throw new IllegalStateException("the processes of " + dir + " are closed");
    }
    Process p = pb.start();
    processes.add(p);
    try {
      StringBuilder b = new StringBuilder();
      for (Process q : processes) {
        b.append(q.pid()).append('\n');
      }
      Files.writeString(pids, b.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** The processes started so far, in start order. */
  synchronized List<Process> list() {
    return List.copyOf(processes);
  }

  /** Ends processes a killed earlier run left (their command line names this directory). */
  void endLeftovers() throws IOException {
    if (!Files.exists(pids)) {
      return;
    }
    for (String line : Files.readAllLines(pids)) {
      if (line.isBlank()) {
        continue;
      }
      ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(h -> {
        if (h.info().commandLine().orElse("").contains(dir.toString())) {
          h.descendants().forEach(ProcessHandle::destroyForcibly);
          h.destroyForcibly();
        }
      });
    }
  }

  /** Stops a process and its descendants: TERM first, KILL for whatever is left. */
  static void stop(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    p.destroy(); // a worker's TERM handler also ends its executors
    try {
      p.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.addAll(p.descendants().toList());
    for (ProcessHandle h : tree) {
      h.destroy();
    }
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    if (p.isAlive()) {
      p.destroyForcibly();
    }
  }

  /** Ends every process, the last started first; safe to call twice. */
  synchronized void close() {
    closed = true;
    for (int i = processes.size() - 1; i >= 0; i--) {
      stop(processes.get(i));
    }
    processes.clear();
    try {
      Files.deleteIfExists(pids);
    } catch (IOException e) {
      // best effort: the next run checks each pid's command line anyway
    }
  }
}
