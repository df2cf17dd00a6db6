package com.salespulse.jobs;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchQuietTest {
  @TempDir Path tmp;

  @Test
  void quiet() throws Exception {
    String input = TestSupport.goldenDrop();
    TestSupport.copyTree(Path.of(input), tmp.resolve("drop"));
    String quiet = "2026-11-04";
    TestSupport.quietNight(tmp.resolve("drop"), TestSupport.GOLDEN_LAST, quiet);
    Path golden = TestSupport.golden().resolve("warehouse");
    int n = Integer.getInteger("scratch.n", 4);
    for (int i = 0; i < n; i++) {
      Path w = tmp.resolve("w" + i);
      TestSupport.copyTree(golden, w);
      long t0 = System.nanoTime();
      TestSupport.run(ExitCode.SUCCESS, "nightly", "--run-date", quiet, "--input-root", tmp.resolve("drop").toString(),
          "--warehouse", TestSupport.uri(w));
      System.out.println("SCRATCH quiet night " + i + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
    String mode = System.getProperty("scratch.busy", "quiet");
    if (mode.equals("busy")) {
      for (int i = 0; i < n; i++) {
        Path w = tmp.resolve("b" + i);
        TestSupport.copyTree(golden, w);
        long t0 = System.nanoTime();
        TestSupport.run(ExitCode.SUCCESS, "nightly", "--run-date", TestSupport.GOLDEN_LAST, "--input-root", input,
            "--warehouse", TestSupport.uri(w));
        System.out.println("SCRATCH rerun night " + i + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
    }
  }
}
