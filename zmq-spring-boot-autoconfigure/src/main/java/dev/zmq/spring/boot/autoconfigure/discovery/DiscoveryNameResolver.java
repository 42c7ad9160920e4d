package dev.zmq.spring.boot.autoconfigure.discovery;

import dev.zmq.NameResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Resolves a service id through Spring Cloud's {@link DiscoveryClient}: every instance, at its
 * host, on the port its metadata names ({@code portMetadataKey}), else the endpoint's port. Runs on
 * zmq-core's lookup thread, so a discovery client that blocks (an HTTP registry) blocks no I/O.
 */
public final class DiscoveryNameResolver implements NameResolver {
    private static final System.Logger LOG = System.getLogger(DiscoveryNameResolver.class.getName());

    private final Supplier<DiscoveryClient> client;
    private final String portMetadataKey;

    public DiscoveryNameResolver(Supplier<DiscoveryClient> client, String portMetadataKey) {
        this.client = client;
        this.portMetadataKey = portMetadataKey;
    }

    @Override
    public List<InetSocketAddress> resolve(String serviceId, int port) throws IOException {
        var discovery = client.get();
        if (discovery == null) {
            throw new IOException("no DiscoveryClient bean: add a discovery client (Kubernetes, Consul, Eureka, or"
                    + " spring.cloud.discovery.client.simple.instances) to resolve discovery://" + serviceId);
        }
        List<ServiceInstance> instances;
        try {
            instances = discovery.getInstances(serviceId);
        } catch (RuntimeException e) {
            throw new IOException("DiscoveryClient failed for service '" + serviceId + "': " + e.getMessage(), e);
        }
        var out = new ArrayList<InetSocketAddress>(instances.size());
        for (var instance : instances) {
            int instancePort = port(instance, port);
            try {
                for (var address : InetAddress.getAllByName(instance.getHost())) {
                    out.add(new InetSocketAddress(address, instancePort));
                    break; // one address per instance: the instance is one peer
                }
            } catch (UnknownHostException e) {
                LOG.log(System.Logger.Level.WARNING, () -> "instance " + instance.getInstanceId() + " of '" + serviceId
                        + "' skipped: cannot resolve its host " + instance.getHost());
            }
        }
        return out;
    }

    private int port(ServiceInstance instance, int fallback) {
        var metadata = instance.getMetadata();
        var value = metadata == null ? null : metadata.get(portMetadataKey);
        if (value != null) {
            try {
                int p = Integer.parseInt(value.trim());
                if (p > 0 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the endpoint's port
            }
            LOG.log(System.Logger.Level.WARNING, () -> "instance " + instance.getInstanceId() + ": metadata " + portMetadataKey
                    + "=" + value + " is not a port; using " + fallback);
        }
        return fallback;
    }
}
