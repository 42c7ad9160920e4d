package dev.zmq.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps README.md honest: every fenced code block in it is preceded by a marker
 * {@code <!-- snippet: path/in/the/repository#tag -->} and must equal, line for line (indentation
 * aside), the region of that file between {@code tag::tag[]} and {@code end::tag[]} comments
 * (or the whole file without {@code #tag}). Those files are compiled and run by tests or by the
 * samples' integration tests, so the README shows code that works. Shell commands and program
 * output ({@code sh}, {@code text}, {@code json} blocks) are exempt: CI runs the commands.
 */
class ReadmeSnippetsTest {
    private static final java.util.Set<String> EXEMPT = java.util.Set.of("", "sh", "console", "text", "json");
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([^#\\s]+)(?:#(\\S+))? -->");

    /** The snippet plus where README.md says it comes from. */
    record Snippet(int line, String language, String path, String tag, List<String> body) {
    }

    @Test
    void everyReadmeCodeBlockIsQuotedFromCodeThatRuns() throws IOException {
        var root = repositoryRoot();
        var snippets = snippets(Files.readAllLines(root.resolve("README.md")));
        assertFalse(snippets.isEmpty(), "README.md has no code blocks?");
        var problems = new ArrayList<String>();
        for (var s : snippets) {
            if (s.path() == null) {
                problems.add("README.md:" + s.line() + ": code block without a <!-- snippet: path#tag --> marker before it");
                continue;
            }
            var source = root.resolve(s.path());
            if (!Files.isRegularFile(source)) {
                problems.add("README.md:" + s.line() + ": " + s.path() + " does not exist");
                continue;
            }
            var region = region(Files.readAllLines(source), s.tag());
            if (region == null) {
                problems.add("README.md:" + s.line() + ": no region tag::" + s.tag() + "[] ... end::" + s.tag() + "[] in " + s.path());
            } else if (!dedent(region).equals(dedent(s.body()))) {
                problems.add("README.md:" + s.line() + ": differs from " + s.path() + (s.tag() == null ? "" : "#" + s.tag())
                        + "\n--- README\n" + String.join("\n", dedent(s.body())) + "\n--- source\n" + String.join("\n", dedent(region)));
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n\n", problems));
        }
    }

    @Test
    void theCheckerNoticesADifference() {
        var readme = List.of("<!-- snippet: x#t -->", "```java", "  a();", "```");
        var s = snippets(readme).get(0);
        assertEquals("x", s.path());
        assertEquals(List.of("a();"), dedent(s.body()));
        var source = List.of("  // tag::t[]", "    b();", "  // end::t[]");
        assertTrue(!dedent(region(source, "t")).equals(dedent(s.body())));
    }

    static List<Snippet> snippets(List<String> lines) {
        var out = new ArrayList<Snippet>();
        String path = null;
        String tag = null;
        for (int i = 0; i < lines.size(); i++) {
            var line = lines.get(i);
            var m = MARKER.matcher(line.trim());
            if (m.matches()) {
                path = m.group(1);
                tag = m.group(2);
                continue;
            }
            if (line.startsWith("```")) {
                int start = i + 1;
                var body = new ArrayList<String>();
                for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    body.add(lines.get(i));
                }
                var language = line.substring(3).trim();
                if (!EXEMPT.contains(language)) {
                    out.add(new Snippet(start, language, path, tag, body));
                }
                path = null;
                tag = null;
            } else if (!line.isBlank()) {
                path = null; // a marker applies to the very next block only
                tag = null;
            }
        }
        return out;
    }

    static List<String> region(List<String> lines, String tag) {
        if (tag == null) {
            return lines;
        }
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("tag::" + tag + "[]")) {
                from = i + 1;
            } else if (from >= 0 && lines.get(i).contains("end::" + tag + "[]")) {
                return lines.subList(from, i);
            }
        }
        return null;
    }

    static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        var out = new ArrayList<String>();
        for (var l : lines) {
            out.add(l.isBlank() ? "" : l.substring(indent).stripTrailing());
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static Path repositoryRoot() {
        var dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("README.md not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
