import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Oracle answers, with the real java.util.regex, the questions the Go tests of
 * internal/javaregex ask. It reads one JSON object per line on stdin,
 * {"p": pattern, "in": [input, ...]}, and writes one JSON object per line:
 * {"err": description, "idx": index} when the pattern does not compile, or
 * {"m": [matches()...], "f": [find()...]} when it does. One JVM serves a whole
 * test run, so the oracle flushes after every line.
 */
public final class Oracle {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                continue;
            }
            Parser p = new Parser(line);
            String pattern = null;
            List<String> inputs = new ArrayList<>();
            p.expect('{');
            while (true) {
                p.ws();
                if (p.peek() == '}') {
                    p.pos++;
                    break;
                }
                String key = p.string();
                p.expect(':');
                if (key.equals("p")) {
                    pattern = p.string();
                } else if (key.equals("in")) {
                    p.expect('[');
                    p.ws();
                    if (p.peek() == ']') {
                        p.pos++;
                    } else {
                        while (true) {
                            inputs.add(p.string());
                            p.ws();
                            char c = p.s.charAt(p.pos++);
                            if (c == ']') {
                                break;
                            }
                        }
                    }
                }
                p.ws();
                if (p.peek() == ',') {
                    p.pos++;
                }
            }
            out.println(answer(pattern, inputs));
            out.flush();
        }
    }

    static String answer(String pattern, List<String> inputs) {
        Pattern re;
        try {
            re = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            return "{\"err\":" + quote(e.getDescription()) + ",\"idx\":" + e.getIndex() + "}";
        } catch (RuntimeException | StackOverflowError e) {
            return "{\"err\":" + quote("exception: " + e) + ",\"idx\":-2}";
        }
        StringBuilder m = new StringBuilder();
        StringBuilder f = new StringBuilder();
        try {
            for (String s : inputs) {
                if (m.length() > 0) {
                    m.append(',');
                    f.append(',');
                }
                Matcher mt = re.matcher(s);
                m.append(mt.matches());
                mt.reset();
                f.append(mt.find());
            }
        } catch (RuntimeException | StackOverflowError e) {
            return "{\"err\":" + quote("exception while matching: " + e) + ",\"idx\":-3}";
        }
        return "{\"m\":[" + m + "],\"f\":[" + f + "]}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Parser reads the small subset of JSON that the Go tests write. */
    static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            return s.charAt(pos);
        }

        void ws() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        void expect(char c) {
            ws();
            if (s.charAt(pos) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + pos + " in " + s);
            }
            pos++;
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u':
                        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                        break;
                    default: b.append(e);
                }
            }
        }
    }
}
