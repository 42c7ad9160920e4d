package dev.zmq.interop;

/**
 * Hands out a live libzmq child process, started on first use and restarted if a previous test
 * left it dead or out of step. One per test class; close it in {@code @AfterAll}.
 */
final class LibzmqHost implements AutoCloseable {
    private LibzmqProcess process;

    synchronized LibzmqProcess get() {
        if (process == null || !process.isUsable()) {
            if (process != null) {
                process.close();
            }
            process = LibzmqProcess.start();
        }
        return process;
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
            process = null;
        }
    }
}
