package dev.zmq.internal.pattern;

import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A byte-wise prefix trie with one value per key. Children are kept in a small array covering the
 * range of child bytes actually used, so sparse nodes (most of them, for topics) stay small while
 * matching walks one array index per byte of the message.
 *
 * @param <V> the value kept at a key
 */
final class PrefixTrie<V> {
    private static final class Node<V> {
        V value;
        int min;
        Node<V>[] next;
        int children;
    }

    private final Node<V> root = new Node<>();

    /** The value at {@code key}, or null. */
    V get(byte[] key) {
        var node = find(key);
        return node == null ? null : node.value;
    }

    /** Sets the value at {@code key}; null removes it (and prunes empty nodes). */
    void put(byte[] key, V value) {
        if (value == null) {
            remove(key);
            return;
        }
        var node = root;
        for (byte b : key) {
            node = child(node, b & 0xFF, true);
        }
        node.value = value;
    }

    /** Calls {@code action} with the value of every key that is a prefix of {@code data} (the empty key included). */
    void forEachPrefixOf(byte[] data, Consumer<V> action) {
        var node = root;
        if (node.value != null) {
            action.accept(node.value);
        }
        for (byte b : data) {
            node = child(node, b & 0xFF, false);
            if (node == null) {
                return;
            }
            if (node.value != null) {
                action.accept(node.value);
            }
        }
    }

    /** Whether some key with a value is a prefix of {@code data}. */
    boolean hasPrefixOf(byte[] data) {
        var node = root;
        if (node.value != null) {
            return true;
        }
        for (byte b : data) {
            node = child(node, b & 0xFF, false);
            if (node == null) {
                return false;
            }
            if (node.value != null) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code action} with every key and its value. */
    void forEach(BiConsumer<byte[], V> action) {
        walk(root, new byte[16], 0, action);
    }

    private void walk(Node<V> node, byte[] path, int depth, BiConsumer<byte[], V> action) {
        if (node.value != null) {
            action.accept(Arrays.copyOf(path, depth), node.value);
        }
        if (node.next == null) {
            return;
        }
        if (depth == path.length) {
            path = Arrays.copyOf(path, depth * 2);
        }
        for (int i = 0; i < node.next.length; i++) {
            var c = node.next[i];
            if (c != null) {
                path[depth] = (byte) (node.min + i);
                walk(c, path, depth + 1, action);
            }
        }
    }

    private Node<V> find(byte[] key) {
        var node = root;
        for (byte b : key) {
            node = child(node, b & 0xFF, false);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private void remove(byte[] key) {
        removeFrom(root, key, 0);
    }

    /** Clears the value at key; returns whether {@code node} became empty and can be unlinked. */
    private boolean removeFrom(Node<V> node, byte[] key, int depth) {
        if (depth == key.length) {
            node.value = null;
        } else {
            int b = key[depth] & 0xFF;
            var c = child(node, b, false);
            if (c == null) {
                return false;
            }
            if (removeFrom(c, key, depth + 1)) {
                node.next[b - node.min] = null;
                if (--node.children == 0) {
                    node.next = null;
                }
            }
        }
        return node != root && node.value == null && node.children == 0;
    }

    @SuppressWarnings("unchecked")
    private Node<V> child(Node<V> node, int b, boolean create) {
        var next = node.next;
        if (next != null) {
            int idx = b - node.min;
            if (idx >= 0 && idx < next.length && next[idx] != null) {
                return next[idx];
            }
        }
        if (!create) {
            return null;
        }
        if (next == null) {
            node.next = next = new Node[1];
            node.min = b;
        } else if (b < node.min) {
            var grown = new Node[next.length + (node.min - b)];
            System.arraycopy(next, 0, grown, node.min - b, next.length);
            node.next = next = grown;
            node.min = b;
        } else if (b - node.min >= next.length) {
            node.next = next = Arrays.copyOf(next, b - node.min + 1);
        }
        var c = new Node<V>();
        next[b - node.min] = c;
        node.children++;
        return c;
    }
}
