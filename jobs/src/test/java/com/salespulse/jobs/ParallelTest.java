package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ParallelTest {

  @Test
  void theLargestItemsStartFirstAndTheResultsKeepTheirOrder() {
    List<String> started = new CopyOnWriteArrayList<>();
    List<String> items = List.of("bb", "a", "dddd", "ccc", "e");
    // one thread: the start order is the order of submission
    List<Integer> out = Parallel.mapLargestFirst(items, 1, String::length, s -> {
      started.add(s);
      return s.length();
    });
    assertThat(started).as("started largest first (ties in input order)").containsExactly("dddd", "ccc", "bb", "a", "e");
    assertThat(out).as("results in input order").containsExactly(2, 1, 4, 3, 1);
  }

  @Test
  void theFirstFailureInInputOrderIsRethrown() {
    assertThatThrownBy(() -> Parallel.mapLargestFirst(List.of("x", "yyy", "zz"), 2, String::length, s -> {
      if (!s.equals("zz")) {
        throw new IllegalArgumentException("Cannot take " + s);
      }
      return s;
    })).as("the failure of the first item in input order, though the largest started first")
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot take x");
  }
}
