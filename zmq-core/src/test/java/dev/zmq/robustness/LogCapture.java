package dev.zmq.robustness;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;

/**
 * Records what the library logs through {@code System.Logger} (backed by java.util.logging) under
 * {@code dev.zmq}, down to DEBUG (JUL's FINE), for as long as it is open.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private static final SimpleFormatter FORMAT = new SimpleFormatter();

    /** Held strongly: JUL forgets the level of a logger nobody references. */
    private final Logger logger = Logger.getLogger("dev.zmq");
    private final Level previousLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture() {
        previousLevel = logger.getLevel();
        setLevel(Level.ALL);
        logger.setLevel(Level.FINE);
        logger.addHandler(this);
    }

    static LogCapture start() {
        return new LogCapture();
    }

    /** Whether a record at exactly {@code level} says something containing {@code text}. */
    boolean has(Level level, String text) {
        return records.stream().anyMatch(r -> r.getLevel().equals(level) && render(r).contains(text));
    }

    /** The rendered text of every record containing {@code text}. */
    List<String> mentioning(String text) {
        return records.stream().map(LogCapture::render).filter(r -> r.contains(text)).toList();
    }

    /** Every record so far, for failure messages. */
    String dump() {
        return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + render(r))
                .collect(Collectors.joining("\n  ", "[\n  ", "\n]"));
    }

    private static String render(LogRecord r) {
        var text = FORMAT.formatMessage(r);
        return r.getThrown() == null ? text : text + " " + r.getThrown();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
    }
}
