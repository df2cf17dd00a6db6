import java.nio.file.Path;
import java.util.Locale;

/**
 * Benchmark helper (scripts/benchmark-warm-nights.sh), run by the launcher with
 * SALESPULSE_MAIN_SOURCE: the same nightly run N times in one JVM, each into a fresh warehouse, so
 * that the later iterations show what a warm JVM (the test suite's) pays for a night. Prints one
 * line per iteration: "iteration I: EXIT in S s".
 *   WarmNights N INPUT_ROOT CONF WORK RUN_DATE TO_DATE
 */
public class WarmNights {
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]);
    int failed = 0;
    for (int i = 0; i < n; i++) {
      String warehouse = Path.of(a[3], "warehouse-" + i).toUri().toString();
      long t0 = System.nanoTime();
      Object exit = com.salespulse.jobs.SalesPulse.run("nightly", "--run-date", a[4], "--to-date", a[5],
          "--input-root", a[1], "--warehouse", warehouse, "--conf", a[2]);
      failed += "SUCCESS".equals(exit.toString()) ? 0 : 1;
      System.out.printf(Locale.ROOT, "iteration %d: %s in %.1f s%n", i, exit, (System.nanoTime() - t0) / 1e9);
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
