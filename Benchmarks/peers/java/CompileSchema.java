// Compiles an Avro schema to Java SpecificRecord classes with Apache Avro's own compiler
// (libavro-compiler-java): what a Java service does with avro-maven-plugin.
import java.io.File;
import org.apache.avro.compiler.specific.SpecificCompiler;

public class CompileSchema {
    public static void main(String[] args) throws Exception {
        SpecificCompiler.compileSchema(new File(args[0]), new File(args[1]));
    }
}
