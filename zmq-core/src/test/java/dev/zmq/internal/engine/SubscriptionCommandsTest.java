package dev.zmq.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketType;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Subscriptions between the socket's 0x01/0x00-prefixed messages and ZMTP's commands, both ways. */
class SubscriptionCommandsTest {

    @Test
    void aDishJoinsAndLeavesWithCommands() throws Exception {
        var dish = new SubscriptionCommands(SocketType.DISH);
        assertTrue(dish.translatesOutbound());
        var join = assertInstanceOf(Command.Other.class, Command.decode(dish.toCommand(bytes("\u0001weather"))));
        assertEquals("JOIN", join.name());
        assertArrayEquals(bytes("weather"), join.data());
        var leave = assertInstanceOf(Command.Other.class, Command.decode(dish.toCommand(bytes("\u0000weather"))));
        assertEquals("LEAVE", leave.name());
        assertNull(dish.toCommand(bytes("\u0002other")), "not a join or leave: goes as a message");
        assertNull(dish.toCommand(new byte[0]));
    }

    @Test
    void aSubscriberSendsCommandsOnlyToZmtp31Peers() throws Exception {
        var sub = new SubscriptionCommands(SocketType.SUB);
        assertFalse(sub.translatesOutbound(), "before the greeting, and to ZMTP 3.0 peers, subscriptions are messages");
        sub.peerSpeaks31(false);
        assertFalse(sub.translatesOutbound());
        sub.peerSpeaks31(true);
        assertTrue(sub.translatesOutbound());
        var subscribe = assertInstanceOf(Command.Other.class, Command.decode(sub.toCommand(bytes("\u0001topic"))));
        assertEquals("SUBSCRIBE", subscribe.name());
        assertArrayEquals(bytes("topic"), subscribe.data());
        var cancel = assertInstanceOf(Command.Other.class, Command.decode(sub.toCommand(bytes("\u0000"))));
        assertEquals("CANCEL", cancel.name());
        assertArrayEquals(new byte[0], cancel.data());

        var push = new SubscriptionCommands(SocketType.PUSH);
        push.peerSpeaks31(true);
        assertFalse(push.translatesOutbound(), "only SUB/XSUB and DISH send subscription commands");
    }

    @Test
    void aPublisherTakesSubscribeAndCancelAsMessages() throws Exception {
        for (var type : new SocketType[] {SocketType.PUB, SocketType.XPUB}) {
            var pub = new SubscriptionCommands(type);
            assertArrayEquals(bytes("\u0001abc"), pub.toMessage(new Command.Other("SUBSCRIBE", bytes("abc"))));
            assertArrayEquals(bytes("\u0000abc"), pub.toMessage(new Command.Other("CANCEL", bytes("abc"))));
            assertNull(pub.toMessage(new Command.Other("JOIN", bytes("abc"))), "JOIN is for a RADIO");
        }
        assertNull(new SubscriptionCommands(SocketType.PULL).toMessage(new Command.Other("SUBSCRIBE", bytes("abc"))));
    }

    @Test
    void aRadioTakesJoinAndLeaveAsMessagesWithinTheGroupLimit() throws Exception {
        var radio = new SubscriptionCommands(SocketType.RADIO);
        assertArrayEquals(bytes("\u0001g"), radio.toMessage(new Command.Other("JOIN", bytes("g"))));
        assertArrayEquals(bytes("\u0000g"), radio.toMessage(new Command.Other("LEAVE", bytes("g"))));
        assertNull(radio.toMessage(new Command.Other("SUBSCRIBE", bytes("g"))), "SUBSCRIBE is for a PUB");
        var e = assertThrows(ZmtpProtocolException.class, () -> radio.toMessage(new Command.Other("JOIN", new byte[256])));
        assertTrue(e.getMessage().contains("at most 255"), e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
