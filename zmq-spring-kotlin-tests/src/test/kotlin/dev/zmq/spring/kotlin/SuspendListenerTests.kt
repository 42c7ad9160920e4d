package dev.zmq.spring.kotlin

import dev.zmq.Message
import dev.zmq.SocketOption
import dev.zmq.SocketType
import dev.zmq.ZmqContext
import dev.zmq.ZmqSocket
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration
import dev.zmq.spring.boot.test.ZmqListenerTestHarness
import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer
import dev.zmq.spring.core.ZmqErrorReply
import dev.zmq.spring.listener.ZmqHandler
import dev.zmq.spring.listener.ZmqListener
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration
import org.springframework.boot.test.context.assertj.AssertableApplicationContext
import org.springframework.boot.test.context.runner.ApplicationContextRunner

@JvmRecord
data class Order(val item: String, val quantity: Int)

/** Suspend functions as listeners: the container awaits the coroutine, whose result is the reply. */
class Listeners {
    val flakyCalls = AtomicInteger()
    val sunk = CopyOnWriteArrayList<String>()
    val cancelled = CountDownLatch(1)

    /** Suspends, then computes the reply on another dispatcher: the reply is the coroutine's result. */
    @ZmqListener(id = "quotes", type = "REP", bind = ["tcp://127.0.0.1:*"])
    suspend fun quote(order: Order): String {
        delay(10)
        return withContext(Dispatchers.Default) {
            "${order.quantity} ${order.item} cost ${order.quantity * 3} (on ${Thread.currentThread().name.substringBefore('-')})"
        }
    }

    /** Fails twice after suspending, then succeeds: the failures take the retry path like a plain method's. */
    @ZmqListener(id = "flaky", type = "REP", bind = ["tcp://127.0.0.1:*"], maxAttempts = "3", backoff = "1ms")
    suspend fun flaky(text: String): String {
        delay(5)
        if (flakyCalls.incrementAndGet() < 3) {
            throw IllegalStateException("not yet")
        }
        return "$text after ${flakyCalls.get()} calls"
    }

    /** Always fails: retried, then the requester gets an error reply. */
    @ZmqListener(id = "broken", type = "REP", bind = ["tcp://127.0.0.1:*"], maxAttempts = "2", backoff = "1ms")
    suspend fun broken(text: String): String {
        delay(5)
        throw IllegalArgumentException("cannot $text")
    }

    /** Takes longer than zmq.listener.async-reply-timeout: the coroutine is cancelled and a TIMEOUT error answered. */
    @ZmqListener(id = "slow", type = "REP", bind = ["tcp://127.0.0.1:*"])
    suspend fun slow(text: String): String {
        try {
            delay(60_000)
            return "too late"
        } catch (e: CancellationException) {
            cancelled.countDown()
            throw e
        }
    }

    /** A suspend function returning Unit on a PULL socket. */
    @ZmqListener(id = "sink", type = "PULL", bind = ["tcp://127.0.0.1:*"])
    suspend fun sink(text: String) {
        delay(5)
        sunk.add(text)
    }
}

/** A class-level listener whose handlers suspend. */
@ZmqListener(id = "desk", type = "REP", bind = ["tcp://127.0.0.1:*"])
class Desk {
    @ZmqHandler
    suspend fun order(order: Order): String {
        delay(5)
        return "order of ${order.item}"
    }

    @ZmqHandler
    suspend fun text(text: String): String {
        delay(5)
        return text.uppercase()
    }
}

