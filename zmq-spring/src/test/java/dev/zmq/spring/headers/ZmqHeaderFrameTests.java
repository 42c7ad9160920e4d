package dev.zmq.spring.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZmqHeaderFrameTests {

    @Test
    void headersSurviveTheRoundTripInOrderWithUnicodeValues() {
        var headers = new LinkedHashMap<String, String>();
        headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        headers.put("contentType", "application/json");
        headers.put("note", "thé ☕");
        headers.put("empty", "");
        var frame = ZmqHeaderFrame.encode(headers);
        assertThat(ZmqHeaderFrame.isHeaderFrame(frame)).isTrue();
        assertThat(ZmqHeaderFrame.decode(frame)).containsExactlyEntriesOf(headers);
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        var frame = ZmqHeaderFrame.encode(Map.of("ab", "xyz"));
        assertThat(frame).containsExactly(0xFF - 256, 'Z', 'H', 1, 2, 'a', 'b', 0, 0, 0, 3, 'x', 'y', 'z');
    }

    @Test
    void textAndJsonAreNeverTakenForAHeaderFrame() {
        assertThat(ZmqHeaderFrame.isHeaderFrame("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(ZmqHeaderFrame.isHeaderFrame(new byte[0])).isFalse();
        assertThatThrownBy(() -> ZmqHeaderFrame.decode("hello".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a header frame");
    }

    @Test
    void truncatedOrLyingFramesAreRejectedWithTheProblemNamed() {
        var frame = ZmqHeaderFrame.encode(Map.of("name", "value"));
        assertThatThrownBy(() -> ZmqHeaderFrame.decode(Arrays.copyOf(frame, frame.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name' claims 5 bytes; 4 remain");
        assertThatThrownBy(() -> ZmqHeaderFrame.decode(Arrays.copyOf(frame, 7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Truncated");
        assertThatThrownBy(() -> ZmqHeaderFrame.encode(Map.of("", "x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
