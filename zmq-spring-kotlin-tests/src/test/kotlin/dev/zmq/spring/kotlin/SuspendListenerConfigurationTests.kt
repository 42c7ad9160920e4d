package dev.zmq.spring.kotlin

import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration
import dev.zmq.spring.config.ZmqConfigurationException
import dev.zmq.spring.listener.ZmqListener
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.FilteredClassLoader
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.messaging.converter.StringMessageConverter
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory

class Echo {
    @ZmqListener(id = "echo", type = "REP", bind = ["tcp://127.0.0.1:*"])
    suspend fun echo(text: String): String = text
}

/** What fails startup, and how it says so, when a suspend listener cannot be called as one. */
@Timeout(60)
class SuspendListenerConfigurationTests {
    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration::class.java, ZmqSocketAutoConfiguration::class.java,
            ZmqListenerAutoConfiguration::class.java))
        .withBean(Echo::class.java)

    private fun cause(failure: Throwable?): ZmqConfigurationException {
        var t = failure
        while (t != null) {
            if (t is ZmqConfigurationException) {
                return t
            }
            t = t.cause
        }
        throw AssertionError("no ZmqConfigurationException in $failure", failure)
    }

    @Test
    fun withoutTheCoroutinesReactorBridgeStartupFailsNamingTheDependency() {
        runner.withClassLoader(FilteredClassLoader("kotlinx.coroutines.reactor")).run { ctx ->
            assertThat(ctx).hasFailed()
            val cause = cause(ctx.startupFailure)
            assertThat(cause.property()).isEqualTo("suspend listener Echo.echo()")
            assertThat(cause.value()).isEqualTo("kotlinx.coroutines.reactor.MonoKt")
            assertThat(cause.action()).contains("org.jetbrains.kotlinx:kotlinx-coroutines-reactor")
        }
    }

    @Test
    fun aHandlerMethodFactoryThatCannotCallSuspendFunctionsFailsStartup() {
        runner.withBean("zmqHandlerMethodFactory", DefaultMessageHandlerMethodFactory::class.java, {
            DefaultMessageHandlerMethodFactory().apply { setMessageConverter(StringMessageConverter()) }
        }).run { ctx ->
            assertThat(ctx).hasFailed()
            val cause = cause(ctx.startupFailure)
            assertThat(cause.property()).isEqualTo("@ZmqListener on Echo.echo()")
            assertThat(cause.problem()).contains("ZmqMessageHandlerMethodFactory")
        }
    }
}
