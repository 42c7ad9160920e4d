package dev.zmq.spring.socket;

import dev.zmq.NameResolver;
import java.util.OptionalInt;

/**
 * A scheme of connect endpoints whose names a {@link NameResolver} of its own resolves, such as
 * {@code discovery://orders-service}: the socket connects to every address the resolver finds for
 * the name (CONNECT_ALL_ADDRESSES) and follows it as it changes. The Spring Boot starter registers
 * one for Spring Cloud's DiscoveryClient; an application may declare others as beans.
 */
public interface ZmqConnectScheme {

    /** The scheme, without {@code ://}, e.g. {@code discovery}. */
    String scheme();

    /** Resolves the name of an endpoint of this scheme (the service id) to addresses with ports. */
    NameResolver resolver();

    /** The port an endpoint without one gets, unless the resolver gives each address its own; empty if none. */
    OptionalInt defaultPort();
}
