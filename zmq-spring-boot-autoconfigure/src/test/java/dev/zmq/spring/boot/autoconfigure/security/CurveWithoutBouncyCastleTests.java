package dev.zmq.spring.boot.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.spring.boot.autoconfigure.TestSupport;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Bouncy Castle is optional (zmq-core needs it for CURVE only): an application without it that
 * configures curve fails startup naming the socket's security block and the dependency to add.
 * Runs a child JVM whose class path is this test's without bcprov.
 */
@Timeout(60)
class CurveWithoutBouncyCastleTests {

    @SpringBootConfiguration
    @ImportAutoConfiguration({ZmqContextAutoConfiguration.class, ZmqSecurityAutoConfiguration.class, ZmqSocketAutoConfiguration.class})
    static class App {
    }

    /** The child JVM: starts {@link App} with a CURVE server socket and prints what the failure analysis says. */
    public static void main(String[] args) {
        var secret = SecurityTestSupport.curveKeys().secretKeyZ85();
        try (var ignored = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).logStartupInfo(false)
                .properties("zmq.sockets.api.type=ROUTER", "zmq.sockets.api.bind=tcp://127.0.0.1:*",
                        "zmq.sockets.api.security.curve.role=server", "zmq.sockets.api.security.curve.secret-key=" + secret,
                        "zmq.security.zap.curve.allow-any=true", "logging.level.root=OFF", "spring.main.banner-mode=off")
                .run()) {
            System.out.println("STARTED");
        } catch (RuntimeException e) {
            var cause = TestSupport.configurationCause(e);
            System.out.println("PROPERTY " + cause.property());
            System.out.println("REASON " + cause.problem());
            System.out.println("ACTION " + TestSupport.analyze(e).getAction());
        }
    }

    @Test
    void curveWithoutBouncyCastleFailsStartupWithTheDependencyToAdd() throws Exception {
        var classPath = Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator)).filter(entry -> !Path.of(entry).getFileName().toString().startsWith("bcprov")).toList();
        assertThat(classPath).as("this test's class path").anyMatch(e -> e.contains("zmq-core"));
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(List.of(java, "-cp", String.join(File.pathSeparator, classPath), getClass().getName()))
                .redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(50, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            var lines = output.lines().collect(Collectors.toList());
            assertThat(lines).as(output).contains("PROPERTY zmq.sockets.api.security");
            assertThat(output).contains("REASON the CURVE mechanism needs Bouncy Castle")
                    .contains("ACTION Add org.bouncycastle:bcprov-jdk18on to the application's dependencies");
        } finally {
            process.destroyForcibly();
        }
    }
}
