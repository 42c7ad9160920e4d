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

    /** Between {@code min} and {@code max} arguments (libzmq's optional trailing ones). */
    static Args expect(List<String> values, int min, int max) {
        if (values.size() < min || values.size() > max) {
            throw new UsageException("expected " + min + " to " + max + " arguments, got " + values.size());
        }
        return new Args(values);
    }

    /** An optional on/off number as libzmq's {@code atoi (argv[i]) != 0}: absent means off. */
    boolean flag(int index) {
        if (index >= values.size()) {
            return false;
        }
        try {
            return Integer.parseInt(values.get(index)) != 0;
        } catch (NumberFormatException e) {
            throw new UsageException("not a number: " + values.get(index));
        }
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
