package dev.zmq.spring.boot.autoconfigure.security;

import dev.zmq.spring.security.Mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.security.CurveKeyPair;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.socket.SocketSpec;
import dev.zmq.spring.socket.SocketSpecValidator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The typed mechanisms set libzmq's options and never print a secret. */
@Timeout(10)
class MechanismTests {
    private static final CurveKeyPair SERVER = SecurityTestSupport.curveKeys();
    private static final CurveKeyPair CLIENT = SecurityTestSupport.curveKeys();

    @Test
    void eachMechanismSetsTheOptionsOfItsRole() {
        try (var context = new ZmqContext()) {
            record Case(Mechanism mechanism, String name, boolean plainServer, boolean curveServer, String domain) {
            }
            var cases = List.of(
                    new Case(Mechanism.NULL, "NULL", false, false, ""),
                    new Case(new Mechanism.Null("internal"), "NULL", false, false, "internal"),
                    new Case(new Mechanism.PlainServer("api"), "PLAIN", true, false, "api"),
                    new Case(new Mechanism.PlainClient("alice", "pw"), "PLAIN", false, false, ""),
                    new Case(new Mechanism.CurveServer(SERVER, null), "CURVE", false, true, ""),
                    new Case(new Mechanism.CurveClient(CLIENT, SERVER.publicKey()), "CURVE", false, false, ""));
            for (var c : cases) {
                try (var socket = context.socket(SocketType.DEALER)) {
                    c.mechanism().applyTo(socket);
                    assertThat(socket.get(SocketOption.MECHANISM)).as("%s", c).isEqualTo(c.name());
                    assertThat(socket.get(SocketOption.PLAIN_SERVER)).as("%s", c).isEqualTo(c.plainServer());
                    assertThat(socket.get(SocketOption.CURVE_SERVER)).as("%s", c).isEqualTo(c.curveServer());
                    assertThat(socket.get(SocketOption.ZAP_DOMAIN)).as("%s", c).isEqualTo(c.domain());
                }
            }
        }
    }

    @Test
    void noToStringShowsASecret() {
        var text = List.of(new Mechanism.PlainClient("alice", "pw-secret-123"), new Mechanism.CurveServer(SERVER, "api"),
                new Mechanism.CurveClient(CLIENT, SERVER.publicKey())).toString();
        assertThat(text).contains("alice").contains(SERVER.publicKeyZ85()).contains(CLIENT.publicKeyZ85())
                .doesNotContain("pw-secret-123").doesNotContain(SERVER.secretKeyZ85()).doesNotContain(CLIENT.secretKeyZ85());
    }

    @Test
    void specsDoNotPrintSecretsEither() {
        var properties = new ZmqProperties.Socket();
        properties.setType("DEALER");
        properties.setOptions(Map.of("plain-password", "opt-secret-456", "sndhwm", "10"));
        var security = new ZmqProperties.SocketSecurity();
        var curve = new ZmqProperties.Curve();
        curve.setRole(ZmqProperties.SecurityRole.CLIENT);
        curve.setSecretKey(CLIENT.secretKeyZ85());
        curve.setServerKey(SERVER.publicKeyZ85());
        security.setCurve(curve);
        properties.setSecurity(security);
        var spec = dev.zmq.spring.boot.autoconfigure.socket.ConfiguredSockets.spec("s", properties);
        assertThat(spec.toString()).contains("sndhwm=10").doesNotContain("opt-secret-456").doesNotContain(CLIENT.secretKeyZ85());

        properties.setOptions(Map.of());
        var valid = SocketSpecValidator.validate(dev.zmq.spring.boot.autoconfigure.socket.ConfiguredSockets.spec("s", properties));
        assertThat(valid.security()).isEqualTo(new Mechanism.CurveClient(CLIENT, SERVER.publicKey()));
        assertThat(valid.toString()).contains("CurveClient").doesNotContain(CLIENT.secretKeyZ85());
    }
}
