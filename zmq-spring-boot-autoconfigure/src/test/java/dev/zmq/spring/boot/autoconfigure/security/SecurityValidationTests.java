package dev.zmq.spring.boot.autoconfigure.security;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.analyze;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.configurationCause;
import static dev.zmq.spring.boot.autoconfigure.security.SecurityTestSupport.assertNotLeaked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.security.CurveKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every invalid security setting stops startup with a report naming the property and the fix, and
 * no secret (password, secret key) ever appears in it.
 */
@Timeout(30)
class SecurityValidationTests {
    private static final CurveKeyPair SERVER = SecurityTestSupport.curveKeys();
    private static final CurveKeyPair CLIENT = SecurityTestSupport.curveKeys();
    private static final String PASSWORD = "correct-horse-battery-staple";
    private static final String S = "zmq.sockets.s.";

    private final ApplicationContextRunner runner = SecurityTestSupport.runner();

    /** A bad secret: one character short, a typical copy-paste accident. */
    private static final String SHORT_SECRET = CLIENT.secretKeyZ85().substring(0, 39);
    /** A secret with a character outside the Z85 alphabet. */
    private static final String BAD_CHAR_SECRET = "~" + CLIENT.secretKeyZ85().substring(1);

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                // secret to check, expected property, expected problem, expected action, settings...
                Arguments.of(PASSWORD, S + "security", "both plain and curve are set", "Keep either",
                        List.of("plain.role=client", "plain.username=u", "plain.password=" + PASSWORD,
                                "curve.role=server", "curve.secret-key=" + SERVER.secretKeyZ85())),
                Arguments.of(SERVER.secretKeyZ85(), S + "security.curve.role", "the role is missing", "SERVER",
                        List.of("curve.secret-key=" + SERVER.secretKeyZ85())),
                Arguments.of(null, S + "security.curve.secret-key", "a CURVE server needs its secret key", "create_certificates",
                        List.of("curve.role=server")),
                Arguments.of(CLIENT.secretKeyZ85(), S + "security.curve.server-key", "needs the server's public key",
                        "server-key-file", List.of("curve.role=client", "curve.secret-key=" + CLIENT.secretKeyZ85())),
                Arguments.of(null, S + "security.curve.secret-key", "needs its own key pair", "key-file",
                        List.of("curve.role=client", "curve.server-key=" + SERVER.publicKeyZ85())),
                Arguments.of(SHORT_SECRET, S + "security.curve.secret-key", "in Z85 is 40 characters, got 39", "40-character Z85",
                        List.of("curve.role=server", "curve.secret-key=" + SHORT_SECRET)),
                Arguments.of(BAD_CHAR_SECRET, S + "security.curve.secret-key", "not a Z85 character at position 0", "Z85",
                        List.of("curve.role=server", "curve.secret-key=" + BAD_CHAR_SECRET)),
                Arguments.of(CLIENT.secretKeyZ85(), S + "security.curve.public-key", "does not belong to the secret key",
                        "derived from the secret key", List.of("curve.role=server", "curve.secret-key=" + CLIENT.secretKeyZ85(),
                                "curve.public-key=" + SERVER.publicKeyZ85())),
                Arguments.of(SERVER.secretKeyZ85(), S + "security.curve.server-key", "a CURVE server has no server key", "Remove",
                        List.of("curve.role=server", "curve.secret-key=" + SERVER.secretKeyZ85(), "curve.server-key=" + CLIENT.publicKeyZ85())),
                Arguments.of(SERVER.secretKeyZ85(), S + "security.curve.key-file", "are set: the key pair comes from one place", "Remove one",
                        List.of("curve.role=server", "curve.secret-key=" + SERVER.secretKeyZ85(), "curve.key-file=/etc/x.key_secret")),
                Arguments.of(CLIENT.secretKeyZ85(), S + "security.curve.server-key-file",
                        "are set: the server key comes from one place", "Remove one of " + S + "security.curve.server-key",
                        List.of("curve.role=client", "curve.secret-key=" + CLIENT.secretKeyZ85(), "curve.server-key=" + SERVER.publicKeyZ85(),
                                "curve.server-key-file=/etc/server.key")),
                Arguments.of(null, S + "security.curve.key-file", "cannot read the key file", "readable file",
                        List.of("curve.role=server", "curve.key-file=/nonexistent/dir/server.key_secret")),
                Arguments.of(CLIENT.secretKeyZ85(), S + "security.zap-domain", "applies to server sockets", "Remove",
                        List.of("zap-domain=api", "curve.role=client", "curve.secret-key=" + CLIENT.secretKeyZ85(),
                                "curve.server-key=" + SERVER.publicKeyZ85())),
                Arguments.of(null, S + "security.plain.username", "a PLAIN client needs a user name", "security.plain.password",
                        List.of("plain.role=client")),
                Arguments.of(null, S + "security.plain.password", "a PLAIN client needs a password", "${ALICE_PASSWORD}",
                        List.of("plain.role=client", "plain.username=alice")),
                Arguments.of(PASSWORD, S + "security.plain.password", "a PLAIN server has no password of its own",
                        "zmq.sockets.s.security.plain.role=CLIENT", List.of("plain.role=server", "plain.password=" + PASSWORD)),
                Arguments.of(null, S + "security.plain.role", "the role is missing", "SERVER (checks clients",
                        List.of("plain.username=alice")));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidSecurityStopsStartupNamingThePropertyAndNeverTheSecret(String secret, String property, String problem,
                                                                      String action, List<String> settings) {
        var properties = new ArrayList<>(List.of(S + "type=ROUTER", S + "bind=tcp://127.0.0.1:*", "zmq.security.zap.curve.allow-any=true"));
        settings.forEach(s -> properties.add(S + "security." + s));
        runner.withPropertyValues(properties.toArray(String[]::new)).run(ctx -> {
            assertThat(ctx).hasFailed();
            var cause = configurationCause(ctx.getStartupFailure());
            assertThat(cause.property()).isEqualTo(property);
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + property).contains(problem);
            assertThat(analysis.getAction()).contains(action);
            if (secret != null) {
                assertNotLeaked(ctx.getStartupFailure(), secret);
            }
        });
    }

    /**
     * A Z85 key may contain "${" with a ':' and a '}' after it, which Spring reads as a placeholder
     * with a default and replaces: such a key fails with the hint to escape it, and the escaped key
     * starts.
     */
    @Test
    void aKeyShortenedByAPlaceholderFailsWithTheHintAndTheEscapedKeyStarts() {
        // "0${:}" is a valid first Z85 group ('$' is small enough as its second digit); the rest is a real key's.
        String rest = CLIENT.publicKeyZ85().substring(5);
        var server = runner.withPropertyValues(S + "type=ROUTER", S + "bind=tcp://127.0.0.1:*", S + "security.curve.role=server",
                S + "security.curve.secret-key=" + SERVER.secretKeyZ85());
        server.withPropertyValues("zmq.security.zap.curve.keys[0]=0${:}" + rest).run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.security.zap.curve.keys[0]").contains("got 36");
            assertThat(analysis.getAction()).contains("put a backslash before its $");
        });
        server.withPropertyValues("zmq.security.zap.curve.keys[0]=0\\${:}" + rest).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(dev.zmq.security.ZapAuthenticator.class)).isNotNull();
        });
    }

    @Test
    void aBadSecretIsShownByItsLengthOnly() {
        runner.withPropertyValues(S + "type=ROUTER", S + "security.curve.role=server", S + "security.curve.secret-key=" + SHORT_SECRET,
                "zmq.security.zap.curve.allow-any=true").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("Value:    <hidden, 39 characters>"));
    }

    @Test
    void publicCertificateAsKeyFileIsRefused(@TempDir Path dir) throws Exception {
        var file = Files.writeString(dir.resolve("server.key"), "curve\n    public-key = \"" + SERVER.publicKeyZ85() + "\"\n");
        runner.withPropertyValues(S + "type=ROUTER", S + "security.curve.role=server", S + "security.curve.key-file=" + file,
                "zmq.security.zap.curve.allow-any=true").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains(S + "security.curve.key-file").contains("holds no secret-key");
            assertThat(analysis.getAction()).contains(".key_secret");
        });
    }

    @Test
    void garbageKeyFileIsNotACertificate(@TempDir Path dir) throws Exception {
        var file = Files.writeString(dir.resolve("client.key_secret"), "just some text\n");
        runner.withPropertyValues(S + "type=DEALER", S + "security.curve.role=client", S + "security.curve.key-file=" + file,
                S + "security.curve.server-key=" + SERVER.publicKeyZ85()).run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains(S + "security.curve.key-file").contains("not a CURVE certificate")
                    .contains("no public-key entry");
        });
    }

    @Test
    void anUnknownRoleIsABindingFailureNamingTheProperty() {
        runner.withPropertyValues(S + "type=ROUTER", S + "security.curve.role=boss").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("boss");
            assertThat(ctx.getStartupFailure()).hasStackTraceContaining(S + "security.curve.role");
        });
    }

    @Test
    void securityOptionsUnderOptionsPointToTheSecurityBlock() {
        runner.withPropertyValues(S + "type=DEALER", S + "options.curve-secretkey=" + CLIENT.secretKeyZ85()).run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains(S + "options.curve-secretkey").contains("in the security block");
            assertThat(analysis.getAction()).contains("use " + S + "security instead").contains("secret-key or key-file");
            assertNotLeaked(ctx.getStartupFailure(), CLIENT.secretKeyZ85());
        });
        runner.withPropertyValues(S + "type=DEALER", S + "options.plain_password=" + PASSWORD).run(ctx ->
                assertNotLeaked(ctx.getStartupFailure(), PASSWORD));
    }

    @Test
    void plainServerWithoutUsersWouldRefuseEveryone() {
        runner.withPropertyValues(S + "type=REP", S + "security.plain.role=server").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: zmq.security.zap.plain.users")
                    .contains("socket 's' is a PLAIN server, but no user is configured");
            assertThat(analysis.getAction()).contains("alice: ${ALICE_PASSWORD}").contains("ZapHandler bean");
        });
    }

    @Test
    void curveServerWithoutAllowedClientsWouldRefuseEveryone() {
        runner.withPropertyValues(S + "type=ROUTER", S + "security.curve.role=server", S + "security.curve.secret-key=" + SERVER.secretKeyZ85())
                .run(ctx -> {
                    var analysis = analyze(ctx.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: zmq.security.zap.curve.keys-directory")
                            .contains("socket 's' is a CURVE server, but no client key is allowed");
                    assertThat(analysis.getAction()).contains("zmq.security.zap.curve.keys").contains("allow-any=true");
                    assertNotLeaked(ctx.getStartupFailure(), SERVER.secretKeyZ85());
                });
    }

    @Test
    void plainServerWithTheAuthenticatorTurnedOffFailsStartup() {
        runner.withPropertyValues(S + "type=REP", S + "security.plain.role=server", "zmq.security.zap.enabled=false").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + S + "security.plain.role")
                    .contains("refuses every client without one");
            assertThat(analysis.getAction()).contains("Remove zmq.security.zap.enabled=false");
        });
    }

    @Test
    void aZapDomainTheAuthenticatorDoesNotServeFailsStartup() {
        runner.withPropertyValues(S + "type=REP", S + "security.plain.role=server", S + "security.zap-domain=orders",
                "zmq.security.zap.plain.users.alice=" + PASSWORD, "zmq.security.zap.domains=prices").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + S + "security.zap-domain").contains("\"orders\"")
                    .contains("does not list this domain");
            assertThat(analysis.getAction()).contains("Add the domain to zmq.security.zap.domains");
            assertNotLeaked(ctx.getStartupFailure(), PASSWORD);
        });
    }

    @Test
    void authenticatorSettingsAreChecked(@TempDir Path dir) {
        runner.withPropertyValues("zmq.security.zap.enabled=true", "zmq.security.zap.curve.keys[0]=" + SHORT_SECRET).run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.security.zap.curve.keys[0]").contains("40 characters, got 39");
            assertNotLeaked(ctx.getStartupFailure(), SHORT_SECRET);
        });
        var missing = dir.resolve("no-such-dir").toString();
        runner.withPropertyValues("zmq.security.zap.enabled=true", "zmq.security.zap.curve.keys-directory=" + missing).run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.security.zap.curve.keys-directory").contains(missing).contains("not a directory");
        });
        runner.withPropertyValues("zmq.security.zap.enabled=true", "zmq.security.zap.allow[0]=tcp://10.0.0.1:5555").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("zmq.security.zap.allow[0]").contains("not a client IP address"));
    }
}
