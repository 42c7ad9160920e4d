package dev.zmq.spring.listener;

/**
 * Registers listeners in code, as spring-kafka's {@code KafkaListenerConfigurer}: every bean of this
 * type is called once the singletons exist, before the listeners start, with the registrar that
 * also receives the {@code @ZmqListener} methods.
 *
 * <pre>{@code
 * @Bean
 * ZmqListenerConfigurer auditListener(Audit audit) {
 *     return registrar -> registrar.registerEndpoint(MethodZmqListenerEndpoint.of("audit", audit,
 *             ReflectionUtils.findMethod(Audit.class, "record", String.class), "audit-in"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ZmqListenerConfigurer {

    /** Registers endpoints with {@code registrar}, and may set its default container factory. */
    void configureZmqListeners(ZmqListenerEndpointRegistrar registrar);
}
