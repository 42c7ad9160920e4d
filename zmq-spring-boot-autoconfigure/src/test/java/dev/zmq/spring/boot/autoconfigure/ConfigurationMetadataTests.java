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
        assertThat(names).contains("zmq.context.io-threads", "zmq.context.linger", "zmq.context.io-busy-poll", "zmq.sockets", "zmq.listener.concurrency",
                "zmq.listener.auto-startup", "zmq.template.reply-timeout", "management.health.zmq.enabled",
                "zmq.listener.retry.max-attempts", "zmq.listener.retry.delay", "zmq.listener.retry.multiplier",
                "zmq.listener.retry.max-delay", "zmq.listener.retry.dead-letter", "zmq.listener.retry.dead-letter-send-timeout",
                "zmq.listener.error-reply.include-message", "zmq.listener.batch-size", "zmq.sockets",
                "zmq.discovery.default-port", "zmq.discovery.port-metadata-key");
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

    /** Javadoc markup, source text or a mangled link ("e()") in a description shown by an IDE. */
    private static final java.util.regex.Pattern NOT_PROSE = java.util.regex.Pattern.compile(
            "\\{@|</?(?:pre|p|code|a|b|i|ul|ol|li|em|strong|br)\\b[^>]*>|/\\*\\*|\\*/|@param|@return|public (?:static|final|class) |(^|[^A-Za-z0-9_.#])[a-z]\\(\\)");

    @Test
    void everyDescriptionIsProse() throws IOException {
        var root = metadata();
        var checked = 0;
        for (var p : root.get("properties")) {
            if (p.has("description")) {
                assertThat(p.get("description").asString()).as("description of %s", p.get("name").asString()).doesNotContainPattern(NOT_PROSE);
                checked++;
            }
        }
        for (var hint : root.get("hints")) {
            for (var value : hint.path("values")) {
                if (value.has("description")) {
                    assertThat(value.get("description").asString()).as("description of %s = %s", hint.get("name").asString(),
                            value.get("value").asString()).doesNotContainPattern(NOT_PROSE).hasSizeLessThan(400);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat("see {@link ZmqContext#close()}").containsPattern(NOT_PROSE);
        assertThat("applies them with e() for").containsPattern(NOT_PROSE);
        assertThat("but see ZmqContext.close(), which").doesNotContainPattern(NOT_PROSE);
    }

    /**
     * Each option's hint is about its option: it opens like the option's Javadoc in zmq-core (links turned into plain
     * names). The hint of sndhwm was once the class's Javadoc and source text.
     */
    @Test
    void optionHintDescriptionsAreTheOptionsJavadocInProse() throws IOException {
        var source = java.nio.file.Files.readString(java.nio.file.Path.of("../zmq-core/src/main/java/dev/zmq/SocketOption.java"));
        var constant = java.util.regex.Pattern.compile("/\\*\\*((?:[^*]|\\*(?!/))*)\\*/\\s*public static final SocketOption<[^>]+> (\\w+) =");
        var javadoc = new java.util.HashMap<String, String>();
        var m = constant.matcher(source);
        while (m.find()) {
            var text = m.group(1).replaceAll("(?m)^\\s*\\* ?", " ")
                    .replaceAll("\\{@link #(\\w+)}", "$1")
                    .replaceAll("\\{@link (\\w+)#(\\w+\\([^)]*\\))}", "$1.$2")
                    .replaceAll("\\{@link \\w+#(\\w+)}", "$1")
                    .replaceAll("\\{@(?:link|code) ([^}]+)}", "$1")
                    .replaceAll("\\s+", " ").trim();
            javadoc.put(m.group(2).toLowerCase(Locale.ROOT).replace('_', '-'), text);
        }
        assertThat(javadoc).containsKeys("sndhwm", "linger", "xpub-manual");
        var hints = 0;
        for (var hint : metadata().get("hints")) {
            if (hint.get("name").asString().equals("zmq.sockets.values.options.keys")) {
                for (var value : hint.get("values")) {
                    var name = value.get("value").asString();
                    assertThat(javadoc).as("Javadoc of option %s", name).containsKey(name);
                    // a hint may shorten the Javadoc, but says the same thing: it opens with the same words
                    assertThat(openingWords(value.get("description").asString())).as("hint of %s: %s\nJavadoc: %s", name,
                            value.get("description").asString(), javadoc.get(name)).isEqualTo(openingWords(javadoc.get(name)));
                    hints++;
                }
            }
        }
        assertThat(hints).isGreaterThan(20);
    }

    private static List<String> openingWords(String text) {
        var words = Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")).filter(w -> !w.isEmpty()).toList();
        return words.subList(0, Math.min(2, words.size()));
    }

    /** What Boot's format can say about zmq.sockets: the map itself, described with its values' keys, and hints for them. */
    @Test
    void socketsMapIsDescribedWithTheKeysOfItsValues() throws IOException {
        var root = metadata();
        JsonNode sockets = null;
        for (var p : root.get("properties")) {
            if (p.get("name").asString().equals("zmq.sockets")) {
                sockets = p;
            }
        }
        assertThat(sockets).as("zmq.sockets").isNotNull();
        assertThat(sockets.get("type").asString()).startsWith("java.util.Map<java.lang.String,").endsWith("ZmqProperties$Socket>");
        assertThat(sockets.get("description").asString()).contains("type", "bind", "connect", "subscribe", "options", "monitor",
                "security", "cannot describe the properties of a map's values");
        var hints = new ArrayList<String>();
        root.get("hints").forEach(h -> hints.add(h.get("name").asString()));
        assertThat(hints).contains("zmq.sockets.keys", "zmq.sockets.values.type", "zmq.sockets.values.options.keys",
                "zmq.sockets.values.security.plain.role", "zmq.sockets.values.security.curve.role");
    }

    @Test
    void optionHintsListEveryWritableOption() throws IOException {
        var expected = SocketOption.all().values().stream().filter(o -> !o.isReadOnly())
                .filter(o -> !dev.zmq.spring.boot.autoconfigure.socket.SocketSpecValidatorAccess.isSecurityOption(o))
                .map(o -> o.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        assertThat(hintValues(metadata(), "zmq.sockets.values.options.keys")).containsExactlyInAnyOrderElementsOf(expected);
    }
}
