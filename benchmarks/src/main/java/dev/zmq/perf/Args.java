package dev.zmq.perf;

import dev.zmq.perf.PerfCommand.UsageException;
import java.util.List;

/** Checks and reads perf tool arguments. Unlike libzmq's {@code atoi}, garbage is refused, not read as 0. */
record Args(List<String> values) {

    static Args expect(List<String> values, int count) {
        if (values.size() != count) {
            throw new UsageException("expected " + count + " arguments, got " + values.size());
        }
        return new Args(values);
    }

    String text(int index) {
        return values.get(index);
    }

    /** A message size in bytes: zero or more. */
    int size(int index) {
        return number(index, 0);
    }

    /** A message or roundtrip count: one or more. */
    int count(int index) {
        return number(index, 1);
    }

    private int number(int index, int min) {
        var text = values.get(index);
        try {
            int value = Integer.parseInt(text);
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("not a number >= " + min + ": " + text);
    }
}
