package dev.zmq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** IDEs complete every key: the generated metadata has the properties, the hints list every type and option. */
class ConfigurationMetadataTests {

    private static JsonNode metadata() throws IOException {
        try (var in = ConfigurationMetadataTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }

    private static List<String> hintValues(JsonNode root, String name) {
        var values = new ArrayList<String>();
        for (var hint : root.get("hints")) {
            if (hint.get("name").asString().equals(name)) {
                hint.get("values").forEach(v -> values.add(v.get("value").asString()));
            }
        }
        return values;
    }

    @Test
    void propertiesAreDocumentedWithDefaults() throws IOException {
        var root = metadata();
        var names = new ArrayList<String>();
        root.get("properties").forEach(p -> names.add(p.get("name").asString()));
        assertThat(names).contains("zmq.context.io-threads", "zmq.context.linger", "zmq.sockets", "zmq.listener.concurrency",
                "zmq.listener.auto-startup", "zmq.template.reply-timeout", "management.health.zmq.enabled");
        for (var p : root.get("properties")) {
            if (p.get("name").asString().equals("zmq.context.linger")) {
                assertThat(p.get("defaultValue").asString()).isEqualTo("3s");
                assertThat(p.get("description").asString()).contains("Bounds shutdown");
            }
        }
    }

    @Test
    void securityPropertiesAreDocumentedAndRolesHinted() throws IOException {
        var root = metadata();
        var security = new ArrayList<String>();
        for (var p : root.get("properties")) {
            var name = p.get("name").asString();
            if (name.startsWith("zmq.security.")) {
                security.add(name);
                assertThat(p.get("description")).as("description of %s", name).isNotNull();
                assertThat(p.get("description").asString()).as("description of %s", name).isNotBlank();
            }
        }
        assertThat(security).containsExactlyInAnyOrder("zmq.security.zap.enabled", "zmq.security.zap.domains",
                "zmq.security.zap.allow", "zmq.security.zap.deny", "zmq.security.zap.plain.users",
                "zmq.security.zap.curve.allow-any", "zmq.security.zap.curve.keys-directory", "zmq.security.zap.curve.keys");
        for (var mechanism : List.of("plain", "curve")) {
            assertThat(hintValues(root, "zmq.sockets.values.security." + mechanism + ".role"))
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(dev.zmq.spring.boot.autoconfigure.config.ZmqProperties.SecurityRole.values())
                            .map(Enum::name).toList());
        }
    }

    @Test
    void socketTypeHintsListEveryType() throws IOException {
        assertThat(hintValues(metadata(), "zmq.sockets.values.type"))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(SocketType.values()).map(Enum::name).toList());
    }

    @Test
    void optionHintsListEveryWritableOption() throws IOException {
        var expected = SocketOption.all().values().stream().filter(o -> !o.isReadOnly())
                .filter(o -> !dev.zmq.spring.boot.autoconfigure.socket.SocketSpecValidatorAccess.isSecurityOption(o))
                .map(o -> o.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        assertThat(hintValues(metadata(), "zmq.sockets.values.options.keys")).containsExactlyInAnyOrderElementsOf(expected);
    }
}
