package io.adapler.job.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * The main class of the S3 server's child JVM: starts s3proxy ({@code org.gaul.s3proxy.Main},
 * from its own jar on the child's classpath) with the given properties file, and ends the JVM
 * when its standard input closes (the test JVM that started it ended, however it ended) or
 * after a deadline, so that no server outlives its tests.
 *
 * <p>Arguments: the properties file, the deadline in seconds.
 */
public final class S3ProxyMain {
  private S3ProxyMain() {}

  public static void main(String[] args) throws Exception {
    long deadline = Long.parseLong(args[1]);
    Thread stdin = new Thread(() -> {
      try (InputStream in = System.in) {
        while (in.read() >= 0) {
          // nothing is sent; EOF means the parent is gone
        }
      } catch (IOException e) {
        // a broken pipe means the same
      }
      System.err.println("[s3proxy-main] the test JVM's pipe closed: stopping");
      Runtime.getRuntime().halt(0);
    }, "s3proxy-parent-watch");
    Thread timer = new Thread(() -> {
      try {
        Thread.sleep(deadline * 1000);
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("[s3proxy-main] deadline of " + deadline + " s reached: stopping");
      Runtime.getRuntime().halt(0);
    }, "s3proxy-deadline");
    stdin.setDaemon(true);
    timer.setDaemon(true);
    stdin.start();
    timer.start();
    Class.forName("org.gaul.s3proxy.Main").getMethod("main", String[].class)
        .invoke(null, (Object) new String[] {"--properties", args[0]});
    stdin.join(); // s3proxy's main returns once its server started
  }
}
