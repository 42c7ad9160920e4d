package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.spring.socket.ZmqSocketBindException;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.analyze;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.configurationCause;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Invalid configuration fails startup with a report naming the property and the fix. */
@Timeout(30)
class ZmqSocketValidationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class));

    @Test
    void unknownTypeNamesThePropertyAndTheValidTypes() {
        runner.withPropertyValues("zmq.sockets.orders.type=PUSHH").run(ctx -> {
            assertThat(ctx).hasFailed();
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.sockets.orders.type").contains("\"PUSHH\"")
                    .contains("not a ZeroMQ socket type");
            assertThat(analysis.getAction()).contains("Set zmq.sockets.orders.type to one of PAIR, REQ, REP, DEALER, ROUTER, PULL, PUSH, PUB, SUB, XPUB, XSUB");
        });
    }

    @Test
    void missingTypeIsReported() {
        runner.withPropertyValues("zmq.sockets.orders.bind=tcp://*:5555").run(ctx ->
                assertThat(configurationCause(ctx.getStartupFailure()).property()).isEqualTo("zmq.sockets.orders.type"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "bind    | tcp://127.0.0.1        | a tcp endpoint needs host:port",
            "bind    | sctp://127.0.0.1:5555  | unknown transport 'sctp'",
            "bind    | udp://127.0.0.1        | a udp endpoint needs host:port",
            "connect | udp://*:5555           | cannot send to '*'",
            "bind    | 127.0.0.1:5555         | transport://address",
            "bind    | tcp://*:70000          | port 70000 is out of range",
            "bind    | tcp://*:http           | 'http' is not a port number",
            "connect | tcp://*:5555           | cannot connect to '*'",
            "connect | tcp://feed:*           | cannot connect to port '*'",
            "connect | inproc://              | the inproc address is empty",
            "connect | tcp://feed:0           | port 0 is out of range (1 to 65535)",
            "connect | udp://feed:*           | cannot send to port '*': name the port the DISH binds",
            "connect | udp://feed:0           | port 0 is out of range (1 to 65535)",
            "bind    | udp://*:x              | 'x' is not a port number (use * for an ephemeral port)",
            "connect | discovery://orders:99999 | port 99999 is out of range (1 to 65535)",
            "connect | discovery://orders:http  | 'http' is not a port number",
    })
    void badEndpointsAreReportedWithTheirIndex(String kind, String endpoint, String problem) {
        runner.withPropertyValues("zmq.sockets.feed.type=PUB", "zmq.sockets.feed." + kind + "[0]=inproc://ok",
                "zmq.sockets.feed." + kind + "[1]=" + endpoint).run(ctx -> {
            assertThat(ctx).hasFailed();
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.sockets.feed." + kind + "[1]").contains(problem);
            assertThat(analysis.getAction()).contains("Set zmq.sockets.feed." + kind + "[1] to an endpoint such as");
        });
    }

    @Test
    void optionOutOfRangeNamesTheOptionAndItsRange() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.options.sndhwm=-5").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.sockets.out.options.sndhwm").contains("must be between 0 and");
            assertThat(analysis.getAction()).contains("SNDHWM").contains("default 1000");
        });
    }

    @Test
    void badDurationIsReported() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.options.linger=soon").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.sockets.out.options.linger").contains("a duration such as 500ms");
        });
    }

    @Test
    void unknownOptionSuggestsTheClosestNames() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.options.sndhvm=10").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.sockets.out.options.sndhvm").contains("not a socket option");
            assertThat(analysis.getAction()).startsWith("Use one of the libzmq option names").contains("names (case-insensitive, with - or _): sndhwm, ");
        });
    }

    @Test
    void readOnlyOptionIsRefused() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.options.last-endpoint=x").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("read-only"));
    }

    @Test
    void optionOfAnotherSocketTypeIsRefused() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.options.router-mandatory=true").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.sockets.out.options.router-mandatory");
            assertThat(analysis.getAction()).contains("ROUTER_MANDATORY");
        });
    }

    @Test
    void subWithoutSubscriptionsIsRefused() {
        runner.withPropertyValues("zmq.sockets.prices.type=SUB", "zmq.sockets.prices.connect=tcp://feed:5556").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.sockets.prices.subscribe").contains("receives nothing");
            assertThat(analysis.getAction()).contains("(an empty string \"\" subscribes to everything)");
        });
    }

    @Test
    void subscriptionsOnANonSubscriberAreRefused() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.subscribe=a").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("only SUB and XSUB sockets subscribe"));
    }

    @Test
    void badEndpointsNameThePropertyTheProblemAndAnExample() {
        runner.withPropertyValues("zmq.sockets.in.type=PULL", "zmq.sockets.in.bind=tcp//127.0.0.1:5555").run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.sockets.in.bind[0]").contains("transport://address");
            assertThat(analysis.getAction()).contains("Set zmq.sockets.in.bind[0] to an endpoint such as tcp://*:5555");
        });
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=inproc://ok,tcp://orders").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("zmq.sockets.out.connect[1]").contains("host:port"));
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=udp://orders:5557").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("zmq.sockets.out.connect[0]")
                        .contains("udp carries RADIO, DISH and DGRAM sockets only"));
        runner.withPropertyValues("zmq.sockets.out.type=RADIO", "zmq.sockets.out.bind=udp://*:5557").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getAction()).contains("Move it to zmq.sockets.out.connect"));
        runner.withPropertyValues("zmq.sockets.in.type=DISH", "zmq.sockets.in.connect=udp://feed:5557").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getAction()).contains("Move it to zmq.sockets.in.bind"));
        runner.withPropertyValues("zmq.sockets.raw.type=DGRAM", "zmq.sockets.raw.bind=tcp://*:5557").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("a DGRAM socket works over udp only"));
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=tcp://*:5557").run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getAction()).contains("tcp://host:5555"));
    }

    @Test
    void bindFailureStopsStartupNamingTheEndpoint() {
        try (var other = new ZmqContext(); var holder = other.socket(SocketType.PULL)) {
            var taken = holder.bind("tcp://127.0.0.1:*");
            runner.withPropertyValues("zmq.sockets.in.type=PULL", "zmq.sockets.in.bind=" + taken).run(ctx -> {
                assertThat(ctx).hasFailed();
                var cause = configurationCause(ctx.getStartupFailure());
                assertThat(cause).isInstanceOf(ZmqSocketBindException.class);
                var analysis = analyze(ctx.getStartupFailure());
                assertThat(analysis.getDescription()).contains("zmq.sockets.in.bind[0]").contains(taken).contains("EADDRINUSE");
                assertThat(analysis.getAction()).contains("use port * for an ephemeral one");
            });
        }
    }
}
