package io.adapler.job.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One executor's log, under its worker's work directory: {@code app-ID/EXEC_ID/stderr}.
 *
 * @param worker the index of the worker that launched the executor
 * @param appId the application
 * @param executorId the executor's id within it
 * @param stderr the log file
 */
record ExecutorLog(int worker, String appId, String executorId, Path stderr) {

  List<String> lines() {
    return ClusterPaths.readLines(stderr);
  }

  /**
   * Every executor log under the given work directories, in worker, application and executor
   * order.
   *
   * @param workDirs each worker's work directory, by worker index
   */
  static List<ExecutorLog> under(List<Path> workDirs) throws IOException {
    List<ExecutorLog> logs = new ArrayList<>();
    for (int i = 0; i < workDirs.size(); i++) {
      for (Path app : children(workDirs.get(i))) {
        if (!app.getFileName().toString().startsWith("app-")) {
          continue;
        }
        for (Path exec : children(app)) {
          Path stderr = exec.resolve("stderr");
          if (Files.isDirectory(exec) && Files.exists(stderr)) {
            logs.add(new ExecutorLog(i, app.getFileName().toString(),
                exec.getFileName().toString(), stderr));
          }
        }
      }
    }
    return logs;
  }

  private static List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
