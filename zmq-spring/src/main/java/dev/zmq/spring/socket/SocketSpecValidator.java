package dev.zmq.spring.socket;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqException;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.security.Redacted;
import dev.zmq.spring.security.Mechanism;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a {@link SocketSpec} before any socket exists, so that a mistake in configuration stops
 * startup with a message naming the property and the fix.
 */
public final class SocketSpecValidator {

    /** The scheme of connect endpoints resolved by Spring Cloud's DiscoveryClient: {@code discovery://service-id[:port]}. */
    public static final String DISCOVERY = "discovery";

    private SocketSpecValidator() {
    }

    public static ValidSocketSpec validate(SocketSpec spec) {
        var names = spec.propertyName();
        var type = parseType(spec.type(), names.apply("type"));
        for (int i = 0; i < spec.bind().size(); i++) {
            checkEndpoint(spec.bind().get(i), true, names.apply("bind[" + i + "]"));
        }
        for (int i = 0; i < spec.connect().size(); i++) {
            checkEndpoint(spec.connect().get(i), false, names.apply("connect[" + i + "]"));
        }
        checkTransportsFit(spec, type);
        checkSubscriptions(spec, type);
        var options = new ArrayList<ValidSocketSpec.OptionValue>();
        for (Map.Entry<String, String> e : spec.options().entrySet()) {
            options.add(convertOption(e.getKey(), e.getValue(), names.apply("options." + e.getKey())));
        }
        var security = spec.security() == null ? Mechanism.NULL : spec.security().get();
        return new ValidSocketSpec(spec.name(), type, spec.bind(), spec.connect(), spec.subscribe(), List.copyOf(options),
                spec.monitor(), names, security);
    }

    static SocketType parseType(String raw, String property) {
        var typeList = Arrays.stream(SocketType.values()).map(Enum::name).collect(Collectors.joining(", "));
        if (raw == null || raw.isBlank()) {
            throw new ZmqConfigurationException(property, raw, "the socket type is missing",
                    "Set " + property + " to one of " + typeList + ".");
        }
        try {
            return SocketType.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ZmqConfigurationException(property, raw, "'" + raw + "' is not a ZeroMQ socket type",
                    "Set " + property + " to one of " + typeList + ".");
        }
    }

    /**
     * Checks endpoint syntax: tcp://host:port (bind: host may be * and port may be *), ipc://path,
     * inproc://name, epgm://interface;group:port, udp://[interface;]host:port.
     */
    public static void checkEndpoint(String endpoint, boolean bind, String property) {
        var problem = endpointProblem(endpoint, bind);
        if (problem != null) {
            var examples = bind ? "tcp://*:5555, tcp://127.0.0.1:* (ephemeral port), ipc:///tmp/app.sock or inproc://name"
                    : "tcp://host:5555, dns+tcp://service:5555 (every address of the name), discovery://service-id,"
                    + " ipc:///tmp/app.sock or inproc://name";
            throw new ZmqConfigurationException(property, endpoint, problem,
                    "Set " + property + " to an endpoint such as " + examples + ".");
        }
    }

    static String endpointProblem(String endpoint, boolean bind) {
        if (endpoint == null || endpoint.isBlank()) {
            return "the endpoint is empty";
        }
        int sep = endpoint.indexOf("://");
        if (sep <= 0) {
            return "an endpoint is transport://address, e.g. tcp://host:5555";
        }
        var transport = endpoint.substring(0, sep);
        var address = endpoint.substring(sep + 3);
        return switch (transport) {
            case "tcp" -> tcpProblem(address, bind);
            case "dns+tcp" -> bind ? "dns+tcp:// is for connecting (to every address of a name); bind to tcp://" : tcpProblem(address, false);
            case DISCOVERY -> bind ? "discovery:// is for connecting; bind to tcp://" : discoveryProblem(address);
            case "ipc", "inproc" -> address.isEmpty() ? "the " + transport + " address is empty" : null;
            case "epgm" -> address.indexOf(';') > 0 && address.lastIndexOf(':') > address.indexOf(';') + 1 ? null
                    : "an epgm endpoint is interface;group:port, e.g. epgm://eth0;239.192.1.1:5555";
            case "udp" -> udpProblem(address, bind);
            case "pgm" -> "pgm (raw IP) is not available in Java; use epgm://interface;group:port (PGM over UDP)";
            default -> "unknown transport '" + transport + "' (supported: tcp, ipc, inproc, epgm, udp; to connect also dns+tcp and discovery)";
        };
    }

