package dev.zmq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.ZmqContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Spring modules use zmq-core's public API (package dev.zmq) only, never dev.zmq.internal. */
class PublicApiOnlyTests {
    private static final byte[] INTERNAL = "dev/zmq/internal".getBytes(StandardCharsets.US_ASCII);

    @Test
    void noCompiledClassOfTheAutoconfigureModuleReferencesCoreInternals() throws IOException, URISyntaxException {
        var classes = Path.of(ZmqAutoConfigurationMarker.location().toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(files).as("compiled classes under %s", classes).hasSizeGreaterThan(20);
        var offenders = files.stream().filter(p -> references(read(p))).map(classes::relativize).toList();
        assertThat(offenders).as("classes referring to dev.zmq.internal").isEmpty();
    }

    @Test
    void theCheckDetectsAReferenceToCoreInternals() throws IOException {
        // ZmqContext is built on dev.zmq.internal.context.ContextCore: the scan must see it.
        try (InputStream in = ZmqContext.class.getResourceAsStream("ZmqContext.class")) {
            assertThat(references(in.readAllBytes())).isTrue();
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Class files keep class names in the constant pool as (modified) UTF-8: a byte search finds them. */
    static boolean references(byte[] classFile) {
        outer:
        for (int i = 0; i <= classFile.length - INTERNAL.length; i++) {
            for (int j = 0; j < INTERNAL.length; j++) {
                if (classFile[i + j] != INTERNAL[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Locates the autoconfigure module's main classes. */
    static final class ZmqAutoConfigurationMarker {
        static java.net.URL location() {
            return dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration.class
                    .getProtectionDomain().getCodeSource().getLocation();
        }
    }
}
