package dev.zmq.spring.listener;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for listener workers: virtual threads when asked for and the JVM has them
 * (Java 21+, found at run time since the code is compiled for Java 17), platform threads otherwise.
 */
public final class ZmqThreads {

    private ZmqThreads() {
    }

    /** Whether this JVM can create virtual threads. */
    public static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21 && virtualFactory("probe-") != null;
    }

    /** A factory of threads named {@code prefix0}, {@code prefix1}, ...; virtual if requested and available. */
    public static ThreadFactory factory(String prefix, boolean virtual) {
        if (virtual) {
            var factory = virtualFactory(prefix);
            if (factory != null) {
                return factory;
            }
        }
        var counter = new AtomicInteger();
        return runnable -> {
            var thread = new Thread(runnable, prefix + counter.getAndIncrement());
            thread.setDaemon(false);
            return thread;
        };
    }

    private static ThreadFactory virtualFactory(String prefix) {
        try {
            var lookup = MethodHandles.publicLookup();
            var builderType = Class.forName("java.lang.Thread$Builder$OfVirtual");
            var ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builderType));
            var name = lookup.findVirtual(builderType, "name", MethodType.methodType(builderType, String.class, long.class));
            var factory = lookup.findVirtual(builderType, "factory", MethodType.methodType(ThreadFactory.class));
            Object builder = ofVirtual.invoke();
            builder = name.invoke(builder, prefix, 0L);
            return (ThreadFactory) factory.invoke(builder);
        } catch (Throwable e) {
            return null;
        }
    }
}
