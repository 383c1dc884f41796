// Oracle is the reference side of gwc's differential tests: it renders
// templates with Apache Velocity 1.7 and evaluates JSONPath with Jayway
// JsonPath, the engines API Gateway is built on. It is test tooling only,
// never linked into gwc.
//
// Protocol: one JSON request per line on stdin, one JSON response per line
// on stdout, in order, so one JVM serves a whole test run.
//
//   {"op":"vtl","template":"...","context":{...}}
//       -> {"ok":true,"out":"..."} or {"ok":false,"error":"..."}
//   {"op":"vtl-fresh",...}  as "vtl", in a new engine that has seen no other template
//   {"op":"jsonpath","path":"$.a","doc":"{...}"}
//       -> {"ok":true,"str":"<String.valueOf(result)>","json":"<JSON of result>","type":"<class>"}
//   {"op":"escapejs","s":"..."}  -> {"ok":true,"out":"<commons-lang escapeJavaScript>"}
//   {"op":"bench","template":"...","context":{...},"body":"...","iterations":N}
//       -> {"ok":true,"out":"...","nsPerOp":N,"cpuNsPerOp":N}   (context is the $context tree)
//
// Context values are built from JSON: objects become LinkedHashMap, arrays
// ArrayList, integers Integer (or Long when they do not fit), fractions
// Double. A context key "__json__" names keys whose value is a JSON text to
// expose the way API Gateway's $input.path does (Jayway over json-smart).
import java.io.*;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.*;

import com.jayway.jsonpath.JsonPath;
import net.minidev.json.JSONValue;
import org.apache.commons.lang.StringEscapeUtils;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.log.NullLogChute;

public class Oracle {
    static long cases;

