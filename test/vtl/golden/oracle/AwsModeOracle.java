import java.nio.file.*;
import java.util.*;
import java.io.StringWriter;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;

// The shared Velocity oracle (../shared/tools/vtl-oracle/VtlOracle.java) with API Gateway's observed behaviour
// where it differs from plain Velocity (see ../AWS-DIFFERENCES.md):
//  1. a null reference renders as nothing: a ReferenceInsertionEventHandler turns a null value into "";
//  2. $input.path() returns what Jayway JsonPath returns over json-smart (API Gateway's stack): objects are
//     LinkedHashMaps, arrays are json-smart JSONArrays, which print as JSON text;
//  3. an empty body is read as the empty object {}: $input.body is "{}", and $input.path() / $input.json() read {};
//  4. a null argument to a $util function gives null, where plain Java would throw NullPointerException.
// Same case format and output format as VtlOracle.
public class AwsModeOracle {
  public static class AwsInput extends VtlOracle.Input {
    public AwsInput(String body, Map<String,Object> params) { super(body == null || body.isEmpty() ? "{}" : body, params); }
    @Override public Object path(String p) { return smart(super.path(p)); }
    @Override public String json(String p) { return VtlOracle.JsonSer.ser(super.path(p)); }
  }
  public static class AwsUtil extends VtlOracle.Util {
    @Override public Object parseJson(String s){ return s == null ? null : super.parseJson(s); }
    @Override public String urlEncode(String s) throws Exception { return s == null ? null : super.urlEncode(s); }
    @Override public String urlDecode(String s) throws Exception { return s == null ? null : super.urlDecode(s); }
    @Override public String base64Encode(String s) throws Exception { return s == null ? null : super.base64Encode(s); }
    @Override public String base64Decode(String s) throws Exception { return s == null ? null : super.base64Decode(s); }
  }
  @SuppressWarnings("unchecked")
  static Object smart(Object o) {
    if (o instanceof Map) { LinkedHashMap<String,Object> m = new LinkedHashMap<>(); for (Map.Entry<String,Object> e : ((Map<String,Object>) o).entrySet()) m.put(e.getKey(), smart(e.getValue())); return m; }
    if (o instanceof List) { net.minidev.json.JSONArray l = new net.minidev.json.JSONArray(); for (Object x : (List<Object>) o) l.add(smart(x)); return l; }
    return o;
  }
  @SuppressWarnings("unchecked")
  public static void main(String[] a) throws Exception {
    String json = new String(Files.readAllBytes(Paths.get(a[0])), "UTF-8");
    List<Object> cases = (List<Object>) VtlOracle.parse(json);
    VelocityEngine ve = new VelocityEngine();
    ve.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
    ve.init();
    StringBuilder out = new StringBuilder("{\n");
    boolean first = true;
    for (Object co : cases) {
      Map<String,Object> c = (Map<String,Object>) co;
      Map<String,Object> fresh = (Map<String,Object>) VtlOracle.parse(VtlOracle.JsonSer.ser(c));
      VelocityContext ctx = new VelocityContext();
      Map<String,Object> vars = (Map<String,Object>) fresh.get("vars");
      if (vars != null) for (Map.Entry<String,Object> e : vars.entrySet()) ctx.put(e.getKey(), e.getValue());
      ctx.put("input", new AwsInput((String) fresh.get("body"), (Map<String,Object>) fresh.get("params")));
      ctx.put("util", new AwsUtil());
      ctx.put("context", fresh.get("context"));
      ctx.put("stageVariables", fresh.get("stageVariables"));
      EventCartridge ec = new EventCartridge();
      ec.addEventHandler(new ReferenceInsertionEventHandler() {
        public Object referenceInsert(String reference, Object value) { return value == null ? "" : value; }
      });
      ec.attachToContext(ctx);
      String res;
      try { StringWriter w = new StringWriter(); ve.evaluate(ctx, w, (String)c.get("name"), (String) c.get("tpl")); res = w.toString(); }
      catch (Exception ex) { res = "ERROR: " + ex.getClass().getSimpleName() + ": " + String.valueOf(ex.getMessage()).split("\n")[0]; }
      if (!first) out.append(",\n"); first = false;
      out.append(VtlOracle.q((String)c.get("name"))).append(": ").append(VtlOracle.q(res));
    }
    out.append("\n}\n");
    Files.write(Paths.get(a[1]), out.toString().getBytes("UTF-8"));
  }
}
