package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The binary side of Spark compatibility, for the code {@link SparkCompatIT} does not run
 * (the ML Transformer and its persistence, calibration, {@code --parts}): the product's
 * sources compile against another Spark line, and the classes compiled there reference
 * exactly the classes, methods and fields (descriptors included) that the shipped jar's
 * classes reference. So every Spark member the jar links to exists on that line with that
 * signature; an overload or a return type that only 4.2 has would show up as a difference.
 */
class SparkLinkageIT {
  /** A constant pool entry naming a class or member, with javap's resolved comment. */
  private static final Pattern REF = Pattern.compile(
      "^\\s*#\\d+ = (Class|Fieldref|Methodref|InterfaceMethodref)\\s+\\S+\\s+// (.+)$");

  @TempDir static Path dir;

  @ParameterizedTest(name = "Spark {1}")
  @CsvSource({"spark-4.0, 4.0.1", "spark-4.1, 4.1.0"})
  void theShippedClassesLinkTheSameMembersOnAnotherSparkLine(String module, String version)
      throws Exception {
    Path build = ChildJob.buildDir();
    Path jar = build.resolve("adapler-job.jar");
    String sparkClasspath = ChildJob.readClasspath(SparkCompatIT.sparkClasspathFile(module));
    assertTrue(sparkClasspath.contains("spark-core_2.13-" + version + ".jar"), sparkClasspath);

    Path compiled = Files.createDirectories(dir.resolve(module));
    List<String> args = new ArrayList<>(List.of("-proc:none", "-nowarn", "--release", "17",
        "-Xpkginfo:always", "-g", // as Maven's compiler plugin does (debug tables name the
        // nested classes of local variables' generic types, which adds InnerClasses entries)
        "-d", compiled.toString(), "-cp", jar + File.pathSeparator + sparkClasspath));
    Path root = JobTestSupport.root();
    for (String src : List.of("udf/src/main/java", "job/src/main/java")) {
      try (Stream<Path> files = Files.walk(root.resolve(src))) {
        files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
      }
    }
    String javac = tool("javac", args);
    assertTrue(javac.startsWith("0\n"), "the sources do not compile against Spark " + version
        + ":\n" + javac);

    Set<String> shipped = references(shippedClasses(jar));
    Set<String> there = references(compiled);
    // About 400 at the time of writing: Dataset, Observation, listeners, ML persistence.
    long spark = shipped.stream().filter(r -> r.contains("org/apache/spark/")).count();
    assertTrue(spark > 100, "too few Spark references read: " + spark);
    List<String> onlyShipped = difference(shipped, there);
    List<String> onlyThere = difference(there, shipped);
    assertTrue(onlyShipped.isEmpty() && onlyThere.isEmpty(), () -> "only in the shipped jar: "
        + onlyShipped + "\nonly when compiled against Spark " + version + ": " + onlyThere);
  }

  /** The jar's own classes (io/adapler/**), copied out for javap. */
  private static Path shippedClasses(Path jar) throws IOException {
    Path out = dir.resolve("shipped");
    if (Files.isDirectory(out)) {
      return out;
    }
    try (FileSystem zip = FileSystems.newFileSystem(jar);
         Stream<Path> files = Files.walk(zip.getPath("/io/adapler"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = out.resolve(f.toString().substring(1));
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    return out;
  }

  /** Every "class-file: kind target" reference of the classes under {@code classes}. */
  private static Set<String> references(Path classes) throws IOException {
    List<String> args = new ArrayList<>(List.of("-v"));
    try (Stream<Path> files = Files.walk(classes)) {
      files.filter(f -> f.toString().endsWith(".class")).sorted().map(Path::toString)
          .forEach(args::add);
    }
    Set<String> refs = new TreeSet<>();
    String current = null;
    for (String line : tool("javap", args).split("\n")) {
      if (line.startsWith("Classfile ")) {
        current = classes.relativize(Paths.get(line.substring("Classfile ".length()))).toString();
        continue;
      }
      Matcher m = REF.matcher(line);
      if (m.matches()) {
        refs.add(current + ": " + m.group(1) + " " + m.group(2));
      }
    }
    return refs;
  }

  /** Runs a JDK tool in this JVM; returns its exit code, a newline, then what it printed. */
  private static String tool(String name, List<String> args) {
    StringWriter out = new StringWriter();
    PrintWriter w = new PrintWriter(out);
    int code = ToolProvider.findFirst(name).orElseThrow()
        .run(w, w, args.toArray(String[]::new));
    w.flush();
    return code + "\n" + out;
  }

  private static List<String> difference(Set<String> a, Set<String> b) {
    return a.stream().filter(r -> !b.contains(r)).limit(40).toList();
  }
}