    /** udp://[interface;]host:port as libzmq reads it: bind may use * for the host and the port, connect names both. */
    private static String udpProblem(String address, boolean bind) {
        int semi = address.lastIndexOf(';');
        if (semi == 0) {
            return "the interface before ';' is empty: udp://eth0;239.0.0.1:5555 (or *;group:port)";
        }
        var target = address.substring(semi + 1);
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            return "a udp endpoint needs host:port, e.g. udp://127.0.0.1:5555, or interface;group:port for multicast";
        }
        return hostPortProblem(target.substring(0, colon), target.substring(colon + 1), bind,
                "send to", "name the host or multicast group", "name the port the DISH binds");
    }

    /**
     * As libzmq: udp carries RADIO (connect), DISH and DGRAM (bind) only, and DGRAM nothing else,
     * with one endpoint.
     */
    private static void checkTransportsFit(SocketSpec spec, SocketType type) {
        for (var bind : new boolean[] {true, false}) {
            var endpoints = bind ? spec.bind() : spec.connect();
            for (int i = 0; i < endpoints.size(); i++) {
                var endpoint = endpoints.get(i);
                var property = spec.propertyName().apply((bind ? "bind[" : "connect[") + i + "]");
                boolean udp = endpoint.startsWith("udp://");
                if (type == SocketType.DGRAM && !udp) {
                    throw new ZmqConfigurationException(property, endpoint, "a DGRAM socket works over udp only",
                            "Bind it to a udp endpoint such as udp://*:5555, or change the socket type.");
                }
                if (!udp) {
                    continue;
                }
                if (type != SocketType.RADIO && type != SocketType.DISH && type != SocketType.DGRAM) {
                    throw new ZmqConfigurationException(property, endpoint, "udp carries RADIO, DISH and DGRAM sockets only, this one is "
                            + type, "Use tcp://, ipc:// or inproc:// for " + type + ", or change the socket type.");
                }
                if (bind && type == SocketType.RADIO) {
                    throw new ZmqConfigurationException(property, endpoint, "a RADIO connects to udp endpoints (where its datagrams go)",
                            "Move it to " + spec.propertyName().apply("connect") + " and bind the DISH to it.");
                }
                if (!bind && type != SocketType.RADIO) {
                    throw new ZmqConfigurationException(property, endpoint, "a " + type + " binds udp endpoints (where datagrams arrive)",
                            "Move it to " + spec.propertyName().apply("bind") + " (udp://*:port, or interface;group:port for multicast).");
                }
            }
        }
        if (type == SocketType.DGRAM && spec.bind().size() > 1) {
            throw new ZmqConfigurationException(spec.propertyName().apply("bind"), spec.bind(), "a DGRAM socket has one udp endpoint",
                    "Keep one endpoint, or declare one DGRAM socket per endpoint.");
        }
    }

    private static String discoveryProblem(String address) {
        int colon = address.lastIndexOf(':');
        var service = colon >= 0 ? address.substring(0, colon) : address;
        if (service.isEmpty() || service.contains("/") || service.contains(";")) {
            return "a discovery endpoint is discovery://service-id or discovery://service-id:port";
        }
        return colon >= 0 ? portProblem(address.substring(colon + 1), false) : null;
    }

    private static String tcpProblem(String address, boolean bind) {
        // A connect may name a source address first: tcp://source:port;host:port
        var target = !bind && address.contains(";") ? address.substring(address.indexOf(';') + 1) : address;
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            return "a tcp endpoint needs host:port";
        }
        var host = target.substring(0, colon);
        var port = target.substring(colon + 1);
        if (host.startsWith("[") != host.endsWith("]")) {
            return "unbalanced brackets around the IPv6 address '" + host + "'";
        }
        return hostPortProblem(host, port, bind, "connect to", "name the host to connect to", "name the port the peer listens on");
    }

    /**
     * The host and port of a tcp or udp endpoint: a bind may use * for both (* port: ephemeral, port 0 too), a connect
     * names both ({@code verb} is what it does, {@code hostFix} and {@code portFix} say what to name instead of *).
     */
    private static String hostPortProblem(String host, String port, boolean bind, String verb, String hostFix, String portFix) {
        if (!bind && host.equals("*")) {
            return "cannot " + verb + " '*': " + hostFix;
        }
        if (port.equals("*")) {
            return bind ? null : "cannot " + verb + " port '*': " + portFix;
        }
        return portProblem(port, bind);
    }

    /** A port number: 1 to 65535 to connect to, and 0 (ephemeral) too for a bind. */
    private static String portProblem(String port, boolean bind) {
        int lowest = bind ? 0 : 1;
        try {
            int p = Integer.parseInt(port);
            if (p < lowest || p > 65535) {
                return "port " + p + " is out of range (" + lowest + " to 65535)";
            }
        } catch (NumberFormatException e) {
            return "'" + port + "' is not a port number" + (bind ? " (use * for an ephemeral port)" : "");
        }
        return null;
    }

    private static void checkSubscriptions(SocketSpec spec, SocketType type) {
        var property = spec.propertyName().apply("subscribe");
        if (type == SocketType.SUB && spec.subscribe().isEmpty()) {
            throw new ZmqConfigurationException(property, List.of(),
                    "a SUB socket without subscriptions receives nothing",
                    "Add topic prefixes to " + property + " (an empty string \"\" subscribes to everything).");
        }
        if (type == SocketType.DISH) {
            // A DISH's subscribe list (@ZmqListener groups) is the groups it joins, each at most 255 bytes.
            for (var group : spec.subscribe()) {
                if (group.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > dev.zmq.Message.MAX_GROUP_LENGTH) {
                    throw new ZmqConfigurationException(property, group, "a DISH group is at most " + dev.zmq.Message.MAX_GROUP_LENGTH
                            + " bytes in UTF-8", "Use a shorter group name.");
                }
            }
            return;
        }
        if (!spec.subscribe().isEmpty() && type != SocketType.SUB && type != SocketType.XSUB) {
            throw new ZmqConfigurationException(property, spec.subscribe(),
                    "only SUB and XSUB sockets subscribe (and DISH sockets join groups), this one is " + type,
                    "Remove " + property + " or change the socket type to SUB.");
        }
    }

    static ValidSocketSpec.OptionValue convertOption(String key, String raw, String property) {
        var option = SocketOption.byName(key).orElseThrow(() -> new ZmqConfigurationException(property, raw,
                "'" + key + "' is not a socket option",
                "Use one of the libzmq option names (case-insensitive, with - or _): " + suggestions(key)
                        + ", ... (every option of dev.zmq.SocketOption that is not read-only)."));
        if (isSecurityOption(option)) {
            // Keys and passwords have their own typed block, checked as a whole (roles, key pairs, files).
            var suffix = "options." + key;
            var block = "plain (role, username, password), curve (role, secret-key or key-file, server-key or server-key-file)"
                    + " and zap-domain";
            var action = property.startsWith("zmq.sockets.") && property.endsWith(suffix)
                    ? "Remove " + property + " and use " + property.substring(0, property.length() - suffix.length()) + "security instead: "
                            + block + "."
                    : "Remove it, declare the socket under zmq.sockets.<name> with a security block (" + block
                            + ") and use @ZmqListener(socket = \"<name>\").";
            throw new ZmqConfigurationException(property, Redacted.of(raw), "security option " + option.name()
                    + " is not set under options but in the security block", action);
        }
        if (option.isReadOnly()) {
            throw new ZmqConfigurationException(property, raw, "option " + option.name() + " is read-only",
                    "Remove " + property + ".");
        }
        try {
            var value = SocketOptionValues.convert(option, raw);
            option.validate(value);
            return new ValidSocketSpec.OptionValue(option, value, property);
        } catch (IllegalArgumentException | ZmqException e) {
            var kind = SocketOptionValues.kindOf(option);
            throw new ZmqConfigurationException(property, raw, e.getMessage(),
                    "Set " + property + " to " + kind.description() + " within the range libzmq allows for "
                            + option.name() + " (default " + defaultText(option) + ").", e);
        }
    }

    /** PLAIN, CURVE and ZAP options: not configurable from the options map. */
    public static boolean isSecurityOption(SocketOption<?> option) {
        return isSecurityOptionName(option.name());
    }

    /** Whether an options key (any case, - or _) names a security option, whose value may be a secret. */
    public static boolean isSecurityOptionName(String key) {
        var name = key.toUpperCase(Locale.ROOT).replace('-', '_');
        return name.startsWith("PLAIN_") || name.startsWith("CURVE_") || name.startsWith("ZAP_");
    }

    private static String defaultText(SocketOption<?> option) {
        var def = option.defaultValue();
        return def instanceof byte[] b ? (b.length == 0 ? "empty" : new String(b, java.nio.charset.StandardCharsets.UTF_8)) : String.valueOf(def);
    }

    /** Writable option names, closest first. */
    static String suggestions(String key) {
        var wanted = key.toUpperCase(Locale.ROOT).replace('-', '_');
        return SocketOption.all().values().stream()
                .filter(o -> !o.isReadOnly())
                .map(SocketOption::name)
                .sorted(Comparator.comparingInt((String n) -> distance(n, wanted)).thenComparing(n -> n))
                .map(n -> n.toLowerCase(Locale.ROOT).replace('_', '-'))
                .limit(5)
                .collect(Collectors.joining(", "));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            var t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