    public static void main(String[] args) throws Exception {
        VelocityEngine engine = newEngine();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) continue;
            Map<String, Object> resp = new LinkedHashMap<>();
            try {
                Map<?, ?> req = (Map<?, ?>) JSONValue.parseKeepingOrder(line);
                handle(engine, req, resp);
            } catch (Throwable t) {
                resp.clear();
                resp.put("ok", false);
                resp.put("error", t.getClass().getSimpleName() + ": " + t.getMessage());
            }
            out.println(JSONValue.toJSONString(resp));
            out.flush();
        }
    }

    static VelocityEngine newEngine() throws Exception {
        VelocityEngine engine = new VelocityEngine();
        engine.setProperty(RuntimeConstants.RUNTIME_LOG_LOGSYSTEM_CLASS, NullLogChute.class.getName());
        // API Gateway caps loops at 1,000 iterations.
        engine.setProperty("directive.foreach.maxloops", "1000");
        // Each case is its own template with its own macros, as each API
        // Gateway mapping template is.
        engine.setProperty("velocimacro.permissions.allow.inline.local.scope", "true");
        engine.init();
        return engine;
    }

    static void handle(VelocityEngine engine, Map<?, ?> req, Map<String, Object> resp) throws Exception {
        String op = (String) req.get("op");
        switch (op) {
            case "vtl": {
                VelocityContext ctx = context(req.get("context"));
                StringWriter w = new StringWriter();
                engine.evaluate(ctx, w, "t" + (++cases), (String) req.get("template"));
                resp.put("ok", true);
                resp.put("out", w.toString());
                break;
            }
            case "vtl-fresh": {
                // As "vtl", in an engine that has seen no other template:
                // what each API Gateway template sees.
                VelocityContext ctx = context(req.get("context"));
                StringWriter w = new StringWriter();
                newEngine().evaluate(ctx, w, "fresh", (String) req.get("template"));
                resp.put("ok", true);
                resp.put("out", w.toString());
                break;
            }
            case "jsonpath": {
                Object result = JsonPath.read((String) req.get("doc"), (String) req.get("path"));
                resp.put("ok", true);
                resp.put("str", String.valueOf(result));
                resp.put("json", JSONValue.toJSONString(result));
                resp.put("type", result == null ? "null" : result.getClass().getName());
                break;
            }
            case "escapejs": {
                resp.put("ok", true);
                resp.put("out", StringEscapeUtils.escapeJavaScript((String) req.get("s")));
                break;
            }
            case "bench": {
                String template = (String) req.get("template");
                int n = ((Number) req.get("iterations")).intValue();
                String out = null;
                // Warm up the JIT, then measure; parsing is excluded as in gwc,
                // whose runtime parses once at load.
                org.apache.velocity.Template t = parsed(engine, template);
                Object ctxTree = javaValue(req.get("context"));
                String body = (String) req.get("body");
                for (int i = 0; i < n; i++) out = renderOnce(t, ctxTree, body);
                // The CPU time of this thread is measured beside the wall
                // time: on a shared machine it counts only this work.
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpuStart = mx.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) out = renderOnce(t, ctxTree, body);
                long ns = (System.nanoTime() - start) / n;
                long cpuNs = (mx.getCurrentThreadCpuTime() - cpuStart) / n;
                resp.put("ok", true);
                resp.put("out", out);
                resp.put("nsPerOp", ns);
                resp.put("cpuNsPerOp", cpuNs);
                break;
            }
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }

    static org.apache.velocity.Template parsed(VelocityEngine engine, String src) throws Exception {
        org.apache.velocity.runtime.RuntimeInstance ri = new org.apache.velocity.runtime.RuntimeInstance();
        ri.setProperty(RuntimeConstants.RUNTIME_LOG_LOGSYSTEM_CLASS, NullLogChute.class.getName());
        ri.init();
        org.apache.velocity.Template t = new org.apache.velocity.Template();
        t.setRuntimeServices(ri);
        t.setData(ri.parse(new StringReader(src), "bench"));
        t.initDocument();
        return t;
    }

    // renderOnce renders the benchmark template as API Gateway would for one
    // request: a fresh context, the body parsed by Jayway on first use.
    static String renderOnce(org.apache.velocity.Template t, Object ctxTree, String body) throws Exception {
        VelocityContext ctx = new VelocityContext();
        ctx.put("context", ctxTree);
        ctx.put("input", new BenchInput(body));
        ctx.put("util", new BenchUtil());
        StringWriter w = new StringWriter(4096);
        t.merge(ctx, w);
        return w.toString();
    }

    static VelocityContext context(Object json) {
        VelocityContext ctx = new VelocityContext();
        if (json instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
                ctx.put((String) e.getKey(), javaValue(e.getValue()));
            }
        }
        return ctx;
    }

    // javaValue converts json-smart's parse result into plain Java collections,
    // so that maps print as {k=v} and lists as [a, b] as Velocity users see them.
    static Object javaValue(Object v) {
        if (v instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) m.put((String) e.getKey(), javaValue(e.getValue()));
            return m;
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object o : (List<?>) v) l.add(javaValue(o));
            return l;
        }
        if (v instanceof BigDecimal) return ((BigDecimal) v).doubleValue();
        if (v instanceof Float) return ((Float) v).doubleValue();
        if (v instanceof BigInteger) return ((BigInteger) v).longValue();
        return v;
    }

    // BenchInput is the small subset of API Gateway's $input the benchmark
    // template uses, built on Jayway as API Gateway's is.
    public static class BenchInput {
        private final String body;
        private final Object doc;

        BenchInput(String body) {
            this.body = body;
            this.doc = com.jayway.jsonpath.Configuration.defaultConfiguration().jsonProvider().parse(body);
        }

        public String getBody() { return body; }

        public Object path(String p) {
            try { return JsonPath.read(doc, p); } catch (Exception e) { return null; }
        }

        public String json(String p) {
            return JSONValue.toJSONString(path(p));
        }

        public String params(String name) {
            return "User-Agent".equals(name) ? "curl/8.5" : "";
        }
    }

    // BenchUtil is the subset of API Gateway's $util the benchmark uses.
    public static class BenchUtil {
        public String escapeJavaScript(String s) { return StringEscapeUtils.escapeJavaScript(s); }
    }
}