@Timeout(60)
class SuspendListenerTests {
    private val runner = ApplicationContextRunner()
        .withInitializer(ZmqTestEndpointsInitializer())
        .withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration::class.java, ZmqSocketAutoConfiguration::class.java,
            ZmqListenerAutoConfiguration::class.java, JacksonAutoConfiguration::class.java))
        .withBean(Listeners::class.java)
        .withBean(Desk::class.java)
        .withBean(ZmqListenerTestHarness::class.java)
        .withPropertyValues("zmq.listener.async-reply-timeout=300ms")

    private fun requester(ctx: AssertableApplicationContext, listenerId: String): ZmqSocket {
        val endpoint = ctx.environment.getProperty("local.zmq.$listenerId.endpoint")
        assertThat(endpoint).`as`("local.zmq.%s.endpoint", listenerId).startsWith("tcp://127.0.0.1:")
        val socket = ctx.getBean(ZmqContext::class.java).socket(SocketType.REQ)
        socket.set(SocketOption.LINGER, 0)
        socket.set(SocketOption.RCVTIMEO, 10_000)
        socket.connect(endpoint)
        return socket
    }

    @Test
    fun theReplyIsTheResultOfTheCoroutineComputedOnAnotherDispatcher() {
        runner.run { ctx ->
            requester(ctx, "quotes").use { req ->
                req.send("""{"item":"tea","quantity":4}""")
                assertThat(req.recvString()).isEqualTo("4 tea cost 12 (on DefaultDispatcher)")
                req.send("""{"item":"cake","quantity":1}""")
                assertThat(req.recvString()).isEqualTo("1 cake cost 3 (on DefaultDispatcher)")
            }
        }
    }

    @Test
    fun aSuspendFunctionThatThrowsIsRetriedAndThenAnsweredWithAnErrorReply() {
        runner.run { ctx ->
            val harness = ctx.getBean(ZmqListenerTestHarness::class.java)
            requester(ctx, "flaky").use { req ->
                req.send("done")
                assertThat(req.recvString()).isEqualTo("done after 3 calls")
            }
            assertThat(harness.await("flaky", 1, Duration.ofSeconds(10)).single().attempts()).isEqualTo(3)

            requester(ctx, "broken").use { req ->
                req.send("pay")
                val reply = req.recv()
                assertThat(ZmqErrorReply.isErrorReply(reply)).`as`("error reply %s", reply).isTrue()
                assertThat(reply.frameString(1)).isEqualTo(ZmqErrorReply.INTERNAL)
            }
            val call = harness.await("broken", 1, Duration.ofSeconds(10)).single()
            assertThat(call.attempts()).isEqualTo(2)
            assertThat(call.failure()).isInstanceOf(IllegalArgumentException::class.java).hasMessage("cannot pay")
            val outcomes = ctx.getBean(dev.zmq.spring.listener.ZmqListenerEndpointRegistry::class.java)
                .getListenerContainer("broken").outcomes
            assertThat(outcomes.recovered()).isEqualTo(1)
            assertThat(outcomes.retries()).isEqualTo(1)
        }
    }

    @Test
    fun aCoroutineThatOutlivesTheAsyncReplyTimeoutIsCancelledAndAnsweredWithTimeout() {
        runner.run { ctx ->
            requester(ctx, "slow").use { req ->
                req.send("wait")
                val reply = req.recv()
                assertThat(ZmqErrorReply.isErrorReply(reply)).`as`("error reply %s", reply).isTrue()
                assertThat(reply.frameString(1)).isEqualTo(ZmqErrorReply.TIMEOUT)
            }
            assertThat(ctx.getBean(Listeners::class.java).cancelled.await(10, TimeUnit.SECONDS)).`as`("coroutine cancelled").isTrue()
        }
    }

    @Test
    fun unitSuspendListenersAndSuspendingHandlersOfAClassLevelListenerWork() {
        runner.run { ctx ->
            val harness = ctx.getBean(ZmqListenerTestHarness::class.java)
            val push = ctx.getBean(ZmqContext::class.java).socket(SocketType.PUSH)
            push.use {
                it.set(SocketOption.LINGER, 1000)
                it.connect(ctx.environment.getProperty("local.zmq.sink.endpoint")!!)
                it.send(Message.of("first"))
                it.send(Message.of("second"))
            }
            harness.await("sink", 2, Duration.ofSeconds(10))
            assertThat(ctx.getBean(Listeners::class.java).sunk).containsExactly("first", "second")

            requester(ctx, "desk").use { req ->
                req.send("""{"item":"tea","quantity":1}""")
                assertThat(req.recvString()).isEqualTo("order of tea")
                req.send("hello")
                assertThat(req.recvString()).isEqualTo("HELLO")
            }
        }
    }
}
