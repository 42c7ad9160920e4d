package dev.zmq.spring.socket;

import dev.zmq.NameResolver;
import dev.zmq.spring.config.ZmqConfigurationException;
import java.util.List;

/**
 * What a configured connect endpoint means for zmq-core: a plain endpoint ({@code tcp://host:port},
 * {@code ipc://...}), or one that follows a name: {@code dns+tcp://host:port} (every address DNS
 * gives for host, with the socket's resolver) or {@code <scheme>://name[:port]} of a
 * {@link ZmqConnectScheme} (every address its resolver gives).
 *
 * @param configured the endpoint as configured
 * @param endpoint the endpoint zmq-core connects to
 * @param followsName whether the connect uses CONNECT_ALL_ADDRESSES
 * @param resolver the resolver for this connect, null for the socket's own
 */
record ConnectTarget(String configured, String endpoint, boolean followsName, NameResolver resolver) {
    static final String DNS_TCP = "dns+tcp://";

    static ConnectTarget of(String configured, List<ZmqConnectScheme> schemes, String property) {
        if (configured.startsWith(DNS_TCP)) {
            return new ConnectTarget(configured, "tcp://" + configured.substring(DNS_TCP.length()), true, null);
        }
        int sep = configured.indexOf("://");
        var scheme = sep > 0 ? configured.substring(0, sep) : "";
        for (var s : schemes) {
            if (s.scheme().equals(scheme)) {
                var name = configured.substring(sep + 3);
                var port = name.contains(":") ? name.substring(name.lastIndexOf(':') + 1) : null;
                if (port == null) {
                    var fallback = s.defaultPort();
                    if (fallback.isEmpty()) {
                        throw new ZmqConfigurationException(property, configured, "no port for " + configured,
                                "Add the port (" + configured + ":5557) or set zmq.discovery.default-port; a port in an instance's"
                                        + " metadata still wins.");
                    }
                    name = name + ":" + fallback.getAsInt();
                }
                return new ConnectTarget(configured, "tcp://" + name, true, s.resolver());
            }
        }
        if (scheme.equals(SocketSpecValidator.DISCOVERY)) {
            throw new ZmqConfigurationException(property, configured, "discovery:// endpoints need Spring Cloud's DiscoveryClient",
                    "Add org.springframework.cloud:spring-cloud-commons and a discovery client (Kubernetes, Consul, Eureka, or the"
                            + " simple one from properties) to the application, or connect to tcp:// or dns+tcp:// endpoints.");
        }
        return new ConnectTarget(configured, configured, false, null);
    }
}
