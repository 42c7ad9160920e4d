package dev.zmq.spring.listener;

import java.lang.reflect.Method;
import org.springframework.core.CoroutinesUtils;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * A listener method that is a Kotlin {@code suspend} function: called through Spring's {@link CoroutinesUtils}, as
 * Spring Framework calls suspending handler methods, so that the invocation gives a {@code Mono} of the function's
 * result (empty for {@code Unit}), which the container awaits like any asynchronous result (up to
 * {@code zmq.listener.async-reply-timeout}, cancelling the coroutine when that passes). The trailing
 * {@code Continuation} parameter is resolved to null and left out by {@code CoroutinesUtils}.
 */
final class SuspendingInvocableHandlerMethod extends InvocableHandlerMethod {

    SuspendingInvocableHandlerMethod(Object bean, Method method) {
        super(bean, method);
    }

    @Override
    protected Object doInvoke(Object... args) throws Exception {
        return CoroutinesUtils.invokeSuspendingFunction(getBridgedMethod(), getBean(), args);
    }
}
