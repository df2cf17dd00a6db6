package com.salespulse.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

/** Runs independent driver-side work (each submitting its own Spark jobs) on a few threads. */
public final class Parallel {

  private Parallel() {}

  /** Results in input order; the first failure (in input order) is rethrown as it was thrown. */
  public static <T, R> List<R> map(List<T> items, int threads, Function<T, R> work) {
    return map(items, threads, work, IntStream.range(0, items.size()).boxed().toList());
  }

  /**
   * {@link #map}, the largest items started first: with a few threads and items of very different
   * sizes, the largest started last runs alone at the end (a first load's emails, half its rows, read
   * after fifteen smaller datasets). Results in input order, failures as {@link #map}'s.
   */
  public static <T, R> List<R> mapLargestFirst(List<T> items, int threads, ToLongFunction<T> size,
                                               Function<T, R> work) {
    return map(items, threads, work, IntStream.range(0, items.size()).boxed()
        .sorted(Comparator.comparingLong((Integer i) -> size.applyAsLong(items.get(i))).reversed()).toList());
  }

  /** Runs the items in the given order of their indices; results in input order. */
  private static <T, R> List<R> map(List<T> items, int threads, Function<T, R> work, List<Integer> order) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, Math.max(1, items.size()))));
    try {
      List<Future<R>> futures = new ArrayList<>(Collections.nCopies(items.size(), null));
      for (int i : order) {
        T item = items.get(i);
        futures.set(i, pool.submit(() -> work.apply(item)));
      }
      List<R> out = new ArrayList<>();
      for (Future<R> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException("Cannot finish parallel work: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Cannot finish parallel work: interrupted", e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs independent pieces of work side by side; the first failure (in input order) is rethrown. */
  public static void run(int threads, Runnable... work) {
    map(List.of(work), threads, r -> {
      r.run();
      return null;
    });
  }
}
