package dev.zmq.pubsub;

import dev.zmq.Message;
import java.time.Duration;
import java.util.List;

/** The far side of an interop test: JeroMQ in this JVM, or libzmq in a pyzmq child process. */
interface InteropPeer extends AutoCloseable {

    /** A socket of the other implementation, LINGER 0. */
    Socket socket(String type);

    /** Releases every socket; for a child process, ends it (killing it if it does not go at once). */
    @Override
    void close();

    /** One socket of the other implementation, used from the test thread only. */
    interface Socket {
        /** Binds and returns the real endpoint. */
        String bind(String endpoint);

        void connect(String endpoint);

        /** An integer option by its libzmq name: SNDHWM, RCVHWM, XPUB_VERBOSE, ... */
        void set(String option, int value);

        void subscribe(byte[] topic);

        void unsubscribe(byte[] topic);

        /** Subscribes to {@code prefix + "%05d"} for {@code count} numbers from {@code from}. */
        void subscribeRange(String prefix, int from, int count);

        /** Sends one message made of {@code frames}. */
        void send(byte[]... frames);

        /** Publishes {@code prefix + "%05d"} for {@code count} numbers from {@code from}, one message each. */
        void sendRange(String prefix, int from, int count);

        /** The next message, or null after {@code timeout}. */
        Message recv(Duration timeout);

        /** Up to {@code n} messages, as many as arrive within {@code timeout} overall. */
        List<Message> recvMany(int n, Duration timeout);

        /**
         * Publishes {@code prefix + "%09d"} (seq 0, 1, ...) from a background thread, paced so a
         * reading subscriber keeps up, until {@link #stopPublishing()}. If {@code endpoint} is not
         * null the thread connects to it after {@code connectAfter} messages.
         */
        void startPublishing(String prefix, int connectAfter, String endpoint);

        /** Messages published so far by {@link #startPublishing}. */
        long published();

        /** Stops the background publisher; returns how many messages it published. */
        long stopPublishing();
    }
}
