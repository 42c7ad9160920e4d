package dev.zmq.interop.draft;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes {@link DraftPeer}s on JeroMQ 0.6.0 (the test classpath's) or on JeroMQ 0.7.0, which has the
 * same package names and so is loaded child-first in a class loader of its own, from the jar the
 * build copies to {@code target/jeromq-aside} (zmq-core's pom.xml). {@link JeromqDraftPeer} is
 * loaded there too, so it links against 0.7.0; {@link DraftPeer} comes from the test class loader.
 */
final class JeromqLoader {
    static final String V060 = "0.6.0";
    static final String V070 = "0.7.0";
    private static volatile ClassLoader v070;

    private JeromqLoader() {
    }

    static DraftPeer peer(String version, String type) {
        if (version.equals(V060)) {
            return new JeromqDraftPeer(type);
        }
        var loader = v070();
        // JeroMQ finds its transports with ServiceLoader through the context class loader: every call
        // into the 0.7.0 peer (and the threads it starts, which inherit it) runs with its own loader.
        DraftPeer peer = withContextLoader(loader, () -> {
            var cls = Class.forName(JeromqDraftPeer.class.getName(), true, loader);
            return (DraftPeer) cls.getConstructor(String.class).newInstance(type);
        });
        return (DraftPeer) java.lang.reflect.Proxy.newProxyInstance(DraftPeer.class.getClassLoader(), new Class<?>[] {DraftPeer.class},
                (proxy, method, args) -> withContextLoader(loader, () -> {
                    try {
                        return method.invoke(peer, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
                    }
                }));
    }

    private static <T> T withContextLoader(ClassLoader loader, java.util.concurrent.Callable<T> call) {
        var thread = Thread.currentThread();
        var previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("JeroMQ 0.7.0 peer failed", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static synchronized ClassLoader v070() {
        if (v070 == null) {
            try {
                var testClasses = Path.of(JeromqDraftPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                var jar = testClasses.getParent().resolve("jeromq-aside").resolve("jeromq-0.7.0.jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(jar + " is missing: the build copies it (maven-dependency-plugin in zmq-core/pom.xml); run the tests through Maven");
                }
                v070 = new ChildFirst(new URL[] {jar.toUri().toURL(), testClasses.toUri().toURL()}, JeromqLoader.class.getClassLoader());
            } catch (java.net.URISyntaxException | MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return v070;
    }

    /**
     * Loads JeroMQ's packages and the peer class itself before asking the parent, and finds
     * JeroMQ's service files (its transports are ServiceLoader providers) in the 0.7.0 jar only.
     */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        public java.util.Enumeration<URL> getResources(String name) throws java.io.IOException {
            return name.startsWith("META-INF/services/zmq.") ? findResources(name) : super.getResources(name);
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith("META-INF/services/zmq.") ? findResource(name) : super.getResource(name);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!(name.startsWith("org.zeromq.") || name.startsWith("zmq.") || name.equals(JeromqDraftPeer.class.getName()))) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                var c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
